import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import { channelView, installMock } from '../testing/fixtures';
import ExportDialog from './ExportDialog.svelte';
import ImportDialog from './ImportDialog.svelte';

// The mock's liaison cell.
const CELL = 'a1c3e5f70001';

describe('ExportDialog', () => {
  it('writes to the file chosen in the save dialog, named by its token', async () => {
    const b = installMock();
    b.state.fileAnswers.push('cancel', { name: 'cell-march.liaison' });
    const spy = vi.spyOn(b, 'invoke');
    const { getByTestId } = render(ExportDialog, { channel: channelView({ id: CELL }), onclose: () => {} });
    const submit = getByTestId('export-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.click(getByTestId('export-file-browse'));
    await waitFor(() => expect(spy).toHaveBeenCalledWith('choose_file', { purpose: 'saveArchive' }));
    expect(submit.disabled).toBe(true);
    await fireEvent.click(getByTestId('export-file-browse'));
    await waitFor(() => expect(getByTestId('export-file').textContent).toBe('cell-march.liaison'));
    await fireEvent.input(getByTestId('export-passphrase'), { target: { value: 'archive passphrase' } });
    await fireEvent.input(getByTestId('export-passphrase-confirm'), {
      target: { value: 'archive passphrase' },
    });
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    const report = await waitFor(() => getByTestId('export-report'), { timeout: 3000 });
    expect(report.textContent).toContain('cell-march.liaison');
    const request = spy.mock.calls.find(([name]) => name === 'export_archive')?.[1] as {
      request: Record<string, unknown>;
    };
    expect(request.request.file).toMatch(/^mock-file-/);
    expect(request.request).not.toHaveProperty('path');
  });

  it('names the highest marking the file will hold and its handling, before and after writing', async () => {
    const b = installMock();
    b.state.fileAnswers.push({ name: 'cell.liaison' });
    const expected = await call('export_contents', { channelId: CELL });
    expect(expected.highest?.marking).toBe('NATO SECRET//REL TO DEU, FRA, GBR');
    const { getByTestId, queryByTestId } = render(ExportDialog, {
      channel: channelView({ id: CELL }),
      onclose: () => {},
    });
    const before = await waitFor(() => getByTestId('export-contents'));
    expect(before.textContent).toContain(`The file will hold ${expected.messages} messages`);
    expect(before.textContent).toContain('Handle the file as NATO SECRET//REL TO DEU, FRA, GBR');
    expect(queryByTestId('export-contents-exercise')).toBeNull();
    await fireEvent.click(getByTestId('export-file-browse'));
    await waitFor(() => expect(getByTestId('export-file').textContent).toBe('cell.liaison'));
    for (const id of ['export-passphrase', 'export-passphrase-confirm'])
      await fireEvent.input(getByTestId(id), { target: { value: 'archive passphrase' } });
    await fireEvent.click(getByTestId('export-submit'));
    const after = await waitFor(() => getByTestId('export-report-contents'), { timeout: 3000 });
    expect(after.textContent).toContain('Handle the file as NATO SECRET//REL TO DEU, FRA, GBR');
    expect(after.dataset.rank).toBe('3');
  });

  it('says how much EXERCISE traffic the file holds, and when it holds nothing', async () => {
    installMock();
    const { getByTestId, container } = render(ExportDialog, {
      channel: channelView({ id: 'd4f6b8ca0004' }),
      onclose: () => {},
    });
    await waitFor(() => expect(getByTestId('export-contents-exercise').textContent).toContain('EXERCISE'));
    const [from, to] = container.querySelectorAll<HTMLInputElement>('input[type="date"]');
    await fireEvent.input(from, { target: { value: '1990-01-01' } });
    await fireEvent.input(to, { target: { value: '1990-01-02' } });
    await waitFor(() => expect(getByTestId('export-contents').textContent).toContain('holds none'));
  });
});

describe('ImportDialog', () => {
  it('keeps the chosen file after a wrong passphrase', async () => {
    const b = installMock();
    b.state.fileAnswers.push({ name: 'partner-cell.liaison' });
    const onopen = vi.fn();
    const { getByTestId } = render(ImportDialog, { onclose: () => {}, onopen });
    await fireEvent.click(getByTestId('import-file-browse'));
    await waitFor(() => expect(getByTestId('import-file').textContent).toBe('partner-cell.liaison'));
    await fireEvent.input(getByTestId('import-passphrase'), { target: { value: 'wrong passphrase' } });
    await fireEvent.click(getByTestId('import-submit'));
    await waitFor(() => expect(getByTestId('import-error').textContent).toContain('passphrase'));
    expect(getByTestId('import-file').dataset.chosen).toBe('true');
    await fireEvent.input(getByTestId('import-passphrase'), { target: { value: 'the right one' } });
    await fireEvent.click(getByTestId('import-submit'));
    await waitFor(() => getByTestId('import-report'), { timeout: 3000 });
    const channels = await call('list_channels');
    expect(channels.some((c) => c.name === 'partner-cell.liaison' && c.origin === 'imported')).toBe(true);
  });
});

describe('mock file tokens', () => {
  it('refuse another purpose, a used token and a path, as the shell does', async () => {
    const b = installMock();
    const chosen = await call('choose_file', { purpose: 'openCertificate' });
    if (chosen.kind !== 'chosen') throw new Error('the mock chose nothing');
    const wrongPurpose = await call('import_archive', {
      request: { file: chosen.token, passphrase: 'x' },
      onProgress: b.progressChannel(() => {}),
    }).catch((e: unknown) => e);
    expect(wrongPurpose).toMatchObject({ kind: 'invalidInput', field: 'file' });
    await call('candidate_from_certificate', { channelId: CELL, file: chosen.token });
    const reused = await call('candidate_from_certificate', { channelId: CELL, file: chosen.token }).catch(
      (e: unknown) => e,
    );
    expect(reused).toMatchObject({ kind: 'invalidInput', field: 'file' });
    const path = await call('candidate_from_certificate', { channelId: CELL, file: '/etc/passwd' }).catch(
      (e: unknown) => e,
    );
    expect(path).toMatchObject({ kind: 'invalidInput' });
  });
});
