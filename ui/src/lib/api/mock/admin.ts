// Mock commands for channel administration: members, candidates, policy.

import { issueField as issueFieldOf, refuses } from '../../admin/issues';
import { expressible, marking } from '../../labels/spec';
import type {
  AdmissionReason,
  CandidateView,
  LabelField,
  LabelSpec,
  LabelView,
  MemberView,
  NewChannelForm,
  NewChannelRequest,
  OfficerView,
  PolicyIssue,
  PolicyPreview,
  PolicyView,
} from '../types';
import { officer, record } from './audit';
import { fail, type Handler, type MockState } from './backend';
import { chosenFile } from './files';
import { admits, exceeds, NATO_POLICY, rankOf, viewOf } from './labels';
import { member, OFFICERS, UNREACHABLE, type Officer } from './people';
import { AUTHORITIES } from './trust';
import { createdChannel, type MockChannel } from './world';

function requireAdmin(state: MockState, ch: MockChannel): void {
  state.requireUnlocked();
  if (!ch.members.some((m) => m.isSelf && m.role === 'admin'))
    fail('forbidden', 'Only an admin of this channel can do this.');
  if (ch.archived || ch.origin === 'imported') fail('forbidden', 'This channel is archived.');
}

/** Why `o` may not join a channel with this ceiling and release list, if anything: words and code, as the desk says it. */
function ineligibility(
  o: Officer,
  ceiling: LabelView,
  rel: readonly string[],
): { reason: string; reasonCode: AdmissionReason } | undefined {
  const r = rankOf(o.clearance);
  if (r < ceiling.rank)
    return {
      reason: `Clearance ${o.clearance} is below the channel ceiling.`,
      reasonCode: { code: 'levelTooLow', held: o.clearance, required: ceiling.classification },
    };
  if (rel.length && !rel.includes(o.nationality))
    return {
      reason: `${o.nationality} is not in the channel's release list (${rel.join(', ')}).`,
      reasonCode: { code: 'notReleasable', nationality: o.nationality },
    };
  return undefined;
}

/** A stand-in for the fingerprint of the officer's national authority. */
function authorityOf(o: Officer): string {
  return o.nationality.toLowerCase().padEnd(64, '0');
}

function candidate(ch: MockChannel, o: Officer): CandidateView {
  const rel = ch.policy.ceiling.tags.filter((t) => t.category === 'Releasable To').map((t) => t.value);
  const why = ineligibility(o, ch.ceiling, rel);
  return {
    ...o,
    isMember: ch.members.some((m) => m.officerId === o.officerId),
    eligible: !why,
    ...why,
    reachable: !UNREACHABLE.has(o.officerId),
    authority: authorityOf(o),
  };
}

const FROM_CERTIFICATE: Officer = {
  officerId: 'FRA-7781',
  displayName: 'Capitaine Luc Moreau',
  organisation: 'Commandement pour les opérations interarmées',
  nationality: 'FRA',
  clearance: 'NATO SECRET',
};

const REL = 'Releasable To';

/** A default within `ceiling`, as close to `def` as it allows (the desk's `fitted_default`, mock). */
function fitted(def: LabelSpec, ceiling: LabelSpec): LabelSpec {
  const of = (s: LabelSpec, category: string) =>
    s.tags.filter((t) => t.category === category).map((t) => t.value);
  const rank = Math.min(rankOf(def.classification), rankOf(ceiling.classification));
  const caveats = of(def, 'Special Category').filter((v) => of(ceiling, 'Special Category').includes(v));
  const missions = of(ceiling, 'Mission').length
    ? [...new Set([...of(def, 'Mission'), ...of(ceiling, 'Mission')])]
    : [];
  const [ownRel, limitRel] = [of(def, REL), of(ceiling, REL)];
  const rel = limitRel.length ? [...new Set([...ownRel, ...limitRel])] : [];
  const candidate: LabelSpec = {
    policyId: 'NATO',
    classification: NATO_POLICY.levels[rank].name,
    tags: [
      ...caveats.map((value) => ({ category: 'Special Category', value })),
      ...missions.map((value) => ({ category: 'Mission', value })),
      ...rel.map((value) => ({ category: REL, value })),
    ],
  };
  return exceeds(candidate, ceiling).length ? ceiling : candidate;
}

