import { render } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it } from 'vitest';
import { settle } from '../testing/fixtures';
import VirtualList from './VirtualList.svelte';

const row = createRawSnippet((i: () => number) => ({
  render: () => `<p class="r" data-row="${i()}">row ${i()}</p>`,
}));

function rows(container: HTMLElement): number[] {
  return [...container.querySelectorAll<HTMLElement>('[data-row]')].map((e) => Number(e.dataset.row));
}

describe('VirtualList', () => {
  it('renders only a window of rows for 100,000 items', async () => {
    const { container } = render(VirtualList, { count: 100_000, row, estimate: 60, fallbackHeight: 600 });
    await settle();
    const shown = rows(container);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(60);
    expect(shown[0]).toBe(0);
    const spacer = container.querySelector('.spacer') as HTMLElement;
    expect(spacer.style.height).toBe('6000000px');
  });

  it('renders the rows under the scroll position', async () => {
    const { container } = render(VirtualList, { count: 100_000, row, estimate: 60, fallbackHeight: 600 });
    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 60 * 50_000;
    viewport.dispatchEvent(new Event('scroll'));
    await settle();
    const shown = rows(container);
    expect(shown).toContain(50_000);
    expect(shown).toContain(50_009);
    expect(shown).not.toContain(0);
    expect(shown.length).toBeLessThan(60);
  });

  it('starts at the end when following the tail', async () => {
    const { container } = render(VirtualList, {
      count: 100_000,
      row,
      estimate: 60,
      fallbackHeight: 600,
      followTail: true,
    });
    await settle();
    expect(rows(container)).toContain(99_999);
  });

  it('reports the visible range', async () => {
    let range: [number, number] = [-1, -1];
    render(VirtualList, {
      count: 1000,
      row,
      estimate: 100,
      fallbackHeight: 500,
      onrange: (a: number, b: number) => (range = [a, b]),
    });
    await settle();
    expect(range).toEqual([0, 4]);
  });

  it('keeps the last row at the bottom edge when the viewport shrinks while following the end', async () => {
    const { container, rerender } = render(VirtualList, {
      count: 100,
      row,
      estimate: 60,
      fallbackHeight: 600,
      followTail: true,
    });
    await settle();
    const viewport = container.querySelector('.viewport') as HTMLElement;
    expect(viewport.scrollTop).toBe(6000 - 600);
    // The composer grew: less room for the thread.
    await rerender({ fallbackHeight: 450 });
    await settle();
    expect(viewport.scrollTop).toBe(6000 - 450);
  });

  it('leaves the position alone when the viewport shrinks away from the end', async () => {
    const { container, rerender } = render(VirtualList, {
      count: 100,
      row,
      estimate: 60,
      fallbackHeight: 600,
      followTail: true,
    });
    await settle();
    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 1200;
    viewport.dispatchEvent(new Event('scroll'));
    await settle();
    await rerender({ fallbackHeight: 450 });
    await settle();
    expect(viewport.scrollTop).toBe(1200);
  });
});
