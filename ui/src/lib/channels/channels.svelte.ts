// The channel list and the selected channel.

import { call } from '../api/api';
import type { ChannelView } from '../api/types';
import { arrange } from './arrange';

class Channels {
  list = $state<ChannelView[]>([]);
  selectedId = $state<string | undefined>();

  arranged = $derived(arrange(this.list));
  /** Display order, for Alt+Up/Down. */
  ordered = $derived([...this.arranged.current, ...this.arranged.archived]);
  selected = $derived(this.list.find((c) => c.id === this.selectedId));

  async refresh(): Promise<void> {
    this.list = await call('list_channels');
  }

  select(id: string): void {
    this.selectedId = id;
  }

  /** Selects the channel `delta` places away in display order (wrapping). */
  step(delta: number): ChannelView | undefined {
    const list = this.ordered;
    if (!list.length) return undefined;
    const at = list.findIndex((c) => c.id === this.selectedId);
    const next =
      list[((((at < 0 ? (delta > 0 ? -1 : 0) : at) + delta) % list.length) + list.length) % list.length];
    this.selectedId = next.id;
    return next;
  }

  reset(): void {
    this.list = [];
    this.selectedId = undefined;
  }
}

export const channels = new Channels();
