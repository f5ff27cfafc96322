import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { MAX_RESPONSE_BYTES, PATHS } from '../../../src/ductape/contract';
import { CancelledError, ContractError, NetworkError, ServerError } from '../../../src/ductape/errors';
import { HttpTransport, type JsonRequest, type RequestRecord, type TransportOptions, parseRetryAfter } from '../../../src/ductape/http';
import { SAMPLE_ACCESS_KEY } from '../../sandbox/accounts';
import type { FaultKind } from '../../sandbox/server';
import {
  REQUEST_ID,
  abortedMidAnswer,
  answerBegun,
  closedPortUrl,
  drain,
  listenLocally,
  rejectsWith,
  served,
  startTestSandbox,
} from '../helpers';

/** A transport to `baseUrl` sending one request at a time, closed after the test, with its records. */
function transportFor(t: TestContext, baseUrl: string, options: TransportOptions = {}) {
  const records: RequestRecord[] = [];
  const transport = new HttpTransport(baseUrl, {
    maxConcurrentRequests: 1,
    onRequest: (record) => records.push(record),
    ...options,
  });
  t.after(() => transport.close());
  return { transport, records };
}

async function sandboxTransport(t: TestContext, options: TransportOptions = {}) {
  const sandbox = await startTestSandbox(t, { retryAfterSeconds: 7 });
  return { sandbox, ...transportFor(t, sandbox.url, options) };
}

const signIn = (accessKey = SAMPLE_ACCESS_KEY): JsonRequest => ({
  method: 'POST',
  path: PATHS.session,
  body: { accessKey },
  call: 'the sign-in',
  secrets: [accessKey],
});

describe('HttpTransport: answers', () => {
  it("returns a success envelope's status and data", async (t) => {
    const { transport } = await sandboxTransport(t);
    const response = await transport.send(signIn());
    assert.equal(response.status, 201);
    assert.deepEqual(
      (response.data as { workspaces: Array<{ workspace_id: string }> }).workspaces.map((workspace) => workspace.workspace_id),
      ['ws_acme', 'ws_side', 'ws_invited'],
    );
  });

  it('reports each request as method, path and status, without its query string', async (t) => {
    const { transport, records } = await sandboxTransport(t);
    await rejectsWith(
      transport.send({ method: 'GET', path: PATHS.products('ws_acme'), query: { marker: 'q-value-7' }, call: 'the product list' }),
      ServerError,
    );
    assert.equal(records.length, 1);
    assert.deepEqual({ ...records[0], durationMs: 0 }, {
      method: 'GET',
      path: '/integrations/v1/workspace/ws_acme/all',
      status: 401,
      durationMs: 0,
    });
    assert.ok(!JSON.stringify(records).includes('q-value-7'));
  });

  it('keeps the path of a base URL that has one (the local platform’s /api)', async (t) => {
    const sandbox = await startTestSandbox(t);
    const { transport, records } = transportFor(t, `${sandbox.url}/api`);
    const error = await rejectsWith(transport.send(signIn()), ServerError);
    assert.equal(error.status, 404);
    assert.equal(records[0].path, `/api${PATHS.session}`);
  });
});

