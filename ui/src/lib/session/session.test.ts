import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installMock } from '../testing/fixtures';
import { setLanguage } from '../i18n/i18n.svelte';
import { reportActivity } from './idle';
import { pinProblem } from './pin';
import Onboarding from './Onboarding.svelte';
import Unlock from './Unlock.svelte';

describe('reportActivity', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports input to the desk at most once per interval, and stops when asked', () => {
    const target = new EventTarget();
    const report = vi.fn();
    const stop = reportActivity(report, target, 15_000);
    target.dispatchEvent(new Event('keydown'));
    target.dispatchEvent(new Event('pointermove'));
    expect(report).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(15_000);
    target.dispatchEvent(new Event('wheel'));
    expect(report).toHaveBeenCalledTimes(2);
    stop();
    vi.advanceTimersByTime(60_000);
    target.dispatchEvent(new Event('keydown'));
    expect(report).toHaveBeenCalledTimes(2);
  });
});

describe('pinProblem', () => {
  it('refuses short, repeated and consecutive PINs like the desk', () => {
    expect(pinProblem('')).toBe('empty');
    expect(pinProblem('12345')).toBe('short');
    expect(pinProblem('000000')).toBe('repeated');
    expect(pinProblem('123456')).toBe('run');
    expect(pinProblem('654321')).toBe('run');
    expect(pinProblem('7890123')).toBe('run');
    expect(pinProblem('482913')).toBeUndefined();
    expect(pinProblem('correct horse')).toBeUndefined();
  });
});

/** Fills the exercise form's identity fields. */
async function fillIdentity(getByTestId: (id: string) => HTMLElement): Promise<void> {
  await fireEvent.input(getByTestId('onboarding-display-name'), { target: { value: 'Cne Test' } });
  await fireEvent.input(getByTestId('onboarding-nationality'), { target: { value: 'fra' } });
}

/** Types a good PIN in both onboarding fields. */
async function choosePin(getByTestId: (id: string) => HTMLElement): Promise<void> {
  await fireEvent.input(getByTestId('onboarding-pin'), { target: { value: '482913' } });
  await fireEvent.input(getByTestId('onboarding-pin-confirm'), { target: { value: '482913' } });
}

describe('Onboarding with the keyring', () => {
  it('asks for the PIN twice, refuses a trivial or differing one, then sends it', async () => {
    const b = installMock({ phase: 'noProfile' });
    const spy = vi.spyOn(b, 'invoke');
    const ondone = vi.fn();
    const { getByTestId } = render(Onboarding, { ondone });
    await fillIdentity(getByTestId);

    await fireEvent.input(getByTestId('onboarding-pin'), { target: { value: '123456' } });
    await fireEvent.input(getByTestId('onboarding-pin-confirm'), { target: { value: '123456' } });
    await fireEvent.click(getByTestId('onboarding-submit'));
    expect(getByTestId('onboarding-error').textContent).toContain('consecutive');

    await fireEvent.input(getByTestId('onboarding-pin'), { target: { value: '482913' } });
    await fireEvent.input(getByTestId('onboarding-pin-confirm'), { target: { value: '482914' } });
    await fireEvent.click(getByTestId('onboarding-submit'));
    expect(getByTestId('onboarding-error').textContent).toContain('differ');
    expect(spy).not.toHaveBeenCalled();

    await fireEvent.input(getByTestId('onboarding-pin-confirm'), { target: { value: '482913' } });
    await fireEvent.click(getByTestId('onboarding-submit'));
    await waitFor(() => expect(ondone).toHaveBeenCalledOnce());
    const request = (spy.mock.calls[0][1] as { request: Record<string, unknown> }).request;
    expect(request).toMatchObject({ protection: 'keyring', pin: '482913' });
    expect(request.passphrase).toBeUndefined();
  });

  it('says in French why a PIN is refused', async () => {
    await setLanguage('fr');
    try {
      installMock({ phase: 'noProfile' });
      const { getByTestId } = render(Onboarding, { ondone: () => {} });
      await fillIdentity(getByTestId);
      await fireEvent.input(getByTestId('onboarding-pin'), { target: { value: '4829' } });
      await fireEvent.click(getByTestId('onboarding-submit'));
      expect(getByTestId('onboarding-error').textContent).toContain('au moins 6 chiffres');
    } finally {
      await setLanguage('en');
    }
  });
});

