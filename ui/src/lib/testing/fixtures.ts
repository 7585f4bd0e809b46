// Builders for tests: messages and channels with only the fields a test cares about.

import type { ChannelView, MessageView } from '../api/types';
import { label } from '../api/mock/labels';
import { createMockBackend, type MockBackend, type MockOptions } from '../api/mock/backend';
import { useBackend } from '../api/api';
import { vi } from 'vitest';
import { drafts } from '../composer/drafts';

export { label };

export function message(over: Partial<MessageView> = {}): MessageView {
  return {
    id: 'aa01',
    index: 0,
    senderId: 'GBR-1187',
    senderName: 'Lt Col James Whitfield',
    senderNation: 'GBR',
    verification: 'verified',
    contextSigned: true,
    label: label(1, ['FRA', 'GBR']),
    precedence: 'routine',
    exercise: false,
    body: 'Details follow on the secure call.',
    sentAtMs: Date.UTC(2025, 2, 14, 9, 5, 7),
    receivedAtMs: Date.UTC(2025, 2, 14, 9, 5, 8),
    mine: false,
    ackRequested: false,
    acknowledgedByMe: true,
    acks: [],
    pending: false,
    ...over,
  };
}

export function channelView(over: Partial<ChannelView> = {}): ChannelView {
  return {
    id: 'c1',
    name: 'Channel',
    ceiling: label(2),
    unread: 0,
    awaitingAck: 0,
    archived: false,
    active: true,
    isAdmin: false,
    memberCount: 2,
    commitWithheld: false,
    gaps: [],
    origin: 'live',
    ...over,
  };
}

/** Installs a fresh mock backend, unlocked unless told otherwise. */
export function installMock(options: MockOptions = {}): MockBackend {
  const b = createMockBackend({ phase: 'unlocked', ...options });
  drafts.clear();
  useBackend(b);
  return b;
}

/** Lets pending promises and Svelte updates settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Watches the backend; the returned function lists the send requests made so far. */
export function watchSends(b: MockBackend): () => Record<string, unknown>[] {
  const spy = vi.spyOn(b, 'invoke');
  return () =>
    spy.mock.calls
      .filter(([name]) => name === 'send_message')
      .map(([, args]) => args.request as Record<string, unknown>);
}
