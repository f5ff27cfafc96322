import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Credential } from '../../../src/ductape/contract';
import { AuthError, CancelledError, CodeRequiredError, ContractError, InputError, ServerError } from '../../../src/ductape/errors';
import type { SessionInfo } from '../../../src/ductape/session';
import type { Sandbox } from '../../sandbox/server';
import {
  APP,
  PRODUCT,
  PRODUCT_APPS,
  QUICK_RETRIES,
  REFUSED_KEY,
  USER_ID,
  WORKSPACE,
  clientFor,
  countServed,
  drain,
  rejectsWith,
  served,
  setup,
  signedIn,
  startTestSandbox,
} from '../helpers';

describe('Session: the key exchange', () => {
  it('tells who signed in, with their workspaces', async (t) => {
    const { client } = await setup(t);
    const session = await client.signIn();
    assert.equal(session.userId, USER_ID);
    assert.equal(session.email, 'dev@example.com');
    assert.equal(session.displayName, 'Ada Okafor');
    assert.deepEqual(
      session.workspaces.map(({ workspace_id, default: isDefault }) => [workspace_id, isDefault]),
      [['ws_acme', true], ['ws_side', false]],
    );
    assert.ok(session.token && session.publicKey);
  });

  it('exchanges the key once for concurrent callers', async (t) => {
    const { sandbox, client } = await setup(t);
    await Promise.all([client.signIn(), client.workspaces(), client.products(WORKSPACE)]);
    assert.deepEqual(served(sandbox), ['session', 'products']);
  });

  it('does not keep a failed exchange: the next call exchanges again', async (t) => {
    const { sandbox, client } = await setup(t, { client: { retry: QUICK_RETRIES } });
    // The exchange is tried three times (it is retried like a read), and fails.
    sandbox.failNext('status-500', { route: 'session', count: 3 });
    await rejectsWith(client.signIn(), ServerError);
    await client.signIn();
    assert.equal(countServed(sandbox, 'session'), 4);
  });

  it('refuses a key the server refuses with an AuthError that names the host and not the key', async (t) => {
    const { sandbox, client } = await setup(t, { client: { accessKey: REFUSED_KEY } });
    const error = await rejectsWith(client.products(WORKSPACE), AuthError);
    assert.equal(error.status, 403);
    assert.equal(error.host, `127.0.0.1:${sandbox.port}`);
    assert.ok(error.message.includes(`127.0.0.1:${sandbox.port}`), 'the message names the host');
    assert.ok(!error.message.includes(REFUSED_KEY), 'the message contains the key');
    assert.deepEqual(served(sandbox), ['session'], 'nothing is called with a refused key');
  });

  it('refuses a sign-in answer of the wrong shape with a ContractError naming the sign-in', async (t) => {
    const { sandbox, client } = await setup(t);
    sandbox.failNext('wrong-shape', { route: 'session' });
    const error = await rejectsWith(client.signIn(), ContractError);
    assert.match(error.message, /the sign-in \(access key exchange\)/);
  });

  it('lets one caller cancel its wait without cancelling the exchange the others share', async (t) => {
    const { sandbox, client } = await setup(t);
    const controller = new AbortController();
    const leaving = client.signIn(controller.signal);
    const staying = client.signIn();
    controller.abort();
    await rejectsWith(leaving, CancelledError);
    assert.equal((await staying).userId, USER_ID);
    assert.equal(countServed(sandbox, 'session'), 1);
  });

  it('does not start the exchange for a call whose signal is already aborted', async (t) => {
    const { sandbox, client } = await setup(t);
    await rejectsWith(client.apps(WORKSPACE, PRODUCT, AbortSignal.abort()), CancelledError);
    await drain(client);
    assert.deepEqual(served(sandbox), []);
  });
});

describe('Session: an expired token (401)', () => {
  it('exchanges the key again once and retries the call, which succeeds', async (t) => {
    const { sandbox, client } = await signedIn(t);
    const from = sandbox.requests.length;
    sandbox.expireTokens();
    const apps = await client.apps(WORKSPACE, PRODUCT);
    assert.deepEqual(apps.map((app) => app.access_tag), PRODUCT_APPS);
    // The refused request (401, not decrypted), one exchange, the retry.
    assert.deepEqual(served(sandbox, from), ['proxy', 'session', 'apps.list']);
  });

  it('renews on a 401 from the product list (REST) as well', async (t) => {
    const { sandbox, client } = await signedIn(t);
    const from = sandbox.requests.length;
    sandbox.failNext('status-401', { route: 'products' });
    assert.equal((await client.products(WORKSPACE)).length, 3);
    assert.deepEqual(served(sandbox, from), ['products', 'session', 'products']);
  });

  it('gives up with an AuthError (401) when the retry is refused too', async (t) => {
    const { sandbox, client } = await signedIn(t);
    const from = sandbox.requests.length;
    sandbox.failNext('status-401', { route: 'proxy', count: 2 });
    const error = await rejectsWith(client.webhooks(WORKSPACE, PRODUCT, APP), AuthError);
    assert.equal(error.status, 401);
    assert.ok(error.message.includes(`127.0.0.1:${sandbox.port}`));
    assert.deepEqual(served(sandbox, from), ['proxy', 'session', 'proxy']);
  });

  it('renews only once for concurrent calls that all meet the 401', async (t) => {
    const { sandbox, client } = await signedIn(t, { client: { maxConcurrentRequests: 4 } });
    const from = sandbox.requests.length;
    sandbox.expireTokens();
    const results = await Promise.all([
      client.apps(WORKSPACE, PRODUCT),
      client.environments(WORKSPACE, PRODUCT),
      client.webhooks(WORKSPACE, PRODUCT, APP),
      client.products(WORKSPACE),
    ]);
    assert.ok(results.every((result) => result.length > 0));
    assert.equal(countServed(sandbox, 'session', from), 1);
  });
});

