import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n/i18n.svelte';
import AlertStrip from '../shell/AlertStrip.svelte';
import ForkNotices from './ForkNotices.svelte';

const gap = {
  forkEpoch: 4,
  rejoinedEpoch: 6,
  detectedAtMs: Date.UTC(2026, 11, 7, 9, 0),
  rejoinedAtMs: Date.UTC(2026, 11, 7, 9, 5),
};

describe('ForkNotices', () => {
  it('warns while the member waits to be added back, saying whether the admins were asked', async () => {
    const { getByTestId } = render(AlertStrip);
    const { unmount } = render(ForkNotices, {
      fork: { epoch: 7, detectedAtMs: gap.detectedAtMs, requested: true },
      gaps: [],
    });
    await tick();
    const warning = getByTestId('channel-forked');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('forked at epoch 7');
    expect(warning.textContent).toContain('were asked to add you back');
    unmount();
    render(ForkNotices, {
      fork: { epoch: 7, detectedAtMs: gap.detectedAtMs, requested: false },
      gaps: [],
    });
    await tick();
    expect(getByTestId('channel-forked').textContent).toContain('will be asked');
  });

  it('shows every gap with its epochs and times, and nothing for a channel that never forked', async () => {
    const { getAllByTestId, getByTestId, queryByTestId } = render(AlertStrip);
    const { unmount } = render(ForkNotices, {
      gaps: [gap, { ...gap, forkEpoch: 9, rejoinedEpoch: 10, rejoinedAtMs: gap.rejoinedAtMs + 1 }],
    });
    await tick();
    expect(queryByTestId('channel-forked')).toBeNull();
    const notices = getAllByTestId('history-gap');
    expect(notices).toHaveLength(2);
    expect(notices[0].textContent).toContain('forked at epoch 4');
    expect(notices[0].textContent).toContain('added back at epoch 6');
    expect(notices[0].querySelectorAll('time')).toHaveLength(2);
    expect(notices[1].textContent).toContain('epoch 9');
    unmount();
    render(ForkNotices, { gaps: [] });
    await tick();
    expect(queryByTestId('alert-strip')).toBeNull();
    await setLanguage('fr');
    render(ForkNotices, { gaps: [gap] });
    await tick();
    expect(getByTestId('history-gap').textContent).toContain("scindé à l'époque 4");
    await setLanguage('en');
  });
});
