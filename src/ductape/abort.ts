import { setMaxListeners } from 'node:events';
import { CancelledError } from './errors';

/**
 * A signal that aborts with `signal` and takes any number of listeners, for one caller's signal
 * shared by a fan-out of loads (a large account has hundreds), which would otherwise trip Node's
 * "possible memory leak" warning at eleven. The caller's own signal is left as it is.
 */
export function fanOutSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  if (!signal) return undefined;
  const follower = AbortSignal.any([signal]);
  setMaxListeners(0, follower);
  return follower;
}

/**
 * Waits for a promise that other callers may share, giving up (for this caller only) when its
 * signal aborts. The shared work itself goes on for the others.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    const stopListening = () => signal.removeEventListener('abort', onAbort);
    // Settles as the shared promise does, with its value or its own rejection reason as it is.
    promise.then(stopListening, stopListening);
    promise.then(resolve, reject);
  });
}
