import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { call } from '../api/api';
import { installMock, label, message, settle } from '../testing/fixtures';
import { holdListens } from '../testing/listeners';
import ScreenBanner from '../testing/ScreenBanner.svelte';
import Thread from './Thread.svelte';

/** A 300-message channel: all NATO UNCLASSIFIED but message 150 (NATO SECRET). */
async function setup(overrides: Record<number, Partial<ReturnType<typeof message>>> = {}) {
  const b = installMock();
  const ch = b.state.channels[0];
  ch.generated = 0;
  ch.extra = [];
  ch.script = Array.from({ length: 300 }, (_, i) =>
    message({ id: `m${i}`, index: i, label: label(i === 150 ? 3 : 0), ...overrides[i] }),
  );
  const view = (await call('list_channels')).find((c) => c.id === ch.id);
  if (!view) throw new Error('channel missing');
  return { b, ch, view };
}

describe('Thread and the window banner', () => {
  it('shows the highest label shown since the channel opened, never lower once scrolled past', async () => {
    const { view } = await setup();
    const banner = render(ScreenBanner).getByTestId('banner-top');
    const { container } = render(Thread, { channel: view, onreply: () => {} });

    // Opens at the end: only NATO UNCLASSIFIED rows are visible.
    await waitFor(() => expect(container.querySelector('[data-message-id="m299"]')).not.toBeNull());
    expect(banner.dataset.rank).toBe('0');
    expect(banner.textContent?.trim()).toBe('NATO UNCLASSIFIED');
    await settle();

    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 148 * 72;
    await fireEvent.scroll(viewport);
    await waitFor(() => expect(container.querySelector('[data-message-id="m150"]')).not.toBeNull());
    expect(banner.dataset.rank).toBe('3');
    expect(banner.textContent?.trim()).toBe('NATO SECRET');

    viewport.scrollTop = 10 * 72;
    await fireEvent.scroll(viewport);
    await waitFor(() => expect(container.querySelector('[data-message-id="m10"]')).not.toBeNull());
    expect(container.querySelector('[data-message-id="m150"]')).toBeNull();
    // NATO SECRET was scrolled past: the banner does not drop back.
    expect(banner.dataset.rank).toBe('3');
    expect(banner.textContent?.trim()).toBe('NATO SECRET');
  });

  it('says EXERCISE beside real-world traffic in the banner once an EXERCISE message has been shown, and not before', async () => {
    const { view } = await setup({ 150: { exercise: true } });
    const screen = render(ScreenBanner);
    const { container } = render(Thread, { channel: view, onreply: () => {} });
    await waitFor(() => expect(container.querySelector('[data-message-id="m299"]')).not.toBeNull());
    await settle();
    expect(screen.queryByTestId('banner-top-exercise')).toBeNull();
    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 148 * 72;
    await fireEvent.scroll(viewport);
    await waitFor(() => expect(container.querySelector('[data-message-id="m150"]')).not.toBeNull());
    await waitFor(() => expect(screen.getByTestId('banner-top-exercise').textContent).toContain('EXERCISE'));
    // Real-world messages were shown too: the banner must not read as "all exercise".
    expect(screen.getByTestId('banner-top').dataset.exercise).toBe('mixed');
    expect(screen.getByTestId('banner-top-exercise').textContent).toContain('REAL-WORLD');
  });

  it('says EXERCISE alone when every message shown is EXERCISE traffic', async () => {
    const all = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [i, { exercise: true }]));
    const { view } = await setup(all);
    const screen = render(ScreenBanner);
    const { container } = render(Thread, { channel: view, onreply: () => {} });
    await waitFor(() => expect(container.querySelector('[data-message-id="m299"]')).not.toBeNull());
    await waitFor(() => expect(screen.getByTestId('banner-top').dataset.exercise).toBe('exercise'));
    expect(screen.getByTestId('banner-top-exercise').textContent).not.toContain('REAL-WORLD');
  });

  it('counts the label of a quoted message among what is on screen', async () => {
    const { view } = await setup({
      298: { replyTo: { id: 'm150', senderName: 'X', excerpt: 'quoted', label: label(2) } },
    });
    const banner = render(ScreenBanner).getByTestId('banner-top');
    const { container } = render(Thread, { channel: view, onreply: () => {} });
    await waitFor(() => expect(container.querySelector('[data-message-id="m298"]')).not.toBeNull());
    expect(banner.dataset.rank).toBe('2');
  });

  it('renders a bounded number of rows for a 100,000-message channel and fetches pages lazily', async () => {
    const b = installMock();
    const ch = b.state.channels.find((c) => c.generated === 100_000);
    const view = (await call('list_channels')).find((c) => c.id === ch?.id);
    if (!view) throw new Error('channel missing');
    let pages = 0;
    const invoke = b.invoke.bind(b);
    b.invoke = (name, args) => {
      if (name === 'thread_page') pages++;
      return invoke(name, args);
    };
    const { container } = render(Thread, { channel: view, onreply: () => {} });
    await waitFor(() => expect(container.querySelector('[data-index="99999"]')).not.toBeNull());
    await settle();
    expect(container.querySelectorAll('[data-testid="message-row"]').length).toBeLessThan(40);
    expect(pages).toBeLessThan(6);
  });

  it('appends and announces a new message from a partner', async () => {
    const { b, ch, view } = await setup();
    const { container, getByTestId } = render(Thread, { channel: view, onreply: () => {} });
    await waitFor(() => expect(container.querySelector('[data-message-id="m299"]')).not.toBeNull());
    b.deliver(ch.id, { body: 'Convoy departed checkpoint 4.', precedence: 'flash' });
    await waitFor(() =>
      expect(getByTestId('thread-log').textContent).toContain('Convoy departed checkpoint 4.'),
    );
    expect(getByTestId('thread-log').getAttribute('aria-live')).toBe('polite');
    expect(getByTestId('thread-log').textContent).toContain('Flash');
    await waitFor(() => expect(container.querySelector('[data-index="300"]')).not.toBeNull());
  });

  it('offers a jump to new messages when scrolled up, and shows the end after the user sends', async () => {
    const { b, ch, view } = await setup();
    const { container, findByTestId, component } = render(Thread, { channel: view, onreply: () => {} });
    await waitFor(() => expect(container.querySelector('[data-message-id="m299"]')).not.toBeNull());
    await settle();
    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 100 * 72;
    await fireEvent.scroll(viewport);
    b.deliver(ch.id, { body: 'From a partner.' });
    const jump = await findByTestId('jump-to-new');
    await waitFor(() => expect(jump.textContent).toContain('1 new message'));
    expect(container.querySelector('[data-index="300"]')).toBeNull();

    component.followNextMessage();
    b.deliver(ch.id, { body: 'Sent by the user, echoed by the shell.' });
    await waitFor(() => expect(container.querySelector('[data-index="301"]')).not.toBeNull());
  });
});

