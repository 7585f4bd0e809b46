// Mock commands for channel administration: members, candidates, policy.

import type { CandidateView, MemberView, PolicyPreview, PolicyView } from '../types';
import { officer, record } from './audit';
import { fail, type Handler, type MockState } from './backend';
import { chosenFile } from './files';
import { dominates, label, parseMarking, rankOf } from './labels';
import { member, OFFICERS, UNREACHABLE, type Officer } from './people';
import type { MockChannel } from './world';

function requireAdmin(state: MockState, ch: MockChannel): void {
  state.requireUnlocked();
  if (!ch.members.some((m) => m.isSelf && m.role === 'admin'))
    fail('forbidden', 'Only an admin of this channel can do this.');
  if (ch.archived || ch.origin === 'imported') fail('forbidden', 'This channel is archived.');
}

/** Why `o` may not join a channel with this ceiling and release list, if anything. */
function ineligibility(o: Officer, ceilingRank: number, rel: readonly string[]): string | undefined {
  const r = rankOf(o.clearance);
  if (r < ceilingRank) return `Clearance ${o.clearance} is below the channel ceiling.`;
  if (rel.length && !rel.includes(o.nationality))
    return `${o.nationality} is not in the channel's release list (${rel.join(', ')}).`;
  return undefined;
}

/** A stand-in for the fingerprint of the officer's national authority. */
function authorityOf(o: Officer): string {
  return o.nationality.toLowerCase().padEnd(64, '0');
}

function candidate(ch: MockChannel, o: Officer): CandidateView {
  const reason = ineligibility(o, ch.ceiling.rank, ch.policy.releasableTo);
  return {
    ...o,
    isMember: ch.members.some((m) => m.officerId === o.officerId),
    eligible: !reason,
    reason,
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

function preview(state: MockState, ch: MockChannel, p: PolicyView): PolicyPreview {
  const ceiling = parseMarking(p.ceiling);
  if (!ceiling)
    return { removed: [], allowed: false, reason: `"${p.ceiling}" is not a marking of the NATO policy.` };
  const def = parseMarking(p.defaultLabel);
  if (!def)
    return {
      removed: [],
      allowed: false,
      reason: `"${p.defaultLabel}" is not a marking of the NATO policy.`,
    };
  if (!dominates(label(ceiling.rank, p.releasableTo.length ? p.releasableTo : undefined), def))
    return { removed: [], allowed: false, reason: 'The default label must not be above the ceiling.' };
  if (!p.admins.length) return { removed: [], allowed: false, reason: 'A channel keeps at least one admin.' };
  if (p.releasableTo.some((n) => !/^[A-Z]{3}$/.test(n)))
    return { removed: [], allowed: false, reason: 'Release list entries must be three-letter nation codes.' };
  const removed: PolicyPreview['removed'] = [];
  for (const m of ch.members) {
    const why = ineligibility(m, ceiling.rank, p.releasableTo);
    if (why) removed.push({ member: m, reason: why });
  }
  if (removed.some((r) => r.member.isSelf))
    return { removed, allowed: false, reason: 'This change would remove you from the channel.' };
  void state;
  return { removed, allowed: true };
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
      return preview(state, ch, a.policy as PolicyView);
    },
    change_policy: (a) => {
      const ch = state.channel(a.channelId as string);
      requireAdmin(state, ch);
      const p = a.policy as PolicyView;
      const pv = preview(state, ch, p);
      if (!pv.allowed) fail('ruleViolation', pv.reason ?? 'The change is refused.');
      const gone = new Set(pv.removed.map((r) => r.member.officerId));
      ch.members = ch.members
        .filter((m) => !gone.has(m.officerId))
        .map((m): MemberView => ({ ...m, role: p.admins.includes(m.officerId) ? 'admin' : 'member' }));
      const before = { name: ch.name, ceiling: ch.ceiling.marking, defaultLabel: ch.defaultLabel.marking };
      const rel = p.releasableTo.length ? p.releasableTo : undefined;
      ch.ceiling = label(parseMarking(p.ceiling)?.rank ?? ch.ceiling.rank, rel);
      ch.defaultLabel = label(parseMarking(p.defaultLabel)?.rank ?? 0, rel);
      ch.name = p.name;
      ch.policy = { ...p, ceiling: ch.ceiling.marking, defaultLabel: ch.defaultLabel.marking };
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
  };
}
