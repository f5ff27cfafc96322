/**
 * Sends an event to a webhook link the way a provider does: a JSON POST with nothing of the
 * person's Ductape session (no token, no key, no cookie), no redirect followed, within a
 * deadline, the answer's body read up to a limit. It is not a call of Ductape's API: the intake
 * host is whatever the link says, so it goes through no API transport.
 */
import { CancelledError, InputError, NetworkError } from './errors';
import { networkFailureOf } from './http';

/** Choice: a sample delivery ends within this long (Ductape answers the intake quickly). */
export const LINK_DEADLINE_MS = 15_000;
/** Choice: at most this much of the answer's body is kept: it is shown, not processed. */
export const LINK_RESPONSE_LIMIT = 64 * 1024;

export interface LinkAnswer {
  status: number;
  durationMs: number;
  /** The answer's body as text, cut at LINK_RESPONSE_LIMIT bytes. */
  body: string;
  truncated: boolean;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Replaces LINK_DEADLINE_MS (tests). */
  deadlineMs?: number;
  /** Replaces LINK_RESPONSE_LIMIT (tests). */
  responseLimit?: number;
}

export async function sendToLink(link: string, body: unknown, options: SendOptions = {}): Promise<LinkAnswer> {
  const url = checkLink(link);
  if (options.signal?.aborted) throw new CancelledError();
  const deadlineMs = options.deadlineMs ?? LINK_DEADLINE_MS;
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, */*' },
      body: JSON.stringify(body ?? null),
      redirect: 'manual',
      credentials: 'omit',
      signal,
    });
    const { text, truncated } = await readLimited(response, options.responseLimit ?? LINK_RESPONSE_LIMIT);
    return { status: response.status, durationMs: performance.now() - started, body: text, truncated };
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError();
    if (deadline.aborted) throw new NetworkError(url.host, 'timeout', `after ${deadlineMs} ms`);
    throw new NetworkError(url.host, ...networkFailureOf(error));
  }
}

/** Only an absolute http(s) URL without credentials in it is a link to send to. */
function checkLink(link: string): URL {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new InputError('link', 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError('link', 'only http and https links can be sent to');
  if (url.username || url.password) throw new InputError('link', 'a link must not carry a user name or password');
  return url;
}

/** The body's first `limit` bytes as text; the rest is not read (the connection is dropped). */
async function readLimited(response: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > limit) {
      chunks.push(value.subarray(0, limit - size));
      size = limit;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}