describe('Session: the other sign-ins', () => {
  const workspaceCredential = (sandbox: Sandbox, privateKey = sandbox.account.privateKey): Credential => ({
    kind: 'workspace',
    userId: sandbox.account.userId,
    workspaceId: WORKSPACE,
    privateKey,
  });
  const passwordCredential = (sandbox: Sandbox): Credential => ({ kind: 'password', email: sandbox.account.email, password: sandbox.account.password });

  it('signs in with workspace credentials, then lists the workspaces the answer lacks, without the pending invitation', async (t) => {
    const sandbox = await startTestSandbox(t);
    const { client } = clientFor(t, sandbox, { credential: workspaceCredential(sandbox) });
    const session = await client.signIn();
    assert.equal(session.userId, USER_ID);
    assert.deepEqual(session.workspaces.map((workspace) => workspace.workspace_id), ['ws_acme', 'ws_side']);
    assert.deepEqual(served(sandbox), ['session', 'workspaces']);
    assert.equal(sandbox.requests[0].signIn, 'workspace');
  });

  it('refuses wrong workspace credentials with an AuthError, and malformed ones with an InputError', async (t) => {
    const sandbox = await startTestSandbox(t);
    const wrong = clientFor(t, sandbox, { credential: workspaceCredential(sandbox, 'prv_wrong_key_0000') });
    assert.equal((await rejectsWith(wrong.client.signIn(), AuthError)).status, 403);
    const malformed = clientFor(t, sandbox, { credential: { ...workspaceCredential(sandbox), userId: 'short' } as Credential });
    assert.equal((await rejectsWith(malformed.client.signIn(), InputError)).field, 'workspace credentials');
  });

  it('signs in with email and password from data.result, keeping only the session it gives', async (t) => {
    const sandbox = await startTestSandbox(t);
    const kept: SessionInfo[] = [];
    const { client } = clientFor(t, sandbox, { credential: passwordCredential(sandbox), onSession: (session) => kept.push(session) });
    const session = await client.signIn();
    assert.deepEqual(session.workspaces.map((workspace) => workspace.workspace_id), ['ws_acme', 'ws_side']);
    assert.deepEqual(served(sandbox), ['session'], 'the workspaces came with the session');
    assert.equal(kept.length, 1);
    assert.ok(!JSON.stringify(kept).includes(sandbox.account.password), 'the kept session holds the password');
  });

  it('does not send a password again: when its session is refused, the person signs in again', async (t) => {
    const sandbox = await startTestSandbox(t);
    const { client } = clientFor(t, sandbox, { credential: passwordCredential(sandbox) });
    await client.signIn();
    sandbox.expireTokens();
    const error = await rejectsWith(client.products(WORKSPACE), AuthError);
    assert.equal(error.status, 401);
    assert.equal(countServed(sandbox, 'session'), 1);
  });

  it('asks for the one-time code of an account with two-step verification, and signs in with it', async (t) => {
    const sandbox = await startTestSandbox(t, { twoFactorCode: '482913' });
    const { client } = clientFor(t, sandbox, { credential: passwordCredential(sandbox) });
    const error = await rejectsWith(client.signIn(), CodeRequiredError);
    assert.equal(error.userId, USER_ID);
    const withCode = clientFor(t, sandbox, { credential: { kind: 'code', userId: error.userId, code: '482913' } });
    assert.equal((await withCode.client.signIn()).userId, USER_ID);
  });
});

describe('Session: a session kept from before', () => {
  it('is used by another client without an exchange, and exchanged again once when the server refuses it', async (t) => {
    const sandbox = await startTestSandbox(t);
    const first = clientFor(t, sandbox);
    const kept = await first.client.signIn();
    const from = sandbox.requests.length;
    const renewed: SessionInfo[] = [];
    const { client } = clientFor(t, sandbox, { session: kept, onSession: (session) => renewed.push(session) });
    assert.equal((await client.products(WORKSPACE)).length, 3);
    assert.deepEqual(served(sandbox, from), ['products']);
    sandbox.expireTokens();
    assert.equal((await client.products(WORKSPACE)).length, 3);
    assert.deepEqual(served(sandbox, from), ['products', 'products', 'session', 'products']);
    assert.equal(renewed.length, 1);
    assert.notEqual(renewed[0].token, kept.token);
  });
});
