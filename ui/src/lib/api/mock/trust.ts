// Mock commands for the partner authorities the profile trusts: the pinned
// list, invitations held for channels that trust others, and the notices a
// channel keeps when a policy change adds one. Mock data only.

import type {
  AnchorNoticeView,
  AnchorView,
  AuthorityFileView,
  InvitationView,
  PinnedAuthorityView,
} from '../types';
import { record } from './audit';
import { fail, type Handler, type MockState } from './backend';
import { chosenFile } from './files';
import { hash, invitedChannel } from './world';

/** A fingerprint in the shell's form ("AB:CD:…"), made up from a seed. */
export function fingerprint(seed: number): string {
  const bytes: string[] = [];
  for (let i = 0; i < 32; i++) bytes.push((hash(i, seed) & 0xff).toString(16).toUpperCase().padStart(2, '0'));
  return bytes.join(':');
}

/** The mock partnership's authorities, and a look-alike with the GBR one's name. */
export const AUTHORITIES = {
  fra: { name: 'FRA Autorité de liaison (exercice)', fingerprint: fingerprint(101) },
  gbr: { name: 'GBR Liaison Authority (exercise)', fingerprint: fingerprint(102) },
  deu: { name: 'DEU Verbindungsbehörde (Übung)', fingerprint: fingerprint(103) },
  lookAlike: { name: 'GBR Liaison Authority (exercise)', fingerprint: fingerprint(666) },
  usa: { name: 'US Exercise Liaison Authority', fingerprint: fingerprint(104) },
} as const;

/** What the mock profile trusts and what waits for it. */
export interface MockTrust {
  pinned: PinnedAuthorityView[];
  invitations: (Omit<InvitationView, 'anchors'> & { anchors: { name: string; fingerprint: string }[] })[];
  notices: Map<string, AnchorNoticeView[]>;
  nextId: number;
}

/** A profile onboarded into the mock partnership: FRA, GBR and DEU pinned. */
export function seedTrust(): MockTrust {
  const at = Date.now() - 30 * 86_400_000;
  return {
    pinned: [AUTHORITIES.fra, AUTHORITIES.gbr, AUTHORITIES.deu].map((a) => ({
      ...a,
      source: 'onboarding',
      pinnedAtMs: at,
    })),
    invitations: [],
    notices: new Map(),
    nextId: 1,
  };
}

const normal = (fp: string) => fp.replaceAll(':', '').trim().toUpperCase();

function anchorView(state: MockState, a: { name: string; fingerprint: string }): AnchorView {
  return { ...a, pinned: state.trust.pinned.some((p) => normal(p.fingerprint) === normal(a.fingerprint)) };
}

/** Holds an invitation to a channel trusting the look-alike authority, as a sync would. */
export function invite(state: MockState, channelName = 'GBR–FRA Bridge Cell'): number {
  const id = state.trust.nextId++;
  state.trust.invitations.push({
    id,
    channelId: `b0b0${id.toString(16).padStart(8, '0')}`,
    channelName,
    invitedBy: { officerId: 'GBR-1187', displayName: 'Lt Col James Whitfield' },
    receivedAtMs: Date.now(),
    anchors: [AUTHORITIES.fra, AUTHORITIES.lookAlike],
  });
  record(
    state,
    'invitation.held',
    {
      channel: channelName,
      by: 'GBR-1187',
      byName: 'Lt Col James Whitfield',
      authorities: [`${AUTHORITIES.lookAlike.name} (${AUTHORITIES.lookAlike.fingerprint})`],
    },
    `${channelName}: added by Lt Col James Whitfield (GBR-1187); not joined, these authorities are not pinned`,
    `b0b0${id.toString(16).padStart(8, '0')}`,
  );
  state.emit('invitations', null);
  return id;
}

/** A policy change added `anchor` to a channel, as a sync would apply it. */
export function addAnchor(
  state: MockState,
  channelId: string,
  anchor: { name: string; fingerprint: string },
): void {
  const list = state.trust.notices.get(channelId) ?? [];
  list.push({ epoch: 7 + list.length, atMs: Date.now(), anchor: anchorView(state, anchor) });
  state.trust.notices.set(channelId, list);
  state.emit('channels', null);
}

/** The authority a mock certificate file holds. */
function fileAuthority(name: string): { name: string; fingerprint: string } {
  return name.includes('look-alike') ? AUTHORITIES.lookAlike : AUTHORITIES.usa;
}

function isPinned(state: MockState, fp: string): boolean {
  return state.trust.pinned.some((p) => normal(p.fingerprint) === normal(fp));
}

