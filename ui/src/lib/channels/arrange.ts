// The order of the channel list: channels waiting for the user's
// acknowledgement first (FLASH before IMMEDIATE), then by latest activity;
// archived, imported and former channels in their own group.

import type { ChannelView, Precedence } from '../api/types';

const URGENCY: Record<Precedence, number> = { flash: 3, immediate: 2, priority: 1, routine: 0 };

function urgency(c: ChannelView): number {
  return c.awaitingAck > 0 ? 1 + URGENCY[c.awaitingPrecedence ?? 'immediate'] : 0;
}

/** Live channels the user can still write in. */
export function isCurrent(c: ChannelView): boolean {
  return !c.archived && c.active && c.origin === 'live';
}

export interface Arranged {
  current: ChannelView[];
  archived: ChannelView[];
}

export function arrange(list: readonly ChannelView[]): Arranged {
  const sorted = [...list].sort(
    (a, b) =>
      urgency(b) - urgency(a) ||
      (b.lastActivityMs ?? 0) - (a.lastActivityMs ?? 0) ||
      a.name.localeCompare(b.name),
  );
  return { current: sorted.filter(isCurrent), archived: sorted.filter((c) => !isCurrent(c)) };
}
