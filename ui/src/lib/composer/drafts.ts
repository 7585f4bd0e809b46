// Unsent drafts by channel id. They outlive the composer, so a draft survives
// switching channels; MainScreen clears them when the profile locks, so nothing
// typed stays in the page's memory. A draft keeps what was chosen for the
// message with its text: coming back must not silently change its label,
// precedence or EXERCISE status.

import type { Precedence } from '../api/types';

/** An unsent message and what was chosen for it. */
export interface Draft {
  body: string;
  /** The label picker's value: a marking the channel offered, or "Other marking…". */
  choice: string;
  /** The marking typed under "Other marking…". */
  otherMarking: string;
  precedence: Precedence;
  /** EXERCISE (true) or real-world traffic, as chosen. */
  exercise: boolean;
}

export const drafts = new Map<string, Draft>();
