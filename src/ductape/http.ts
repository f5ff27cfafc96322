/**
 * JSON over HTTP with undici: one keep-alive connection pool per origin (through a proxy when one
 * is set or the environment names one), a deadline on every request (every attempt and every wait
 * before a retry together), retries as retry.ts allows, cancellation by AbortSignal, bounded
 * bodies, no redirects followed, and every failure turned into a typed error. It knows Ductape's
 * envelopes but not its calls.
 */
import type { Dispatcher } from 'undici';
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
import { checkProxyUrl } from './url';

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

export interface ProxyOptions {
  /**
   * The proxy every request goes through (VS Code's `http.proxy`): an http:// or https:// URL,
   * which may carry credentials. Empty or absent: the environment's HTTPS_PROXY / HTTP_PROXY /
   * NO_PROXY (in either case), and no proxy when they are not set.
   */
  url?: string;
  /** Whether the certificates of the proxy and of the API through it are verified. Default true. */
  strictSSL?: boolean;
  /** Hosts reached directly, comma-separated as in NO_PROXY (VS Code's `http.noProxy`). */
  noProxy?: string;
}

export interface TransportOptions {
  /** Replaces the default keep-alive agent (and `proxy` with it). */
  dispatcher?: Dispatcher;
  proxy?: ProxyOptions;
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
  private dispatcher: Promise<Dispatcher> | undefined;
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
    if (options.proxy?.url) checkProxyUrl('proxy', options.proxy.url);
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
      return await withRetries(budget, (retries) => this.attempt(request, url, signal, deadlineMs, retries, typed));
    } catch (error) {
      throw typed(error);
    }
  }

  /** One attempt of a request; its failures come out typed. */
  private async attempt(
    request: JsonRequest,
    url: URL,
    signal: AbortSignal,
    deadlineMs: number,
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
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const dispatcher = await this.getDispatcher();
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        headersTimeout: deadlineMs,
        bodyTimeout: deadlineMs,
      });
      status = response.statusCode;
      headers = response.headers;
      text = await readBounded(response.body, headerValue(headers, 'content-length'), this.host);
    } catch (error) {
      const failure = typed(error);
      record({ error: failure instanceof NetworkError ? failure.failure : failure.kind });
      throw failure;
    }
    record({ status });
    return interpretEnvelope(request, status, headers, text);
  }

  /** Ends every request in flight (as cancelled) and refuses new ones; the pool is closed. */
  async close(): Promise<void> {
    this.closing.abort();
    const dispatcher = this.dispatcher;
    if (dispatcher && !this.options.dispatcher) await (await dispatcher).destroy();
  }

  /**
   * The proxy given, or else the environment's (undici's EnvHttpProxyAgent reads HTTPS_PROXY,
   * HTTP_PROXY and NO_PROXY when it is made, i.e. on the first request), with the same keep-alive
   * pool either way.
   */
  private getDispatcher(): Promise<Dispatcher> {
    this.dispatcher ??= this.options.dispatcher
      ? Promise.resolve(this.options.dispatcher)
      : import('undici').then(({ EnvHttpProxyAgent }) => {
          const pool = {
            keepAliveTimeout: 30_000,
            connections: this.slots.limit,
            // Each request's own deadline bounds its connect as well; this is the outer limit.
            connect: { timeout: this.options.deadlineMs ?? DEFAULT_DEADLINE_MS },
          };
          const tls = { rejectUnauthorized: this.options.proxy?.strictSSL ?? true };
          const { url, noProxy } = this.options.proxy ?? {};
          // Without a URL, the agent reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY itself.
          const proxies = url ? { httpProxy: url, httpsProxy: url, noProxy } : {};
          return new EnvHttpProxyAgent({ ...pool, ...proxies, requestTls: tls, proxyTls: tls });
        });
    return this.dispatcher;
  }
}

/** The body as text, refused (and the connection dropped) once it is larger than the limit. */
async function readBounded(
  body: AsyncIterable<Buffer> & { destroy(): void },
  declaredLength: string | undefined,
  host: string,
): Promise<string> {
  const tooLarge = () => {
    body.destroy();
    return new NetworkError(host, 'too-large', `over ${MAX_RESPONSE_BYTES} bytes`);
  };
  if (Number(declaredLength) > MAX_RESPONSE_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What went wrong, from a Node or undici error's code (its message is never shown). */
function networkFailureOf(error: unknown): [NetworkFailure, string?] {
  const rawCode = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  const code = typeof rawCode === 'string' ? rawCode : '';
  // undici's only sign of a proxy that refused the tunnel (407, 403, 502…) is its message.
  const proxyStatus = /^Proxy response \((\d{3})\)/.exec(String((error as { message?: unknown })?.message))?.[1];
  if (proxyStatus) return ['proxy', `the proxy answered ${proxyStatus}`];
  if (code === 'ECONNREFUSED') return ['refused'];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ['dns'];
  if (code.includes('TIMEOUT') || code === 'ETIMEDOUT') return ['timeout'];
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return ['reset'];
  if (/^ERR_(TLS|SSL)|CERT|UNABLE_TO_|SIGNATURE|INVALID_CA|HOSTNAME_MISMATCH/.test(code)) return ['tls'];
  return ['other'];
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
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
  headers: Record<string, string | string[] | undefined>,
  text: string,
): JsonResponse {
  const requestId = headerValue(headers, HEADERS.requestId);
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
      parseRetryAfter(headerValue(headers, HEADERS.retryAfter)),
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
