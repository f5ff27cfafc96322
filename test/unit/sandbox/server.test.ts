import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { HEADERS, MAX_RESPONSE_BYTES, PATHS, PROXY_METHODS, type ProxyRequestBody } from '../../../src/ductape/contract';
import { encryptPayload } from '../../../src/ductape/crypto';
import { SAMPLE_ACCESS_KEY, largeAccount } from '../../sandbox/accounts';
import type { FaultKind, Sandbox, SandboxOptions } from '../../sandbox/server';
import { SANDBOX_TLS } from '../../sandbox/tls';
import { APP, LINK_FORM, PRODUCT, PRODUCT_APPS, REFUSED_KEY, REQUEST_ID, UNREGISTERED_EVENT, WORKSPACE, startTestSandbox } from '../helpers';

// Raw HTTP (the global fetch), so that these tests see the sandbox as any client would.

interface Answer<Body = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON (undefined if the text does not parse), typed as the test expects it; the assertions check it. */
  body: Body;
}

/** The REST envelope: `data` when `status` is true, `errors` when it is false. */
interface RestEnvelope<Data> {
  status: boolean;
  meta: object;
  data: Data;
  errors?: string;
}

/** The proxy envelope of an answer, its result in `data.data`. */
interface ProxyEnvelope<Data> {
  status: boolean;
  data: { data: Data; execution_time_ms: number; request_id: string };
}

/** The proxy envelope of a refusal. */
interface ProxyFailure {
  status: boolean;
  code: string;
  message: string;
}

/** The user a sign-in answers, as far as these tests read it. */
interface SessionUser {
  _id: string;
  email: string;
  auth_token: string;
  public_key: string;
  workspaces?: Array<{ workspace_id: string; workspace_name: string; default: boolean; accepted?: boolean }>;
}

/** A product of the product list, and a webhook of the webhook list, as far as these tests read them. */
interface ListedProduct {
  tag: string;
  apps: unknown[];
}
interface ListedWebhook {
  tag: string;
  config: Array<{ productEnv: string; uuid: string }>;
}