describe('Jump to newest', () => {
  it('is offered once the user is away from the newest message, and shows it at the bottom', async () => {
    const { b, ch, view } = await setup();
    const { container, findByTestId, queryByTestId } = render(Thread, { channel: view, onreply: () => {} });
    await waitFor(() => expect(container.querySelector('[data-message-id="m299"]')).not.toBeNull());
    await settle();
    // At the newest message: nothing to offer.
    expect(queryByTestId('jump-to-new')).toBeNull();

    const viewport = container.querySelector('.viewport') as HTMLElement;
    viewport.scrollTop = 100 * 72;
    await fireEvent.scroll(viewport);
    // Away from the bottom, even with nothing new.
    const jump = await findByTestId('jump-to-new');
    expect(jump.textContent).toContain('Jump to newest');
    // Above the composer: the last thing in the thread, after the feed.
    const feed = container.querySelector('[role="feed"]') as HTMLElement;
    expect(feed.compareDocumentPosition(jump) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(jump.closest('.jump-bar')).not.toBeNull();

    b.deliver(ch.id, { body: 'From a partner, while the user reads back.' });
    await waitFor(() => expect(jump.textContent).toContain('1 new message'));
    await fireEvent.click(jump);

    // The newest message (index 300) is rendered, focused, and its bottom is the viewport's.
    await waitFor(() => expect(document.activeElement?.id).toBe('msg-300'));
    const rowHeight = 72;
    const viewHeight = 600;
    expect(viewport.scrollTop).toBe(301 * rowHeight - viewHeight);
    const top = 300 * rowHeight;
    expect(top).toBeGreaterThanOrEqual(viewport.scrollTop);
    expect(top + rowHeight).toBeLessThanOrEqual(viewport.scrollTop + viewHeight);
    await waitFor(() => expect(queryByTestId('jump-to-new')).toBeNull());
  });
});

describe('Thread subscriptions', () => {
  it('leaves no listener when another channel is opened before they resolve', async () => {
    const { b, view } = await setup();
    const held = holdListens(b);
    const { unmount } = render(Thread, { channel: view, onreply: () => {} });
    expect(held.asked()).toEqual(['messages', 'acks']);
    unmount();
    held.release();
    await settle();
    expect(held.live()).toEqual([]);
  });
});
