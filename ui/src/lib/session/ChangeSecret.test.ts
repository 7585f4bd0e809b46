import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../api/api';
import { setLanguage } from '../i18n/i18n.svelte';
import { installMock } from '../testing/fixtures';
import ChangeSecret from './ChangeSecret.svelte';

async function fill(
  get: (id: string) => HTMLElement,
  current: string,
  replacement: string,
  confirm = replacement,
) {
  await fireEvent.input(get('secret-current'), { target: { value: current } });
  await fireEvent.input(get('secret-new'), { target: { value: replacement } });
  await fireEvent.input(get('secret-confirm'), { target: { value: confirm } });
  await fireEvent.click(get('secret-submit'));
}

describe('changing the PIN or the passphrase', () => {
  afterEach(async () => {
    await setLanguage('en');
  });

  it('changes the passphrase once the one in use is given, and then only the new one unlocks', async () => {
    const b = installMock({ passphrase: 'liaison' });
    const { getByTestId, findByTestId } = render(ChangeSecret, { protection: 'passphrase' });

    await fill(getByTestId, 'guess', 'a new passphrase');
    expect((await findByTestId('secret-error')).textContent).toContain('passphrase is not right');

    await fill(getByTestId, 'liaison', 'a new passphrase');
    await findByTestId('secret-done');
    expect(b.state.passphrase).toBe('a new passphrase');
    await call('lock', {});
    await expect(call('unlock', { secret: 'liaison' })).rejects.toMatchObject({ kind: 'wrongPassphrase' });
    await call('unlock', { secret: 'a new passphrase' });
  });

  it('says what is wrong with a new PIN before asking the desk, in French too', async () => {
    const b = installMock({ protection: 'keyring', pin: '482913' });
    const asked: string[] = [];
    const invoke = b.invoke.bind(b);
    b.invoke = (name, args) => {
      asked.push(name);
      return invoke(name, args);
    };
    await setLanguage('fr');
    const { getByTestId, findByTestId } = render(ChangeSecret, { protection: 'keyring' });
    expect(getByTestId('change-secret').textContent).toContain('code PIN');

    await fill(getByTestId, '482913', '123456');
    expect((await findByTestId('secret-error')).textContent).toMatch(/chiffres consécutifs|consécutifs/);
    await fill(getByTestId, '482913', '905731', '905732');
    await waitFor(() => expect(getByTestId('secret-error').textContent).toContain('diffèrent'));
    expect(asked).not.toContain('change_secret');

    await fill(getByTestId, '482913', '905731');
    await findByTestId('secret-done');
    expect(b.state.pin).toBe('905731');
  });
});
