/**
 * What the unit suite shares: a sandbox and a client per test (closed when the test ends), the
 * sample account's names, a way to see which requests reached the sandbox, and assertions that
 * never print a secret.
 */
import assert from 'node:assert/strict';
import * as diagnostics from 'node:diagnostics_channel';
import type { Server as HttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { DuctapeClient, type DuctapeClientOptions, type LinkRequest } from '../../src/ductape/client';
import { PATHS } from '../../src/ductape/contract';
import { InputError } from '../../src/ductape/errors';
import type { HttpTransport, RequestRecord } from '../../src/ductape/http';
import { type Route, type Sandbox, type SandboxOptions, startSandbox } from '../sandbox/server';

// ---------------------------------------------------------------------------------------------
// The sample account (test/sandbox/accounts.ts)

export const WORKSPACE = 'ws_acme';
export const PRODUCT = 'ecommerce-platform';
export const APP = 'stripe-payments';
export const ENVS = ['dev', 'stg', 'prd'];
/** The sample product's apps: Stripe mapped to every environment, SendGrid to dev and prd, Paystack to none. */
export const PRODUCT_APPS = ['stripe-payments', 'sendgrid-email', 'paystack-pay'];
/** The sample user's id (a Mongo ObjectId, as ductape-users validates it). */
export const USER_ID = '65f1c0de2a9b84e7d3c1a2b4';
/** Registered in every environment. */
export const REGISTERED_EVENT = 'payment.succeeded';
/** Registered in dev only. */
export const DEV_ONLY_EVENT = 'payment.failed';
/** Registered in no environment. */
export const UNREGISTERED_EVENT = 'charge.refunded';
/** The other workspace's only product, which has no `stg` environment. */
export const SIDE_WORKSPACE = 'ws_side';
export const SIDE_PRODUCT = 'hobby-shop';

/** The SDK's generateLink arguments for an event of the sample product's app. */
export const linkRequest = (event: string, env: string): LinkRequest => ({ product: PRODUCT, app: APP, event, env });

/** The request ids the sandbox hands out (x-request-id, and request_id in proxy answers). */
export const REQUEST_ID = /^req_[0-9a-f]{12}$/;

/** A well-formed key that the sandbox refuses (403). */
export const REFUSED_KEY = 'dk_refused_Hn4kP8sQ2w';

/** Retry pacing for tests: waits of a few milliseconds, so that a retry always fits a short deadline. */
export const QUICK_RETRIES = { baseDelayMs: 5, maxDelayMs: 20 };

/** A link of the contract's form: the intake host, its path and a uuid. */
export const LINK_FORM =
  /^https:\/\/webhooks\.ductape\.app\/webhooks\/v1\/process\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------------
// A sandbox and a client per test

export async function startTestSandbox(t: TestContext, options?: SandboxOptions): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  t.after(() => sandbox.close());
  return sandbox;
}

export interface TestClient {
  client: DuctapeClient;
  /** Every RequestRecord the client reported through `onRequest`. */
  records: RequestRecord[];
}

/**
 * A client of the sandbox with the sample key. It sends one request at a time unless told
 * otherwise, so the sandbox serves its requests in the order they were sent (`drain` relies on it).
 */
export function clientFor(t: TestContext, sandbox: Sandbox, options: Partial<DuctapeClientOptions> = {}): TestClient {
  const records: RequestRecord[] = [];
  const client = new DuctapeClient({
    apiUrl: sandbox.url,
    accessKey: sandbox.accessKey,
    maxConcurrentRequests: 1,
    onRequest: (record) => records.push(record),
    ...options,
  });
  t.after(() => client.close());
  return { client, records };
}

export interface Setup extends TestClient {
  sandbox: Sandbox;
}

export async function setup(
  t: TestContext,
  options: { sandbox?: SandboxOptions; client?: Partial<DuctapeClientOptions> } = {},
): Promise<Setup> {
  const sandbox = await startTestSandbox(t, options.sandbox);
  return { sandbox, ...clientFor(t, sandbox, options.client) };
}

/** A client that has already exchanged its key, so that later requests are the call's own. */
export async function signedIn(t: TestContext, options?: Parameters<typeof setup>[1]): Promise<Setup> {
  const context = await setup(t, options);
  await context.client.signIn();
  return context;
}

// ---------------------------------------------------------------------------------------------
// What reached the sandbox

const DRAIN_PATH = '/unit-test-drain-marker';

/**
 * Resolves once the sandbox has served every request the client had started: lets pending
 * promise chains reach the transport (one event-loop turn, no timer), then sends a marker, which
 * a transport of one request at a time sends after everything queued before it.
 */
