import { render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { call } from '../api/api';
import type { ChannelView } from '../api/types';
import ChannelSwitcher from '../shell/ChannelSwitcher.svelte';
import { channelView, installMock } from '../testing/fixtures';
import { searchScreen } from '../testing/search';
import { arrange } from './arrange';
import ChannelList from './ChannelList.svelte';
import ChannelPane from './ChannelPane.svelte';

// The mock's "Op HAVEN 2023 (archive)", imported from an archive file.
const HAVEN = 'f6b8daec0006';

async function haven(): Promise<ChannelView> {
  const channel = (await call('list_channels')).find((c) => c.id === HAVEN);
  if (!channel) throw new Error('the mock lost its imported channel');
  return channel;
}

describe('An imported archive', () => {
  it('opens read-only: tagged, no composer and no false error, nothing to acknowledge', async () => {
    installMock();
    const channel = await haven();
    expect(channel.awaitingAck).toBe(0);
    const { getByTestId, queryByTestId, findAllByTestId } = render(ChannelPane, {
      channel,
      onadmin: () => {},
      onexport: () => {},
    });
    await findAllByTestId('message-row');
    expect(getByTestId('imported-tag').textContent).toBe('Imported copy');
    expect(getByTestId('imported-note').textContent).toContain('read-only');
    expect(queryByTestId('composer-body')).toBeNull();
    expect(queryByTestId('composer-disabled')).toBeNull();
    expect(queryByTestId('composer-error')).toBeNull();
    expect(queryByTestId('ack-alert-button')).toBeNull();
    expect(queryByTestId('ack-button')).toBeNull();
  });

  it('keeps the live channel’s composer', async () => {
    installMock();
    const live = (await call('list_channels')).find((c) => c.origin === 'live' && !c.archived);
    if (!live) throw new Error('the mock has no live channel');
    const { findByTestId, queryByTestId } = render(ChannelPane, {
      channel: live,
      onadmin: () => {},
      onexport: () => {},
    });
    await findByTestId('composer-body');
    expect(queryByTestId('imported-note')).toBeNull();
    expect(queryByTestId('imported-tag')).toBeNull();
  });

  it('shows no FLASH badge in the channel list, and is tagged there', () => {
    const copy = channelView({
      id: 'i1',
      name: 'Copy',
      origin: 'imported',
      archived: true,
      awaitingAck: 2,
      awaitingPrecedence: 'flash',
    });
    const live = channelView({ id: 'l1', name: 'Live', awaitingAck: 1, awaitingPrecedence: 'flash' });
    const { getAllByTestId } = render(ChannelList, {
      arranged: arrange([copy, live]),
      selectedId: undefined,
      onselect: () => {},
    });
    const badges = getAllByTestId('channel-ack-badge');
    expect(badges).toHaveLength(1);
    expect(badges[0].closest('[data-channel-id]')?.getAttribute('data-channel-id')).toBe('l1');
    const tags = getAllByTestId('imported-tag');
    expect(tags.map((t) => t.closest('[data-channel-id]')?.getAttribute('data-channel-id'))).toEqual(['i1']);
  });

  it('is tagged in the channel switcher', async () => {
    installMock();
    const channels = await call('list_channels');
    const { getAllByTestId, container } = render(ChannelSwitcher, {
      list: channels,
      onpick: () => {},
      onclose: () => {},
    });
    expect(getAllByTestId('imported-tag')).toHaveLength(1);
    expect(container.querySelector(`#sw-${HAVEN} [data-testid="imported-tag"]`)).not.toBeNull();
  });

  // Each search renders up to 200 hits: slow on a busy machine.
  it('is tagged in search results', { timeout: 20_000 }, async () => {
    installMock();
    const hits = await (await searchScreen()).search(HAVEN, 'the');
    await waitFor(() =>
      expect(
        hits.every((h) => h.querySelector('[data-testid="imported-tag"]')?.textContent === 'Imported copy'),
      ).toBe(true),
    );
  });
});
