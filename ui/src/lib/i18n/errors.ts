// Errors and refusals in the officer's language. The backend gives each
// refusal a stable `code` and its `params` (markings, officers, nations, an
// excess over the ceiling with its own `kind`…) beside an English
// `message`; the window says the code's sentence from the locales
// (`errors.codes.<code>`) and falls back to the English message only for a
// code it does not know. Errors without a code are said by kind when the
// kind says everything (a wrong PIN), by their message otherwise.

import i18next from 'i18next';
import { toAppError } from '../api/api';
import type { AppError } from '../api/types';
import { t } from './i18n.svelte';

type Params = Record<string, unknown>;

/** Kinds whose meaning is the whole of the error. */
const SAID_BY_KIND = new Set(['wrongPassphrase', 'wrongPin', 'tooManyAttempts', 'locked', 'noProfile']);

const isObject = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether the locales hold `key` (in the current language or English). */
export function hasKey(key: string): boolean {
  return i18next.exists(key);
}

/**
 * One nested part of a refusal (an excess over the ceiling, why a clearance
 * falls short, why a certificate failed): its own sentence by `kind`, or
 * its English `text`.
 */
function part(value: Params): string {
  const kind = typeof value.kind === 'string' ? value.kind : 'other';
  const key = `errors.parts.${kind}`;
  if (kind !== 'other' && hasKey(key)) return t(key, formatParams(value));
  return typeof value.text === 'string' ? value.text : '';
}

/** A list's items joined as the language joins them. */
function joined(items: string[]): string {
  return items.join(t('errors.listSeparator'));
}

/** A parameter as the sentence shows it. */
function formatValue(key: string, value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.every(isObject)) return value.map((v) => part(v as Params)).join(t('errors.partSeparator'));
    return joined(value.map(String));
  }
  if (isObject(value)) return part(value);
  if (typeof value === 'string') {
    const valueKey = `errors.values.${key}.${value}`;
    if ((key === 'reference' || key === 'action') && hasKey(valueKey)) return t(valueKey);
  }
  return value;
}

/** Every parameter as the sentence shows it (nested parts said, lists joined). */
export function formatParams(params: Params | undefined): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params ?? {})) out[key] = formatValue(key, value);
  return out;
}

/**
 * The sentence of a refusal `code` with its `params`, or `fallback` (the
 * English) when the locales do not know the code.
 */
export function refusalText(code: string | undefined, params: Params | undefined, fallback: string): string {
  if (code && code !== 'other' && hasKey(`errors.codes.${code}`)) {
    return t(`errors.codes.${code}`, formatParams(params));
  }
  return fallback;
}

/** An error from the backend in the UI's language. */
export function appErrorText(error: AppError): string {
  const params = error.params as Params | undefined;
  if (error.code && error.code !== 'other' && hasKey(`errors.codes.${error.code}`)) {
    return refusalText(error.code, params, error.message);
  }
  if (SAID_BY_KIND.has(error.kind)) {
    return t(`errors.kinds.${error.kind}`, { seconds: error.retryAfterSeconds ?? 30 });
  }
  return error.message || t(`errors.kinds.${error.kind}`, { defaultValue: t('errors.kinds.internal') });
}

/** Anything a command rejected with, in the UI's language. */
export function errorText(raw: unknown): string {
  return appErrorText(toAppError(raw));
}
