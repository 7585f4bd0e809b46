// Plain-words explanations of why a message was not sent, by error kind. What
// exactly was refused (the desk's coded refusal, said in the UI's language by
// `i18n/errors.ts`) is shown under it.

import type { AppErrorKind } from '../api/types';

const KNOWN: readonly AppErrorKind[] = [
  'labelRefused',
  'forbidden',
  'invalidInput',
  'offline',
  'locked',
  'notFound',
  'ruleViolation',
];

/** The i18n key explaining a refused send. */
export function sendErrorKey(kind: AppErrorKind): string {
  return KNOWN.includes(kind) ? `composer.errors.${kind}` : 'composer.errors.other';
}
