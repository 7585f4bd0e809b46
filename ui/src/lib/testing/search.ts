// Test helper: the search view on the mock backend, and a search in one channel.

import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { expect } from 'vitest';
import { call } from '../api/api';
import type { ChannelView } from '../api/types';
import SearchView from '../search/SearchView.svelte';

export interface SearchScreen {
  channels: ChannelView[];
  /** Searches `text` in one channel; resolves with the hits once they are that channel's. */
  search(channelId: string, text: string): Promise<HTMLElement[]>;
}

/** Renders the search view over the mock's channels (install the mock first). */
export async function searchScreen(): Promise<SearchScreen> {
  const channels = await call('list_channels');
  const { getByTestId, findAllByTestId } = render(SearchView, {
    channels,
    onopen: () => {},
    onclose: () => {},
  });
  return {
    channels,
    async search(channelId, text) {
      const name = channels.find((c) => c.id === channelId)?.name ?? '?';
      await fireEvent.change(getByTestId('search-channel'), { target: { value: channelId } });
      await fireEvent.input(getByTestId('search-input'), { target: { value: text } });
      await fireEvent.click(getByTestId('search-submit'));
      return waitFor(async () => {
        const hits = await findAllByTestId('search-hit');
        expect(hits.every((h) => h.textContent?.includes(name))).toBe(true);
        return hits;
      });
    },
  };
}
