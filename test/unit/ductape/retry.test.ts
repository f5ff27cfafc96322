import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_PACING, PROXY_METHODS, type RetryMode } from '../../../src/ductape/contract';
import {
  AuthError,
  CancelledError,
  ContractError,
  InputError,
  NetworkError,
  type NetworkFailure,
  ServerError,
} from '../../../src/ductape/errors';
import { retryDelay } from '../../../src/ductape/retry';
import {
  APP,
  ENVS,
  PRODUCT,
  PRODUCT_APPS,
  QUICK_RETRIES,
  UNREGISTERED_EVENT,
  WORKSPACE,
  deferred,
  linkRequest,
  rejectsWith,
  served,
  setup,
  signedIn,
} from '../helpers';

const pacing = DEFAULT_RETRY_PACING;
const LONG = 60_000;
const server = (status: number, retryAfterMs?: number) => new ServerError('the call', status, undefined, undefined, retryAfterMs);
const network = (failure: NetworkFailure) => new NetworkError('host', failure);
/** The wait before the first retry with jitter pinned to `random`, and a deadline far away. */
const first = (mode: RetryMode, error: unknown, random = () => 0.5) => retryDelay(mode, error, 0, LONG, pacing, random);

describe('retryDelay: which failures are retried', () => {
  it('retries a read after a 5xx, a reset or refused connection, or a timeout', () => {
    for (const error of [server(500), server(502), server(504), network('reset'), network('refused'), network('timeout')]) {
      assert.notEqual(first('idempotent', error), undefined, error.message);
    }
  });

  it('retries any call after a 429 or 503: the server did not process it', () => {
    for (const mode of ['idempotent', 'unprocessed'] as const) {
      for (const status of [429, 503]) assert.notEqual(first(mode, server(status)), undefined, `${mode} ${status}`);
    }
  });

  it('does not retry generateLink after a 500, a reset or a timeout: it may have made the link', () => {
    for (const error of [server(500), server(502), network('reset'), network('refused'), network('timeout')]) {
      assert.equal(first('unprocessed', error), undefined, error.message);
    }
  });

  it('never retries a refusal, a 401 (the session renews instead), an answer it cannot read, or a cancellation', () => {
    const never = [
      server(200),
      server(302),
      server(400),
      server(401),
      server(403),
      server(404),
      server(413),
      server(422),
      new AuthError('host', 401),
      new ContractError('the call', 'the body is not JSON'),
      new InputError('product', 'it is empty'),
      new CancelledError(),
      network('dns'),
      network('tls'),
      network('too-large'),
      network('other'),
      new Error('anything else'),
    ];
    for (const mode of ['idempotent', 'unprocessed', 'none'] as const) {
      for (const error of never) assert.equal(first(mode, error), undefined, `${mode}: ${error.message}`);
    }
  });

  it("retries nothing in mode 'none'", () => {
    for (const error of [server(500), server(503), server(429), network('reset')]) assert.equal(first('none', error), undefined);
  });
});

