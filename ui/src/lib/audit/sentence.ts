// An audit entry as a sentence in the officer's language: who did what,
// before and after. The desk gives each entry its kind and its facts
// (`docs/audit.md`); the sentence is `audit.sentences.<kind>` in the
// locales, with the facts as parameters: officers by name (their id when
// no name is known), the channel by name, a refusal's reason said from its
// code, precedences and other codes translated. Entries written before
// facts were kept, and kinds this version does not know, show the English
// detail they were recorded with.

import type { AuditEntry, ChannelView } from '../api/types';
import { formatParams, hasKey, refusalText } from '../i18n/errors';
import { localDateTime } from '../i18n/format';
import { locale, t } from '../i18n/i18n.svelte';

type Facts = Record<string, unknown>;

/** How an entry is said: a sentence from its facts, or its recorded detail. */
export interface Said {
  text: string;
  /** True when `text` is the English detail, not a translated sentence. */
  recorded: boolean;
}

/** Which variant of a kind's sentence its facts call for, if it has several. */
function variant(kind: string, f: Facts): string | undefined {
  switch (kind) {
    case 'member.added':
      return f.nationality ? 'withNation' : 'plain';
    case 'channel.joined':
    case 'invitation.held':
      return f.by ? 'byOfficer' : 'plain';
    case 'invitation.accepted':
      return Array.isArray(f.pinned) && f.pinned.length ? 'pinned' : 'plain';
    case 'ack.sent':
    case 'ack.received':
      return f.sender && f.precedence ? 'known' : 'plain';
    case 'archive.exported':
      return f.recipient ? 'certificate' : 'passphrase';
    case 'session.unlocked':
      return Number(f.failedAttempts) > 0 ? 'afterFailures' : 'plain';
    case 'session.locked':
      return f.reason === 'idle' ? 'idle' : 'officer';
    case 'channel.anchor_added':
      return f.pinned ? 'pinned' : 'unpinned';
    case 'profile.secret_changed':
      return f.secret === 'pin' ? 'pin' : 'passphrase';
    default:
      return undefined;
  }
}

/** A retention period as people read it. */
function retention(days: unknown): string {
  return typeof days === 'number' ? t('audit.values.days', { count: days }) : t('audit.values.noLimit');
}

/** A coded value translated when the locales know it. */
function value(group: string, v: unknown): unknown {
  const key = `audit.values.${group}.${String(v)}`;
  return hasKey(key) ? t(key) : v;
}

/** The facts as the sentence shows them. */
function parameters(entry: AuditEntry, f: Facts, channels: readonly ChannelView[]): Facts {
  const out = formatParams(f);
  // Officers by name where one is known.
  for (const key of Object.keys(f)) {
    const name = f[`${key}Name`];
    if (typeof name === 'string' && name) out[key] = name;
  }
  const channelName = entry.channelId ? channels.find((c) => c.id === entry.channelId)?.name : undefined;
  out.channel = typeof f.channel === 'string' ? f.channel : (channelName ?? t('audit.values.thisChannel'));
  if (typeof f.precedence === 'string') out.precedence = t(`precedence.${f.precedence}`).toUpperCase();
  if (typeof f.message === 'string') out.message = f.message.slice(0, 8);
  if (typeof f.cutoffMs === 'number') out.cutoff = localDateTime(f.cutoffMs, locale());
  // Counts said with their noun, in the language's plural.
  if (typeof f.messages === 'number') out.messages = t('audit.values.messages', { count: f.messages });
  if (typeof f.failedAttempts === 'number')
    out.attempts = t('audit.values.attempts', { count: f.failedAttempts });
  if (typeof f.pinned === 'number') out.pinned = t('audit.values.authorities', { count: f.pinned });
  if (typeof f.days === 'number') out.days = t('audit.values.days', { count: f.days });
  if (f.what !== undefined) out.what = value('what', f.what);
  if (f.source !== undefined) out.source = value('source', f.source);
  switch (entry.kind) {
    case 'policy.retention':
      out.before = retention(f.before);
      out.after = retention(f.after);
      break;
    case 'policy.history':
      out.before = value('history', f.before);
      out.after = value('history', f.after);
      break;
  }
  if (typeof f.reason === 'string' && entry.category === 'refusals') {
    out.reasonText = refusalText(f.reason, f, typeof f.text === 'string' ? f.text : entry.detail);
  }
  return out;
}

/** Says an audit entry; `channels` name the channels it refers to. */
export function auditSentence(entry: AuditEntry, channels: readonly ChannelView[] = []): Said {
  const facts = entry.facts as Facts | undefined;
  const base = `audit.sentences.${entry.kind}`;
  if (!facts || !hasKey(base)) return { text: entry.detail, recorded: true };
  const which = variant(entry.kind, facts);
  const key = which ? `${base}.${which}` : base;
  if (!hasKey(key)) return { text: entry.detail, recorded: true };
  return { text: t(key, parameters(entry, facts, channels)), recorded: false };
}
