/**
 * The retry policy, in one place: after a failed attempt, whether a request is sent again and
 * how long to wait first. The transport runs every request through `withRetries`; nothing else in
 * the data layer retries a failure. (The session's one fresh key exchange after a 401 is about
 * credentials, and a 401 is never retried here.) Pacing and which calls may retry: contract.ts.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { RetryMode, RetryPacing } from './contract';
import { NetworkError, type NetworkFailure, ServerError } from './errors';

/** The statuses with which a server says it did not process a request, and may say when to retry. */
const NOT_PROCESSED = new Set([429, 503]);
/** Failures of the connection that a read may retry; a DNS, TLS or size failure would only repeat. */
const TRANSIENT: ReadonlySet<NetworkFailure> = new Set(['reset', 'refused', 'timeout']);

/**
 * The wait before retry number `retries` (0 for the first retry) after `error`, or undefined when
 * the request must not be sent again: its mode forbids it, it has had its retries, or the wait
 * would not end before the deadline (`remainingMs` from now).
 */
export function retryDelay(
  mode: RetryMode,
  error: unknown,
  retries: number,
  remainingMs: number,
  pacing: RetryPacing,
  random: () => number = Math.random,
): number | undefined {
  if (mode === 'none' || retries >= pacing.maxRetries) return undefined;
  const backoff = () => random() * Math.min(pacing.maxDelayMs, pacing.baseDelayMs * 2 ** retries);
  let wait: number | undefined;
  if (error instanceof ServerError && NOT_PROCESSED.has(error.status)) {
    const asked = error.retryAfterMs;
    wait = asked === undefined ? backoff() : asked <= pacing.maxRetryAfterMs ? asked : undefined;
  } else if (mode === 'idempotent') {
    const transient =
      (error instanceof ServerError && error.status >= 500) ||
      (error instanceof NetworkError && TRANSIENT.has(error.failure));
    wait = transient ? backoff() : undefined;
  }
  return wait !== undefined && wait < remainingMs ? wait : undefined;
}

export interface RetryBudget {
  mode: RetryMode;
  pacing: RetryPacing;
  /** When the request's deadline ends, on the `performance.now()` clock. */
  endsAt: number;
  /** Aborts on the caller's cancellation or the deadline: stops a wait at once. */
  signal: AbortSignal;
}

/**
 * Runs `attempt` (given the number of retries so far) until it succeeds or the policy says stop,
 * then rethrows its last error. A wait rejects with the signal's AbortError as soon as the signal
 * aborts; the caller turns that into a cancellation or a timeout.
 */
export async function withRetries<T>(budget: RetryBudget, attempt: (retries: number) => Promise<T>): Promise<T> {
  for (let retries = 0; ; retries++) {
    try {
      return await attempt(retries);
    } catch (error) {
      const wait = retryDelay(budget.mode, error, retries, budget.endsAt - performance.now(), budget.pacing);
      if (wait === undefined) throw error;
      await delay(wait, undefined, { signal: budget.signal });
    }
  }
}
