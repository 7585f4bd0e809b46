// Translations through i18next, made reactive for Svelte: `t()` reads the
// current language from a rune, so every template that calls it re-renders
// when the language changes.

import i18next from 'i18next';
import en from '../../locales/en.json';
import fr from '../../locales/fr.json';

/** Languages the UI ships. */
export type Language = 'en' | 'fr';
export const LANGUAGES: readonly Language[] = ['en', 'fr'];

const state = $state<{ language: Language }>({ language: 'en' });

i18next.init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: LANGUAGES as Language[],
  initAsync: false,
  returnNull: false,
  // Svelte escapes text itself; escaping here would double it.
  interpolation: { escapeValue: false },
});

/** Narrows any string to a shipped language (English when unknown). */
export function asLanguage(value: string | undefined): Language {
  const base = (value ?? '').slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}

/** Translates a key; reactive in templates. */
export function t(key: string, options?: Record<string, unknown>): string {
  // Reading the rune subscribes the caller to language changes.
  void state.language;
  return i18next.t(key, options ?? {}) as string;
}

/** The current UI language. */
export function language(): Language {
  return state.language;
}

/** Switches the UI language (and the document's `lang`). */
export async function setLanguage(lang: Language): Promise<void> {
  await i18next.changeLanguage(lang);
  state.language = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/**
 * The locale for dates and numbers: the user's own locale when it speaks the
 * UI language (fr-CA stays fr-CA), otherwise the UI language itself.
 */
export function locale(): string {
  const lang = state.language;
  const preferred = typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : [];
  return preferred.find((l) => l.toLowerCase().startsWith(lang)) ?? lang;
}
