// Mock commands for channels, threads, the composer, acknowledgements and search.

import type {
  ChannelView,
  ComposerOptions,
  MessageView,
  Precedence,
  SearchHit,
  SearchQuery,
  SendRequest,
  ThreadPage,
} from '../types';
import { record } from './audit';
import { fail, failCoded, type Handler, type MockState } from './backend';
import { dominates, label, LEVELS, parseMarking, rankOf, relOf } from './labels';
import { ackCandidates, messageAt, total, type MockChannel } from './world';

const PRECEDENCE_ORDER: Precedence[] = ['routine', 'priority', 'immediate', 'flash'];

function view(state: MockState, ch: MockChannel): ChannelView {
  const n = total(ch);
  let awaitingAck = 0;
  let awaitingPrecedence: Precedence | undefined;
  for (const i of ackCandidates(ch)) {
    const m = messageAt(ch, state.profile, i);
    // As the desk: an imported copy awaits nothing.
    if (ch.origin === 'live' && !m.mine && m.ackRequested && !m.acknowledgedByMe) {
      awaitingAck++;
      if (
        !awaitingPrecedence ||
        PRECEDENCE_ORDER.indexOf(m.precedence) > PRECEDENCE_ORDER.indexOf(awaitingPrecedence)
      )
        awaitingPrecedence = m.precedence;
    }
  }
  return {
    id: ch.id,
    name: ch.name,
    ceiling: ch.ceiling,
    unread: Math.max(0, n - 1 - ch.readUpTo),
    awaitingAck,
    awaitingPrecedence,
    archived: ch.archived,
    active: ch.active,
    isAdmin: ch.members.some((m) => m.isSelf && m.role === 'admin'),
    lastActivityMs: n ? messageAt(ch, state.profile, n - 1).sentAtMs : undefined,
    memberCount: ch.members.length,
    commitWithheld: false,
    gaps: [],
    origin: ch.origin,
  };
}

/** As the desk: the REL TO nations no member holds (the mock leaves communities out). */
function beyond(ch: MockChannel, rel: string[] | undefined): string[] {
  const seated = new Set(ch.members.map((m) => m.nationality));
  return (rel ?? []).filter((n) => !seated.has(n)).sort();
}

function offered(state: MockState, ch: MockChannel): ComposerOptions['labels'] {
  const top = Math.min(ch.ceiling.rank, rankOf(state.profile.clearance));
  const rel = relOf(ch.ceiling);
  const out: ComposerOptions['labels'] = [];
  const beyondMembers = beyond(ch, rel);
  for (let r = 0; r <= top; r++) {
    const l = label(r, rel);
    out.push({ label: l, isDefault: l.marking === ch.defaultLabel.marking, beyondMembers });
  }
  return out;
}

function sendRefusal(ch: MockChannel): [string, string] | undefined {
  if (ch.origin === 'imported')
    return ['channelImported', 'This channel was imported from an archive and is read-only.'];
  if (ch.archived) return ['channelArchived', 'This channel is archived.'];
  if (!ch.active) return ['channelLeft', 'You are no longer a member of this channel.'];
  return undefined;
}

/** Appends a partner's message and tells the UI, as the relay and the shell would. */
export function deliver(
  state: MockState,
  channelId: string,
  msg: { body: string; rank?: number; precedence?: 'routine' | 'flash' | 'immediate' },
): MessageView {
  const ch = state.channel(channelId);
  const from = ch.members.find((m) => !m.isSelf) ?? ch.members[0];
  const index = total(ch);
  const precedence = msg.precedence ?? 'routine';
  const at = Date.now();
  const m: MessageView = {
    id: `fe${index.toString(16).padStart(14, '0')}`,
    index,
    senderId: from.officerId,
    senderName: from.displayName,
    senderNation: from.nationality,
    verification: 'verified',
    contextSigned: true,
    label: label(Math.min(msg.rank ?? 0, ch.ceiling.rank), relOf(ch.ceiling)),
    precedence,
    exercise: ch.exercise,
    body: msg.body,
    sentAtMs: at,
    receivedAtMs: at,
    mine: false,
    ackRequested: precedence !== 'routine',
    acknowledgedByMe: precedence === 'routine',
    acks: [],
    pending: false,
  };
  ch.extra.push(m);
  state.emit('messages', { channelId, newCount: 1, highestPrecedence: precedence });
  state.emit('channels', null);
  return m;
}

