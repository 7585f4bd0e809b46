import { afterEach, describe, expect, it } from 'vitest';
import { CommandError } from '../api/api';
import { appErrorText, errorText, refusalText } from './errors';
import { setLanguage } from './i18n.svelte';

afterEach(() => setLanguage('en'));

const aboveCeiling = new CommandError({
  kind: 'labelRefused',
  code: 'aboveCeiling',
  message: 'English words',
  params: {
    label: 'COSMIC TOP SECRET//REL TO GBR',
    ceiling: 'NATO SECRET//REL TO FRA, GBR',
    excess: [
      { kind: 'level', level: 'COSMIC TOP SECRET', limit: 'NATO SECRET', text: 'x' },
      { kind: 'leavesOutNations', nations: ['FRA'], text: 'y' },
    ],
  },
});

describe('errors in the officer’s language', () => {
  it('says a ceiling refusal with each way the label exceeds it, in French too', async () => {
    expect(errorText(aboveCeiling)).toBe(
      'COSMIC TOP SECRET//REL TO GBR is above the channel ceiling NATO SECRET//REL TO FRA, GBR: ' +
        'COSMIC TOP SECRET is above NATO SECRET; its REL TO leaves out FRA, which the ceiling releases to.',
    );
    await setLanguage('fr');
    expect(errorText(aboveCeiling)).toBe(
      'COSMIC TOP SECRET//REL TO GBR dépasse le plafond du canal NATO SECRET//REL TO FRA, GBR : ' +
        'COSMIC TOP SECRET est au-dessus de NATO SECRET ; sa mention REL TO exclut FRA, alors que le plafond leur est diffusable.',
    );
  });

  it('says PIN and passphrase errors in French', async () => {
    await setLanguage('fr');
    expect(
      appErrorText({ kind: 'invalidInput', code: 'pinTooShort', params: { min: 6 }, message: 'x' }),
    ).toBe('Le code PIN doit comporter au moins 6 chiffres ou caractères.');
    expect(appErrorText({ kind: 'invalidInput', code: 'passphraseMissing', message: 'x' })).toBe(
      'Saisissez votre phrase secrète.',
    );
    expect(appErrorText({ kind: 'wrongPin', message: 'the PIN is not correct' })).toBe(
      'Ce code PIN n’est pas le bon. Réessayez.',
    );
    expect(appErrorText({ kind: 'tooManyAttempts', retryAfterSeconds: 12, message: 'x' })).toBe(
      'Trop de tentatives erronées. Réessayez dans 12 secondes.',
    );
  });

  it('names the admin action and the rule in French', async () => {
    await setLanguage('fr');
    expect(
      appErrorText({
        kind: 'forbidden',
        code: 'notAdmin',
        params: { officer: 'FRA-0042', action: 'changePolicy', actionText: 'change the channel policy' },
        message: 'x',
      }),
    ).toBe('FRA-0042 n’est pas administrateur de ce canal et ne peut pas modifier les règles du canal.');
    expect(
      appErrorText({
        kind: 'ruleViolation',
        code: 'notAdmitted',
        params: {
          officer: 'DEU-2203',
          why: { kind: 'levelTooLow', held: 'NATO CONFIDENTIAL', required: 'NATO SECRET' },
        },
        message: 'x',
      }),
    ).toBe(
      'DEU-2203 ne peut pas rejoindre le canal : l’habilitation NATO CONFIDENTIAL est inférieure à NATO SECRET.',
    );
  });

  it('falls back to the English words for a code it does not know, and for a part', () => {
    expect(appErrorText({ kind: 'ruleViolation', code: 'fromTheFuture', message: 'Said in English.' })).toBe(
      'Said in English.',
    );
    expect(refusalText('invalidLabel', { why: { kind: 'other', text: 'odd marking' } }, 'fallback')).toBe(
      'This marking is not valid: odd marking.',
    );
    expect(appErrorText({ kind: 'offline', message: '' })).toBe('The relay cannot be reached.');
  });
});
