// A thread's messages fetched lazily, one page at a time, through
// `thread_page`, and kept in a bounded cache (least recently used pages go
// first, never the ones on screen).

import type { MessageView, ThreadPage } from '../api/types';

export type FetchPage = (start: number, count: number) => Promise<ThreadPage>;

export class PageCache {
  readonly pageSize: number;
  readonly maxPages: number;
  #total = 0;
  #pages = new Map<number, MessageView[]>();
  #inflight = new Map<number, Promise<void>>();
  /** Bumped when a page is invalidated, so a stale answer in flight is dropped. */
  #epochs = new Map<number, number>();
  #pinned: [number, number] = [0, -1];
  #fetch: FetchPage;
  #onChange: () => void;
  #onError: (e: unknown) => void;

  constructor(
    fetch: FetchPage,
    onChange: () => void,
    onError: (e: unknown) => void = () => {},
    pageSize = 100,
    maxPages = 40,
  ) {
    this.#fetch = fetch;
    this.#onChange = onChange;
    this.#onError = onError;
    this.pageSize = pageSize;
    this.maxPages = maxPages;
  }

  /** Messages in the thread, as of the last page fetched. */
  get total(): number {
    return this.#total;
  }

  /** Number of pages held (for tests). */
  get cachedPages(): number {
    return this.#pages.size;
  }

  /** Message `i` if its page is here. */
  at(i: number): MessageView | undefined {
    return this.#pages.get(Math.floor(i / this.pageSize))?.[i % this.pageSize];
  }

  /** Fetches whatever pages of [first, last] are missing; returns when they are in. */
  ensure(first: number, last: number): Promise<void> {
    const from = Math.floor(Math.max(0, first) / this.pageSize);
    const to = Math.floor(Math.max(0, last) / this.pageSize);
    this.#pinned = [from, to];
    const waits: Promise<void>[] = [];
    for (let p = from; p <= to; p++) {
      if (p * this.pageSize >= this.#total && this.#total > 0) break;
      if (this.#pages.has(p)) {
        this.#touch(p);
        continue;
      }
      waits.push(this.#load(p));
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Loads page `p` (deduplicated while in flight). */
  #load(p: number): Promise<void> {
    const running = this.#inflight.get(p);
    if (running) return running;
    const epoch = this.#epochs.get(p) ?? 0;
    const job = this.#fetch(p * this.pageSize, this.pageSize)
      .then((page) => {
        this.#inflight.delete(p);
        if ((this.#epochs.get(p) ?? 0) !== epoch) return;
        this.#total = page.total;
        this.#pages.set(p, page.messages);
        this.#evict();
        this.#onChange();
      })
      .catch((e) => {
        this.#inflight.delete(p);
        this.#onError(e);
      });
    this.#inflight.set(p, job);
    return job;
  }

  #touch(p: number): void {
    const v = this.#pages.get(p);
    if (v) {
      this.#pages.delete(p);
      this.#pages.set(p, v);
    }
  }

  #evict(): void {
    const [from, to] = this.#pinned;
    for (const p of this.#pages.keys()) {
      if (this.#pages.size <= this.maxPages) break;
      if (p >= from && p <= to) continue;
      this.#pages.delete(p);
    }
  }

  /** Drops page `p` so the next `ensure` fetches it again. */
  invalidate(p: number): void {
    this.#pages.delete(p);
    this.#epochs.set(p, (this.#epochs.get(p) ?? 0) + 1);
    this.#inflight.delete(p);
  }

  /** Refetches the page holding message `id`, if cached (acknowledgements changed). */
  refresh(id: string): Promise<void> {
    for (const [p, msgs] of this.#pages) {
      if (msgs.some((m) => m.id === id)) {
        this.invalidate(p);
        return this.#load(p);
      }
    }
    return Promise.resolve();
  }

  /**
   * The thread grew: drops the partial last page and fetches from there.
   * `changedFrom` is the lowest index whose message changed in place (a
   * message placed before the user's pending ones, or one of the user's
   * own ordered by the relay): every cached page from there is dropped
   * too. Resolves with the new total.
   */
  async grow(changedFrom?: number): Promise<number> {
    const p = Math.floor(this.#total / this.pageSize);
    if (changedFrom !== undefined) {
      const first = Math.floor(Math.max(0, changedFrom) / this.pageSize);
      for (const cached of [...this.#pages.keys()]) if (cached >= first) this.invalidate(cached);
    }
    if (this.#total % this.pageSize !== 0 || this.#pages.has(p)) this.invalidate(p);
    await this.#load(p);
    return this.#total;
  }

  /** Searches cached pages, newest first. */
  findLast(pred: (m: MessageView) => boolean): MessageView | undefined {
    const pages = [...this.#pages.keys()].sort((a, b) => b - a);
    for (const p of pages) {
      const msgs = this.#pages.get(p) ?? [];
      for (let k = msgs.length - 1; k >= 0; k--) if (pred(msgs[k])) return msgs[k];
    }
    return undefined;
  }
}