/** The channel rules' issues with a name, labels and admins (mock of `check_policy`). */
function labelIssues(p: { name: string; ceiling: LabelSpec; defaultLabel: LabelSpec; admins: string[] }): {
  issues: PolicyIssue[];
  fixedDefault?: LabelSpec;
} {
  const issues: PolicyIssue[] = [];
  let fixedDefault: LabelSpec | undefined;
  if (!p.name.trim()) issues.push({ code: 'nameMissing' });
  const known = (field: LabelField, spec: LabelSpec) => {
    if (expressible(NATO_POLICY, spec)) return true;
    issues.push({ code: 'unknownLabelPart', field, part: spec.classification });
    return false;
  };
  if (known('ceiling', p.ceiling) && known('defaultLabel', p.defaultLabel)) {
    const excess = exceeds(p.defaultLabel, p.ceiling);
    if (excess.length) {
      issues.push({
        code: 'defaultAboveCeiling',
        default: marking(NATO_POLICY, p.defaultLabel),
        ceiling: marking(NATO_POLICY, p.ceiling),
        excess,
      });
      fixedDefault = fitted(p.defaultLabel, p.ceiling);
    }
  }
  if (!p.admins.length) issues.push({ code: 'noAdmin' });
  for (const a of p.admins) if (!a.trim()) issues.push({ code: 'badOfficerId', officer: a });
  return { issues, fixedDefault };
}

function preview(ch: MockChannel, p: PolicyView): PolicyPreview {
  const { issues, fixedDefault } = labelIssues(p);
  const removed: PolicyPreview['removed'] = [];
  if (expressible(NATO_POLICY, p.ceiling)) {
    for (const m of ch.members) {
      const reason = admits(m.clearance, m.nationality, p.ceiling);
      if (!reason) continue;
      removed.push({ member: m, reason });
      if (m.isSelf) issues.push({ code: 'removesYou', reason });
      else if (p.admins.includes(m.officerId))
        issues.push({ code: 'adminNotAdmitted', officerId: m.officerId, displayName: m.displayName, reason });
    }
  }
  // Admins not members (yet), as the directory knows them.
  if (expressible(NATO_POLICY, p.ceiling))
    for (const id of p.admins.filter((a) => !ch.members.some((m) => m.officerId === a))) {
      const o = Object.values(OFFICERS).find((x) => x.officerId === id);
      const reason = o && admits(o.clearance, o.nationality, p.ceiling);
      if (o && reason)
        issues.push({ code: 'adminNotAdmitted', officerId: id, displayName: o.displayName, reason });
    }
  return { removed, allowed: !issues.some(refuses), issues, fixedDefault };
}

const normal = (fp: string) => fp.replaceAll(':', '').trim().toUpperCase();

/** Every issue of a new channel request (mock of the desk's check). */
function checkNewChannel(state: MockState, r: NewChannelRequest): PolicyIssue[] {
  const me = state.profile.officerId;
  const admins = [me, ...r.admins.filter((a) => a !== me)];
  const issues: PolicyIssue[] = [];
  const pinned = state.trust.pinned.map((p) => normal(p.fingerprint));
  for (const fp of r.anchors)
    if (!pinned.includes(normal(fp))) issues.push({ code: 'unknownAnchor', fingerprint: fp });
  if (!issues.length && !r.anchors.length) issues.push({ code: 'noAnchor' });
  else if (!issues.length && !r.anchors.some((fp) => normal(fp) === normal(AUTHORITIES.fra.fingerprint)))
    issues.push({ code: 'ownAuthorityMissing' });
  const labels = labelIssues({ ...r, admins });
  issues.push(...labels.issues);
  if (issues.length) return issues;
  const self = admits(state.profile.clearance, state.profile.nationality, r.ceiling);
  if (self) issues.push({ code: 'selfNotAdmitted', reason: self });
  for (const id of r.admins) {
    const o = Object.values(OFFICERS).find((x) => x.officerId === id);
    const reason = o && admits(o.clearance, o.nationality, r.ceiling);
    if (o && reason)
      issues.push({ code: 'adminNotAdmitted', officerId: id, displayName: o.displayName, reason });
  }
  return issues;
}

