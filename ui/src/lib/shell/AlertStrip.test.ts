import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import App from '../../App.svelte';
import { installMock } from '../testing/fixtures';
import PublishAlerts from '../testing/PublishAlerts.svelte';
import AlertStrip from './AlertStrip.svelte';
import { URGENCY, type Urgency } from './alerts.svelte';

describe('AlertStrip', () => {
  it('shows every component’s alerts in one strip, most urgent first, each with its actions', async () => {
    const strip = render(AlertStrip);
    const onaction = vi.fn();
    const shuffled: Urgency[] = ['historyGap', 'offline', 'flashElsewhere', 'invitations', 'forked'];
    const channel: Urgency[] = [
      'anchorAdded',
      'immediateHere',
      'flashHere',
      'commitWithheld',
      'actionFailed',
    ];
    render(PublishAlerts, { alerts: shuffled.map((u) => ({ key: u, urgency: u })), onaction });
    const pane = render(PublishAlerts, { alerts: channel.map((u) => ({ key: u, urgency: u })), onaction });
    await tick();
    const shown = [...strip.getByTestId('alert-strip').children] as HTMLElement[];
    expect(shown.map((a) => a.dataset.urgency)).toEqual(URGENCY.filter((u) => u !== 'immediateElsewhere'));
    expect(shown[0].className).toContain('tone-flash');
    await fireEvent.click(strip.getByTestId('act-invitations'));
    expect(onaction).toHaveBeenCalledWith('invitations');

    // A component's alerts leave with it.
    pane.unmount();
    await tick();
    expect(
      [...strip.getByTestId('alert-strip').children].map((a) => (a as HTMLElement).dataset.urgency),
    ).toEqual(['flashElsewhere', 'forked', 'offline', 'invitations', 'historyGap']);
  });

  it('puts the shell’s and the open channel’s alerts in one strip under the header', async () => {
    const b = installMock({ connection: 'offline' });
    const { findByTestId, getByTestId, container } = render(App);
    // The first channel opened has FLASH traffic awaiting acknowledgement.
    await findByTestId('ack-alert');
    b.invite('GBR–FRA Bridge Cell');
    await findByTestId('invitations-banner');
    const logistics = b.state.channels.find((c) => c.name === 'Coalition Logistics');
    b.deliver(logistics?.id ?? '', { body: 'Fuel convoy diverted.', precedence: 'immediate' });
    await findByTestId('precedence-alert');
    const strip = getByTestId('alert-strip');
    expect(container.querySelectorAll('[data-testid="alert-strip"]')).toHaveLength(1);
    expect(strip.previousElementSibling?.classList).toContain('topbar');
    await waitFor(() =>
      expect([...strip.children].map((a) => (a as HTMLElement).dataset.testid)).toEqual([
        'ack-alert',
        'precedence-alert',
        'offline-note',
        'invitations-banner',
      ]),
    );
    expect(getByTestId('ack-alert').dataset.urgency).toBe('flashHere');
    expect(getByTestId('precedence-alert').dataset.urgency).toBe('immediateElsewhere');
    expect(getByTestId('ack-alert').getAttribute('role')).toBe('alert');
    expect(getByTestId('offline-note').getAttribute('role')).toBe('status');
    // Still actionable from the strip.
    await fireEvent.click(getByTestId('open-invitations'));
    expect(await findByTestId('invitations-dialog')).toBeTruthy();
  });
});
