import { describe, expect, it, vi } from 'vitest';
import { Subscriptions } from './subscriptions';

/** A subscription that resolves when told to. */
function pending(): { subscribe: () => Promise<() => void>; stop: () => void; resolve: () => void } {
  const stop = vi.fn();
  let resolve!: () => void;
  const ready = new Promise<void>((r) => (resolve = r));
  return { subscribe: () => ready.then(() => stop), stop, resolve };
}

describe('Subscriptions', () => {
  it('unsubscribes what it holds on close, once', async () => {
    const subs = new Subscriptions();
    const a = pending();
    a.resolve();
    await subs.add(a.subscribe);
    expect(a.stop).not.toHaveBeenCalled();
    subs.close();
    subs.close();
    expect(a.stop).toHaveBeenCalledOnce();
  });

  it('unsubscribes at once what arrives after close', async () => {
    const subs = new Subscriptions();
    const late = pending();
    const adding = subs.add(late.subscribe);
    subs.close();
    expect(subs.closed).toBe(true);
    late.resolve();
    await adding;
    expect(late.stop).toHaveBeenCalledOnce();
  });

  it('does not subscribe once closed', async () => {
    const subs = new Subscriptions();
    subs.close();
    const subscribe = vi.fn(async () => () => {});
    await subs.add(subscribe);
    expect(subscribe).not.toHaveBeenCalled();
  });
});