describe('HttpTransport: server errors', () => {
  const injected: Array<[FaultKind, number, string]> = [
    ['status-500', 500, 'internal server error (injected)'],
    ['status-false', 200, 'operation failed (injected)'],
  ];
  for (const [fault, status, message] of injected) {
    it(`turns ${fault} into a ServerError with the status and the server's message`, async (t) => {
      const { sandbox, transport } = await sandboxTransport(t);
      sandbox.failNext(fault, { route: 'session' });
      const error = await rejectsWith(transport.send(signIn()), ServerError);
      assert.equal(error.status, status);
      assert.equal(error.serverMessage, message);
      assert.equal(error.call, 'the sign-in');
      assert.match(error.message, new RegExp(`the sign-in with an error \\(${status}: `));
    });
  }

  it('reads the request id of a 500 from x-request-id', async (t) => {
    const { sandbox, transport } = await sandboxTransport(t);
    sandbox.failNext('status-500', { route: 'session' });
    const error = await rejectsWith(transport.send(signIn()), ServerError);
    assert.match(error.requestId ?? 'none', REQUEST_ID, 'the sandbox sends no x-request-id with injected faults');
  });

  it('reads the request id from x-request-id and shows it in the message', async (t) => {
    const { transport } = await sandboxTransport(t);
    const error = await rejectsWith(transport.send(signIn('dk_not_a_known_key')), ServerError);
    assert.equal(error.status, 403);
    assert.match(error.requestId ?? 'none', REQUEST_ID);
    assert.ok(error.message.includes(`[request id ${error.requestId}]`));
  });

  for (const fault of ['status-503', 'status-429'] as const) {
    it(`passes on Retry-After of ${fault} in milliseconds`, async (t) => {
      const { sandbox, transport } = await sandboxTransport(t);
      sandbox.failNext(fault, { route: 'session' });
      const error = await rejectsWith(transport.send(signIn()), ServerError);
      assert.equal(error.retryAfterMs, 7000);
    });
  }

  it('blanks the secrets out of what the server says back', async (t) => {
    const { transport } = await sandboxTransport(t);
    // The sandbox answers an unknown path with "<path> not found": an echo of the secret.
    const secret = 'echoed-secret-4f9a';
    const request: JsonRequest = { method: 'GET', path: `/echo/${secret}`, call: 'the echo', secrets: [secret] };
    const error = await rejectsWith(transport.send(request), ServerError);
    assert.equal(error.serverMessage, '/echo/*** not found');
    assert.ok(!error.message.includes(secret));
  });

  it('refuses a body that is not JSON with a ContractError naming the call', async (t) => {
    const { sandbox, transport } = await sandboxTransport(t);
    sandbox.failNext('malformed-json', { route: 'session' });
    const error = await rejectsWith(transport.send(signIn()), ContractError);
    assert.equal(error.call, 'the sign-in');
    assert.match(error.message, /^Ductape's answer to the sign-in was not understood: the body is not JSON/);
  });
});

describe('HttpTransport: network failures', () => {
  it("reports a closed port as 'refused', naming the host", async (t) => {
    const url = await closedPortUrl();
    const { transport, records } = transportFor(t, url);
    const error = await rejectsWith(transport.send(signIn()), NetworkError);
    assert.equal(error.failure, 'refused');
    assert.ok(error.message.includes(new URL(url).host));
    assert.equal(records[0].error, 'refused');
  });

  it("reports a host name that does not resolve as 'dns'", async (t) => {
    // .invalid never resolves (RFC 6761): the resolver answers NXDOMAIN without the internet.
    const { transport } = transportFor(t, 'http://ductape-sandbox.invalid');
    const error = await rejectsWith(transport.send(signIn()), NetworkError);
    assert.equal(error.failure, 'dns');
    assert.ok(error.message.includes('ductape-sandbox.invalid'));
  });

  it("reports an answer that stalls past the deadline as 'timeout'", async (t) => {
    const { sandbox, transport, records } = await sandboxTransport(t, { deadlineMs: 300 });
    sandbox.failNext('hang', { route: 'session' });
    const error = await rejectsWith(transport.send(signIn()), NetworkError);
    assert.equal(error.failure, 'timeout');
    assert.equal(records[0].error, 'timeout');
  });

  for (const fault of ['reset', 'truncated'] as const) {
    it(`reports a connection that ${fault === 'reset' ? 'is reset' : 'closes mid-body'} as 'reset'`, async (t) => {
      const { sandbox, transport, records } = await sandboxTransport(t);
      sandbox.failNext(fault, { route: 'session' });
      assert.equal((await rejectsWith(transport.send(signIn()), NetworkError)).failure, 'reset');
      assert.equal(records[0].error, 'reset');
      assert.equal((await transport.send(signIn())).status, 201, 'the next request is served');
    });
  }

  it("refuses a streamed body past the limit as 'too-large', and drops the connection", async (t) => {
    const { sandbox, transport } = await sandboxTransport(t);
    sandbox.failNext('enormous', { route: 'session' });
    const error = await rejectsWith(transport.send(signIn()), NetworkError);
    assert.equal(error.failure, 'too-large');
    assert.match(error.message, new RegExp(`sent a response larger than the extension accepts \\(over ${MAX_RESPONSE_BYTES} bytes\\)`));
    assert.equal((await transport.send(signIn())).status, 201, 'the next request is served');
  });

  it('refuses a body whose declared length is over the limit without reading it', async (t) => {
    // Declares one byte too many, sends a few, then stalls: reading would run into the deadline.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': MAX_RESPONSE_BYTES + 1 });
      response.write('{"status":true,');
    });
    const { transport } = transportFor(t, await listenLocally(t, server), { deadlineMs: 5000 });
    assert.equal((await rejectsWith(transport.send(signIn()), NetworkError)).failure, 'too-large');
  });

  it('applies a deadline given for one request', async (t) => {
    const { sandbox, transport } = await sandboxTransport(t);
    sandbox.failNext('hang', { route: 'session' });
    const error = await rejectsWith(transport.send({ ...signIn(), deadlineMs: 300 }), NetworkError);
    assert.equal(error.failure, 'timeout');
  });
});

