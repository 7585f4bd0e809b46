import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import { AUTHORITIES } from '../api/mock/trust';
import type { NewChannelRequest } from '../api/types';
import { setLanguage } from '../i18n/i18n.svelte';
import { session } from '../session/session.svelte';
import { installMock } from '../testing/fixtures';
import NewChannel from './NewChannel.svelte';

afterEach(() => setLanguage('en'));

/** The mock profile (Cdt Claire Dubois, FRA, NATO SECRET), unlocked. */
async function mount(connection: 'online' | 'offline' = 'online') {
  const backend = installMock({ phase: 'unlocked', connection });
  await session.load();
  const spy = vi.spyOn(backend, 'invoke');
  const oncreated = vi.fn();
  const view = render(NewChannel, { oncreated, onclose: vi.fn() });
  await view.findByTestId('new-name');
  const box = (testid: string, value: string) =>
    view.container.querySelector(
      `[data-testid="${testid}"] input[data-value="${value}"]`,
    ) as HTMLInputElement;
  const sent = (command: string) =>
    spy.mock.calls.filter(([name]) => name === command).map(([, a]) => a.request as NewChannelRequest);
  return { ...view, backend, oncreated, box, sent };
}

describe('NewChannel', () => {
  it('starts from the user’s clearance and nation, and trusts every pinned authority, the own first', async () => {
    const { getByTestId, getAllByTestId, getByRole } = await mount();
    expect(getByRole('heading', { name: 'New channel' })).toBeTruthy();
    expect(getByTestId('new-ceiling-marking').textContent).toBe('NATO SECRET//REL TO FRA');
    expect(getByTestId('new-default-marking').textContent).toBe('NATO SECRET//REL TO FRA');
    const anchors = getAllByTestId('new-anchor') as HTMLInputElement[];
    expect(anchors.map((a) => a.dataset.fingerprint)).toEqual([
      AUTHORITIES.fra.fingerprint,
      AUTHORITIES.gbr.fingerprint,
      AUTHORITIES.deu.fingerprint,
    ]);
    expect(anchors.every((a) => a.checked)).toBe(true);
    expect(getByTestId('new-anchors').textContent).toContain('certifies you: needed');
    // The directory's officers certified by a pinned authority, as admin candidates.
    const admins = (getAllByTestId('new-admin') as HTMLInputElement[]).map((a) => a.dataset.officerId);
    expect(admins).toContain('GBR-1187');
    expect(admins).not.toContain('ITA-0930');
  });

  it('submits the request built with the pickers and opens the new channel', async () => {
    const { getByTestId, box, sent, oncreated } = await mount();
    await fireEvent.input(getByTestId('new-name'), { target: { value: '  FRA–GBR Planning ' } });
    await fireEvent.click(box('new-ceiling', 'GBR'));
    await fireEvent.change(getByTestId('new-default-level'), { target: { value: 'NATO RESTRICTED' } });
    await fireEvent.click(box('new-default', 'GBR'));
    const whitfield = document.querySelector('[data-officer-id="GBR-1187"]') as HTMLInputElement;
    await fireEvent.click(whitfield);
    await fireEvent.input(getByTestId('new-retention'), { target: { value: '90' } });
    await fireEvent.click(getByTestId('new-submit'));
    await waitFor(() => expect(oncreated).toHaveBeenCalledOnce());

    const [request] = sent('create_channel');
    expect(request).toMatchObject({
      name: '  FRA–GBR Planning ',
      admins: ['GBR-1187'],
      retentionDays: 90,
      onRemoval: 'keep',
      anchors: [AUTHORITIES.fra.fingerprint, AUTHORITIES.gbr.fingerprint, AUTHORITIES.deu.fingerprint],
    });
    expect(request.ceiling.classification).toBe('NATO SECRET');
    expect(request.ceiling.tags.map((t) => t.value).sort()).toEqual(['FRA', 'GBR']);
    expect(request.defaultLabel.classification).toBe('NATO RESTRICTED');
    expect(sent('check_new_channel')).toEqual([request]);

    const [id, name] = oncreated.mock.calls[0];
    expect(name).toBe('FRA–GBR Planning');
    const listed = (await call('list_channels')).find((c) => c.id === id);
    expect(listed).toMatchObject({ name: 'FRA–GBR Planning', isAdmin: true });
    expect(listed?.ceiling.marking).toBe('NATO SECRET//REL TO FRA, GBR');
  });

  it('shows what refuses the channel, in words, and creates nothing', async () => {
    const { getByTestId, findAllByTestId, sent, oncreated, backend } = await mount();
    await fireEvent.input(getByTestId('new-name'), { target: { value: 'Cell' } });
    // A default above the ceiling, and the authority that certifies the user left out.
    await fireEvent.change(getByTestId('new-ceiling-level'), { target: { value: 'NATO CONFIDENTIAL' } });
    await fireEvent.click(document.querySelector(`[data-fingerprint="${AUTHORITIES.fra.fingerprint}"]`)!);
    await fireEvent.click(getByTestId('new-submit'));
    const refusals = await findAllByTestId('new-refusal');
    expect(refusals.map((r) => r.dataset.code)).toEqual(['ownAuthorityMissing', 'defaultAboveCeiling']);
    expect(refusals[0].textContent).toBe('The channel must trust the partner authority that certifies you.');
    expect(refusals[1].textContent).toContain('NATO SECRET is above NATO CONFIDENTIAL');
    expect(getByTestId('new-anchors').classList.contains('invalid')).toBe(true);
    expect(getByTestId('new-default').classList.contains('invalid')).toBe(true);
    expect(sent('create_channel')).toEqual([]);
    expect(oncreated).not.toHaveBeenCalled();
    expect(backend.state.channels.some((c) => c.name === 'Cell')).toBe(false);

    // Fixed in the form, the issues go and the channel is created.
    await fireEvent.change(getByTestId('new-default-level'), { target: { value: 'NATO CONFIDENTIAL' } });
    await fireEvent.click(document.querySelector(`[data-fingerprint="${AUTHORITIES.fra.fingerprint}"]`)!);
    expect(document.querySelector('[data-testid="new-refusals"]')).toBeNull();
    await fireEvent.click(getByTestId('new-submit'));
    await waitFor(() => expect(oncreated).toHaveBeenCalledOnce());
  });

  it('warns of an admin the ceiling does not admit, and creates on the second press', async () => {
    const { getByTestId, findAllByTestId, sent, oncreated } = await mount();
    await fireEvent.input(getByTestId('new-name'), { target: { value: 'Cell' } });
    await fireEvent.click(document.querySelector('[data-officer-id="DEU-4410"]')!);
    await fireEvent.click(getByTestId('new-submit'));
    const warnings = await findAllByTestId('new-warning');
    expect(warnings[0].textContent).toBe(
      'Hptm Jonas Becker is an admin, and this policy does not admit them: clearance NATO CONFIDENTIAL is below NATO SECRET.',
    );
    expect(oncreated).not.toHaveBeenCalled();
    expect(getByTestId('new-submit').textContent?.trim()).toBe('Create it anyway');
    await fireEvent.click(getByTestId('new-submit'));
    await waitFor(() => expect(oncreated).toHaveBeenCalledOnce());
    expect(sent('create_channel')[0].admins).toEqual(['DEU-4410']);
  });

  it('says when the directory cannot be reached, and still creates', async () => {
    const { getByTestId, findByTestId, oncreated } = await mount('offline');
    expect((await findByTestId('new-directory-offline')).textContent).toContain('cannot be reached');
    await fireEvent.input(getByTestId('new-name'), { target: { value: 'Offline cell' } });
    await fireEvent.click(getByTestId('new-submit'));
    await waitFor(() => expect(oncreated).toHaveBeenCalledOnce());
  });

  it('speaks French', async () => {
    const { getByRole, getByTestId, findAllByTestId } = await mount();
    await setLanguage('fr');
    expect(getByRole('heading', { name: 'Nouveau canal' })).toBeTruthy();
    await fireEvent.click(getByTestId('new-submit'));
    const refusals = await findAllByTestId('new-refusal');
    expect(refusals[0].textContent).toBe('Saisissez le nom du partenariat.');
  });
});
