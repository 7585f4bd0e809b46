// The real backend: Tauri's IPC. Loaded only inside the desktop shell.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Backend } from './backend';
import type { Progress } from './types';

export const tauriBackend: Backend = {
  invoke: (name, args) => invoke(name, args),
  async listen(event, handler) {
    return listen(event, (e) => handler(e.payload));
  },
  progressChannel(onProgress) {
    return new Channel<Progress>(onProgress);
  },
};