describe('HttpTransport: connections', () => {
  it('sends requests one after another over kept-alive connections, not one connection each', async (t) => {
    const server = createServer((request, response) => {
      request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":true,"data":{}}'));
    });
    let connections = 0;
    server.on('connection', () => connections++);
    const { transport } = transportFor(t, await listenLocally(t, server));
    for (let sent = 0; sent < 6; sent++) assert.equal((await transport.send(signIn())).status, 200);
    // fetch opens a second connection for the second request while it releases the first, then reuses both.
    assert.ok(connections <= 2, `${connections} connections for 6 requests`);
  });
});

describe('HttpTransport: cancellation', () => {
  it('cancels a request in flight when its signal aborts', async (t) => {
    const { sandbox, transport, records } = await sandboxTransport(t);
    const { pending } = await abortedMidAnswer(sandbox, 'session', (signal) => transport.send({ ...signIn(), signal }));
    await rejectsWith(pending, CancelledError);
    assert.equal(records[0].error, 'cancelled');
  });

  it('sends nothing for a signal that is already aborted', async (t) => {
    const { sandbox, transport } = await sandboxTransport(t);
    await rejectsWith(transport.send({ ...signIn(), signal: AbortSignal.abort() }), CancelledError);
    await drain(transport);
    assert.deepEqual(served(sandbox), []);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, an HTTP date, and nothing else', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
    assert.equal(parseRetryAfter('0'), 0);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT'), 0, 'a date in the past means now');
    assert.ok((parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT') ?? 0) > 0, 'a date to come is ahead');
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});

describe('HttpTransport: requests waiting their turn', () => {
  it('never sends a request that is cancelled while it waits for a slot', async (t) => {
    const { sandbox, transport } = await sandboxTransport(t);
    sandbox.failNext('hang', { route: 'session' });
    const [holding, waiting] = [new AbortController(), new AbortController()];
    const first = transport.send({ ...signIn(), signal: holding.signal });
    await answerBegun(sandbox, PATHS.session, first);
    const second = transport.send({ ...signIn(), signal: waiting.signal });
    waiting.abort();
    await rejectsWith(second, CancelledError);
    holding.abort();
    await rejectsWith(first, CancelledError);
    await drain(transport);
    assert.deepEqual(served(sandbox), ['session'], 'only the first request was sent');
  });

  it('starts a request’s deadline when it is sent, not while it waits for a slot', async (t) => {
    const { sandbox, transport } = await sandboxTransport(t, { deadlineMs: 300 });
    sandbox.failNext('hang', { route: 'session' });
    const first = transport.send(signIn());
    const second = transport.send(signIn());
    assert.equal((await rejectsWith(first, NetworkError)).failure, 'timeout');
    assert.equal((await second).status, 201);
  });
});