/** The mock's partner authority of a nation, when the profile pinned it. */
function pinnedAuthority(state: MockState, nationality: string): string | undefined {
  const a = (AUTHORITIES as Record<string, { fingerprint: string }>)[nationality.toLowerCase()];
  return a && state.trust.pinned.some((p) => normal(p.fingerprint) === normal(a.fingerprint))
    ? a.fingerprint
    : undefined;
}

export function adminCommands(state: MockState): Record<string, Handler> {
  return {
    list_members: (a) => {
      state.requireUnlocked();
      return state.channel(a.channelId as string).members;
    },
    directory: (a) => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      return Object.values(OFFICERS).map((o) => candidate(ch, o));
    },
    candidate_from_certificate: (a) => {
      const ch = state.channel(a.channelId as string);
      const file = chosenFile(state, a.file, 'openCertificate', 'file');
      if (!/\.(pem|crt)$/i.test(file.name)) fail('certificate', 'This file is not a PEM certificate.');
      file.consume();
      return candidate(ch, FROM_CERTIFICATE);
    },
    add_member: (a) => {
      const ch = state.channel(a.channelId as string);
      requireAdmin(state, ch);
      const o = [...Object.values(OFFICERS), FROM_CERTIFICATE].find((x) => x.officerId === a.officerId);
      if (!o) fail('notFound', 'This officer is not in the directory.');
      // As the relay: a claim in another authority's namespace finds nobody.
      if (a.authority !== undefined && a.authority !== authorityOf(o))
        fail('notFound', 'No officer of this partner authority uses this id.');
      const c = candidate(ch, o);
      if (c.isMember) fail('ruleViolation', `${o.displayName} is already a member.`);
      if (!c.eligible) fail('ruleViolation', c.reason ?? 'Adding this officer would break a channel rule.');
      if (!c.reachable)
        fail('offline', `The relay holds no key package for ${o.displayName}; try again later.`);
      ch.members.push(member(o, 'member'));
      record(
        state,
        'member.added',
        { ...officer('by', state.profile), ...officer('member', o), nationality: o.nationality },
        `${state.profile.displayName} added ${o.displayName} (${o.nationality})`,
        ch.id,
      );
      state.emit('channels', null);
      return null;
    },
    remove_member: (a) => {
      const ch = state.channel(a.channelId as string);
      const m = ch.members.find((x) => x.officerId === a.officerId);
      if (!m) fail('notFound', 'This officer is not a member.');
      if (!m.isSelf) requireAdmin(state, ch);
      if (m.role === 'admin' && ch.members.filter((x) => x.role === 'admin').length === 1)
        fail('ruleViolation', 'A channel keeps at least one admin.');
      ch.members = ch.members.filter((x) => x !== m);
      if (m.isSelf) ch.active = false;
      if (m.isSelf) record(state, 'channel.leave_requested', {}, 'asked to leave the channel', ch.id);
      else
        record(
          state,
          'member.removed',
          { ...officer('by', state.profile), ...officer('member', m) },
          `${state.profile.displayName} removed ${m.displayName}`,
          ch.id,
        );
      state.emit('channels', null);
      return null;
    },
    set_admin: (a) => {
      const ch = state.channel(a.channelId as string);
      requireAdmin(state, ch);
      const m = ch.members.find((x) => x.officerId === a.officerId);
      if (!m) fail('notFound', 'This officer is not a member.');
      if (!a.admin && m.role === 'admin' && ch.members.filter((x) => x.role === 'admin').length === 1)
        fail('ruleViolation', 'A channel keeps at least one admin.');
      m.role = a.admin ? 'admin' : 'member';
      record(
        state,
        a.admin ? 'member.promoted' : 'member.demoted',
        { ...officer('by', state.profile), ...officer('member', m) },
        `${state.profile.displayName} ${a.admin ? 'made' : 'took the admin rights of'} ${m.displayName}`,
        ch.id,
      );
      ch.policy.admins = ch.members.filter((x) => x.role === 'admin').map((x) => x.officerId);
      state.emit('channels', null);
      return null;
    },
    channel_policy: (a) => {
      state.requireUnlocked();
      return state.channel(a.channelId as string).policy;
    },
    preview_policy: (a) => {
      const ch = state.channel(a.channelId as string);
      requireAdmin(state, ch);
      return preview(ch, a.policy as PolicyView);
    },
    change_policy: (a) => {
      const ch = state.channel(a.channelId as string);
      requireAdmin(state, ch);
      const p = structuredClone(a.policy as PolicyView);
      const pv = preview(ch, p);
      const refusal = pv.issues.find(refuses);
      if (refusal) fail('invalidInput', `The change is refused (${refusal.code}).`, issueFieldOf(refusal));
      const gone = new Set(pv.removed.map((r) => r.member.officerId));
      ch.members = ch.members
        .filter((m) => !gone.has(m.officerId))
        .map((m): MemberView => ({ ...m, role: p.admins.includes(m.officerId) ? 'admin' : 'member' }));
      const before = { name: ch.name, ceiling: ch.ceiling.marking, defaultLabel: ch.defaultLabel.marking };
      ch.ceiling = viewOf(p.ceiling);
      ch.defaultLabel = viewOf(p.defaultLabel);
      ch.name = p.name;
      ch.policy = p;
      const by = officer('by', state.profile);
      const changes: [string, string, string][] = [
        ['policy.renamed', before.name, ch.name],
        ['policy.ceiling', before.ceiling, ch.ceiling.marking],
        ['policy.default_label', before.defaultLabel, ch.defaultLabel.marking],
      ];
      for (const [kind, was, now] of changes)
        if (was !== now) record(state, kind, { ...by, before: was, after: now }, `${was} → ${now}`, ch.id);
      for (const r of pv.removed)
        record(
          state,
          'member.removed',
          { ...by, ...officer('member', r.member) },
          `${state.profile.displayName} removed ${r.member.displayName}`,
          ch.id,
        );
      state.emit('channels', null);
      return null;
    },
    // New channels and the label picker.
    label_policies: () => {
      state.requireUnlocked();
      return [NATO_POLICY];
    },
    new_channel_form: (): NewChannelForm => {
      state.requireUnlocked();
      const own = normal(AUTHORITIES.fra.fingerprint);
      const anchors = state.trust.pinned
        .map((p) => ({ fingerprint: p.fingerprint, name: p.name, own: normal(p.fingerprint) === own }))
        .sort((x, y) => Number(y.own) - Number(x.own));
      return {
        anchors,
        suggestedCeiling: {
          policyId: 'NATO',
          classification: state.profile.clearance,
          tags: [{ category: REL, value: state.profile.nationality }],
        },
      };
    },
    officer_directory: (): OfficerView[] => {
      state.requireUnlocked();
      if (state.connection !== 'online')
        fail('offline', 'The relay cannot be reached; try again when the connection is back.');
      return Object.values(OFFICERS).flatMap((o) => {
        const authority = pinnedAuthority(state, o.nationality);
        return authority ? [{ ...o, authority }] : [];
      });
    },
    check_new_channel: (a) => {
      state.requireUnlocked();
      return checkNewChannel(state, a.request as NewChannelRequest);
    },
    create_channel: (a) => {
      state.requireUnlocked();
      const r = structuredClone(a.request as NewChannelRequest);
      const refusal = checkNewChannel(state, r).find(refuses);
      if (refusal) fail('invalidInput', `The channel is refused (${refusal.code}).`, issueFieldOf(refusal));
      const me = state.profile.officerId;
      const id = `c0ffee${(state.channels.length + 1).toString(16).padStart(6, '0')}`;
      const ch = createdChannel(
        id,
        {
          name: r.name.trim(),
          ceiling: r.ceiling,
          defaultLabel: r.defaultLabel,
          admins: [me, ...r.admins.filter((x) => x !== me)].sort(),
          retentionDays: r.retentionDays,
          onRemoval: r.onRemoval,
        },
        state.profile,
      );
      state.channels.push(ch);
      record(
        state,
        'channel.created',
        { channel: ch.name, ceiling: ch.ceiling.marking },
        `${ch.name} ceiling ${ch.ceiling.marking}`,
        id,
      );
      state.emit('channels', null);
      return id;
    },
  };
}
