// The labels currently on screen, contributed by each view under its own key
// (the thread's visible rows and their quotes, search results, …). Both
// window banners show the highest of them.

import type { LabelView } from '../api/types';
import { highestLabel, type BannerLabel } from './highest';

class ScreenLabels {
  #sources = $state<Record<string, readonly (LabelView | undefined)[]>>({});

  /** Replaces what `source` shows. */
  set(source: string, labels: readonly (LabelView | undefined)[]): void {
    this.#sources[source] = labels;
  }

  /** `source` shows nothing any more. */
  clear(source: string): void {
    delete this.#sources[source];
  }

  /** The banner label for everything on screen. */
  get highest(): BannerLabel | undefined {
    return highestLabel(Object.values(this.#sources).flat());
  }
}

/** The one registry the window banners read. */
export const screenLabels = new ScreenLabels();
