import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installMock } from '../testing/fixtures';
import { watchIdle } from './idle';
import Onboarding from './Onboarding.svelte';
import Unlock from './Unlock.svelte';

describe('watchIdle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks after the idle time and restarts the clock on input', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = watchIdle(10, onIdle, target);
    vi.advanceTimersByTime(9 * 60_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(9 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledOnce();
    stop();
  });

  it('never locks when set to 0', () => {
    const onIdle = vi.fn();
    watchIdle(0, onIdle, new EventTarget());
    vi.advanceTimersByTime(10 * 3_600_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});

describe('Onboarding', () => {
  it('offers a passphrase when the system keyring is unavailable', async () => {
    installMock({ phase: 'noProfile', keyringAvailable: false });
    const ondone = vi.fn();
    const { getByTestId, queryByTestId } = render(Onboarding, { ondone });
    await fireEvent.input(getByTestId('onboarding-display-name'), { target: { value: 'Cne Test' } });
    await fireEvent.input(getByTestId('onboarding-nationality'), { target: { value: 'fra' } });
    await fireEvent.click(getByTestId('onboarding-submit'));
    const error = await waitFor(() => getByTestId('onboarding-error'));
    expect(error.dataset.kind).toBe('keyringUnavailable');
    expect(queryByTestId('onboarding-passphrase')).toBeNull();

    await fireEvent.click(getByTestId('onboarding-use-passphrase'));
    await fireEvent.input(getByTestId('onboarding-passphrase'), { target: { value: 'long enough phrase' } });
    await fireEvent.input(getByTestId('onboarding-passphrase-confirm'), {
      target: { value: 'long enough phrase' },
    });
    await fireEvent.click(getByTestId('onboarding-submit'));
    await waitFor(() => expect(ondone).toHaveBeenCalledOnce());
    expect(ondone.mock.calls[0][0]).toMatchObject({
      displayName: 'Cne Test',
      nationality: 'FRA',
      protection: 'passphrase',
    });
  });

  it('refuses differing passphrases before asking the core', async () => {
    const b = installMock({ phase: 'noProfile' });
    const spy = vi.spyOn(b, 'invoke');
    const { getByTestId } = render(Onboarding, { ondone: () => {} });
    await fireEvent.input(getByTestId('onboarding-display-name'), { target: { value: 'X' } });
    await fireEvent.input(getByTestId('onboarding-nationality'), { target: { value: 'GBR' } });
    await fireEvent.click(getByTestId('onboarding-protection-passphrase'));
    await fireEvent.input(getByTestId('onboarding-passphrase'), { target: { value: 'one passphrase' } });
    await fireEvent.input(getByTestId('onboarding-passphrase-confirm'), { target: { value: 'another one' } });
    await fireEvent.click(getByTestId('onboarding-submit'));
    expect(getByTestId('onboarding-error').textContent).toContain('differ');
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('Onboarding from certificate files', () => {
  it('takes the files from the shell dialog, ignores a cancelled one, and sends only tokens', async () => {
    const b = installMock({ phase: 'noProfile', keyringAvailable: false });
    b.state.fileAnswers.push('cancel', { name: 'smith-chain.pem' }, { name: 'smith-key.pem' });
    const spy = vi.spyOn(b, 'invoke');
    const ondone = vi.fn();
    const { getByTestId, queryByTestId } = render(Onboarding, { ondone });
    await fireEvent.click(getByTestId('onboarding-mode-import'));
    const certificate = getByTestId('onboarding-certificate-file');

    // Closing the dialog is not an error and chooses nothing.
    await fireEvent.click(getByTestId('onboarding-certificate-file-browse'));
    await waitFor(() => expect(spy).toHaveBeenCalledWith('choose_file', { purpose: 'openCertificate' }));
    expect(certificate.dataset.chosen).toBe('false');
    expect(queryByTestId('onboarding-certificate-file-error')).toBeNull();
    await fireEvent.click(getByTestId('onboarding-submit'));
    expect(getByTestId('onboarding-error').textContent).toContain('certificate file');

    await fireEvent.click(getByTestId('onboarding-certificate-file-browse'));
    await waitFor(() => expect(certificate.dataset.chosen).toBe('true'));
    expect(certificate.textContent).toBe('smith-chain.pem');
    await fireEvent.click(getByTestId('onboarding-key-file-browse'));
    await waitFor(() => expect(getByTestId('onboarding-key-file').textContent).toBe('smith-key.pem'));

    // No keyring: the files stay chosen for the retry with a passphrase.
    await fireEvent.click(getByTestId('onboarding-submit'));
    await waitFor(() => expect(getByTestId('onboarding-error').dataset.kind).toBe('keyringUnavailable'));
    await fireEvent.click(getByTestId('onboarding-use-passphrase'));
    await fireEvent.input(getByTestId('onboarding-passphrase'), { target: { value: 'long enough phrase' } });
    await fireEvent.input(getByTestId('onboarding-passphrase-confirm'), {
      target: { value: 'long enough phrase' },
    });
    await fireEvent.click(getByTestId('onboarding-submit'));
    await waitFor(() => expect(ondone).toHaveBeenCalledOnce());

    const imports = spy.mock.calls.filter(([name]) => name === 'import_profile');
    expect(imports).toHaveLength(2);
    const request = (imports[1][1] as { request: Record<string, unknown> }).request;
    expect(request.certificateFile).toMatch(/^mock-file-/);
    expect(request.keyFile).toMatch(/^mock-file-/);
    // Nothing the webview sent looks like a path.
    expect(JSON.stringify(spy.mock.calls)).not.toMatch(/\.pem|\//);
  });
});

describe('Unlock', () => {
  it('says a wrong passphrase is wrong, then unlocks with the right one', async () => {
    installMock({ phase: 'locked', passphrase: 'correct horse' });
    const ondone = vi.fn();
    const { getByTestId } = render(Unlock, { protection: 'passphrase', ondone });
    await fireEvent.input(getByTestId('unlock-passphrase'), { target: { value: 'wrong' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    await waitFor(() => expect(getByTestId('unlock-error').textContent).toContain('not right'));
    expect(ondone).not.toHaveBeenCalled();
    await fireEvent.input(getByTestId('unlock-passphrase'), { target: { value: 'correct horse' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    await waitFor(() => expect(ondone).toHaveBeenCalledOnce());
  });
});
