// The mock's partnership: channels, their members and policies, and messages
// generated on demand (a 100,000-message channel costs nothing until read).
// Mock data only: tests and design in a plain browser.

import type {
  AckView,
  LabelView,
  MemberView,
  MessageView,
  PolicyView,
  Precedence,
  ProfileView,
} from '../types';
import { label, relOf, specOf, viewOf } from './labels';
import { member, OFFICERS, type Officer } from './people';

export interface MockChannel {
  id: string;
  name: string;
  ceiling: LabelView;
  defaultLabel: LabelView;
  exercise: boolean;
  archived: boolean;
  active: boolean;
  origin: 'live' | 'imported';
  members: MemberView[];
  policy: PolicyView;
  /** Messages made by `generate` before the scripted ones. */
  generated: number;
  script: MessageView[];
  /** Messages sent or delivered since the mock started. */
  extra: MessageView[];
  /** Changes to generated or scripted messages (acknowledgements, flags). */
  overrides: Map<number, Partial<MessageView>>;
  readUpTo: number;
}

const MINUTE = 60_000;
const NOW = Date.now();

/** A small deterministic hash, so generated threads look the same every run. */
export function hash(i: number, salt: number): number {
  let x = (i + 1) * 0x9e3779b1 + salt * 0x85ebca6b;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const SENTENCES = [
  'Movement table updated for the next 48 hours.',
  'Road move of the second serial confirmed for 06:00Z.',
  'Fuel state at the forward logistics site is at 70 per cent.',
  'Request the latest engineer assessment of the river crossing.',
  'Liaison officer rotation begins on Monday; handover notes to follow.',
  'No change to the force protection posture.',
  'Weather will limit rotary-wing tasking after 15:00Z.',
  'Medical evacuation chain tested successfully this morning.',
  'Host-nation police report the main supply route is open.',
  'Communications check on the alternate net completed.',
  'Please confirm attendance at the coordination meeting.',
  'The convoy reached the staging area without incident.',
  'Updated contact list circulated to all cells.',
  'Ammunition resupply request approved by the joint staff.',
  'Two vehicles remain unserviceable pending spare parts.',
];

function body(i: number, salt: number): string {
  const n = 1 + (hash(i, salt + 7) % 4);
  const parts: string[] = [];
  for (let k = 0; k < n; k++) parts.push(SENTENCES[hash(i * 7 + k, salt) % SENTENCES.length]);
  return parts.join(' ');
}

function idFor(channelSalt: number, index: number): string {
  return hash(index, channelSalt).toString(16).padStart(8, '0') + index.toString(16).padStart(8, '0');
}

function precedenceAt(i: number): Precedence {
  if (i > 0 && i % 997 === 0) return 'flash';
  if (i > 0 && i % 211 === 0) return 'immediate';
  if (i > 0 && i % 37 === 0) return 'priority';
  return 'routine';
}

function acksFrom(others: readonly MemberView[], at: number): AckView[] {
  return others.map((m, k) => ({
    officerId: m.officerId,
    displayName: m.displayName,
    atMs: at + (k + 1) * MINUTE,
  }));
}

/** Makes message `i` of a generated thread. */
export function generate(ch: MockChannel, salt: number, self: ProfileView, i: number): MessageView {
  const senders = ch.members;
  const sender = senders[hash(i, salt + 1) % senders.length];
  const mine = sender.officerId === self.officerId;
  const roll = hash(i, salt + 2) % 100;
  const ceiling = ch.ceiling.rank;
  const rank = roll < 45 ? 0 : roll < 80 ? Math.min(1, ceiling) : roll < 95 ? Math.min(2, ceiling) : ceiling;
  let lbl = label(rank, relOf(ch.ceiling));
  let replyTo: MessageView['replyTo'];
  if (i >= 3 && i % 13 === 0) {
    const src = generate(ch, salt, self, i - 3);
    replyTo = { id: src.id, senderName: src.senderName, excerpt: src.body.slice(0, 90), label: src.label };
    if (src.label.rank > lbl.rank) lbl = src.label;
  }
  const precedence = precedenceAt(i);
  const ackRequested = precedence === 'flash' || precedence === 'immediate';
  // Generated history ends an hour ago; scripted lines follow it.
  const sentAtMs = NOW - 60 * MINUTE - (ch.generated - 1 - i) * 3 * MINUTE;
  return {
    id: idFor(salt, i),
    index: i,
    senderId: sender.officerId,
    senderName: sender.displayName,
    senderNation: sender.nationality,
    verification: mine ? 'own' : 'verified',
    contextSigned: true,
    label: lbl,
    precedence,
    exercise: ch.exercise,
    body: body(i, salt),
    replyTo,
    sentAtMs,
    receivedAtMs: sentAtMs + 900,
    mine,
    ackRequested,
    acknowledgedByMe: true,
    acks:
      mine && ackRequested
        ? acksFrom(
            senders.filter((m) => !m.isSelf),
            sentAtMs,
          )
        : [],
    pending: false,
  };
}

interface Line {
  from: Officer | 'self';
  rank: number;
  text: string;
  precedence?: Precedence;
  replyTo?: number;
  acked?: boolean;
  acks?: Officer[];
  verification?: MessageView['verification'];
}

function scripted(ch: MockChannel, salt: number, self: ProfileView, lines: Line[]): MessageView[] {
  const out: MessageView[] = [];
  const rel = relOf(ch.ceiling);
  lines.forEach((line, k) => {
    const index = ch.generated + k;
    const o = line.from === 'self' ? self : line.from;
    const mine = line.from === 'self';
    const precedence = line.precedence ?? 'routine';
    const ackRequested = precedence === 'flash' || precedence === 'immediate';
    const sentAtMs = NOW - (lines.length - k) * 5 * MINUTE;
    const src = line.replyTo === undefined ? undefined : out[line.replyTo];
    out.push({
      id: idFor(salt, index),
      index,
      senderId: o.officerId,
      senderName: o.displayName,
      senderNation: o.nationality,
      verification: line.verification ?? (mine ? 'own' : 'verified'),
      contextSigned: true,
      label: label(line.rank, rel),
      precedence,
      exercise: ch.exercise,
      body: line.text,
      replyTo: src && {
        id: src.id,
        senderName: src.senderName,
        excerpt: src.body.slice(0, 90),
        label: src.label,
      },
      sentAtMs,
      receivedAtMs: sentAtMs + 700,
      mine,
      ackRequested,
      acknowledgedByMe: mine || !ackRequested || line.acked === true,
      acks: (line.acks ?? []).map((a, n) => ({
        officerId: a.officerId,
        displayName: a.displayName,
        atMs: sentAtMs + (n + 2) * MINUTE,
      })),
      pending: false,
    });
  });
  return out;
}

interface Seed {
  id: string;
  name: string;
  ceiling: LabelView;
  defaultLabel: LabelView;
  officers: Officer[];
  admin: boolean;
  generated: number;
  exercise?: boolean;
  archived?: boolean;
  origin?: 'live' | 'imported';
  unread?: number;
}

function channel(seed: Seed, self: ProfileView): MockChannel {
  const members = [
    member(self, seed.admin ? 'admin' : 'member', true),
    ...seed.officers.map((o, k) => member(o, k === 0 ? 'admin' : 'member')),
  ];
  return {
    id: seed.id,
    name: seed.name,
    ceiling: seed.ceiling,
    defaultLabel: seed.defaultLabel,
    exercise: seed.exercise ?? false,
    archived: seed.archived ?? seed.origin === 'imported',
    active: true,
    origin: seed.origin ?? 'live',
    members,
    policy: {
      name: seed.name,
      ceiling: specOf(seed.ceiling),
      defaultLabel: specOf(seed.defaultLabel),
      admins: members.filter((m) => m.role === 'admin').map((m) => m.officerId),
      retentionDays: 365,
      onRemoval: 'keep',
    },
    generated: seed.generated,
    script: [],
    extra: [],
    overrides: new Map(),
    readUpTo: seed.generated - 1 - (seed.unread ?? 0),
  };
}

/** A channel the user created in the mock: the user its only member, and an admin. */
export function createdChannel(id: string, policy: PolicyView, self: ProfileView): MockChannel {
  const ch = channel(
    {
      id,
      name: policy.name,
      ceiling: viewOf(policy.ceiling),
      defaultLabel: viewOf(policy.defaultLabel),
      officers: [],
      admin: true,
      generated: 0,
    },
    self,
  );
  ch.policy = policy;
  return ch;
}

/** A channel the user joined by accepting an invitation: a few generated messages. */
export function invitedChannel(id: string, name: string, self: ProfileView): MockChannel {
  const { whitfield } = OFFICERS;
  return channel(
    {
      id,
      name,
      ceiling: label(2, ['FRA', 'GBR']),
      defaultLabel: label(1, ['FRA', 'GBR']),
      officers: [whitfield],
      admin: false,
      generated: 3,
    },
    self,
  );
}

/** Builds the mock partnership around `self`. */
export function seedWorld(self: ProfileView): MockChannel[] {
  const { whitfield, vogel, rossi, cole, nowak, janssen } = OFFICERS;
  const cell = channel(
    {
      id: 'a1c3e5f70001',
      name: 'GBR–FRA–DEU Liaison Cell',
      ceiling: label(3, ['DEU', 'FRA', 'GBR']),
      defaultLabel: label(1, ['DEU', 'FRA', 'GBR']),
      officers: [whitfield, vogel],
      admin: true,
      generated: 200,
    },
    self,
  );
  cell.script = scripted(cell, 11, self, [
    { from: vogel, rank: 0, text: 'Good morning all. The daily coordination call moves to 09:30Z.' },
    { from: whitfield, rank: 1, text: 'Acknowledged. I will bring the updated movement table.' },
    {
      from: 'self',
      rank: 1,
      text: 'Thank you. The French convoy schedule is in the shared folder, reference MOV-24-117.',
    },
    {
      from: whitfield,
      rank: 3,
      text: 'Assessment: the northern route stays closed until Thursday at the earliest. Recommend holding the second serial at the staging area.',
    },
    {
      from: vogel,
      rank: 3,
      text: 'Concur. German engineers can clear the bypass within 36 hours if tasked today.',
      replyTo: 3,
    },
    {
      from: 'self',
      rank: 2,
      precedence: 'priority',
      text: 'Request confirmation of the bridge classification on MSR TAMPA before 14:00Z.',
    },
    {
      from: vogel,
      rank: 1,
      precedence: 'immediate',
      acked: true,
      text: 'Route TAMPA closed between checkpoints 4 and 6.',
    },
    {
      from: 'self',
      rank: 3,
      precedence: 'immediate',
      acks: [whitfield],
      text: 'Serial 2 holds at staging area KILO until further notice.',
    },
  ]);
  cell.readUpTo = cell.generated + cell.script.length - 3;

  const bilateral = channel(
    {
      id: 'b2d4f6a80002',
      name: 'FRA–GBR Bilateral',
      ceiling: label(2, ['FRA', 'GBR']),
      defaultLabel: label(1, ['FRA', 'GBR']),
      officers: [whitfield],
      admin: true,
      generated: 40,
    },
    self,
  );
  bilateral.script = scripted(bilateral, 22, self, [
    {
      from: whitfield,
      rank: 2,
      precedence: 'flash',
      text: 'Suspected compromise of the liaison net callsign list. Switch to the alternate callsigns now and confirm.',
    },
    { from: whitfield, rank: 1, text: 'Details follow on the secure call at 16:00Z.' },
  ]);
  bilateral.readUpTo = bilateral.generated - 1;

  const logistics = channel(
    {
      id: 'c3e5a7b90003',
      name: 'Coalition Logistics',
      ceiling: label(1),
      defaultLabel: label(0),
      officers: [rossi, nowak, cole, janssen],
      admin: false,
      generated: 500,
      unread: 3,
    },
    self,
  );
  logistics.overrides.set(488, { verification: 'unverified' });

  const exercise = channel(
    {
      id: 'd4f6b8ca0004',
      name: 'STEADFAST FLUX message log',
      ceiling: label(3),
      defaultLabel: label(1),
      officers: [janssen, whitfield, vogel, rossi, cole],
      admin: true,
      generated: 100_000,
      exercise: true,
    },
    self,
  );

  const rotation = channel(
    {
      id: 'e5a7c9db0005',
      name: 'Rotation 2024',
      ceiling: label(2, ['FRA', 'GBR', 'ITA']),
      defaultLabel: label(0, ['FRA', 'GBR', 'ITA']),
      officers: [rossi, whitfield],
      admin: false,
      generated: 300,
      archived: true,
    },
    self,
  );

  const haven = channel(
    {
      id: 'f6b8daec0006',
      name: 'Op HAVEN 2023 (archive)',
      ceiling: label(3, ['FRA', 'NLD', 'USA']),
      defaultLabel: label(1, ['FRA', 'NLD', 'USA']),
      officers: [cole, janssen],
      admin: false,
      generated: 120,
      origin: 'imported',
    },
    self,
  );
  haven.overrides.set(57, { verification: 'tampered' });
  haven.overrides.set(58, { verification: 'unverified' });

  return [cell, bilateral, logistics, exercise, rotation, haven];
}

const SALTS = new Map<string, number>();

/** The salt of a channel's generator, stable per id. */
export function saltOf(id: string): number {
  let s = SALTS.get(id);
  if (s === undefined) {
    s = [...id].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7);
    SALTS.set(id, s);
  }
  return s;
}

/** Number of messages in a channel. */
export function total(ch: MockChannel): number {
  return ch.generated + ch.script.length + ch.extra.length;
}

/** Message `i` of a channel, overrides applied. */
export function messageAt(ch: MockChannel, self: ProfileView, i: number): MessageView {
  const n = ch.generated + ch.script.length;
  const base =
    i < ch.generated
      ? generate(ch, saltOf(ch.id), self, i)
      : i < n
        ? ch.script[i - ch.generated]
        : ch.extra[i - n];
  const o = ch.overrides.get(i);
  return o ? { ...base, ...o } : base;
}

/** Indices of messages that may await acknowledgement (generated ones never do). */
export function ackCandidates(ch: MockChannel): number[] {
  const out: number[] = [];
  const start = ch.generated;
  for (let i = start; i < total(ch); i++) out.push(i);
  return out;
}
