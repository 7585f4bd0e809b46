import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { call } from '../api/api';
import { installMock } from '../testing/fixtures';
import ScreenBanner from '../testing/ScreenBanner.svelte';
import { searchScreen } from '../testing/search';
import SearchView from './SearchView.svelte';
import { snippetRuns } from './snippet';

describe('snippetRuns', () => {
  it('splits matches out of a snippet', () => {
    expect(snippetRuns('the \u0002convoy\u0003 left')).toEqual([
      { text: 'the ', match: false },
      { text: 'convoy', match: true },
      { text: ' left', match: false },
    ]);
  });
});

describe('SearchView', () => {
  it('lists hits with portion markings and shows their highest label in the banners', async () => {
    installMock();
    const channels = await call('list_channels');
    const banner = render(ScreenBanner).getByTestId('banner-top');
    const { getByTestId, findAllByTestId } = render(SearchView, {
      channels,
      onopen: () => {},
      onclose: () => {},
    });
    await fireEvent.input(getByTestId('search-input'), { target: { value: 'bypass' } });
    await fireEvent.click(getByTestId('search-submit'));
    const hits = await findAllByTestId('search-hit');
    expect(hits).toHaveLength(1);
    expect(hits[0].querySelector('.portion')?.textContent).toBe('(NS//REL TO DEU, FRA, GBR)');
    expect(hits[0].querySelector('mark')?.textContent).toBe('bypass');
    expect(getByTestId('search-banner').dataset.rank).toBe('3');
    await waitFor(() => expect(banner.dataset.rank).toBe('3'));
  });

  // Each search renders up to 200 hits: slow on a busy machine.
  it('tags EXERCISE traffic in the results, and only that', { timeout: 20_000 }, async () => {
    installMock();
    const { search } = await searchScreen();
    const drill = await search('d4f6b8ca0004', 'the');
    expect(drill.length).toBeGreaterThan(0);
    for (const hit of drill)
      expect(hit.querySelector('[data-testid="search-hit-exercise"]')?.textContent).toBe('EXERCISE');
    const live = await search('b2d4f6a80002', 'the');
    expect(live.length).toBeGreaterThan(0);
    for (const hit of live) expect(hit.querySelector('[data-testid="search-hit-exercise"]')).toBeNull();
  });
});