async function call<Body = unknown>(
  sandbox: Sandbox,
  method: string,
  path: string,
  { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<Body>> {
  const response = await fetch(new URL(path, sandbox.url), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as Body };
}

const login = (sandbox: Sandbox, accessKey: unknown = sandbox.accessKey) =>
  call<RestEnvelope<SessionUser>>(sandbox, 'POST', PATHS.session, { body: { accessKey } });

/** A POST to the session path whose answer is left unread, for faults that break the body. */
const postToSession = (sandbox: Sandbox, init: RequestInit = {}) =>
  fetch(new URL(PATHS.session, sandbox.url), { method: 'POST', body: '{}', ...init });

interface Signed {
  sandbox: Sandbox;
  token: string;
  userId: string;
  publicKey: string;
}

async function signedInSandbox(t: TestContext, options?: SandboxOptions): Promise<Signed> {
  const sandbox = await startTestSandbox(t, options);
  const { body } = await login(sandbox);
  return { sandbox, token: body.data.auth_token, userId: body.data._id, publicKey: body.data.public_key };
}

const listProducts = ({ sandbox, token, userId, publicKey }: Signed, workspace = WORKSPACE, authorization = `Bearer ${token}`) =>
  call<RestEnvelope<ListedProduct[]>>(sandbox, 'GET', `${PATHS.products(workspace)}?user_id=${userId}&public_key=${publicKey}`, {
    headers: { authorization },
  });

/** A proxy request sealed as the contract says; `overrides` replace parts of the body or headers. */
function proxy<Data = unknown>(
  { sandbox, token, userId, publicKey }: Signed,
  payload: { module?: string; method: string; params: unknown[]; user_id?: string },
  overrides: { body?: Partial<ProxyRequestBody>; headers?: Record<string, string> } = {},
): Promise<Answer<ProxyEnvelope<Data>>> {
  const body: ProxyRequestBody = {
    encrypted_payload: encryptPayload({ module: 'product', user_id: userId, ...payload }, publicKey),
    workspace_id: WORKSPACE,
    user_id: userId,
    public_key: publicKey,
    ...overrides.body,
  };
  return call<ProxyEnvelope<Data>>(sandbox, 'POST', PATHS.proxy, { body, headers: { [HEADERS.accessToken]: token, ...overrides.headers } });
}

const linkParams = (overrides: Record<string, string> = {}) => [
  { product: PRODUCT, access_tag: APP, webhook_tag: UNREGISTERED_EVENT, env: 'stg', ...overrides },
];

/** Asserts a failure envelope of the REST kind, with a request id. */
function assertRestFailure(answer: Answer, status: number, errors: string): void {
  assert.equal(answer.status, status);
  assert.deepEqual(answer.body, { status: false, meta: {}, errors });
  assert.match(answer.headers.get(HEADERS.requestId) ?? '', REQUEST_ID);
}

/** Asserts a failure envelope of the proxy kind. */
function assertProxyFailure(answer: Answer, status: number, code: string, message: RegExp): void {
  assert.equal(answer.status, status);
  const body = answer.body as ProxyFailure;
  assert.equal(body.status, false);
  assert.equal(body.code, code);
  assert.match(body.message, message);
}

describe('sandbox: the session call', () => {
  it('exchanges the sample key for a token, the public key and the workspaces', async (t) => {
    const sandbox = await startTestSandbox(t);
    const { status, body } = await login(sandbox);
    assert.equal(status, 201);
    assert.equal(body.status, true);
    assert.deepEqual(body.meta, {});
    assert.ok(/^tok_[0-9a-f]{48}$/.test(body.data.auth_token), 'a token of the sandbox form');
    assert.equal(body.data.public_key, sandbox.account.publicKey);
    assert.equal(body.data._id, sandbox.account.userId);
    assert.deepEqual(
      body.data.workspaces?.map(({ workspace_id, workspace_name, default: isDefault, accepted }) => [workspace_id, workspace_name, isDefault, accepted]),
      [
        ['ws_acme', 'Acme Commerce', true, undefined],
        ['ws_side', 'Side Projects', false, undefined],
        ['ws_invited', 'Invited Team', false, false],
      ],
      'every access, the pending invitation included, as the users service lists them',
    );
  });

  it('issues a different token at each sign-in', async (t) => {
    const sandbox = await startTestSandbox(t);
    const [first, second] = await Promise.all([login(sandbox), login(sandbox)]);
    assert.ok(first.body.data.auth_token !== second.body.data.auth_token, 'two sign-ins got the same token');
  });

  it('refuses an unknown key with 403 "user not authorized"', async (t) => {
    const sandbox = await startTestSandbox(t);
    assertRestFailure(await login(sandbox, REFUSED_KEY), 403, 'user not authorized');
  });

  it('refuses an empty key with 422, the field named without quotes as the users service words it', async (t) => {
    const sandbox = await startTestSandbox(t);
    assertRestFailure(await call(sandbox, 'POST', PATHS.session, { body: { accessKey: '' } }), 422, 'accessKey is not allowed to be empty');
  });

  it('signs in only the keys it was given', async (t) => {
    const sandbox = await startTestSandbox(t, { accessKeys: ['dk_custom_key_5551'] });
    assert.equal(sandbox.accessKey, 'dk_custom_key_5551');
    assert.equal((await login(sandbox)).status, 201);
    assert.equal((await login(sandbox, SAMPLE_ACCESS_KEY)).status, 403);
  });
});

describe('sandbox: the product list', () => {
  it("lists a workspace's products with their environments and apps, without their webhooks", async (t) => {
    const signed = await signedInSandbox(t);
    const { status, body } = await listProducts(signed);
    assert.equal(status, 201);
    assert.deepEqual(body.data.map((product) => product.tag), ['ecommerce-platform', 'payment-service', 'notification-service']);
    assert.ok(body.data.every((product: object) => 'envs' in product && 'apps' in product && !('webhooks' in product)));
  });

  it('refuses a request without a token (401 "Missing Auth Token") or with a wrong one (401 "Validation Failed")', async (t) => {
    const signed = await signedInSandbox(t);
    assertRestFailure(await listProducts(signed, WORKSPACE, ''), 401, 'Missing Auth Token');
    assertRestFailure(await listProducts(signed, WORKSPACE, 'Bearer tok_not_issued'), 401, 'Validation Failed');
    assertRestFailure(await listProducts({ ...signed, publicKey: 'pk_other' }), 401, 'Validation Failed');
  });

  it('answers 404 for a workspace it does not have', async (t) => {
    const signed = await signedInSandbox(t);
    assertRestFailure(await listProducts(signed, 'ws_unknown'), 404, 'workspace not found');
  });

  it('refuses every token issued before expireTokens(), and signs in afresh', async (t) => {
    const signed = await signedInSandbox(t);
    signed.sandbox.expireTokens();
    assertRestFailure(await listProducts(signed), 401, 'Validation Failed');
    const token = (await login(signed.sandbox)).body.data.auth_token;
    assert.equal((await listProducts({ ...signed, token })).status, 201);
  });
});

describe('sandbox: the SDK proxy', () => {
  it('answers a sealed request in the proxy envelope and logs its decrypted method', async (t) => {
    const signed = await signedInSandbox(t);
    const { status, body } = await proxy<Array<{ access_tag: string }>>(signed, { method: PROXY_METHODS.listApps, params: [PRODUCT] });
    assert.equal(status, 201);
    assert.equal(body.status, true);
    assert.deepEqual(body.data.data.map((app) => app.access_tag), PRODUCT_APPS);
    assert.equal(typeof body.data.execution_time_ms, 'number');
    assert.match(body.data.request_id, REQUEST_ID);
    assert.deepEqual(signed.sandbox.requests.at(-1), { method: 'POST', route: 'proxy', proxyMethod: 'apps.list', status: 201 });
  });

  it('refuses a payload that does not decrypt with 400 DECRYPTION_FAILED', async (t) => {
    const signed = await signedInSandbox(t);
    const sealedForAnotherKey = encryptPayload({ method: PROXY_METHODS.listApps, params: [PRODUCT] }, 'pk_another_key');
    for (const encrypted_payload of ['not a payload', sealedForAnotherKey]) {
      const answer = await proxy(signed, { method: PROXY_METHODS.listApps, params: [] }, { body: { encrypted_payload } });
      assertProxyFailure(answer, 400, 'DECRYPTION_FAILED', /^invalid encrypted_payload: /);
    }
  });

  it('refuses a request without a token, with a wrong token, or for another user with 401', async (t) => {
    const signed = await signedInSandbox(t);
    const apps = { method: PROXY_METHODS.listApps, params: [PRODUCT] };
    assertProxyFailure(await proxy(signed, apps, { headers: { [HEADERS.accessToken]: '' } }), 401, 'ERROR', /^Missing Auth Token$/);
    assertProxyFailure(await proxy({ ...signed, token: 'tok_not_issued' }, apps), 401, 'ERROR', /^Validation Failed$/);
    assertProxyFailure(await proxy(signed, { ...apps, user_id: 'usr_other' }), 401, 'ERROR', /^Validation Failed$/);
  });

  it('refuses an unknown module or method with 400', async (t) => {
    const signed = await signedInSandbox(t);
    assertProxyFailure(await proxy(signed, { method: 'apps.delete', params: [] }), 400, 'UNKNOWN_METHOD', /apps\.delete/);
    const otherModule = { module: 'billing', method: PROXY_METHODS.listApps, params: [PRODUCT] };
    assertProxyFailure(await proxy(signed, otherModule), 400, 'UNKNOWN_MODULE', /billing/);
  });

  it('answers 404 NOT_FOUND for a product, app, webhook or environment it does not have', async (t) => {
    const signed = await signedInSandbox(t);
    const generate = (overrides: Record<string, string>) =>
      proxy(signed, { method: PROXY_METHODS.generateLink, params: linkParams(overrides) });
    assertProxyFailure(await generate({ product: 'nope' }), 404, 'NOT_FOUND', /^product not found$/);
    assertProxyFailure(await generate({ access_tag: 'nope' }), 404, 'NOT_FOUND', /^app not found$/);
    assertProxyFailure(await generate({ webhook_tag: 'nope' }), 404, 'NOT_FOUND', /^webhook not found$/);
    assertProxyFailure(await generate({ env: 'nope' }), 404, 'NOT_FOUND', /^environment not found$/);
  });

  it('generates a stable link of the contract form and registers it in the webhook list', async (t) => {
    const signed = await signedInSandbox(t);
    const generate = () => proxy<string>(signed, { method: PROXY_METHODS.generateLink, params: linkParams() });
    const first = (await generate()).body.data.data;
    assert.match(first, LINK_FORM);
    assert.equal((await generate()).body.data.data, first);
    const webhooks = (await proxy<ListedWebhook[]>(signed, { method: PROXY_METHODS.listWebhooks, params: [PRODUCT, APP] })).body.data.data;
    const configs = webhooks.find((webhook) => webhook.tag === UNREGISTERED_EVENT)?.config;
    assert.ok(configs, `${UNREGISTERED_EVENT} is in the webhook list`);
    assert.deepEqual(configs.map((config) => config.productEnv), ['stg'], 'registered once');
    assert.ok(first.endsWith(configs[0].uuid));
  });
});

describe('sandbox: https', () => {
  it('serves https with the certificate it is given', async (t) => {
    const sandbox = await startTestSandbox(t, { tls: SANDBOX_TLS });
    assert.match(sandbox.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const { Agent, request } = await import('undici');
    const dispatcher = new Agent({ connect: { ca: SANDBOX_TLS.cert } });
    t.after(() => dispatcher.close());
    const url = new URL(PATHS.session, sandbox.url);
    const init = { method: 'POST', body: JSON.stringify({ accessKey: sandbox.accessKey }), headers: { 'content-type': 'application/json' } } as const;
    const response = await request(url, { ...init, dispatcher });
    assert.equal(response.statusCode, 201);
    await response.body.dump();
    await assert.rejects(request(url, init), 'a client that does not trust the certificate is refused');
  });
});

describe('sandbox: routes', () => {
  it('answers 404 "<path> not found" for a path or method it does not serve', async (t) => {
    const sandbox = await startTestSandbox(t);
    assertRestFailure(await call(sandbox, 'GET', '/nothing/here'), 404, '/nothing/here not found');
    assertRestFailure(await call(sandbox, 'GET', PATHS.session), 404, `${PATHS.session} not found`);
    assert.equal(sandbox.requests.at(-1)?.route, 'unknown');
  });

  it('refuses a body that is not JSON with 400', async (t) => {
    const sandbox = await startTestSandbox(t);
    assertRestFailure(await call(sandbox, 'POST', PATHS.session, { body: '{not json' }), 400, 'the request body is not JSON');
  });

  it('serves a generated large account of the requested shape', async (t) => {
    const signed = await signedInSandbox(t, { account: largeAccount({ products: 2, apps: 3, events: 4 }) });
    const products = (await listProducts(signed)).body.data;
    assert.deepEqual(products.map((product) => product.tag), ['product-01', 'product-02']);
    assert.equal(products[0].apps.length, 3);
    const webhooks = (await proxy<ListedWebhook[]>(signed, { method: PROXY_METHODS.listWebhooks, params: ['product-01', 'app-01'] })).body.data.data;
    assert.equal(webhooks.length, 4);
  });
});

describe('sandbox: fault injection', () => {
  const faults: Array<[FaultKind, number, (answer: Answer<RestEnvelope<object>>) => void]> = [
    ['status-500', 500, (answer) => assert.equal(answer.body.errors, 'internal server error (injected)')],
    ['status-503', 503, (answer) => assert.equal(answer.headers.get('retry-after'), '3')],
    ['status-429', 429, (answer) => assert.equal(answer.headers.get('retry-after'), '3')],
    ['status-401', 401, (answer) => assert.equal(answer.body.errors, 'Validation Failed')],
    ['status-403', 403, (answer) => assert.equal(answer.body.errors, 'user not authorized')],
    ['status-404', 404, (answer) => assert.equal(answer.body.errors, 'not found (injected)')],
    ['status-422', 422, (answer) => assert.equal(answer.body.errors, 'validation failed (injected)')],
    ['status-413', 413, (answer) => assert.match(answer.text, /^<html>.*413 Request Entity Too Large/)],
    ['status-false', 200, (answer) => assert.deepEqual(answer.body, { status: false, message: 'operation failed (injected)', code: 'INJECTED' })],
    ['malformed-json', 200, (answer) => assert.equal(answer.body, undefined, 'the body does not parse')],
    ['wrong-shape', 201, (answer) => assert.deepEqual(Object.keys(answer.body.data), ['unexpected'])],
  ];
  for (const [fault, status, check] of faults) {
    it(`answers ${fault} with ${status} once, then serves normally`, async (t) => {
      const sandbox = await startTestSandbox(t, { retryAfterSeconds: 3 });
      sandbox.failNext(fault);
      const answer = await login(sandbox);
      assert.equal(answer.status, status);
      check(answer);
      assert.equal((await login(sandbox)).status, 201);
      assert.deepEqual(
        sandbox.requests.map((request) => [request.route, request.status, request.fault]),
        [['session', status, fault], ['session', 201, undefined]],
      );
    });
  }

  it('redirects on "redirect" to the given place', async (t) => {
    const sandbox = await startTestSandbox(t, { redirectTo: 'http://127.0.0.1:9/elsewhere' });
    sandbox.failNext('redirect');
    const response = await postToSession(sandbox, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), 'http://127.0.0.1:9/elsewhere');
  });

  it('resets the connection on "reset", before any answer', async (t) => {
    const sandbox = await startTestSandbox(t);
    sandbox.failNext('reset');
    await assert.rejects(login(sandbox), (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNRESET');
    assert.equal((await login(sandbox)).status, 201);
    assert.deepEqual(sandbox.requests.map((request) => [request.status, request.fault]), [[0, 'reset'], [201, undefined]]);
  });

  it('sends less than its content-length on "truncated", then closes', async (t) => {
    const sandbox = await startTestSandbox(t);
    sandbox.failNext('truncated');
    const response = await postToSession(sandbox);
    assert.equal(response.status, 200);
    const declared = Number(response.headers.get('content-length'));
    await assert.rejects(response.text(), 'the body ends early');
    assert.ok(declared > 0);
  });

  it('streams a chunked body past MAX_RESPONSE_BYTES on "enormous"', async (t) => {
    const sandbox = await startTestSandbox(t);
    sandbox.failNext('enormous');
    const response = await postToSession(sandbox);
    assert.equal(response.headers.get('content-length'), null);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    let size = 0;
    // A fetch body streams bytes (the typings leave its chunks untyped).
    for await (const chunk of response.body!) size += (chunk as Uint8Array).length;
    assert.ok(size > MAX_RESPONSE_BYTES, `${size} bytes`);
  });

  it('draws Retry-After from a function when given one', async (t) => {
    const waits = [0, 1, 0];
    const sandbox = await startTestSandbox(t, { retryAfterSeconds: () => waits.shift() ?? 9 });
    sandbox.setFaultRate(1, ['status-429']);
    const answers = [await login(sandbox), await login(sandbox), await login(sandbox), await login(sandbox)];
    assert.deepEqual(answers.map((answer) => answer.headers.get('retry-after')), ['0', '1', '0', '9']);
  });

  it('lists every token it issued, expired ones included', async (t) => {
    const sandbox = await startTestSandbox(t);
    const first = (await login(sandbox)).body.data.auth_token;
    sandbox.expireTokens();
    const second = (await login(sandbox)).body.data.auth_token;
    assert.deepEqual(sandbox.issuedTokens(), [first, second]);
  });

  it('injects a fault into the named route only, as many times as asked', async (t) => {
    const signed = await signedInSandbox(t);
    signed.sandbox.failNext('status-500', { route: 'products', count: 2 });
    assert.equal((await login(signed.sandbox)).status, 201);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await listProducts(signed)).status);
    assert.deepEqual(statuses, [500, 500, 201]);
  });

  it('fails every request at a fault rate of 1, and none at 0', async (t) => {
    const sandbox = await startTestSandbox(t);
    sandbox.setFaultRate(1, ['status-503']);
    assert.deepEqual([(await login(sandbox)).status, (await login(sandbox)).status], [503, 503]);
    sandbox.setFaultRate(0);
    assert.equal((await login(sandbox)).status, 201);
  });

  it('hangs mid-answer on "hang", and close() still ends, closing the port', async (t) => {
    const sandbox = await startTestSandbox(t);
    sandbox.failNext('hang');
    const response = await postToSession(sandbox);
    assert.equal(response.status, 200);
    const body = response.text();
    await sandbox.close();
    await assert.rejects(body, 'the stalled answer ends when the sandbox closes');
    await assert.rejects(fetch(sandbox.url), (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED');
    assert.equal(sandbox.requests[0].fault, 'hang');
  });
});

describe('sandbox: the other sign-ins', () => {
  const credentials = (sandbox: Sandbox, overrides: Record<string, string> = {}) => ({
    user_id: sandbox.account.userId,
    workspace_id: WORKSPACE,
    private_key: sandbox.account.privateKey,
    ...overrides,
  });

  it('takes workspace credentials at the session path, answering the user without workspaces', async (t) => {
    const sandbox = await startTestSandbox(t);
    const { status, body } = await call<RestEnvelope<SessionUser>>(sandbox, 'POST', PATHS.session, { body: credentials(sandbox) });
    assert.equal(status, 201);
    assert.equal(body.data._id, sandbox.account.userId);
    assert.match(body.data.auth_token, /^tok_/);
    assert.equal(body.data.workspaces, undefined, 'the client must list them from the workspaces route');
    assert.equal(sandbox.requests.at(-1)?.signIn, 'workspace');
  });

  it('refuses workspace credentials that are wrong (403), malformed or missing (422, the field named)', async (t) => {
    const sandbox = await startTestSandbox(t);
    const post = (body: unknown) => call(sandbox, 'POST', PATHS.session, { body });
    assertRestFailure(await post(credentials(sandbox, { private_key: 'prv_wrong_key_0000' })), 403, 'user not authorized');
    assertRestFailure(await post(credentials(sandbox, { workspace_id: 'ws_invited' })), 403, 'user not authorized');
    assertRestFailure(await post(credentials(sandbox, { user_id: 'short' })), 422, 'user_id length must be 24 characters long');
    const { private_key: _missing, ...withoutKey } = credentials(sandbox);
    assertRestFailure(await post(withoutKey), 422, 'private_key is required');
  });

  it('takes email and password at the login path, answering the user in data.result with every workspace access', async (t) => {
    const sandbox = await startTestSandbox(t);
    const { account } = sandbox;
    const { status, body } = await call<RestEnvelope<{ result: SessionUser }>>(sandbox, 'POST', PATHS.passwordLogin, {
      body: { email: account.email, password: account.password },
    });
    assert.equal(status, 201);
    assert.equal(body.data.result._id, account.userId);
    assert.match(body.data.result.auth_token, /^tok_/);
    assert.deepEqual(body.data.result.workspaces?.map((workspace) => workspace.accepted), [undefined, undefined, false]);
    assert.equal(sandbox.requests.at(-1)?.signIn, 'password');
    const wrong = await call(sandbox, 'POST', PATHS.passwordLogin, { body: { email: account.email, password: 'not-it' } });
    assertRestFailure(wrong, 401, 'Invalid email or password.');
  });

  it('asks a password sign-in for a one-time code first when told to, then signs in with the code', async (t) => {
    const sandbox = await startTestSandbox(t, { twoFactorCode: '482913' });
    const { account } = sandbox;
    const first = await call<RestEnvelope<{ result: Partial<SessionUser> }>>(sandbox, 'POST', PATHS.passwordLogin, {
      body: { email: account.email, password: account.password },
    });
    assert.equal(first.body.data.result._id, account.userId);
    assert.equal(first.body.data.result.auth_token, undefined);
    assertRestFailure(await call(sandbox, 'POST', PATHS.codeLogin, { body: { user_id: account.userId, token: '000000' } }), 401, 'Invalid OTP');
    const { body } = await call<RestEnvelope<SessionUser>>(sandbox, 'POST', PATHS.codeLogin, { body: { user_id: account.userId, token: '482913' } });
    assert.match(body.data.auth_token, /^tok_/);
    assert.equal(sandbox.requests.at(-1)?.signIn, 'code');
  });
});

describe('sandbox: the workspaces route', () => {
  const fetchWorkspaces = ({ sandbox, token, userId, publicKey }: Signed, user = userId, authorization = `Bearer ${token}`) =>
    call<RestEnvelope<Array<{ workspace_id: string; accepted?: boolean }>>>(
      sandbox,
      'GET',
      `${PATHS.workspaces(user)}?user_id=${userId}&public_key=${publicKey}`,
      { headers: { authorization } },
    );

  it("lists the user's workspace accesses, the pending invitation included", async (t) => {
    const signed = await signedInSandbox(t);
    const { status, body } = await fetchWorkspaces(signed);
    assert.equal(status, 201);
    assert.deepEqual(body.data.map(({ workspace_id, accepted }) => [workspace_id, accepted]), [['ws_acme', undefined], ['ws_side', undefined], ['ws_invited', false]]);
    assert.equal(signed.sandbox.requests.at(-1)?.route, 'workspaces');
  });

  it('refuses a request without a token (401) or for another user (403)', async (t) => {
    const signed = await signedInSandbox(t);
    assertRestFailure(await fetchWorkspaces(signed, signed.userId, ''), 401, 'Missing Auth Token');
    assertRestFailure(await fetchWorkspaces(signed, '65f1c0de2a9b84e7d3c1ffff'), 403, 'user not authorized');
  });
});

describe('sandbox: mapped environments and registrations', () => {
  const listWebhooks = (signed: Signed, app: string) =>
    proxy<Array<{ tag: string; config: Array<{ productEnv: string; uuid?: string; url?: string; method?: string; active?: boolean }> }>>(signed, {
      method: PROXY_METHODS.listWebhooks,
      params: [PRODUCT, app],
    });
  const generate = (signed: Signed, overrides: Record<string, string> = {}) =>
    proxy<string>(signed, { method: PROXY_METHODS.generateLink, params: linkParams(overrides) });

  it('maps one app to every environment, one to some, one to none', async (t) => {
    const signed = await signedInSandbox(t);
    const [ecommerce] = (await call<RestEnvelope<Array<{ apps: Array<{ access_tag: string; envs: Array<{ product_env_slug: string }> }> }>>>(
      signed.sandbox,
      'GET',
      `${PATHS.products(WORKSPACE)}?user_id=${signed.userId}&public_key=${signed.publicKey}`,
      { headers: { authorization: `Bearer ${signed.token}` } },
    )).body.data;
    assert.deepEqual(
      ecommerce.apps.map((app) => [app.access_tag, app.envs.map((mapping) => mapping.product_env_slug)]),
      [['stripe-payments', ['dev', 'stg', 'prd']], ['sendgrid-email', ['dev', 'prd']], ['paystack-pay', []]],
    );
  });

  it('refuses a link in an environment the app is not mapped to (422)', async (t) => {
    const signed = await signedInSandbox(t);
    const stg = await generate(signed, { access_tag: 'sendgrid-email', webhook_tag: 'email.opened', env: 'stg' });
    assertProxyFailure(stg, 422, 'VALIDATION_ERROR', /^environment stg is not mapped to app sendgrid-email$/);
    const paystack = await generate(signed, { access_tag: 'paystack-pay', webhook_tag: 'charge.success', env: 'dev' });
    assertProxyFailure(paystack, 422, 'VALIDATION_ERROR', /not mapped to app paystack-pay/);
  });

  it('has a switched-off registration: SendGrid’s first event in prd', async (t) => {
    const signed = await signedInSandbox(t);
    const [first] = (await listWebhooks(signed, 'sendgrid-email')).body.data.data;
    assert.deepEqual(first.config.map((config) => [config.productEnv, config.active]), [['dev', true], ['prd', false]]);
  });

  it('stores the destination given with the link, keeps the uuid, and blanks it when a later call has none', async (t) => {
    const signed = await signedInSandbox(t);
    const link = (await generate(signed, { url: 'https://api.shop.example/refunds', method: 'PUT' })).body.data.data;
    const config = async () => (await listWebhooks(signed, APP)).body.data.data.find((webhook) => webhook.tag === UNREGISTERED_EVENT)?.config[0];
    assert.deepEqual(
      { ...(await config()), uuid: undefined },
      { productEnv: 'stg', appEnv: 'app-stg', uuid: undefined, url: 'https://api.shop.example/refunds', method: 'PUT', active: true },
    );
    assert.equal((await generate(signed)).body.data.data, link, 'the same link');
    assert.equal((await config())?.url, '', 'the worst case the contract warns of: a call without url blanks the destination');
  });

  it('refuses generateLink without a url under requireDestination, and takes it with one', async (t) => {
    const signed = await signedInSandbox(t, { requireDestination: true });
    assertProxyFailure(await generate(signed), 422, 'VALIDATION_ERROR', /^url is required$/);
    const answer = await generate(signed, { url: 'https://api.shop.example/refunds', method: 'POST' });
    assert.equal(answer.status, 201);
    assert.match(answer.body.data.data, LINK_FORM);
  });

  it('takes generateLink without a url when not told to require one', async (t) => {
    const signed = await signedInSandbox(t);
    assert.match((await generate(signed)).body.data.data, LINK_FORM);
  });

  it('marks every generateLink call in its request log, with its parameter, and logs a line for each', async (t) => {
    const lines: string[] = [];
    const signed = await signedInSandbox(t, { log: (line) => lines.push(line), requireDestination: true });
    await listWebhooks(signed, APP);
    await generate(signed);
    await generate(signed, { url: 'https://api.shop.example/refunds', method: 'PATCH' });
    const marked = signed.sandbox.requests.filter((request) => request.generateLink);
    assert.deepEqual(
      marked.map((request) => [request.status, request.generateLink?.url]),
      [[422, undefined], [201, 'https://api.shop.example/refunds']],
      'refused and accepted calls alike, reads not',
    );
    assert.equal(lines.length, 1, 'one line per write taken');
    assert.match(lines[0], /^generateLink ecommerce-platform\/stripe-payments\/charge\.refunded in stg → https:\/\/webhooks\.ductape\.app\/.* \(destination: PATCH https:\/\/api\.shop\.example\/refunds\)$/);
  });
});
