import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from '../../App.svelte';
import { connection } from '../connection/connection.svelte';
import { holdListens } from '../testing/listeners';
import { call } from '../api/api';
import { installMock, settle } from '../testing/fixtures';
import MainScreen from './MainScreen.svelte';

const EVENTS = ['channels', 'messages', 'invitations', 'locked', 'connection'];

describe('MainScreen subscriptions', () => {
  it('holds its listeners while mounted and removes them all when destroyed', async () => {
    const held = holdListens(installMock());
    held.release();
    const { unmount } = render(MainScreen);
    await waitFor(() => expect(held.live()).toEqual(EVENTS));
    unmount();
    expect(held.live()).toEqual([]);
  });

  it('leaves no listener when destroyed before a subscription resolves', async () => {
    const held = holdListens(installMock());
    const { unmount } = render(MainScreen);
    await settle();
    expect(held.asked()).toEqual(['channels']);
    unmount();
    held.release();
    await settle();
    expect(held.live()).toEqual([]);
    // Nor does it go on subscribing the others.
    expect(held.asked()).toEqual(['channels']);
  });

  it('leaves no listener when the profile locks while it subscribes', async () => {
    const backend = installMock();
    const held = holdListens(backend);
    const { findByTestId } = render(App);
    await fireEvent.click(await findByTestId('lock-button'));
    await findByTestId('unlock-passphrase');
    expect(backend.state.phase).toBe('locked');
    held.release();
    await settle();
    expect(held.asked()).toContain('channels');
    expect(held.live()).toEqual([]);
  });
});

describe('connection.follow', () => {
  it('drops its listener when the current state cannot be read', async () => {
    const backend = installMock();
    const held = holdListens(backend);
    held.release();
    vi.spyOn(backend, 'invoke').mockRejectedValueOnce({ kind: 'locked', message: 'The profile is locked.' });
    await expect(connection.follow()).rejects.toMatchObject({ kind: 'locked' });
    expect(held.asked()).toEqual(['connection']);
    expect(held.live()).toEqual([]);
  });
});

describe('MainScreen banners', () => {
  it('names the open channel’s ceiling as system high, and on other screens the highest marking displayed', async () => {
    installMock();
    const { getByTestId, findByTestId, queryByTestId } = render(MainScreen);
    const high = await findByTestId('banner-top-system-high');
    const ceilings = (await call('list_channels')).map((c) => c.ceiling);
    const open = ceilings.find((c) => high.textContent?.includes(c.marking));
    expect(open).toBeDefined();
    expect(getByTestId('banner-bottom-system-high').textContent).toBe(high.textContent);
    await fireEvent.click(getByTestId('open-settings'));
    // Settings shows no message, but the channel list beside it shows every ceiling.
    const top = Math.max(...ceilings.map((c) => c.rank));
    await waitFor(() => expect(getByTestId('banner-top').dataset.rank).toBe(String(top)));
    expect(queryByTestId('banner-top-system-high')).toBeNull();
    expect(getByTestId('banner-top').textContent).not.toContain('No classified content');
  });
});
