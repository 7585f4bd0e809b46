// The relay connection as the shell reports it.

import { call, on } from '../api/api';
import type { ConnectionState } from '../api/types';

class Connection {
  state = $state<ConnectionState>('connecting');

  /** Reads the current state and follows changes; returns the stop function. */
  async follow(): Promise<() => void> {
    const stop = await on('connection', (s) => (this.state = s));
    try {
      this.state = await call('connection_state');
    } catch (e) {
      // The caller never gets `stop`: the listener would outlive it.
      stop();
      throw e;
    }
    return stop;
  }
}

export const connection = new Connection();
