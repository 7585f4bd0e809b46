// Control over a backend's event subscriptions, for tests of what a component
// leaves behind when it is destroyed while still subscribing.

import type { Backend } from '../api/backend';

export interface HeldListens {
  /** Subscriptions asked for so far, resolved or not. */
  asked(): string[];
  /** Listeners registered and not yet removed, by event name. */
  live(): string[];
  /** Lets every held subscription (and any later one) resolve. */
  release(): void;
}

/** Holds every `listen` of `backend` until `release()`. */
export function holdListens(backend: Backend): HeldListens {
  const listen = backend.listen.bind(backend);
  const asked: string[] = [];
  const live = new Map<number, string>();
  let next = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));

  backend.listen = async (event, handler) => {
    asked.push(event);
    await released;
    const stop = await listen(event, handler);
    const id = next++;
    live.set(id, event);
    return () => {
      live.delete(id);
      stop();
    };
  };

  return { asked: () => [...asked], live: () => [...live.values()], release };
}