describe('retryDelay: how long it waits', () => {
  it('waits exactly the Retry-After a 429 or 503 asks for, up to the cap', () => {
    assert.equal(first('unprocessed', server(429, 0)), 0);
    assert.equal(first('idempotent', server(503, 1500)), 1500);
    assert.equal(first('idempotent', server(503, pacing.maxRetryAfterMs)), pacing.maxRetryAfterMs);
  });

  it('does not retry when Retry-After asks for more than the cap: the error carries the wait', () => {
    assert.equal(first('idempotent', server(503, pacing.maxRetryAfterMs + 1)), undefined);
    assert.equal(first('unprocessed', server(429, 120_000)), undefined);
  });

  it('does not retry when the wait would outlast the deadline', () => {
    assert.equal(retryDelay('idempotent', server(503, 1000), 0, 999, pacing), undefined);
    assert.equal(retryDelay('idempotent', server(503, 1000), 0, 1001, pacing), 1000);
    assert.equal(retryDelay('idempotent', server(500), 0, 0, pacing, () => 0), undefined, 'no time left at all');
  });

  it('backs off exponentially with full jitter: a uniform wait in [0, base × 2^n], capped', () => {
    const ceiling = (retries: number) => retryDelay('idempotent', server(500), retries, LONG, { ...pacing, maxRetries: 10 }, () => 1);
    assert.deepEqual([0, 1, 2, 3, 4].map(ceiling), [200, 400, 800, 1600, 2000]);
    const floor = retryDelay('idempotent', network('reset'), 1, LONG, pacing, () => 0);
    assert.equal(floor, 0);
    const draws = Array.from({ length: 200 }, () => retryDelay('idempotent', server(500), 1, LONG, pacing)!);
    assert.ok(draws.every((wait) => wait >= 0 && wait <= 400), 'every draw within [0, 400]');
    assert.ok(new Set(draws).size > 100, 'the draws vary');
  });

  it('backs off the same way after a 429 or 503 without Retry-After', () => {
    assert.equal(first('unprocessed', server(503), () => 1), pacing.baseDelayMs);
  });

  it('stops after two retries, whatever the failure', () => {
    for (const error of [server(500), server(503, 0), network('reset')]) {
      assert.notEqual(retryDelay('idempotent', error, 1, LONG, pacing), undefined);
      assert.equal(retryDelay('idempotent', error, 2, LONG, pacing), undefined);
    }
  });
});

