// The labels currently on screen, contributed by each view under its own key
// (the thread's visible rows and their quotes, search results, …). Both
// window banners show the highest of them.

import type { LabelView } from '../api/types';
import { highestLabel, type BannerLabel } from './highest';

/** Whether the screen shows EXERCISE traffic, alone or beside real-world traffic. */
export type ExerciseShown = 'none' | 'exercise' | 'mixed';

class ScreenLabels {
  #sources = $state<Record<string, readonly (LabelView | undefined)[]>>({});
  /** What kind of traffic each source shows. */
  #traffic = $state<Record<string, { exercise: boolean; real: boolean }>>({});

  /** Replaces what `source` shows. */
  set(source: string, labels: readonly (LabelView | undefined)[]): void {
    this.#sources[source] = labels;
  }

  /** Whether `source` shows EXERCISE traffic, and real-world traffic. */
  setExercise(source: string, exercise: boolean, real: boolean): void {
    this.#traffic[source] = { exercise, real };
  }

  /** `source` shows nothing any more. */
  clear(source: string): void {
    delete this.#sources[source];
    delete this.#traffic[source];
  }

  /**
   * EXERCISE traffic on screen: `exercise` when all of it is, `mixed` when
   * real-world traffic is shown beside it (a banner that said only EXERCISE
   * over a real FLASH would invite someone to discard it), else `none`.
   */
  get exercise(): ExerciseShown {
    const shown = Object.values(this.#traffic);
    if (!shown.some((s) => s.exercise)) return 'none';
    return shown.some((s) => s.real) ? 'mixed' : 'exercise';
  }

  /** The banner label for everything on screen. */
  get highest(): BannerLabel | undefined {
    return highestLabel(Object.values(this.#sources).flat());
  }
}

/** The one registry the window banners read. */
export const screenLabels = new ScreenLabels();