describe('Onboarding', () => {
  it('offers a passphrase when the system keyring is unavailable', async () => {
    installMock({ phase: 'noProfile', keyringAvailable: false });
    const ondone = vi.fn();
    const { getByTestId, queryByTestId } = render(Onboarding, { ondone });
    await fireEvent.input(getByTestId('onboarding-display-name'), { target: { value: 'Cne Test' } });
    await fireEvent.input(getByTestId('onboarding-nationality'), { target: { value: 'fra' } });
    await choosePin(getByTestId);
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
    await choosePin(getByTestId);
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

describe('Unlock with a PIN', () => {
  it('asks a keyring profile for its PIN and says a wrong one is wrong', async () => {
    installMock({ phase: 'locked', protection: 'keyring', pin: '739150' });
    const ondone = vi.fn();
    const { getByTestId, queryByTestId } = render(Unlock, { protection: 'keyring', ondone });
    expect(queryByTestId('unlock-passphrase')).toBeNull();
    expect(queryByTestId('unlock-pin-confirm')).toBeNull();
    await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '739151' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    await waitFor(() =>
      expect(getByTestId('unlock-error').textContent).toBe('That PIN is not right. Try again.'),
    );
    await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '739150' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    await waitFor(() => expect(ondone).toHaveBeenCalledOnce());
  });

  it('says in French what the desk found wrong with the PIN', async () => {
    installMock({ phase: 'locked', protection: 'keyring', pin: '739150' });
    await setLanguage('fr');
    try {
      const { getByTestId } = render(Unlock, { protection: 'keyring', ondone: () => {} });
      await fireEvent.click(getByTestId('unlock-submit'));
      await waitFor(() => expect(getByTestId('unlock-error').textContent).toBe('Saisissez votre code PIN.'));
    } finally {
      await setLanguage('en');
    }
  });

  it('shows the wait after too many wrong PINs, in French too', async () => {
    const b = installMock({ phase: 'locked', protection: 'keyring', pin: '739150' });
    b.state.failures = 5;
    const { getByTestId } = render(Unlock, { protection: 'keyring', ondone: () => {} });
    await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '739150' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    await waitFor(() => expect(getByTestId('unlock-error').textContent).toContain('Try again in 30 seconds'));
    await setLanguage('fr');
    try {
      await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '739150' } });
      await fireEvent.click(getByTestId('unlock-submit'));
      await waitFor(() =>
        expect(getByTestId('unlock-error').textContent).toContain('Réessayez dans 30 secondes'),
      );
    } finally {
      await setLanguage('en');
    }
  });

  it('has an older keyring profile choose a PIN, twice, at its next unlock', async () => {
    const b = installMock({ phase: 'locked', protection: 'keyring', newPin: true });
    const spy = vi.spyOn(b, 'invoke');
    const ondone = vi.fn();
    const { getByTestId } = render(Unlock, { protection: 'keyring', newPin: true, ondone });
    expect(getByTestId('unlock-pin-confirm')).toBeTruthy();
    await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '111111' } });
    await fireEvent.input(getByTestId('unlock-pin-confirm'), { target: { value: '111111' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    expect(getByTestId('unlock-error').textContent).toContain('repeat');
    await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '582046' } });
    await fireEvent.input(getByTestId('unlock-pin-confirm'), { target: { value: '582047' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    expect(getByTestId('unlock-error').textContent).toContain('differ');
    expect(spy).not.toHaveBeenCalled();
    await fireEvent.input(getByTestId('unlock-pin'), { target: { value: '582046' } });
    await fireEvent.input(getByTestId('unlock-pin-confirm'), { target: { value: '582046' } });
    await fireEvent.click(getByTestId('unlock-submit'));
    await waitFor(() => expect(ondone).toHaveBeenCalledOnce());
    expect(spy).toHaveBeenCalledWith('unlock', { secret: '582046' });
    expect(b.state.pin).toBe('582046');
    expect(b.state.newPin).toBe(false);
  });
});

describe('Onboarding language', () => {
  afterEach(() => setLanguage('en'));

  it('offers English and French first, switches the window at once and saves the choice', async () => {
    const b = installMock({ phase: 'noProfile' });
    const { getByTestId, getByRole } = render(Onboarding, { ondone: () => {} });
    const english = getByTestId('onboarding-language-en') as HTMLInputElement;
    const french = getByTestId('onboarding-language-fr') as HTMLInputElement;
    expect(english.checked).toBe(true);
    // The first choice on the screen, before the profile's.
    expect(
      english.compareDocumentPosition(getByTestId('onboarding-mode-exercise')) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(french.closest('label')?.getAttribute('lang')).toBe('fr');

    await fireEvent.click(french);
    await waitFor(() => expect(getByRole('heading', { level: 1 }).textContent).toBe('Configurer Liaison'));
    expect(getByTestId('onboarding-submit').textContent?.trim()).toBe('Créer le profil d’exercice');
    expect(document.documentElement.lang).toBe('fr');
    await waitFor(() => expect(b.state.settings.language).toBe('fr'));
    // Nothing else in the settings changed.
    expect(b.state.settings.relayUrl).toBe('wss://relay.example.invalid:8443');

    await fireEvent.click(english);
    await waitFor(() => expect(getByRole('heading', { level: 1 }).textContent).toBe('Set up Liaison'));
    await waitFor(() => expect(b.state.settings.language).toBe('en'));
  });

  it('keeps the chosen language for the window when it cannot be saved, and says so', async () => {
    const b = installMock({ phase: 'noProfile' });
    const invoke = b.invoke.bind(b);
    b.invoke = (name, args) =>
      name === 'save_settings'
        ? Promise.reject({ kind: 'internal', message: 'disk full' })
        : invoke(name, args);
    const { getByTestId, findByTestId, getByRole } = render(Onboarding, { ondone: () => {} });
    await fireEvent.click(getByTestId('onboarding-language-fr'));
    expect((await findByTestId('onboarding-language-not-saved')).textContent).toContain(
      'n’a pas pu être enregistrée',
    );
    expect(getByRole('heading', { level: 1 }).textContent).toBe('Configurer Liaison');
  });
});