describe('retries over HTTP', () => {
  it('sends a read again after a 500 and a reset, and answers its data', async (t) => {
    const { sandbox, client, records } = await signedIn(t, { client: { retry: QUICK_RETRIES } });
    const from = sandbox.requests.length;
    sandbox.failNext('status-500', { route: 'proxy' });
    sandbox.failNext('reset', { route: 'proxy' });
    assert.deepEqual((await client.apps(WORKSPACE, PRODUCT)).map((app) => app.access_tag), PRODUCT_APPS);
    assert.deepEqual(sandbox.requests.slice(from).map((request) => request.fault ?? request.proxyMethod), ['status-500', 'reset', 'apps.list']);
    assert.deepEqual(records.slice(-3).map((record) => [record.status ?? record.error, record.retry]), [[500, undefined], ['reset', 1], [201, 2]]);
  });

  it('retries each read of the data layer: the exchange, the product list and the proxy reads', async (t) => {
    const { sandbox, client } = await signedIn(t, { sandbox: { retryAfterSeconds: 0 }, client: { retry: QUICK_RETRIES } });
    sandbox.failNext('truncated');
    await client.products(WORKSPACE);
    sandbox.failNext('status-503');
    assert.deepEqual((await client.environments(WORKSPACE, PRODUCT)).map((env) => env.slug), ENVS);
    sandbox.failNext('status-500');
    assert.equal((await client.webhooks(WORKSPACE, PRODUCT, APP)).length, 4);
    const fresh = await setup(t, { client: { retry: QUICK_RETRIES } });
    fresh.sandbox.failNext('reset', { route: 'session' });
    assert.ok((await fresh.client.signIn()).token);
    assert.deepEqual(served(fresh.sandbox), ['session', 'session']);
  });

  it('gives up after two retries with the last error: nothing retries forever', async (t) => {
    const { sandbox, client } = await signedIn(t, { client: { retry: QUICK_RETRIES } });
    const from = sandbox.requests.length;
    sandbox.setFaultRate(1, ['status-500']);
    const error = await rejectsWith(client.products(WORKSPACE), ServerError);
    assert.equal(error.status, 500);
    assert.equal(sandbox.requests.length - from, 3);
  });

  it('does not send generateLink again after a 500 or a reset, and does after a 429', async (t) => {
    const { sandbox, client } = await signedIn(t, { sandbox: { retryAfterSeconds: 0 } });
    const request = linkRequest(UNREGISTERED_EVENT, 'dev');
    const environments = await client.environments(WORKSPACE, PRODUCT);
    const generate = () => client.generateLink(WORKSPACE, request, { environments });
    let from = sandbox.requests.length;
    sandbox.failNext('status-500', { route: 'proxy' });
    assert.equal((await rejectsWith(generate(), ServerError)).status, 500);
    sandbox.failNext('reset', { route: 'proxy' });
    assert.equal((await rejectsWith(generate(), NetworkError)).failure, 'reset');
    assert.equal(sandbox.requests.length - from, 2, 'each sent once');
    from = sandbox.requests.length;
    sandbox.failNext('status-429', { route: 'proxy' });
    assert.match(await generate(), /^https:\/\//);
    assert.deepEqual(served(sandbox, from), ['proxy', PROXY_METHODS.generateLink]);
  });

  it('waits out a Retry-After that fits the deadline, and not one that does not', async (t) => {
    const roomy = await signedIn(t, { sandbox: { retryAfterSeconds: 1 }, client: { deadlineMs: 5000 } });
    roomy.sandbox.failNext('status-503', { route: 'products' });
    assert.equal((await roomy.client.products(WORKSPACE)).length, 3);
    const tight = await signedIn(t, { sandbox: { retryAfterSeconds: 1 }, client: { deadlineMs: 900 } });
    const from = tight.sandbox.requests.length;
    tight.sandbox.failNext('status-503', { route: 'products' });
    const error = await rejectsWith(tight.client.products(WORKSPACE), ServerError);
    assert.equal(error.retryAfterMs, 1000, 'the error carries the wait the server asked for');
    assert.equal(tight.sandbox.requests.length - from, 1);
  });

  it('does not wait out a Retry-After longer than the cap, and passes it on', async (t) => {
    const { sandbox, client } = await signedIn(t, { sandbox: { retryAfterSeconds: 6 }, client: { deadlineMs: 60_000 } });
    const from = sandbox.requests.length;
    sandbox.failNext('status-429', { route: 'proxy' });
    const error = await rejectsWith(client.apps(WORKSPACE, PRODUCT), ServerError);
    assert.equal(error.retryAfterMs, 6000);
    assert.equal(sandbox.requests.length - from, 1);
  });

  it('ends within the deadline, retries included: the deadline is one for the whole request', async (t) => {
    // Each answer takes 150 ms and fails with a 500: three attempts need over 450 ms. With one
    // deadline of 400 ms for the whole request, the third attempt is cut short (a timeout); with
    // a fresh deadline per attempt, the request would end with the third 500 instead.
    const { sandbox, client } = await signedIn(t, { client: { deadlineMs: 400, retry: QUICK_RETRIES } });
    sandbox.setLatency(150);
    sandbox.setFaultRate(1, ['status-500']);
    const from = sandbox.requests.length;
    const error = await rejectsWith(client.products(WORKSPACE), NetworkError);
    assert.equal(error.failure, 'timeout');
    assert.match(error.message, /after 400 ms/);
    assert.ok(sandbox.requests.length - from <= 3);
  });

  it('stops waiting before a retry at once when the caller cancels', async (t) => {
    // A 503 asking for 5 s (the cap), inside a deadline of 60 s: the transport waits to retry.
    const answered = deferred<void>();
    const { sandbox, client } = await signedIn(t, {
      sandbox: { retryAfterSeconds: 5 },
      client: { deadlineMs: 60_000, onRequest: (record) => record.status === 503 && answered.resolve() },
    });
    sandbox.failNext('status-503', { route: 'proxy' });
    const controller = new AbortController();
    const pending = client.apps(WORKSPACE, PRODUCT, controller.signal);
    // The 503 is in; once the promise jobs after it have run, the transport is waiting to retry.
    await answered.promise;
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    let watchdog: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      pending.then(
        () => 'resolved',
        (error: unknown) => (error instanceof CancelledError ? 'cancelled' : `rejected with ${(error as Error).name}`),
      ),
      new Promise((resolve) => (watchdog = setTimeout(resolve, 2500, 'still waiting after 2.5 s'))),
    ]);
    clearTimeout(watchdog);
    assert.equal(outcome, 'cancelled');
    assert.equal(sandbox.requests.filter((request) => request.route === 'proxy').length, 1, 'no retry was sent');
  });
});
