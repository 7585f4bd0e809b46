import { setLanguage } from '../i18n/i18n.svelte';
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import type { PolicyView } from '../api/types';
import { installMock } from '../testing/fixtures';
import AddMember from './AddMember.svelte';
import Members from './Members.svelte';
import PolicyEditor from './PolicyEditor.svelte';

// The mock's liaison cell: NATO SECRET//REL TO DEU, FRA, GBR; the user is admin.
const CELL = 'a1c3e5f70001';

describe('AddMember', () => {
  it('disables Add for an officer the rules exclude and says why', async () => {
    installMock();
    const { findAllByTestId, container } = render(AddMember, { channelId: CELL, onchanged: () => {} });
    await findAllByTestId('candidate-row');
    const cole = container.querySelector('[data-officer-id="USA-5521"]') as HTMLElement;
    expect((cole.querySelector('[data-testid="add-candidate"]') as HTMLButtonElement).disabled).toBe(true);
    expect(cole.querySelector('[data-testid="candidate-reason"]')?.textContent).toContain(
      'the ceiling is not releasable to USA',
    );
    const becker = container.querySelector('[data-officer-id="DEU-4410"]') as HTMLElement;
    expect(becker.querySelector('[data-testid="candidate-reason"]')?.textContent).toMatch(
      /clearance NATO \w+ is below NATO SECRET/,
    );
    const shah = container.querySelector('[data-officer-id="GBR-2290"]') as HTMLElement;
    expect((shah.querySelector('[data-testid="add-candidate"]') as HTMLButtonElement).disabled).toBe(false);
  });

  it('says why an officer is excluded in French too', async () => {
    installMock();
    await setLanguage('fr');
    try {
      const { findAllByTestId, container } = render(AddMember, { channelId: CELL, onchanged: () => {} });
      await findAllByTestId('candidate-row');
      const cole = container.querySelector('[data-officer-id="USA-5521"]') as HTMLElement;
      expect(cole.querySelector('[data-testid="candidate-reason"]')?.textContent).toContain(
        "le plafond n'est pas communicable à USA",
      );
    } finally {
      await setLanguage('en');
    }
  });

  it('adds an eligible officer', async () => {
    installMock();
    const { findAllByTestId, findByTestId, container } = render(AddMember, {
      channelId: CELL,
      onchanged: () => {},
    });
    await findAllByTestId('candidate-row');
    const shah = () => container.querySelector('[data-officer-id="GBR-2290"]') as HTMLElement;
    await fireEvent.click(shah().querySelector('[data-testid="add-candidate"]') as HTMLElement);
    await waitFor(() =>
      expect(shah().querySelector('[data-testid="candidate-reason"]')?.textContent).toContain('Already'),
    );
    expect((await call('list_members', { channelId: CELL })).map((m) => m.officerId)).toContain('GBR-2290');
    expect((await findByTestId('add-done')).textContent).toMatch(/was added to this channel/);
  });
});

describe('Members', () => {
  it('says what a promotion and a removal did, each action with its own words', async () => {
    installMock();
    let members = await call('list_members', { channelId: CELL });
    const reload = async () => {
      members = await call('list_members', { channelId: CELL });
    };
    const other = members.find((m) => !m.isSelf && m.role === 'member');
    expect(other).toBeDefined();
    const view = render(Members, {
      channelId: CELL,
      members,
      canManage: true,
      onchanged: () => void reload(),
    });
    const row = () => view.container.querySelector(`[data-officer-id="${other!.officerId}"]`) as HTMLElement;
    const buttons = () => Array.from(row().querySelectorAll('button')).map((b) => b.textContent?.trim());
    // Distinct actions, distinct words.
    expect(buttons()).toEqual(['Make admin', 'Remove from channel']);
    await fireEvent.click(row().querySelector('button') as HTMLElement);
    const done = await view.findByTestId('members-done');
    expect(done.getAttribute('role')).toBe('status');
    expect(done.textContent).toBe(`${other!.displayName} is now an admin of this channel.`);
    await fireEvent.click(row().querySelector('[data-testid="remove-member"]') as HTMLElement);
    await fireEvent.click(await view.findByTestId('remove-confirm'));
    await waitFor(() =>
      expect(view.getByTestId('members-done').textContent).toBe(
        `${other!.displayName} was removed from this channel.`,
      ),
    );
    expect((await call('list_members', { channelId: CELL })).map((m) => m.officerId)).not.toContain(
      other!.officerId,
    );
  });
});

describe('AddMember from a certificate file', () => {
  it('reads the certificate the shell dialog chose, then needs a new choice', async () => {
    const b = installMock();
    b.state.fileAnswers.push({ name: 'shah.pem' });
    const { getByTestId, findAllByTestId, container } = render(AddMember, {
      channelId: CELL,
      onchanged: () => {},
    });
    await findAllByTestId('candidate-row');
    const read = getByTestId('candidate-certificate-read') as HTMLButtonElement;
    expect(read.disabled).toBe(true);
    await fireEvent.click(getByTestId('candidate-certificate-file-browse'));
    await waitFor(() => expect(getByTestId('candidate-certificate-file').textContent).toBe('shah.pem'));
    const rows = () => container.querySelectorAll('[data-testid="candidate-row"]').length;
    const before = rows();
    await fireEvent.click(read);
    await waitFor(() => expect(rows()).toBe(before + 1));
    // The token was used up: the chooser is empty again and the shell holds nothing.
    await waitFor(() => expect(getByTestId('candidate-certificate-file').dataset.chosen).toBe('false'));
    expect(b.state.files.size).toBe(0);
    expect(read.disabled).toBe(true);
  });
});

