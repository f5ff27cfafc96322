/**
 * JSON over HTTP with the global `fetch`: undici in Node, with its keep-alive pool; in the extension
 * host, VS Code's patch of it, which follows the editor's proxy settings (`http.proxy`, PAC files
 * and the system proxy, proxy authentication, `http.noProxy`) and the system's certificates (with
 * a new connection per request, as VS Code 1.100 makes an agent per call when it adds either). A
 * deadline on every request (every attempt and every wait before a retry together), retries as
 * retry.ts allows, cancellation by AbortSignal, bounded bodies, no redirects followed, and every
 * failure turned into a typed error. It knows Ductape's envelopes but not its calls.
 */
import * as v from 'valibot';
import {
  DEFAULT_CONCURRENT_REQUESTS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_RETRY_PACING,
  HEADERS,
  MAX_RESPONSE_BYTES,
  type RetryMode,
  type RetryPacing,
  SuccessEnvelope,
  failureMessageOf,
  isFailureBody,
} from './contract';
import { Semaphore } from './concurrency';
import {
  CancelledError,
  ContractError,
  DuctapeError,
  NetworkError,
  type NetworkFailure,
  ServerError,
  redact,
} from './errors';
import { withRetries } from './retry';

export interface JsonRequest {
  method: 'GET' | 'POST';
  /** Relative to the API base URL. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** What the call is, for error messages: "the product list". */
  call: string;
  signal?: AbortSignal;
  /** For the whole request, retries included. */
  deadlineMs?: number;
  /** Whether and when the request may be sent again after a failure; `none` unless given. */
  retry?: RetryMode;
  /** Values to blank out of anything the server says back. */
  secrets?: readonly string[];
}

export interface JsonResponse {
  status: number;
  /** The envelope's `data`. */
  data: unknown;
  requestId?: string;
}

/** One line per request for the log: never a query string, header or body. */
export interface RequestRecord {
  method: string;
  path: string;
  status?: number;
  error?: string;
  durationMs: number;
  /** On a retry: which one (1 for the first retry). Absent on a first attempt. */
  retry?: number;
}

export interface TransportOptions {
  deadlineMs?: number;
  /** Requests in flight at once; the rest wait their turn before their deadline starts. */
  maxConcurrentRequests?: number;
  /** Replaces parts of the retry pacing of contract.ts (tests make it quicker). */
  retry?: Partial<RetryPacing>;
  onRequest?: (record: RequestRecord) => void;
}

export class HttpTransport {
  readonly host: string;
  private readonly base: URL;
  /** Aborted by `close()`: requests in flight end, and no new one starts (say, after sign-out). */
  private readonly closing = new AbortController();
  private readonly slots: Semaphore;
  private readonly pacing: RetryPacing;

  constructor(
    baseUrl: string,
    private readonly options: TransportOptions = {},
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    this.host = this.base.host;
    this.slots = new Semaphore(options.maxConcurrentRequests ?? DEFAULT_CONCURRENT_REQUESTS);
    this.pacing = { ...DEFAULT_RETRY_PACING, ...options.retry };
  }

  /** How many requests may be in flight at once. */
  get concurrency(): number {
    return this.slots.limit;
  }

  /**
   * Sends one request when a slot is free (fan-outs are bounded here, in one place), retrying it
   * as its `retry` mode allows, all within its deadline.
   */
  send(request: JsonRequest): Promise<JsonResponse> {
    if (this.closing.signal.aborted) return Promise.reject(new CancelledError());
    return this.slots.run(request.signal, () => this.sendWithin(request));
  }

