// The labels currently on screen, contributed by each view under its own key
// (the thread's visible rows and their quotes, search results, …). Both
// window banners show the highest of them.

import type { LabelView } from '../api/types';
import { highestLabel, type BannerLabel } from './highest';

class ScreenLabels {
  #sources = $state<Record<string, readonly (LabelView | undefined)[]>>({});
  /** The sources showing EXERCISE traffic. */
  #exercise = $state<Record<string, boolean>>({});

  /** Replaces what `source` shows. */
  set(source: string, labels: readonly (LabelView | undefined)[]): void {
    this.#sources[source] = labels;
  }

  /** Whether `source` shows EXERCISE traffic. */
  setExercise(source: string, shown: boolean): void {
    this.#exercise[source] = shown;
  }

  /** `source` shows nothing any more. */
  clear(source: string): void {
    delete this.#sources[source];
    delete this.#exercise[source];
  }

  /** Some EXERCISE traffic is on screen: the banners say so. */
  get exercise(): boolean {
    return Object.values(this.#exercise).some(Boolean);
  }

  /** The banner label for everything on screen. */
  get highest(): BannerLabel | undefined {
    return highestLabel(Object.values(this.#sources).flat());
  }
}

/** The one registry the window banners read. */
export const screenLabels = new ScreenLabels();
