// The mock's audit log: entries with the kinds, categories and facts the
// desk records (`docs/audit.md`), filtered as the desk filters them.

import type { AuditCategoryView, AuditEntry, AuditRequest, ProfileView } from '../types';
import type { MockState } from './backend';
import { OFFICERS } from './people';

/** The category of each kind, as the core's `AuditCategory` lists them. */
const CATEGORY: Record<string, AuditCategoryView> = {
  'channel.created': 'membership',
  'channel.joined': 'membership',
  'member.added': 'membership',
  'member.removed': 'membership',
  'member.left': 'membership',
  'member.promoted': 'membership',
  'member.demoted': 'membership',
  'member.invalid_removed': 'membership',
  'member.readded': 'membership',
  'channel.removed': 'membership',
  'channel.leave_requested': 'membership',
  'invitation.held': 'membership',
  'invitation.accepted': 'membership',
  'invitation.declined': 'membership',
  'invitation.replaced': 'membership',
  'policy.renamed': 'policy',
  'policy.ceiling': 'policy',
  'policy.default_label': 'policy',
  'policy.retention': 'policy',
  'policy.history': 'policy',
  'policy.anchor_removed': 'policy',
  'channel.anchor_added': 'policy',
  'delivery.refused': 'refusals',
  'welcome.refused': 'refusals',
  'outbox.refused': 'refusals',
  'ack.sent': 'acknowledgements',
  'ack.received': 'acknowledgements',
  'outbox.ack_dropped': 'acknowledgements',
  'archive.exported': 'archive',
  'archive.imported': 'archive',
  'channel.archived': 'archive',
  'retention.deleted': 'archive',
  'retention.skipped': 'archive',
  'channel.purged': 'archive',
  'profile.created': 'security',
  'profile.pin_set': 'security',
  'session.unlocked': 'security',
  'session.locked': 'security',
  'authority.pinned': 'security',
  'authority.unpinned': 'security',
  'pinning.seeded': 'security',
  'channel.fork_detected': 'security',
  'channel.commit_withheld': 'security',
  'commit.merged': 'channel',
  'channel.fork_settled': 'channel',
  'channel.rejoin_requested': 'channel',
  'channel.rejoin_answered': 'channel',
  'channel.rejoined': 'channel',
  'outbox.stale': 'channel',
  'outbox.reencrypted': 'channel',
};

/** The category the desk gives `kind`. */
export function categoryOf(kind: string): AuditCategoryView {
  return CATEGORY[kind] ?? 'other';
}

/** Appends an entry, as the engine's `Store::record` does. */
export function record(
  state: MockState,
  kind: string,
  facts: Record<string, unknown> | undefined,
  detail: string,
  channelId?: string,
  atMs = Date.now(),
): AuditEntry {
  const entry: AuditEntry = {
    id: state.audit.length + 1,
    atMs,
    kind,
    category: categoryOf(kind),
    detail,
    facts,
    channelId,
  };
  state.audit.push(entry);
  return entry;
}

/** The officer facts of `who`: `key` and `keyName`. */
export function officer(
  key: string,
  who: { officerId: string; displayName: string },
): Record<string, string> {
  return { [key]: who.officerId, [`${key}Name`]: who.displayName };
}

/** The log as `audit_log` answers: filtered, newest first. */
export function auditLog(state: MockState, query: AuditRequest): AuditEntry[] {
  const categories = query.categories ?? [];
  return state.audit
    .filter(
      (e) =>
        (query.channelId === undefined || e.channelId === query.channelId) &&
        (categories.length === 0 || categories.includes(e.category)) &&
        (query.fromMs === undefined || e.atMs >= query.fromMs) &&
        (query.toMs === undefined || e.atMs < query.toMs) &&
        (query.beforeId === undefined || e.id < query.beforeId),
    )
    .reverse()
    .slice(0, Math.min(query.limit, 1000));
}

/** What a few days of work leave in the log, for the demo and the tests. */
export function seedAudit(state: MockState, self: ProfileView): void {
  if (state.audit.length) return;
  const { whitfield, vogel } = OFFICERS;
  const cell = 'a1c3e5f70001';
  const day = 86_400_000;
  const start = Date.now() - 3 * day;
  const at = (hours: number) => start + hours * 3_600_000;
  // A row written before facts were kept: shown with its English detail.
  record(state, 'commit.merged', undefined, 'epoch 4', cell, at(0));
  record(
    state,
    'profile.created',
    { officer: self.officerId },
    `desktop profile for ${self.officerId}`,
    undefined,
    at(1),
  );
  record(
    state,
    'channel.joined',
    { channel: 'GBR–FRA–DEU Liaison Cell', epoch: 5, ...officer('by', whitfield) },
    `GBR–FRA–DEU Liaison Cell at epoch 5, added by ${whitfield.displayName} (${whitfield.officerId})`,
    cell,
    at(2),
  );
  record(
    state,
    'member.added',
    { ...officer('by', whitfield), ...officer('member', vogel), nationality: 'DEU', epoch: 6 },
    `${whitfield.displayName} (${whitfield.officerId}) added ${vogel.displayName} (${vogel.officerId}) (DEU) at epoch 6`,
    cell,
    at(3),
  );
  record(
    state,
    'policy.ceiling',
    {
      ...officer('by', whitfield),
      before: 'NATO CONFIDENTIAL//REL TO DEU, FRA, GBR',
      after: 'NATO SECRET//REL TO DEU, FRA, GBR',
      epoch: 7,
    },
    `${whitfield.displayName} (${whitfield.officerId}) changed the ceiling from NATO CONFIDENTIAL//REL TO DEU, FRA, GBR to NATO SECRET//REL TO DEU, FRA, GBR at epoch 7`,
    cell,
    at(4),
  );
  record(
    state,
    'delivery.refused',
    {
      seq: 212,
      reason: 'aboveCeiling',
      text: 'label COSMIC TOP SECRET//REL TO DEU, FRA, GBR is above the channel ceiling NATO SECRET//REL TO DEU, FRA, GBR: COSMIC TOP SECRET is above NATO SECRET',
      label: 'COSMIC TOP SECRET//REL TO DEU, FRA, GBR',
      ceiling: 'NATO SECRET//REL TO DEU, FRA, GBR',
      excess: [
        {
          kind: 'level',
          level: 'COSMIC TOP SECRET',
          limit: 'NATO SECRET',
          text: 'COSMIC TOP SECRET is above NATO SECRET',
        },
      ],
    },
    'seq 212: label COSMIC TOP SECRET//REL TO DEU, FRA, GBR is above the channel ceiling NATO SECRET//REL TO DEU, FRA, GBR: COSMIC TOP SECRET is above NATO SECRET',
    cell,
    at(30),
  );
  record(
    state,
    'ack.sent',
    {
      message: 'ee00000000000007',
      ...officer('sender', whitfield),
      marking: 'NATO SECRET//REL TO DEU, FRA, GBR',
      precedence: 'flash',
    },
    `acknowledged message ee000000 from ${whitfield.displayName} (${whitfield.officerId}) (NATO SECRET//REL TO DEU, FRA, GBR)`,
    cell,
    at(31),
  );
  record(state, 'session.locked', { reason: 'idle' }, 'locked after the idle delay', undefined, at(50));
  record(
    state,
    'session.unlocked',
    { failedAttempts: 1 },
    'unlocked after 1 wrong attempt(s)',
    undefined,
    at(51),
  );
}