  private async sendWithin(request: JsonRequest): Promise<JsonResponse> {
    const url = new URL(request.path.replace(/^\//, ''), this.base);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);

    const deadlineMs = request.deadlineMs ?? this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = AbortSignal.any([...(request.signal ? [request.signal] : []), deadline, this.closing.signal]);
    const cancelled = () => Boolean(request.signal?.aborted) || this.closing.signal.aborted;
    /** Any failure as a typed error: the caller's cancellation, the deadline, or the network's. */
    const typed = (error: unknown): DuctapeError =>
      error instanceof DuctapeError
        ? error
        : cancelled()
          ? new CancelledError()
          : deadline.aborted
            ? new NetworkError(this.host, 'timeout', `after ${deadlineMs} ms`)
            : new NetworkError(this.host, ...networkFailureOf(error));

    if (cancelled()) throw new CancelledError();
    const budget = { mode: request.retry ?? 'none', pacing: this.pacing, endsAt: performance.now() + deadlineMs, signal };
    try {
      return await withRetries(budget, (retries) => this.attempt(request, url, signal, retries, typed));
    } catch (error) {
      throw typed(error);
    }
  }

  /** One attempt of a request; its failures come out typed. */
  private async attempt(
    request: JsonRequest,
    url: URL,
    signal: AbortSignal,
    retries: number,
    typed: (error: unknown) => DuctapeError,
  ): Promise<JsonResponse> {
    const started = performance.now();
    const record = (fields: Pick<RequestRecord, 'status' | 'error'>) =>
      this.options.onRequest?.({
        method: request.method,
        path: url.pathname,
        durationMs: Math.round(performance.now() - started),
        ...fields,
        ...(retries ? { retry: retries } : {}),
      });

    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // A redirect comes back as it is, and interpretEnvelope refuses it.
        redirect: 'manual',
        // The deadline is in the signal: it bounds the connect, the headers and the body alike.
        signal,
      });
      status = response.status;
      headers = response.headers;
      text = await readBounded(response, this.host);
    } catch (error) {
      const failure = typed(error);
      record({ error: failure instanceof NetworkError ? failure.failure : failure.kind });
      throw failure;
    }
    record({ status });
    return interpretEnvelope(request, status, headers, text);
  }

  /**
   * Ends every request in flight (as cancelled) and refuses new ones. The connections belong to
   * the global fetch's pool, which keeps them for the next client.
   */
  close(): Promise<void> {
    this.closing.abort();
    return Promise.resolve();
  }
}

/** The body as text, refused (and the connection dropped, by cancelling it) once it is larger than the limit. */
async function readBounded(response: Response, host: string): Promise<string> {
  const tooLarge = () => new NetworkError(host, 'too-large', `over ${MAX_RESPONSE_BYTES} bytes`);
  if (!response.body) return '';
  if (Number(response.headers.get('content-length')) > MAX_RESPONSE_BYTES) {
    void response.body.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop by a throw cancels the stream.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * What went wrong, from the codes along the error's chain of causes (fetch throws "fetch failed"
 * with the Node or undici error as its cause, or as the cause of that); a message is never shown.
 */
export function networkFailureOf(error: unknown): [NetworkFailure, string?] {
  const chain: Array<{ code?: unknown; message?: unknown }> = [];
  for (let link = error; link && typeof link === 'object' && chain.length < 5; link = (link as { cause?: unknown }).cause) {
    chain.push(link);
  }
  const code = chain.map((link) => link.code).find((value): value is string => typeof value === 'string') ?? '';
  // undici's only sign of a proxy that refused the tunnel (407, 403, 502…) is its message.
  const proxyStatus = chain.map((link) => /^Proxy response \((\d{3})\)/.exec(String(link.message))?.[1]).find(Boolean);
  if (proxyStatus) return ['proxy', `the proxy answered ${proxyStatus}`];
  if (code === 'ECONNREFUSED') return ['refused'];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ['dns'];
  if (code.includes('TIMEOUT') || code === 'ETIMEDOUT') return ['timeout'];
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return ['reset'];
  if (/^ERR_(TLS|SSL)|CERT|UNABLE_TO_|SIGNATURE|INVALID_CA|HOSTNAME_MISMATCH/.test(code)) return ['tls'];
  return ['other'];
}

/** Seconds or an HTTP date, as milliseconds from now. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function interpretEnvelope(
  request: JsonRequest,
  status: number,
  headers: Headers,
  text: string,
): JsonResponse {
  const requestId = headers.get(HEADERS.requestId) ?? undefined;
  let body: unknown;
  let isJson = true;
  try {
    body = JSON.parse(text);
  } catch {
    isJson = false;
  }
  const message = isJson ? failureMessageOf(body) : undefined;
  const serverError = (message?: string) =>
    new ServerError(
      request.call,
      status,
      message === undefined ? undefined : redact(message, request.secrets ?? []).slice(0, 500),
      requestId,
      parseRetryAfter(headers.get(HEADERS.retryAfter) ?? undefined),
    );

  if (status >= 300 && status < 400) {
    // Not followed: the token must never travel to wherever a redirect points.
    throw serverError('the server redirected the request; redirects are not followed');
  }
  if (status >= 400) throw serverError(message);
  if (!isJson) throw new ContractError(request.call, text.length ? 'the body is not JSON' : 'the body is empty');
  if (isFailureBody(body)) throw serverError(message ?? 'the request failed without a message');
  const success = v.safeParse(SuccessEnvelope, body);
  if (!success.success) throw new ContractError(request.call, 'the body is not a Ductape envelope ({ status, data })');
  return { status, data: success.output.data, requestId };
}
