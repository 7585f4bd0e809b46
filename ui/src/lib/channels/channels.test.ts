import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { channelView, label } from '../testing/fixtures';
import { arrange } from './arrange';
import ChannelList from './ChannelList.svelte';

const list = [
  channelView({ id: 'a', name: 'Quiet', lastActivityMs: 500 }),
  channelView({
    id: 'b',
    name: 'Immediate',
    lastActivityMs: 100,
    awaitingAck: 1,
    awaitingPrecedence: 'immediate',
  }),
  channelView({ id: 'c', name: 'Busy', lastActivityMs: 900, unread: 12 }),
  channelView({ id: 'd', name: 'Flash', lastActivityMs: 50, awaitingAck: 2, awaitingPrecedence: 'flash' }),
  channelView({ id: 'e', name: 'Old', archived: true, lastActivityMs: 1000 }),
  channelView({ id: 'f', name: 'Archive file', origin: 'imported', archived: true }),
  channelView({ id: 'g', name: 'Left', active: false }),
];

describe('arrange', () => {
  it('puts channels awaiting acknowledgement on top, FLASH first, then by activity', () => {
    expect(arrange(list).current.map((c) => c.name)).toEqual(['Flash', 'Immediate', 'Busy', 'Quiet']);
  });

  it('groups archived, imported and former channels apart', () => {
    expect(
      arrange(list)
        .archived.map((c) => c.name)
        .sort(),
    ).toEqual(['Archive file', 'Left', 'Old']);
  });
});

describe('ChannelList', () => {
  it('shows each channel with its ceiling, unread count and acknowledgement badge', () => {
    const { container, getAllByTestId } = render(ChannelList, {
      arranged: arrange(list.map((c) => (c.id === 'c' ? { ...c, ceiling: label(3, ['FRA']) } : c))),
      selectedId: 'c',
      onselect: () => {},
    });
    const items = getAllByTestId('channel-item');
    expect(items[0].dataset.channelName).toBe('Flash');
    expect(items[0].querySelector('[data-testid="channel-ack-badge"]')?.textContent).toContain('Flash');
    const busy = container.querySelector('[data-channel-name="Busy"]') as HTMLElement;
    expect(busy.getAttribute('aria-current')).toBe('page');
    expect(busy.querySelector('[data-testid="channel-unread"]')?.textContent).toContain('12');
    expect(busy.querySelector('.marking')?.textContent).toBe('NATO SECRET//REL TO FRA');
    expect(container.querySelector('[data-testid="archived-group"]')?.textContent).toContain('Archive file');
    expect(container.querySelector('nav')?.getAttribute('aria-label')).toBe('Channels');
  });
});
