import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import type { SearchQuery } from '../api/types';
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
    expect(hits[0].querySelector('.portion .short')?.textContent).toBe('(NS//REL TO DEU, FRA, GBR)');
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

/** The search requests made so far. */
function searches(b: ReturnType<typeof installMock>): () => SearchQuery[] {
  const spy = vi.spyOn(b, 'invoke');
  return () =>
    spy.mock.calls.filter(([name]) => name === 'search').map(([, args]) => args.query as SearchQuery);
}

async function renderSearch() {
  const b = installMock();
  const asked = searches(b);
  const channels = await call('list_channels');
  const view = render(SearchView, { channels, onopen: () => {}, onclose: () => {} });
  return { b, asked, ...view };
}

const BILATERAL = 'b2d4f6a80002';

describe('SearchView filters', () => {
  it('runs on filters alone, without words, and reads an abbreviation in any case', async () => {
    const { asked, getByTestId, findAllByTestId } = await renderSearch();
    await fireEvent.change(getByTestId('search-channel'), { target: { value: BILATERAL } });
    await fireEvent.input(getByTestId('search-classification'), { target: { value: 'nc' } });
    expect(getByTestId('search-classification-meaning').textContent).toBe('= NATO CONFIDENTIAL');
    await fireEvent.click(getByTestId('search-submit'));
    const hits = await findAllByTestId('search-hit');
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits)
      expect(hit.querySelector('.portion')?.getAttribute('title')).toMatch(/^NATO CONFIDENTIAL/);
    expect(asked()).toHaveLength(1);
    expect(asked()[0]).toMatchObject({ text: '', channelId: BILATERAL, classification: 'NATO CONFIDENTIAL' });
  });

  it('lists the levels with their abbreviations, filtered as the officer types', async () => {
    const { asked, getByTestId, findAllByTestId, queryByTestId } = await renderSearch();
    const field = getByTestId('search-classification');
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    // Every level of the profile's label policies, above every channel's ceiling too.
    await waitFor(async () =>
      expect((await findAllByTestId('search-classification-option')).map((o) => o.textContent)).toEqual([
        'NATO UNCLASSIFIEDNU',
        'NATO RESTRICTEDNR',
        'NATO CONFIDENTIALNC',
        'NATO SECRETNS',
        'COSMIC TOP SECRETCTS',
      ]),
    );
    expect(field.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.input(field, { target: { value: 'ns' } });
    const some = await findAllByTestId('search-classification-option');
    expect(some.map((o) => o.textContent)).toEqual(['NATO SECRETNS']);
    // Enter on a highlighted level picks it; it does not search.
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(field.getAttribute('aria-activedescendant')).toBe(some[0].id);
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect((field as HTMLInputElement).value).toBe('NATO SECRET');
    expect(queryByTestId('search-classification-list')).toBeNull();
    expect(asked()).toHaveLength(0);
    // Enter again, nothing highlighted: the search runs.
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(asked()).toHaveLength(1));
    expect(asked()[0].classification).toBe('NATO SECRET');
  });

  it('runs the search on Enter from any field, selects and dates included', async () => {
    const { asked, getByTestId } = await renderSearch();
    await fireEvent.input(getByTestId('search-input'), { target: { value: 'convoy' } });
    let n = 0;
    for (const id of ['search-input', 'search-channel', 'search-precedence', 'search-from', 'search-to']) {
      await fireEvent.keyDown(getByTestId(id), { key: 'Enter' });
      n++;
      await waitFor(() => expect(asked()).toHaveLength(n));
    }
    expect(asked().every((q) => q.text === 'convoy')).toBe(true);
  });

  it('clears the old results when a search fails, and says why', async () => {
    const { asked, getByTestId, findAllByTestId, findByTestId, queryByTestId } = await renderSearch();
    await fireEvent.input(getByTestId('search-input'), { target: { value: 'bypass' } });
    await fireEvent.click(getByTestId('search-submit'));
    expect(await findAllByTestId('search-hit')).toHaveLength(1);

    await fireEvent.input(getByTestId('search-classification'), { target: { value: 'SECRETISH' } });
    await fireEvent.click(getByTestId('search-submit'));
    const error = await findByTestId('search-error');
    await waitFor(() => expect(queryByTestId('search-results')).toBeNull());
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('“SECRETISH”');
    expect(error.textContent).toContain('NATO SECRET (NS)');
    expect(getByTestId('search-classification').getAttribute('aria-invalid')).toBe('true');
    expect(queryByTestId('search-banner')).toBeNull();
    expect(asked()).toHaveLength(2);

    // Fixed, it runs again; emptied of words and filters, it asks for one and clears.
    await fireEvent.input(getByTestId('search-classification'), { target: { value: '' } });
    await fireEvent.click(getByTestId('search-submit'));
    expect(await findAllByTestId('search-hit')).toHaveLength(1);
    expect(queryByTestId('search-error')).toBeNull();
    await fireEvent.input(getByTestId('search-input'), { target: { value: ' ' } });
    await fireEvent.click(getByTestId('search-submit'));
    expect((await findByTestId('search-error')).textContent).toBe(
      'Type at least one word, or choose a filter.',
    );
    expect(queryByTestId('search-results')).toBeNull();
    expect(asked()).toHaveLength(3);
  });
});
