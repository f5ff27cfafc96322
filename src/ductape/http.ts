/**
 * JSON over HTTP with undici: one keep-alive connection pool per origin, a deadline on every
 * request (connect, headers and body together), cancellation by AbortSignal, bounded bodies, and
 * every failure turned into a typed error. It knows Ductape's envelopes but not its calls.
 */
import type { Dispatcher } from 'undici';
import * as v from 'valibot';
import {
  DEFAULT_CONCURRENT_REQUESTS,
  DEFAULT_DEADLINE_MS,
  FailureEnvelope,
  HEADERS,
  MAX_RESPONSE_BYTES,
  SuccessEnvelope,
  failureMessage,
} from './contract';
import { Semaphore } from './concurrency';
import { CancelledError, ContractError, NetworkError, NetworkFailure, ServerError, redact } from './errors';

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
  deadlineMs?: number;
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
}

export interface TransportOptions {
  /** Replaces the default keep-alive agent, e.g. with a proxy agent. */
  dispatcher?: Dispatcher;
  deadlineMs?: number;
  /** Requests in flight at once; the rest wait their turn before their deadline starts. */
  maxConcurrentRequests?: number;
  onRequest?: (record: RequestRecord) => void;
}

export class HttpTransport {
  readonly host: string;
  private readonly base: URL;
  private dispatcher: Promise<Dispatcher> | undefined;
  private readonly slots: Semaphore;

  constructor(
    baseUrl: string,
    private readonly options: TransportOptions = {},
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    this.host = this.base.host;
    this.slots = new Semaphore(options.maxConcurrentRequests ?? DEFAULT_CONCURRENT_REQUESTS);
  }

  /** Sends one request when a slot is free: fan-outs are bounded here, in one place. */
  send(request: JsonRequest): Promise<JsonResponse> {
    return this.slots.run(request.signal, () => this.sendNow(request));
  }

  private async sendNow(request: JsonRequest): Promise<JsonResponse> {
    const url = new URL(request.path.replace(/^\//, ''), this.base);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);

    const deadlineMs = request.deadlineMs ?? this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    const started = performance.now();
    const record = (fields: Pick<RequestRecord, 'status' | 'error'>) =>
      this.options.onRequest?.({
        method: request.method,
        path: url.pathname,
        durationMs: Math.round(performance.now() - started),
        ...fields,
      });

    if (request.signal?.aborted) throw new CancelledError();
    const { request: undiciRequest } = await import('undici');
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const response = await undiciRequest(url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        dispatcher: await this.getDispatcher(),
        headersTimeout: deadlineMs,
        bodyTimeout: deadlineMs,
      });
      status = response.statusCode;
      headers = response.headers;
      text = await readBounded(response.body, this.host);
    } catch (error) {
      const typed = request.signal?.aborted
        ? new CancelledError()
        : deadline.aborted
          ? new NetworkError(this.host, 'timeout', `after ${deadlineMs} ms`)
          : error instanceof NetworkError
            ? error
            : new NetworkError(this.host, networkFailureOf(error));
      record({ error: typed.kind === 'cancelled' ? 'cancelled' : (typed as NetworkError).failure });
      throw typed;
    }
    record({ status });
    return interpretEnvelope(request, status, headers, text);
  }

  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    if (dispatcher && !this.options.dispatcher) await (await dispatcher).close();
  }

  private getDispatcher(): Promise<Dispatcher> {
    this.dispatcher ??= this.options.dispatcher
      ? Promise.resolve(this.options.dispatcher)
      : import('undici').then(
          ({ Agent }) =>
            new Agent({
              keepAliveTimeout: 30_000,
              connections: this.slots.limit,
              // Each request's own deadline bounds its connect as well; this is the outer limit.
              connect: { timeout: this.options.deadlineMs ?? DEFAULT_DEADLINE_MS },
            }),
        );
    return this.dispatcher;
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, host: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      body.destroy();
      throw new NetworkError(host, 'too-large', `over ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkFailureOf(error: unknown): NetworkFailure {
  const code = String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code.includes('TIMEOUT') || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'reset';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) return 'tls';
  return 'other';
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
  const failure = isJson ? v.safeParse(FailureEnvelope, body) : undefined;
  const message = failure?.success ? failureMessage(failure.output) : undefined;
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
  if (failure?.success) throw serverError(message ?? 'the request failed without a message');
  const success = v.safeParse(SuccessEnvelope, body);
  if (!success.success) throw new ContractError(request.call, 'the body is not a Ductape envelope ({ status, data })');
  return { status, data: success.output.data, requestId };
}
