// Plain-words explanations of why a message was not sent, by error kind. The
// core's own message (English, specific) is shown under it.

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
