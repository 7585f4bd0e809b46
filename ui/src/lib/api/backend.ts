// What `api.ts` needs from whatever answers the commands: the Tauri shell in
// the desktop app, or the in-memory mock in tests and in a plain browser.

import type { Progress } from './types';

export interface Backend {
  /** Runs a command; rejects with whatever the backend rejects with (normalised by `api.ts`). */
  invoke(name: string, args: Record<string, unknown>): Promise<unknown>;
  /** Subscribes to an event; resolves with the function that unsubscribes. */
  listen(event: string, handler: (payload: unknown) => void): Promise<() => void>;
  /** Makes the value passed as `onProgress` to export/import commands. */
  progressChannel(onProgress: (progress: Progress) => void): unknown;
}
