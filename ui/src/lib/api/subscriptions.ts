// Event subscriptions a component opens while mounting. `on()` resolves only
// once the shell has registered the listener; a component destroyed before
// that (the profile locked, another channel opened) has already run its
// cleanup, so an unsubscribe function pushed to a list afterwards is never
// called and the listener stays for the life of the page.

export class Subscriptions {
  #stops: (() => void)[] = [];
  #closed = false;

  /** The owner is gone: what it was still setting up should stop. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Subscribes and keeps the unsubscribe function; if closed meanwhile,
   * unsubscribes as soon as it arrives. Once closed, does not subscribe.
   */
  async add(subscribe: () => Promise<() => void>): Promise<void> {
    if (this.#closed) return;
    const stop = await subscribe();
    if (this.#closed) stop();
    else this.#stops.push(stop);
  }

  /** Unsubscribes what is registered, and anything still on its way. */
  close(): void {
    this.#closed = true;
    for (const stop of this.#stops.splice(0)) stop();
  }
}