export function trustCommands(state: MockState): Record<string, Handler> {
  return {
    pinned_authorities: (): PinnedAuthorityView[] => {
      state.requireUnlocked();
      return state.trust.pinned;
    },
    list_invitations: (): InvitationView[] => {
      state.requireUnlocked();
      return state.trust.invitations.map((i) => ({
        ...i,
        anchors: i.anchors.map((a) => anchorView(state, a)),
      }));
    },
    accept_invitation: (a): string => {
      state.requireUnlocked();
      const r = a.request as import('../types').AcceptInvitationRequest;
      const invitation = state.trust.invitations.find((i) => i.id === r.id);
      if (!invitation) fail('notFound', 'This invitation is no longer waiting.');
      const confirmed = r.confirmedFingerprints.map(normal);
      const stray = confirmed.find((c) => !invitation.anchors.some((x) => normal(x.fingerprint) === c));
      if (stray !== undefined)
        fail(
          'invalidInput',
          "A confirmed fingerprint is not one of this channel's authorities.",
          'confirmedFingerprints',
        );
      const missing = invitation.anchors
        .map((x) => anchorView(state, x))
        .filter((x) => !x.pinned && !confirmed.includes(normal(x.fingerprint)));
      if (missing.length)
        fail(
          'invalidInput',
          `Confirm the fingerprint of every authority not yet pinned: ${missing.map((m) => m.name).join(', ')}.`,
          'confirmedFingerprints',
        );
      for (const x of invitation.anchors) {
        if (!anchorView(state, x).pinned)
          state.trust.pinned.push({ ...x, source: 'officer', pinnedAtMs: Date.now() });
      }
      state.trust.invitations = state.trust.invitations.filter((i) => i.id !== r.id);
      state.channels.push(invitedChannel(invitation.channelId, invitation.channelName, state.profile));
      record(
        state,
        'invitation.accepted',
        {
          channel: invitation.channelName,
          pinned: invitation.anchors.map((x) => `${x.name} (${x.fingerprint})`),
        },
        `${invitation.channelName}: the officer confirmed the channel's authorities`,
        invitation.channelId,
      );
      state.emit('invitations', null);
      state.emit('channels', null);
      return invitation.channelId;
    },
    decline_invitation: (a): null => {
      state.requireUnlocked();
      const invitation = state.trust.invitations.find((i) => i.id === a.id);
      if (!invitation) fail('notFound', 'This invitation is no longer waiting.');
      state.trust.invitations = state.trust.invitations.filter((i) => i.id !== a.id);
      record(
        state,
        'invitation.declined',
        { channel: invitation.channelName },
        `${invitation.channelName}: declined by the officer`,
        invitation.channelId,
      );
      state.emit('invitations', null);
      return null;
    },
    // A chosen certificate file is the USA authority's, unless its name
    // says "look-alike".
    read_authority: (a): AuthorityFileView => {
      state.requireUnlocked();
      const authority = fileAuthority(chosenFile(state, a.file, 'openCertificate', 'file').name);
      return { ...authority, pinned: isPinned(state, authority.fingerprint) };
    },
    pin_authority: (a): PinnedAuthorityView => {
      state.requireUnlocked();
      const file = chosenFile(state, a.file, 'openCertificate', 'file');
      const authority = fileAuthority(file.name);
      if (normal(String(a.confirmedFingerprint)) !== normal(authority.fingerprint))
        fail(
          'invalidInput',
          'The certificate’s fingerprint is not the one confirmed.',
          'confirmedFingerprints',
        );
      if (isPinned(state, authority.fingerprint)) fail('invalidInput', 'This authority is already pinned.');
      const pinned: PinnedAuthorityView = { ...authority, source: 'officer', pinnedAtMs: Date.now() };
      state.trust.pinned.push(pinned);
      file.consume();
      record(
        state,
        'authority.pinned',
        { authority: authority.name, fingerprint: authority.fingerprint, source: 'officer' },
        `${authority.name} (${authority.fingerprint}), officer`,
      );
      return pinned;
    },
    unpin_authority: (a): PinnedAuthorityView => {
      state.requireUnlocked();
      if (normal(String(a.fingerprint)) !== normal(String(a.confirmedFingerprint)))
        fail('invalidInput', 'The confirmed fingerprint is not this authority’s.', 'confirmedFingerprints');
      const pinned = state.trust.pinned.find((p) => normal(p.fingerprint) === normal(String(a.fingerprint)));
      if (!pinned) fail('notFound', 'This authority is not among your pinned authorities.');
      state.trust.pinned = state.trust.pinned.filter((p) => p !== pinned);
      record(
        state,
        'authority.unpinned',
        { authority: pinned.name, fingerprint: pinned.fingerprint },
        `${pinned.name} (${pinned.fingerprint})`,
      );
      return pinned;
    },
    anchor_notices: (a): AnchorNoticeView[] => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      return (state.trust.notices.get(ch.id) ?? []).map((n) => ({
        ...n,
        anchor: anchorView(state, n.anchor),
      }));
    },
  };
}
