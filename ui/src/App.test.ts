import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { installMock } from './lib/testing/fixtures';

describe('App', () => {
  it('goes from first run to the main screen, marking when it is ready', async () => {
    delete document.documentElement.dataset.ready;
    installMock({ phase: 'noProfile' });
    const { getByTestId, findByTestId, findAllByTestId } = render(App);
    await findByTestId('onboarding-submit');
    expect(document.documentElement.dataset.ready).toBe('1');
    expect(performance.getEntriesByName('liaison-ready').length).toBeGreaterThan(0);

    await fireEvent.input(getByTestId('onboarding-display-name'), { target: { value: 'Cdt Test' } });
    await fireEvent.input(getByTestId('onboarding-nationality'), { target: { value: 'FRA' } });
    await fireEvent.input(getByTestId('onboarding-pin'), { target: { value: '482913' } });
    await fireEvent.input(getByTestId('onboarding-pin-confirm'), { target: { value: '482913' } });
    await fireEvent.click(getByTestId('onboarding-submit'));

    const items = await findAllByTestId('channel-item');
    expect(items[0].dataset.channelName).toBe('FRA–GBR Bilateral');
    expect(getByTestId('banner-top')).toBeTruthy();
    expect(getByTestId('banner-bottom')).toBeTruthy();
    expect(getByTestId('connection-indicator').dataset.state).toBe('online');
    await waitFor(() => expect(getByTestId('banner-top').dataset.rank).not.toBe('-1'));
    expect(getByTestId('banner-bottom').dataset.marking).toBe(getByTestId('banner-top').dataset.marking);
  });

  it('announces a held invitation and opens the channel once it is accepted', async () => {
    const backend = installMock();
    const { findByTestId, getByTestId, container } = render(App);
    await findByTestId('lock-button');
    expect(container.querySelector('[data-testid="invitations-banner"]')).toBeNull();
    backend.invite('GBR–FRA Bridge Cell');
    await fireEvent.click(await findByTestId('open-invitations'));
    await fireEvent.click(await findByTestId('confirm-fingerprint'));
    await fireEvent.click(getByTestId('accept-invitation'));
    await waitFor(() =>
      expect(container.querySelector('[aria-current="page"]')?.getAttribute('data-channel-name')).toBe(
        'GBR–FRA Bridge Cell',
      ),
    );
    await waitFor(() => expect(container.querySelector('[data-testid="invitations-banner"]')).toBeNull());
  });

  it('alerts on a FLASH awaiting acknowledgement until it is acknowledged', async () => {
    installMock();
    const { findByTestId, getByTestId, container } = render(App);
    const alert = await findByTestId('ack-alert');
    expect(alert.getAttribute('role')).toBe('alert');
    await fireEvent.click(await findByTestId('ack-alert-button'));
    await waitFor(() => expect(container.querySelector('[data-testid="ack-alert"]')).toBeNull());
    const flash = container.querySelector('[data-channel-name="FRA–GBR Bilateral"]') as HTMLElement;
    await waitFor(() => expect(flash.dataset.awaitingAck).toBe('0'));
    expect(getByTestId('thread')).toBeTruthy();
  });

  it('moves between channels with Alt+Down and opens the switcher with Ctrl+K', async () => {
    installMock();
    const { findAllByTestId, findByTestId, container } = render(App);
    const items = await findAllByTestId('channel-item');
    await waitFor(() => expect(items[0].getAttribute('aria-current')).toBe('page'));
    await fireEvent.keyDown(window, { key: 'ArrowDown', altKey: true });
    await waitFor(() =>
      expect(container.querySelector('[aria-current="page"]')?.getAttribute('data-channel-name')).toBe(
        items[1].dataset.channelName,
      ),
    );
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const input = await findByTestId('switcher-input');
    await fireEvent.input(input, { target: { value: 'steadfast' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() =>
      expect(container.querySelector('[aria-current="page"]')?.getAttribute('data-channel-name')).toBe(
        'STEADFAST FLUX message log',
      ),
    );
  });

  it('locks on Ctrl+L and shows the unlock screen', async () => {
    installMock();
    const { findAllByTestId, findByTestId, queryByTestId } = render(App);
    await findAllByTestId('channel-item');
    await fireEvent.keyDown(window, { key: 'l', ctrlKey: true });
    await findByTestId('unlock-passphrase');
    expect(queryByTestId('channel-item')).toBeNull();
    expect(queryByTestId('thread')).toBeNull();
  });

  it('reports input to the desk and shows the PIN screen when the desk locks for idleness', async () => {
    const backend = installMock({ phase: 'unlocked', protection: 'keyring', pin: '739150' });
    const { findAllByTestId, findByTestId, getByTestId, queryByTestId } = render(App);
    await findAllByTestId('channel-item');
    await fireEvent.keyDown(window, { key: 'Shift' });
    await waitFor(() => expect(backend.state.stillHere).toBe(1));

    backend.idleLock();
    await findByTestId('unlock-pin');
    expect(queryByTestId('channel-item')).toBeNull();
    expect(queryByTestId('unlock-pin-confirm')).toBeNull();
    await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '739150' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    await findAllByTestId('channel-item');
  });
});
