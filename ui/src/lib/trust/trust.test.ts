import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import { AUTHORITIES } from '../api/mock/trust';
import { installMock, settle } from '../testing/fixtures';
import { holdListens } from '../testing/listeners';
import AlertStrip from '../shell/AlertStrip.svelte';
import AnchorNotices from './AnchorNotices.svelte';
import InvitationsDialog from './InvitationsDialog.svelte';
import PinnedAuthorities from './PinnedAuthorities.svelte';
import { invitations } from './invitations.svelte';

// The mock's liaison cell.
const CELL = 'a1c3e5f70001';

async function dialogWithOneInvitation() {
  const backend = installMock();
  backend.invite('GBR–FRA Bridge Cell');
  await invitations.refresh();
  const onjoined = vi.fn();
  const onclose = vi.fn();
  const view = render(InvitationsDialog, { onclose, onjoined });
  await view.findAllByTestId('invitation');
  return { backend, onjoined, onclose, ...view };
}

describe('InvitationsDialog', () => {
  it('shows the channel and every authority with its name and fingerprint', async () => {
    const { getAllByTestId, getByTestId } = await dialogWithOneInvitation();
    const invitation = getAllByTestId('invitation')[0];
    expect(invitation.textContent).toContain('GBR–FRA Bridge Cell');
    expect(invitation.textContent).toContain('Lt Col James Whitfield');
    const rows = getAllByTestId('invitation-anchor');
    expect(rows).toHaveLength(2);
    // The look-alike carries the real GBR authority's name: only the
    // fingerprint tells them apart, and it is shown in full.
    const lookAlike = rows.find((r) => r.dataset.fingerprint === AUTHORITIES.lookAlike.fingerprint)!;
    expect(lookAlike.dataset.pinned).toBe('false');
    expect(lookAlike.textContent).toContain('GBR Liaison Authority (exercise)');
    expect(lookAlike.querySelector('[data-fingerprint]')?.getAttribute('data-fingerprint')).toBe(
      AUTHORITIES.lookAlike.fingerprint,
    );
    const fra = rows.find((r) => r.dataset.fingerprint === AUTHORITIES.fra.fingerprint)!;
    expect(fra.dataset.pinned).toBe('true');
    expect(fra.querySelector('[data-testid="confirm-fingerprint"]')).toBeNull();
    expect((getByTestId('accept-invitation') as HTMLButtonElement).disabled).toBe(true);
  });

  it('accepts only once each unpinned fingerprint is confirmed, then pins it and joins', async () => {
    const { getByTestId, onjoined } = await dialogWithOneInvitation();
    const accept = getByTestId('accept-invitation') as HTMLButtonElement;
    const tick = getByTestId('confirm-fingerprint') as HTMLInputElement;
    await fireEvent.click(tick);
    expect(accept.disabled).toBe(false);
    await fireEvent.click(tick);
    expect(accept.disabled).toBe(true);
    await fireEvent.click(tick);
    await fireEvent.click(accept);
    await waitFor(() => expect(onjoined).toHaveBeenCalled());
    const joined = onjoined.mock.calls[0][0] as string;
    expect((await call('list_channels')).map((c) => c.id)).toContain(joined);
    expect((await call('pinned_authorities')).map((p) => p.fingerprint)).toContain(
      AUTHORITIES.lookAlike.fingerprint,
    );
    expect(invitations.list).toHaveLength(0);
  });

  it('shows the refusal when the backend refuses the confirmation', async () => {
    const { getByTestId, findByTestId, backend } = await dialogWithOneInvitation();
    // Someone unpinned FRA meanwhile: the list shown is stale.
    backend.state.trust.pinned = backend.state.trust.pinned.filter(
      (p) => p.fingerprint !== AUTHORITIES.fra.fingerprint,
    );
    await fireEvent.click(getByTestId('confirm-fingerprint'));
    await fireEvent.click(getByTestId('accept-invitation'));
    expect((await findByTestId('invitation-error')).textContent).toContain('FRA');
    expect(await call('list_invitations')).toHaveLength(1);
  });

  it('declines: the invitation goes and the channel is never joined', async () => {
    const { getByTestId, onclose } = await dialogWithOneInvitation();
    const before = (await call('list_channels')).length;
    await fireEvent.click(getByTestId('decline-invitation'));
    await waitFor(() => expect(onclose).toHaveBeenCalled());
    expect(await call('list_invitations')).toHaveLength(0);
    expect(await call('list_channels')).toHaveLength(before);
  });
});

