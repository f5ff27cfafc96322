import { abortable } from './abort';
import { CancelledError } from './errors';

interface Entry<T> {
  promise: Promise<T>;
  controller: AbortController;
  settled: boolean;
  value?: T;
  waiters: number;
  /** A caller that cannot cancel waits for it: it is never cancelled. */
  pinned: boolean;
  /** A value kept from before (see `seed`): answered at once while a fresh load replaces it. */
  stale?: 'waiting' | 'revalidating' | 'kept';
}

/**
 * A cache of loads by key in which the same load is never in flight twice: concurrent callers
 * share one. A failed load is forgotten, so the next call tries again. A load is cancelled only
 * when every caller waiting for it has cancelled (and none waits without a way to cancel).
 *
 * Values seeded from before are stale-while-revalidate: the first `get` answers the seeded value
 * at once and starts a fresh load behind it, whose value replaces it (`onRefreshed` is told). A
 * fresh load that fails keeps the seeded value; `forget` drops it.
 */
export class SharedLoads<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly onRefreshed: (key: string) => void = () => undefined) {}

  get(key: string, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    let entry = this.entries.get(key);
    if (entry?.stale === 'waiting') this.revalidate(key, entry, load);
    if (!entry) {
      const controller = new AbortController();
      const created: Entry<T> = { promise: load(controller.signal), controller, settled: false, waiters: 0, pinned: false };
      created.promise.then(
        (value) => {
          created.settled = true;
          created.value = value;
        },
        () => {
          created.settled = true;
          if (this.entries.get(key) === created) this.entries.delete(key);
        },
      );
      this.entries.set(key, created);
      entry = created;
    }
    if (!signal) entry.pinned = true;
    if (entry.settled || !signal) return entry.promise;
    return this.wait(key, entry, signal);
  }

  /** The value of a load that has succeeded (or was seeded), without loading. */
  peek(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  /** Every key with a value, and the value. */
  values(): Array<[string, T]> {
    return [...this.entries].flatMap(([key, entry]) => (entry.settled && entry.value !== undefined ? [[key, entry.value]] : []));
  }

  /** Keeps a value from before; the next `get` answers it and loads afresh behind it. */
  seed(key: string, value: T): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, {
      promise: Promise.resolve(value),
      controller: new AbortController(),
      settled: true,
      value,
      waiters: 0,
      pinned: true,
      stale: 'waiting',
    });
  }

  /** How many seeded values have not been replaced by a fresh load yet. */
  get staleCount(): number {
    return [...this.entries.values()].filter((entry) => entry.stale === 'waiting' || entry.stale === 'revalidating').length;
  }

  /** Forgets the value of one key, so that the next `get` loads afresh; a load in flight goes on for its waiters. */
  drop(key: string): void {
    const entry = this.entries.get(key);
    if (entry?.settled) this.entries.delete(key);
  }

  /** Forgets every load, cancelling what is in flight. */
  forget(): void {
    for (const entry of this.entries.values()) {
      if (!entry.settled || entry.stale === 'revalidating') entry.controller.abort();
    }
    this.entries.clear();
  }

  private revalidate(key: string, entry: Entry<T>, load: (signal: AbortSignal) => Promise<T>): void {
    entry.stale = 'revalidating';
    load(entry.controller.signal).then(
      (value) => {
        if (this.entries.get(key) !== entry) return;
        entry.value = value;
        entry.promise = Promise.resolve(value);
        entry.stale = undefined;
        this.onRefreshed(key);
      },
      () => {
        // The kept value stays; it is not asked for again until the cache is forgotten.
        if (this.entries.get(key) === entry) entry.stale = 'kept';
      },
    );
  }

  private wait(key: string, entry: Entry<T>, signal: AbortSignal): Promise<T> {
    entry.waiters++;
    const onAbort = () => {
      entry.waiters--;
      if (entry.waiters === 0 && !entry.settled && !entry.pinned) {
        entry.controller.abort();
        if (this.entries.get(key) === entry) this.entries.delete(key);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const release = () => signal.removeEventListener('abort', onAbort);
    entry.promise.then(release, release);
    return abortable(entry.promise, signal);
  }
}
