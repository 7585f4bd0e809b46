// The one door to the backend. Components call `call('list_channels')` and
// `on('messages', …)` with names and payloads checked against `types.ts`;
// every rejection comes out as a `CommandError` whose `kind` the UI switches on.

import type { Backend } from './backend';
import type { AppError, AppErrorKind, Commands, Events, Progress } from './types';

const KINDS: readonly AppErrorKind[] = [
  'noProfile',
  'locked',
  'wrongPassphrase',
  'wrongPin',
  'tooManyAttempts',
  'keyringUnavailable',
  'invalidInput',
  'labelRefused',
  'ruleViolation',
  'forbidden',
  'notFound',
  'offline',
  'certificate',
  'internal',
];

/**
 * A command failed; `kind` says how, `message` says it in plain English
 * words, and a refusal's `code` with its `params` lets the UI say it in the
 * officer's language (`i18n/errors.ts`).
 */
export class CommandError extends Error implements AppError {
  readonly kind: AppErrorKind;
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  readonly code?: string;
  readonly params?: Record<string, unknown>;

  constructor(error: AppError) {
    super(error.message);
    this.name = 'CommandError';
    this.kind = error.kind;
    this.field = error.field;
    this.retryAfterSeconds = error.retryAfterSeconds;
    this.code = error.code;
    this.params = error.params;
  }
}

/** Turns anything a backend may reject with into an `AppError`. */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof CommandError)
    return {
      kind: raw.kind,
      message: raw.message,
      field: raw.field,
      retryAfterSeconds: raw.retryAfterSeconds,
      code: raw.code,
      params: raw.params,
    };
  if (typeof raw === 'object' && raw !== null) {
    const r = raw as Record<string, unknown>;
    const kind = KINDS.includes(r.kind as AppErrorKind) ? (r.kind as AppErrorKind) : 'internal';
    const message = typeof r.message === 'string' ? r.message : '';
    const field = typeof r.field === 'string' ? r.field : undefined;
    const retryAfterSeconds = typeof r.retryAfterSeconds === 'number' ? r.retryAfterSeconds : undefined;
    const code = typeof r.code === 'string' ? r.code : undefined;
    const params =
      typeof r.params === 'object' && r.params !== null && !Array.isArray(r.params)
        ? (r.params as Record<string, unknown>)
        : undefined;
    return { kind, message, field, retryAfterSeconds, code, params };
  }
  return { kind: 'internal', message: typeof raw === 'string' ? raw : '' };
}

let backend: Backend | undefined;

/** Installs the backend (tests install the mock directly). */
export function useBackend(b: Backend): void {
  backend = b;
}

/** The installed backend; throws if `connect` has not run. */
export function currentBackend(): Backend {
  if (!backend) throw new CommandError({ kind: 'internal', message: 'backend not connected' });
  return backend;
}

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

/**
 * Picks the backend: Tauri inside the desktop shell; the in-memory mock only in
 * development and test builds (or a build made with VITE_LIAISON_MOCK=1 for
 * design reviews). A production build outside Tauri refuses to run.
 */
export async function connect(): Promise<Backend> {
  if (backend) return backend;
  if (typeof window !== 'undefined' && window.__TAURI_INTERNALS__) {
    const { tauriBackend } = await import('./tauri');
    backend = tauriBackend;
  } else if (import.meta.env.DEV || import.meta.env.VITE_LIAISON_MOCK === '1') {
    const { createMockBackend } = await import('./mock/backend');
    // `?mock=unlocked` (or `locked`) skips onboarding while designing.
    const phase = new URLSearchParams(location.search).get('mock');
    backend = createMockBackend({
      simulate: true,
      latencyMs: 60,
      phase: phase === 'locked' || phase === 'unlocked' ? phase : undefined,
    });
  } else {
    throw new CommandError({ kind: 'internal', message: 'Liaison must run inside its desktop application.' });
  }
  return backend;
}

type Args<K extends keyof Commands> = Commands[K][0];
type ArgList<K extends keyof Commands> =
  Record<string, never> extends Args<K> ? [args?: Args<K>] : [args: Args<K>];

const lockedListeners = new Set<() => void>();

/**
 * Called whenever a command fails because the profile is locked, so the UI
 * hides everything even if it missed the shell's `locked` event.
 */
export function onLockedError(listener: () => void): () => void {
  lockedListeners.add(listener);
  return () => lockedListeners.delete(listener);
}

function failure(e: unknown): CommandError {
  const err = new CommandError(toAppError(e));
  if (err.kind === 'locked') lockedListeners.forEach((l) => l());
  return err;
}

/** Runs a command; rejects with a `CommandError`. */
export async function call<K extends keyof Commands>(name: K, ...args: ArgList<K>): Promise<Commands[K][1]> {
  try {
    return (await currentBackend().invoke(
      name,
      (args[0] ?? {}) as Record<string, unknown>,
    )) as Commands[K][1];
  } catch (e) {
    throw failure(e);
  }
}

type ProgressCommand = 'export_archive' | 'import_archive';

/** Runs an export or import, reporting progress through a Tauri `Channel<Progress>`. */
export async function callWithProgress<K extends ProgressCommand>(
  name: K,
  args: Omit<Args<K>, 'onProgress'>,
  onProgress: (p: Progress) => void,
): Promise<Commands[K][1]> {
  const b = currentBackend();
  try {
    const onProgressChannel = b.progressChannel(onProgress);
    return (await b.invoke(name, { ...args, onProgress: onProgressChannel })) as Commands[K][1];
  } catch (e) {
    throw failure(e);
  }
}

/** Subscribes to a shell event; resolves with the unsubscribe function. */
export function on<E extends keyof Events>(
  name: E,
  handler: (payload: Events[E]) => void,
): Promise<() => void> {
  return currentBackend().listen(name, (p) => handler(p as Events[E]));
}