/**
 * The level a typed classification names, as the desk reads it
 * (`LabelPolicy::level_as_typed`): full name or abbreviation, any case and spacing.
 */
function levelAsTyped(typed: string): string | undefined {
  const want = typed.trim().split(/\s+/).join(' ').toUpperCase();
  return LEVELS.find((l) => l.name === want || l.portion === want)?.name;
}

function matches(m: MessageView, words: string[], q: SearchQuery, level?: string): boolean {
  if (q.senderId && m.senderId !== q.senderId) return false;
  if (level && m.label.classification !== level) return false;
  if (q.precedence && m.precedence !== q.precedence) return false;
  if (q.fromMs !== undefined && m.sentAtMs < q.fromMs) return false;
  if (q.toMs !== undefined && m.sentAtMs > q.toMs) return false;
  const text = m.body.toLowerCase();
  return words.every((w) =>
    w.endsWith('*') ? text.includes(w.slice(0, -1)) : new RegExp(`\\b${w}\\b`).test(text),
  );
}

function snippet(body: string, words: string[]): string {
  let out = body;
  for (const w of words) {
    const stem = w.replace(/\*$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (stem) out = out.replace(new RegExp(`\\b(${stem}\\w*)`, 'gi'), '\u0002$1\u0003');
  }
  return out.length > 200 ? `${out.slice(0, 200)}…` : out;
}

export function messagingCommands(state: MockState): Record<string, Handler> {
  return {
    list_channels: () => {
      state.requireUnlocked();
      return state.channels.map((c) => view(state, c));
    },
    thread_page: (a) => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      const n = total(ch);
      const start = Math.max(0, Math.min(a.start as number, n));
      const end = Math.min(n, start + Math.min(a.count as number, 500));
      const messages: MessageView[] = [];
      for (let i = start; i < end; i++) messages.push(messageAt(ch, state.profile, i));
      const highest = messages.reduce<MessageView['label'] | undefined>(
        (h, m) => (!h || m.label.rank > h.rank ? m.label : h),
        undefined,
      );
      return { channelId: ch.id, total: n, start, messages, highest } satisfies ThreadPage;
    },
    mark_read: (a) => {
      const ch = state.channel(a.channelId as string);
      ch.readUpTo = Math.max(ch.readUpTo, Math.min(a.upToIndex as number, total(ch) - 1));
      state.emit('channels', null);
      return null;
    },
    composer_options: (a) => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      const reason = sendRefusal(ch);
      return {
        channelId: ch.id,
        labels: offered(state, ch),
        precedences: [...PRECEDENCE_ORDER],
        canSend: !reason,
        reason: reason?.[1],
        reasonCode: reason?.[0],
      } satisfies ComposerOptions;
    },
    released_beyond_members: (a) => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      const lbl = parseMarking(a.marking as string);
      return lbl ? beyond(ch, relOf(lbl)) : [];
    },
    send_message: (a) => {
      state.requireUnlocked();
      const r = a.request as SendRequest;
      const ch = state.channel(r.channelId);
      const reason = sendRefusal(ch);
      if (reason) failCoded('forbidden', reason[0], undefined, reason[1]);
      if (!r.body.trim()) failCoded('invalidInput', 'bodyEmpty', undefined, 'The message is empty.', 'body');
      const lbl = parseMarking(r.marking);
      const allowed = offered(state, ch).find((c) => c.label.marking === lbl?.marking);
      if (!lbl)
        failCoded(
          'labelRefused',
          'invalidLabel',
          { marking: r.marking, why: { kind: 'other', text: 'not a marking of the NATO policy' } },
          `"${r.marking}" is not a marking of the channel's label policy.`,
        );
      if (!allowed) {
        const excess =
          lbl.rank > ch.ceiling.rank
            ? [{ kind: 'level', level: lbl.classification, limit: ch.ceiling.classification }]
            : [];
        if (excess.length)
          failCoded(
            'labelRefused',
            'aboveCeiling',
            { label: lbl.marking, ceiling: ch.ceiling.marking, excess },
            `${lbl.marking} is above this channel's ceiling ${ch.ceiling.marking}; choose a label at or below the ceiling.`,
          );
        failCoded(
          'labelRefused',
          'clearanceRefused',
          { label: lbl.marking },
          `Your clearance does not admit ${lbl.marking}.`,
        );
      }
      let replyTo: MessageView['replyTo'];
      if (r.replyTo) {
        let src: MessageView | undefined;
        for (let i = total(ch) - 1; i >= 0 && !src; i--) {
          const m = messageAt(ch, state.profile, i);
          if (m.id === r.replyTo) src = m;
        }
        if (!src) fail('notFound', 'The message you reply to no longer exists.');
        if (!dominates(lbl, src.label))
          fail('labelRefused', `A reply must carry at least its source's label (${src.label.marking}).`);
        replyTo = {
          id: src.id,
          senderName: src.senderName,
          excerpt: src.body.slice(0, 90),
          label: src.label,
        };
      }
      const index = total(ch);
      const at = Date.now();
      const ackRequested = r.precedence === 'flash' || r.precedence === 'immediate';
      const m: MessageView = {
        id: `ee${index.toString(16).padStart(14, '0')}`,
        index,
        senderId: state.profile.officerId,
        senderName: state.profile.displayName,
        senderNation: state.profile.nationality,
        verification: 'own',
        contextSigned: true,
        label: lbl,
        precedence: r.precedence,
        exercise: r.exercise,
        body: r.body,
        replyTo,
        sentAtMs: at,
        receivedAtMs: at,
        mine: true,
        ackRequested,
        acknowledgedByMe: true,
        acks: [],
        pending: state.connection !== 'online',
      };
      ch.extra.push(m);
      ch.readUpTo = index;
      state.emit('messages', { channelId: ch.id, newCount: 1, highestPrecedence: r.precedence });
      state.emit('channels', null);
      return m;
    },
    acknowledge: (a) => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      const i = ackCandidates(ch).find((k) => messageAt(ch, state.profile, k).id === a.messageId);
      if (i === undefined) fail('notFound', 'This message no longer awaits acknowledgement.');
      ch.overrides.set(i, { ...ch.overrides.get(i), acknowledgedByMe: true });
      const acked = messageAt(ch, state.profile, i);
      record(
        state,
        'ack.sent',
        {
          message: acked.id,
          sender: acked.senderId,
          senderName: acked.senderName,
          marking: acked.label.marking,
          precedence: acked.precedence,
        },
        `acknowledged message ${acked.id.slice(0, 8)} from ${acked.senderName} (${acked.label.marking})`,
        ch.id,
      );
      state.emit('channels', null);
      return null;
    },
    search: (a) => {
      state.requireUnlocked();
      const q = a.query as SearchQuery;
      const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
      // As the desk: words are optional once a filter is set.
      const filtered =
        q.channelId ||
        q.senderId ||
        q.classification ||
        q.precedence ||
        q.fromMs !== undefined ||
        q.toMs !== undefined;
      if (!words.length && !filtered)
        fail('invalidInput', 'Type some words to search for, or choose a filter.', 'text');
      if (q.fromMs !== undefined && q.toMs !== undefined && q.toMs < q.fromMs)
        fail('invalidInput', 'The date range ends before it starts.', 'toMs');
      const level = q.classification ? levelAsTyped(q.classification) : undefined;
      if (q.classification && !level)
        fail(
          'invalidInput',
          `No label policy has a classification named "${q.classification}".`,
          'classification',
        );
      const hits: SearchHit[] = [];
      for (const ch of state.channels) {
        if (q.channelId && ch.id !== q.channelId) continue;
        for (let i = total(ch) - 1; i >= 0 && hits.length < q.limit; i--) {
          const m = messageAt(ch, state.profile, i);
          if (matches(m, words, q, level))
            hits.push({
              channelId: ch.id,
              channelName: ch.name,
              message: m,
              snippet: snippet(m.body, words),
            });
        }
      }
      const highest = hits.reduce<MessageView['label'] | undefined>(
        (h, x) => (!h || x.message.label.rank > h.rank ? x.message.label : h),
        undefined,
      );
      return { hits, highest };
    },
  };
}