export async function drain(through: DuctapeClient | HttpTransport): Promise<void> {
  const transport = through instanceof DuctapeClient ? through.transport : through;
  await new Promise((resolve) => setImmediate(resolve));
  await transport.send({ method: 'GET', path: DRAIN_PATH, call: 'the drain marker' }).catch(() => undefined);
}

/**
 * The requests the sandbox served since `from`, each as its route or, for a proxy request the
 * sandbox decrypted, its method ("apps.list"); drain markers are left out.
 */
export function served(sandbox: Sandbox, from = 0): string[] {
  return sandbox.requests
    .slice(from)
    .filter((request) => request.route !== 'unknown')
    .map((request) => (request.route === 'proxy' && request.proxyMethod) || request.route);
}

export function countServed(sandbox: Sandbox, name: string, from = 0): number {
  return served(sandbox, from).filter((entry) => entry === name).length;
}

/**
 * Resolves when the client has received the headers of an answer from the sandbox to a request
 * whose path starts with `path` (for a `hang` fault: the answer has begun, and stalls), or when
 * `pending` settles first (the request failed before any answer), so that a test never waits forever.
 */
export function answerBegun(sandbox: Sandbox, path: string, pending: Promise<unknown>): Promise<void> {
  const origin = new URL(sandbox.url).origin;
  let listener!: (message: unknown) => void;
  const begun = new Promise<void>((resolve) => {
    listener = (message: unknown) => {
      const { request } = message as { request: { origin?: unknown; path?: unknown } };
      if (new URL(String(request.origin)).origin === origin && String(request.path).startsWith(path)) resolve();
    };
    diagnostics.subscribe('undici:request:headers', listener);
  });
  const settled = pending.then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([begun, settled]).finally(() => diagnostics.unsubscribe('undici:request:headers', listener));
}

/**
 * Starts an operation whose answer on `route` stalls (a `hang` fault), and aborts its signal once
 * that answer has begun. The operation's promise comes back wrapped, so that it is not awaited here.
 */
export async function abortedMidAnswer<T>(
  sandbox: Sandbox,
  route: Extract<Route, 'session' | 'proxy'>,
  start: (signal: AbortSignal) => Promise<T>,
): Promise<{ pending: Promise<T> }> {
  sandbox.failNext('hang', { route });
  const controller = new AbortController();
  const pending = start(controller.signal);
  await answerBegun(sandbox, PATHS[route], pending);
  controller.abort();
  return { pending };
}

/**
 * Starts a server of the test's own on a free port of 127.0.0.1 and returns its origin; the server
 * closes, its connections with it, when the test ends.
 */
export async function listenLocally(t: TestContext, server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The URL of a port on this machine that nothing listens on. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// ---------------------------------------------------------------------------------------------
// Assertions

/**
 * Awaits a rejection of the given type and returns the error. On a mismatch it names the error's
 * class and kind only, so that a message that wrongly carries a secret is never printed.
 */
export async function rejectsWith<E extends Error>(
  pending: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  let caught: unknown;
  await assert.rejects(pending, (error) => {
    caught = error;
    return true;
  });
  if (!(caught instanceof type)) {
    const kind = (caught as { kind?: unknown } | undefined)?.kind;
    assert.fail(`expected ${type.name}, got ${(caught as Error | undefined)?.name ?? typeof caught} (kind ${String(kind)})`);
  }
  return caught;
}

/**
 * Calls an operation that must refuse its input: it returns a promise (it does not throw) that
 * rejects with an InputError naming the field.
 */
export async function assertRefusedInput(operation: () => Promise<unknown>, field: string): Promise<void> {
  let pending: Promise<unknown>;
  try {
    pending = operation();
  } catch (error) {
    return assert.fail(`the call threw synchronously instead of returning a rejected promise: ${String(error)}`);
  }
  const error = await rejectsWith(pending, InputError);
  assert.equal(error.field, field);
  assert.match(error.message, new RegExp(`^Invalid ${field}: `));
}

/** `hex(iv):base64(ciphertext)` anywhere in a text. */
const SEALED_PAYLOAD = /[0-9a-f]{32}:[A-Za-z0-9+/]{22,}={0,2}/;

/**
 * Fails when a text contains one of the named secrets or anything shaped like an encrypted
 * payload, saying which text and which secret, never the secret or the text.
 */
export function assertNoSecrets(texts: readonly string[], secrets: Record<string, string>): void {
  texts.forEach((text, index) => {
    for (const [name, secret] of Object.entries(secrets)) {
      if (text.includes(secret)) assert.fail(`text #${index} of ${texts.length} contains ${name}`);
    }
    if (SEALED_PAYLOAD.test(text)) assert.fail(`text #${index} of ${texts.length} contains an encrypted payload`);
  });
}
