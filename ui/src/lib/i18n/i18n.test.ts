import { render } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import en from '../../locales/en.json';
import fr from '../../locales/fr.json';
import HelpDialog from '../shell/HelpDialog.svelte';
import { dtgText, localText, utcText } from './format';
import { asLanguage, setLanguage, t } from './i18n.svelte';

type Tree = { [k: string]: string | Tree };

/** Keys with plural suffixes folded, so French "many" forms don't count as extra. */
function keys(tree: Tree, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.add(prefix + k.replace(/_(one|many|other)$/, ''));
    else for (const x of keys(v, `${prefix}${k}.`)) out.add(x);
  }
  return out;
}

afterEach(() => setLanguage('en'));

describe('i18n', () => {
  it('switches the UI to French', async () => {
    const { getByRole } = render(HelpDialog, { onclose: () => {} });
    expect(getByRole('dialog').textContent).toContain('Keyboard shortcuts');
    await setLanguage('fr');
    await Promise.resolve();
    expect(getByRole('dialog').textContent).toContain('Raccourcis clavier');
    expect(getByRole('dialog').textContent).not.toContain('Keyboard shortcuts');
    expect(document.documentElement.lang).toBe('fr');
  });

  it('has the same keys in English and French', () => {
    expect([...keys(fr as Tree)].sort()).toEqual([...keys(en as Tree)].sort());
  });

  it('uses French plural rules', async () => {
    await setLanguage('fr');
    expect(t('search.count', { count: 0 })).toBe('0 résultat');
    expect(t('search.count', { count: 2 })).toBe('2 résultats');
    await setLanguage('en');
    expect(t('search.count', { count: 0 })).toBe('0 results');
  });

  it('falls back to English for an unknown language', () => {
    expect(asLanguage('de-DE')).toBe('en');
    expect(asLanguage('fr-CA')).toBe('fr');
  });
});

describe('dates', () => {
  const ms = Date.UTC(2025, 2, 14, 9, 5, 7);

  it('gives the UTC time for coordination across time zones', () => {
    expect(utcText(ms)).toBe('2025-03-14 09:05:07 UTC');
  });

  it('gives the date-time group in Zulu time', () => {
    expect(dtgText(ms)).toBe('140905Z MAR 25');
    expect(dtgText(Date.UTC(2026, 11, 7, 23, 59))).toBe('072359Z DEC 26');
  });

  it('reads the local time on the 24-hour clock, the day before the month', () => {
    // Local constructors: whatever the machine's time zone, 21:05 local.
    const evening = new Date(2025, 2, 14, 21, 5).getTime();
    const later = evening + 10 * 86_400_000;
    for (const locale of ['en-US', 'en-GB', 'en', 'fr-FR', 'fr']) {
      expect(localText(evening, locale, evening + 60_000)).toBe('21:05');
      const full = localText(evening, locale, later);
      expect(full).toContain('21:05');
      expect(full).not.toMatch(/PM/i);
      expect(full.indexOf('14')).toBeLessThan(full.search(/mar/i));
    }
  });

  it('formats in the locale asked for', () => {
    const now = ms + 10 * 86_400_000;
    expect(localText(ms, 'fr-FR', now)).toContain('mars');
    expect(localText(ms, 'en-GB', now)).toContain('Mar');
  });
});
