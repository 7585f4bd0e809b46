// Which label a banner shows: the highest classification among what is on
// screen. Labels of the same rank may carry different caveats (REL TO lists,
// special categories); the banner then names the classification and says the
// caveats are mixed, since no single marking would be true for all of them.

import type { LabelView } from '../api/types';

export interface BannerLabel {
  label: LabelView;
  /** Several different markings share the highest rank. */
  mixed: boolean;
}

/** The highest label among `labels` (undefined entries ignored), or undefined. */
export function highestLabel(labels: Iterable<LabelView | undefined>): BannerLabel | undefined {
  let best: LabelView | undefined;
  let mixed = false;
  for (const l of labels) {
    if (!l) continue;
    if (!best || l.rank > best.rank) {
      best = l;
      mixed = false;
    } else if (l.rank === best.rank && l.marking !== best.marking) {
      mixed = true;
    }
  }
  return best && { label: best, mixed };
}