describe('PolicyEditor', () => {
  /** The checkbox of `value` in the picker `testid`. */
  const box = (container: HTMLElement, testid: string, value: string) =>
    container.querySelector(`[data-testid="${testid}"] input[data-value="${value}"]`) as HTMLInputElement;

  it('previews who a tightening made with the label picker removes, before it can be applied', async () => {
    installMock();
    const members = await call('list_members', { channelId: CELL });
    const { container, getByTestId, findByTestId, getAllByTestId } = render(PolicyEditor, {
      channelId: CELL,
      members,
      onchanged: () => {},
    });
    const marking = await findByTestId('policy-ceiling-marking');
    expect(marking.textContent).toBe('NATO SECRET//REL TO DEU, FRA, GBR');
    // No free-text marking field is left to drift from the picker.
    expect(container.querySelector('input[list], [data-testid="policy-rel"]')).toBeNull();
    const apply = getByTestId('policy-apply') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);

    await fireEvent.click(box(container, 'policy-ceiling', 'DEU'));
    expect(marking.textContent).toBe('NATO SECRET//REL TO FRA, GBR');
    await fireEvent.click(getByTestId('policy-preview'));
    await findByTestId('policy-preview-result');
    const removed = getAllByTestId('policy-removed');
    expect(removed).toHaveLength(1);
    expect(removed[0].textContent).toContain('OTL Katrin Vogel');
    expect(removed[0].textContent).toContain('the ceiling is not releasable to DEU');
    expect(apply.disabled).toBe(false);
    expect(apply.textContent).toContain('remove 1 member');

    // Editing after the preview asks for a new one.
    await fireEvent.click(box(container, 'policy-ceiling', 'FRA'));
    expect(apply.disabled).toBe(true);
  });

  it('applies a previewed change', async () => {
    installMock();
    const members = await call('list_members', { channelId: CELL });
    const { container, getByTestId, findByTestId } = render(PolicyEditor, {
      channelId: CELL,
      members,
      onchanged: () => {},
    });
    await findByTestId('policy-ceiling');
    await fireEvent.click(box(container, 'policy-ceiling', 'DEU'));
    await fireEvent.click(getByTestId('policy-preview'));
    await findByTestId('policy-preview-result');
    await fireEvent.click(getByTestId('policy-apply'));
    await waitFor(async () =>
      expect((await call('list_members', { channelId: CELL })).map((m) => m.nationality).sort()).toEqual([
        'FRA',
        'GBR',
      ]),
    );
    expect((await findByTestId('policy-done')).textContent).toBe('Policy changed; 1 member removed.');
  });

  it('offers the default the new ceiling admits, and applies the change with it in one more click', async () => {
    const b = installMock();
    const spy = vi.spyOn(b, 'invoke');
    const members = await call('list_members', { channelId: CELL });
    const { container, getByTestId, findByTestId, getAllByTestId } = render(PolicyEditor, {
      channelId: CELL,
      members,
      onchanged: () => {},
    });
    const level = (await findByTestId('policy-ceiling-level')) as HTMLSelectElement;
    await fireEvent.change(level, { target: { value: 'NATO UNCLASSIFIED' } });
    await fireEvent.click(getByTestId('policy-preview'));
    const result = await findByTestId('policy-preview-result');
    expect(result.dataset.allowed).toBe('false');
    const refusals = getAllByTestId('policy-refusal');
    expect(refusals.map((r) => r.dataset.code)).toEqual(['defaultAboveCeiling']);
    expect(refusals[0].textContent).toContain('NATO RESTRICTED is above NATO UNCLASSIFIED');
    expect(getByTestId('policy-fixed-default').textContent).toBe('NATO UNCLASSIFIED//REL TO DEU, FRA, GBR');
    expect((getByTestId('policy-apply') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(getByTestId('policy-fix-default'));
    await waitFor(() =>
      expect(getByTestId('policy-default-marking').textContent).toBe(
        'NATO UNCLASSIFIED//REL TO DEU, FRA, GBR',
      ),
    );
    await waitFor(() => expect((getByTestId('policy-apply') as HTMLButtonElement).disabled).toBe(false));
    expect(container.querySelector('[data-testid="policy-fix-default"]')).toBeNull();
    await fireEvent.click(getByTestId('policy-apply'));
    await waitFor(() => expect(spy.mock.calls.some(([name]) => name === 'change_policy')).toBe(true));
    const sent = spy.mock.calls.find(([name]) => name === 'change_policy')![1].policy as PolicyView;
    expect(sent.defaultLabel.classification).toBe('NATO UNCLASSIFIED');
    expect(sent.ceiling.classification).toBe('NATO UNCLASSIFIED');
  });

  it('previews a retention typed in its number field, and none once it is emptied', async () => {
    const b = installMock();
    const spy = vi.spyOn(b, 'invoke');
    const members = await call('list_members', { channelId: CELL });
    const { getByTestId, findByTestId, queryByTestId } = render(PolicyEditor, {
      channelId: CELL,
      members,
      onchanged: () => {},
    });
    const retention = await findByTestId('policy-retention');
    const previewed = () =>
      spy.mock.calls
        .filter(([name]) => name === 'preview_policy')
        .map(([, a]) => (a.policy as PolicyView).retentionDays);

    await fireEvent.input(retention, { target: { value: '30' } });
    await fireEvent.click(getByTestId('policy-preview'));
    await waitFor(() => expect(previewed()).toEqual([30]));
    await findByTestId('policy-preview-result');

    await fireEvent.input(retention, { target: { value: '' } });
    await fireEvent.click(getByTestId('policy-preview'));
    await waitFor(() => expect(previewed()).toEqual([30, undefined]));
    expect(queryByTestId('policy-error')).toBeNull();
  });
});
