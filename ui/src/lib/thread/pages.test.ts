import { describe, expect, it, vi } from 'vitest';
import type { ThreadPage } from '../api/types';
import { message } from '../testing/fixtures';
import { PageCache } from './pages';

function source(total: { n: number }) {
  return vi.fn(async (start: number, count: number): Promise<ThreadPage> => {
    const messages = [];
    for (let i = start; i < Math.min(total.n, start + count); i++)
      messages.push(message({ id: `m${i}`, index: i }));
    return { channelId: 'c', total: total.n, start, messages };
  });
}

describe('PageCache', () => {
  it('fetches only the pages covering the range asked for', async () => {
    const fetch = source({ n: 100_000 });
    const cache = new PageCache(fetch, () => {});
    await cache.ensure(50_010, 50_150);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([50_000, 50_100]);
    expect(cache.at(50_123)?.id).toBe('m50123');
    expect(cache.at(10)).toBeUndefined();
    expect(cache.total).toBe(100_000);
  });

  it('asks once for a page already in flight', async () => {
    const fetch = source({ n: 1000 });
    const cache = new PageCache(fetch, () => {});
    await Promise.all([cache.ensure(0, 10), cache.ensure(5, 20)]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps a bounded number of pages and never drops the ones on screen', async () => {
    const fetch = source({ n: 100_000 });
    const cache = new PageCache(
      fetch,
      () => {},
      () => {},
      100,
      5,
    );
    for (let p = 0; p < 20; p++) await cache.ensure(p * 100, p * 100);
    await cache.ensure(1900, 1999);
    expect(cache.cachedPages).toBeLessThanOrEqual(5);
    expect(cache.at(1950)).toBeDefined();
    expect(cache.at(0)).toBeUndefined();
  });

  it('refetches the partial last page when the thread grows', async () => {
    const total = { n: 150 };
    const fetch = source(total);
    const cache = new PageCache(fetch, () => {});
    await cache.ensure(100, 149);
    total.n = 152;
    expect(await cache.grow()).toBe(152);
    expect(cache.at(151)?.id).toBe('m151');
  });

  it('drops every cached page from a reordered index when the thread grows', async () => {
    const total = { n: 200 };
    let version = 'a';
    const fetch = vi.fn(async (start: number, count: number): Promise<ThreadPage> => {
      const messages = [];
      for (let i = start; i < Math.min(total.n, start + count); i++)
        messages.push(message({ id: `${version}${i}`, index: i }));
      return { channelId: 'c', total: total.n, start, messages };
    });
    const cache = new PageCache(fetch, () => {});
    await cache.ensure(0, 199);
    // A message from another member went in at 150, before the user's
    // pending ones: page 1 changed though it was full.
    version = 'b';
    total.n = 201;
    await cache.grow(150);
    await cache.ensure(0, 200);
    expect(cache.at(10)?.id).toBe('a10');
    expect(cache.at(150)?.id).toBe('b150');
    expect(cache.at(200)?.id).toBe('b200');
  });
});
