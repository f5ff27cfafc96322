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
}

/**
 * A cache of loads by key in which the same load is never in flight twice: concurrent callers
 * share one. A failed load is forgotten, so the next call tries again. A load is cancelled only
 * when every caller waiting for it has cancelled (and none waits without a way to cancel).
 */
export class SharedLoads<T> {
  private readonly entries = new Map<string, Entry<T>>();

  get(key: string, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    let entry = this.entries.get(key);
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

  /** The value of a load that has succeeded, without loading. */
  peek(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  /** Forgets every load, cancelling what is in flight. */
  forget(): void {
    for (const entry of this.entries.values()) {
      if (!entry.settled) entry.controller.abort();
    }
    this.entries.clear();
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