describe('PinnedAuthorities', () => {
  it('lists what the profile trusts', async () => {
    installMock();
    const { findAllByTestId } = render(PinnedAuthorities);
    const rows = await findAllByTestId('pinned-authority');
    expect(rows.map((r) => r.dataset.fingerprint)).toEqual([
      AUTHORITIES.fra.fingerprint,
      AUTHORITIES.gbr.fingerprint,
      AUTHORITIES.deu.fingerprint,
    ]);
    expect(rows[0].textContent).toContain('at onboarding');
  });

  it('pins an authority from a certificate file only once its fingerprint was compared', async () => {
    const backend = installMock();
    backend.state.fileAnswers.push({ name: 'usa-authority.pem', purpose: 'openCertificate' });
    const view = render(PinnedAuthorities);
    await view.findAllByTestId('pinned-authority');
    await fireEvent.click(view.getByTestId('authority-file-browse'));
    await waitFor(() => expect(view.getByTestId('authority-file').dataset.chosen).toBe('true'));
    await fireEvent.click(view.getByTestId('authority-read'));
    const shown = await view.findByTestId('authority-shown');
    // The name and the whole fingerprint, to compare out of band.
    expect(shown.textContent).toContain(AUTHORITIES.usa.name);
    expect(shown.querySelector('[data-fingerprint]')?.getAttribute('data-fingerprint')).toBe(
      AUTHORITIES.usa.fingerprint,
    );
    const pin = view.getByTestId('authority-pin') as HTMLButtonElement;
    expect(pin.disabled).toBe(true);
    await fireEvent.click(view.getByTestId('authority-compared'));
    expect(pin.disabled).toBe(false);
    await fireEvent.click(pin);
    expect((await view.findByTestId('pin-done')).textContent).toContain(AUTHORITIES.usa.name);
    await waitFor(() => expect(view.getAllByTestId('pinned-authority')).toHaveLength(4));
    expect((await call('pinned_authorities')).map((p) => p.source)).toContain('officer');
  });

  it('unpins an authority once the officer confirms which', async () => {
    installMock();
    const view = render(PinnedAuthorities);
    const rows = await view.findAllByTestId('pinned-authority');
    const deu = rows.find((r) => r.dataset.fingerprint === AUTHORITIES.deu.fingerprint)!;
    await fireEvent.click(deu.querySelector('[data-testid="unpin-authority"]') as HTMLElement);
    const confirm = view.getByTestId('unpin-confirm');
    expect(confirm.textContent).toContain(AUTHORITIES.deu.name);
    const apply = view.getByTestId('unpin-apply') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    await fireEvent.click(view.getByTestId('unpin-compared'));
    await fireEvent.click(apply);
    expect((await view.findByTestId('pin-done')).textContent).toContain(AUTHORITIES.deu.name);
    await waitFor(() => expect(view.getAllByTestId('pinned-authority')).toHaveLength(2));
    expect((await call('pinned_authorities')).map((p) => p.fingerprint)).not.toContain(
      AUTHORITIES.deu.fingerprint,
    );
  });
});

describe('AnchorNotices', () => {
  it('leaves no listener when the channel closes while it loads', async () => {
    const held = holdListens(installMock());
    held.release();
    const { unmount } = render(AnchorNotices, { channelId: CELL });
    unmount();
    await settle();
    expect(held.asked()).toEqual([]);
    expect(held.live()).toEqual([]);
  });

  it('tells the member an authority was added, and whether it is pinned', async () => {
    const backend = installMock();
    const { queryByTestId, findAllByTestId, getByTestId } = render(AlertStrip);
    render(AnchorNotices, { channelId: CELL });
    await settle();
    expect(queryByTestId('anchor-notices')).toBeNull();
    backend.addAnchor(CELL, AUTHORITIES.usa);
    const notices = await findAllByTestId('anchor-notice');
    expect(notices).toHaveLength(1);
    expect(notices[0].dataset.pinned).toBe('false');
    expect(notices[0].textContent).toContain('US Exercise Liaison Authority');
    expect(notices[0].textContent).toContain('not among your pinned authorities');
    await fireEvent.click(getByTestId('dismiss-anchor-notices'));
    expect(queryByTestId('anchor-notices')).toBeNull();
    backend.addAnchor(CELL, AUTHORITIES.gbr);
    expect(await findAllByTestId('anchor-notice')).toHaveLength(1);
  });
});
