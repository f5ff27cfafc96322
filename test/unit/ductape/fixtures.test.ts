/**
 * The client against answers written from Ductape's public code (test/fixtures/ductape, each
 * citing its source), served by a server of this test's own: not the sandbox, which shares the
 * contract module with the client and so cannot catch a mistake in it. The server opens proxy
 * payloads with crypto-js, as Ductape's workbench seals them, not with the client's own cipher.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { type IncomingMessage, createServer } from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import CryptoJS from 'crypto-js';
import { WebhookCatalog } from '../../../src/ductape/catalog';
import { DuctapeClient, type DuctapeClientOptions } from '../../../src/ductape/client';
import type { Credential, SkippedItem } from '../../../src/ductape/contract';
import { AuthError, DestinationRequiredError, InputError, ServerError } from '../../../src/ductape/errors';
import type { SessionInfo } from '../../../src/ductape/session';
import { QUICK_RETRIES, listenLocally, rejectsWith } from '../helpers';

const FIXTURES = path.join(__dirname, '../../../../test/fixtures/ductape');

interface Fixture {
  $source: string;
  http: number;
  body: unknown;
  /** For an error body: the message a person should see. */
  message?: string;
}

const fixture = (name: string): Fixture => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Fixture;

/** The values the fixtures carry. */
const USER_ID = '6523f0c1a7b9e2d4f8a1c3e5';
const PUBLIC_KEY = 'pk_fixture_4f2a9c1e7b3d5a8f';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.fixture-session.c2lnbmF0dXJl';
const STRIPE = 'stripe:a1b2';
const SENDGRID = 'sendgrid:c3d4';
const PAYSTACK = 'paystack:e5f6';
const EVENT = 'payment.succeeded';
const NEW_EVENT = 'charge.refunded';
const GENERATED = 'https://webhooks.ductape.app/webhooks/v1/process/4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
const PASSWORD = 'fixture-Passw0rd!';

/** A request as the fixture server saw it, its proxy payload opened with crypto-js. */
interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
  payload?: { module: string; method: string; params: unknown[]; user_id: string };
}

/** What the server answers: a fixture's name, or a fixture itself. */
type Answer = string | Pick<Fixture, 'http' | 'body'>;

/** The workbench's cipher, undone: AES-CBC, key SHA-256(public key), `hex(iv):base64(ciphertext)`. */
function openWithCryptoJs(sealed: string, publicKey: string): Seen['payload'] {
  const [ivHex, ciphertext] = sealed.split(':');
  const opened = CryptoJS.AES.decrypt(ciphertext, CryptoJS.SHA256(publicKey), { iv: CryptoJS.enc.Hex.parse(ivHex) });
  return JSON.parse(opened.toString(CryptoJS.enc.Utf8)) as Seen['payload'];
}

/** The answers of the real service, as the fixtures have them; a test overrides some. */
function defaultAnswer(seen: Seen): Answer | undefined {
  if (seen.path === '/users/v1/login') return 'login-password';
  if (seen.path === '/users/v1/login/authKey') return 'login-authkey';
  if (seen.path === `/workspaces/v1/fetch/${USER_ID}`) return 'workspaces-fetch';
  if (seen.path === '/integrations/v1/workspace/ws_main/all') return 'products';
  const byMethod: Record<string, string> = {
    'apps.list': 'proxy-apps-list',
    'apps.webhooks.list': 'proxy-webhooks-list',
    'apps.webhooks.generateLink': 'proxy-generate-link',
  };
  return seen.payload && byMethod[seen.payload.method];
}

async function fixtureServer(t: TestContext, answer: (seen: Seen) => Answer | undefined = () => undefined) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fixtures');
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const entry: Seen = { method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers, body };
      if (typeof body?.encrypted_payload === 'string') entry.payload = openWithCryptoJs(body.encrypted_payload, String(body.public_key));
      seen.push(entry);
      const chosen = answer(entry) ?? defaultAnswer(entry);
      const { http, body: answered } = typeof chosen === 'string' ? fixture(chosen) : (chosen ?? { http: 404, body: { status: false, errors: 'not found' } });
      response.writeHead(http, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answered));
    });
  });
  const url = await listenLocally(t, server);
  return { url, seen };
}

interface FixtureClient {
  client: DuctapeClient;
  seen: Seen[];
  skipped: SkippedItem[];
  sessions: SessionInfo[];
}

async function fixtureClient(
  t: TestContext,
  { answer, ...options }: Partial<DuctapeClientOptions> & { answer?: (seen: Seen) => Answer | undefined } = {},
): Promise<FixtureClient> {
  const { url, seen } = await fixtureServer(t, answer);
  const skipped: SkippedItem[] = [];
  const sessions: SessionInfo[] = [];
  const client = new DuctapeClient({
    apiUrl: url,
    accessKey: 'dk_fixture_key_7Qm2',
    maxConcurrentRequests: 1,
    retry: QUICK_RETRIES,
    onSkipped: (item) => skipped.push(item),
    onSession: (session) => sessions.push(session),
    ...options,
  });
  t.after(() => client.close());
  return { client, seen, skipped, sessions };
}

/** The skipped items of the lists whose name starts with one of `calls`, as [list, index]. */
const skippedOf = (skipped: readonly SkippedItem[], ...calls: string[]) =>
  skipped.filter(({ call }) => calls.some((name) => call.startsWith(name))).map(({ call, index }) => [call, index]);

const paths = (seen: readonly Seen[]) => seen.map((entry) => entry.payload?.method ?? `${entry.method} ${entry.path}`);
const generateCalls = (seen: readonly Seen[]) =>
  seen.filter((entry) => entry.payload?.method === 'apps.webhooks.generateLink').map((entry) => entry.payload!.params[0]);

describe('fixtures: each is written from the public code and says where from', () => {
  it('cites a repository path (or the shared contract) in its "$source"', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
    assert.ok(names.length >= 18, `${names.length} fixtures`);
    for (const name of names) {
      const { $source, http, body } = fixture(name.replace(/\.json$/, ''));
      assert.match($source, /(fikayo-sanni\/Ductape-workbench|Ductape-LLC\/ductape-users) \S+\.tsx?|the shared contract/, name);
      assert.ok(Number.isInteger(http) && body && typeof body === 'object', name);
    }
  });
});

describe('fixtures: the three sign-ins', () => {
  it('access key: the user in `data`, no workspaces in it, so they are fetched; pending invitations and odd rows are left out', async (t) => {
    const { client, seen, skipped } = await fixtureClient(t);
    const session = await client.signIn();
    assert.deepEqual([session.userId, session.token, session.publicKey, session.email, session.displayName], [USER_ID, TOKEN, PUBLIC_KEY, 'ada@example.com', 'Ada Okafor']);
    assert.deepEqual(session.workspaces.map((workspace) => workspace.workspace_id), ['ws_main', 'ws_legacy']);
    assert.deepEqual(paths(seen), ['POST /users/v1/login/authKey', `GET /workspaces/v1/fetch/${USER_ID}`]);
    assert.deepEqual(seen[0].body, { accessKey: 'dk_fixture_key_7Qm2' });
    const [, fetch] = seen;
    assert.equal(fetch.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual([fetch.query.get('user_id'), fetch.query.get('public_key')], [USER_ID, PUBLIC_KEY]);
    assert.deepEqual(skippedOf(skipped, 'the workspace list'), [['the workspace list', 3]], 'the row without workspace_id, logged');
  });

  it('workspace credentials: user_id, workspace_id and private_key to the same path', async (t) => {
    const credential: Credential = { kind: 'workspace', userId: USER_ID, workspaceId: 'ws_main', privateKey: 'prv_fixture_Jf83kQ0z' };
    const { client, seen } = await fixtureClient(t, { credential });
    assert.equal((await client.signIn()).token, TOKEN);
    assert.equal(seen[0].path, '/users/v1/login/authKey');
    assert.deepEqual(seen[0].body, { user_id: USER_ID, workspace_id: 'ws_main', private_key: 'prv_fixture_Jf83kQ0z' });
  });

  it('email and password: the user in `data.result` with its workspaces; no fetch; the password is nowhere in the session kept', async (t) => {
    const credential: Credential = { kind: 'password', email: 'ada@example.com', password: PASSWORD };
    const { client, seen, sessions } = await fixtureClient(t, { credential });
    const session = await client.signIn();
    assert.deepEqual(session.workspaces.map((workspace) => [workspace.workspace_id, workspace.default]), [['ws_main', true], ['ws_legacy', false]]);
    assert.deepEqual(paths(seen), ['POST /users/v1/login']);
    assert.deepEqual(seen[0].body, { email: 'ada@example.com', password: PASSWORD });
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].token, TOKEN);
    assert.ok(!JSON.stringify(sessions).includes(PASSWORD), 'the session handed out to be kept holds the password');
  });

  it('email and password: a refused token asks for a new sign-in; the password is not sent again', async (t) => {
    const credential: Credential = { kind: 'password', email: 'ada@example.com', password: PASSWORD };
    const refused = { http: 401, body: { status: false, meta: {}, errors: 'Validation Failed' } };
    const { client, seen } = await fixtureClient(t, { credential, answer: (entry) => (entry.path.startsWith('/integrations/') ? refused : undefined) });
    const error = await rejectsWith(client.products('ws_main'), AuthError);
    assert.equal(error.status, 401);
    assert.deepEqual(paths(seen), ['POST /users/v1/login', 'GET /integrations/v1/workspace/ws_main/all']);
  });
});

describe('fixtures: a session kept from before', () => {
  const stored: SessionInfo = { userId: USER_ID, token: 'stored.jwt.token', publicKey: PUBLIC_KEY, workspaces: [] };
  const refusingStored = (entry: Seen): Answer | undefined =>
    entry.headers.authorization === 'Bearer stored.jwt.token' ? { http: 401, body: { status: false, meta: {}, errors: 'Validation Failed' } } : undefined;

  it('is used without an exchange', async (t) => {
    const { client, seen } = await fixtureClient(t, { session: stored });
    assert.equal((await client.products('ws_main')).length, 1);
    assert.deepEqual(paths(seen), ['GET /integrations/v1/workspace/ws_main/all']);
    assert.equal(seen[0].headers.authorization, 'Bearer stored.jwt.token');
  });

  it('is exchanged again once after a 401, and the call repeated with the new token', async (t) => {
    const { client, seen, sessions } = await fixtureClient(t, { session: stored, answer: refusingStored });
    assert.equal((await client.products('ws_main')).length, 1);
    assert.deepEqual(paths(seen), [
      'GET /integrations/v1/workspace/ws_main/all',
      'POST /users/v1/login/authKey',
      `GET /workspaces/v1/fetch/${USER_ID}`,
      'GET /integrations/v1/workspace/ws_main/all',
    ]);
    assert.equal(seen.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(sessions.map((session) => session.token), [TOKEN], 'the new session is handed out to be kept');
  });

  it('gives up after one re-exchange when the new token is refused too', async (t) => {
    const refusingAll = (entry: Seen): Answer | undefined =>
      entry.path.startsWith('/integrations/') ? { http: 401, body: { status: false, meta: {}, errors: 'Validation Failed' } } : undefined;
    const { client, seen } = await fixtureClient(t, { session: stored, answer: refusingAll });
    await rejectsWith(client.products('ws_main'), AuthError);
    assert.equal(seen.filter((entry) => entry.path === '/users/v1/login/authKey').length, 1);
  });
});

describe('fixtures: products, apps and mapped environments', () => {
  it('reads the product list, leaving out (and logging) a product or app that lacks its tag', async (t) => {
    const { client, skipped } = await fixtureClient(t);
    const [shop, ...others] = await client.products('ws_main');
    assert.equal(others.length, 0);
    assert.deepEqual(shop.envs?.map((env) => env.slug), ['dev', 'stg', 'prd']);
    assert.deepEqual(shop.apps?.map((app) => app.access_tag), [STRIPE, SENDGRID, PAYSTACK]);
    assert.deepEqual(skippedOf(skipped, 'the product list', 'the apps of'), [['the product list', 1], ['the apps of shop', 3]]);
  });

  it("gives each app the environments it is mapped to, and none to an app without mappings", async (t) => {
    const { client } = await fixtureClient(t);
    const slugs = async (app: string) => (await client.appEnvironments('ws_main', 'shop', app)).map((env) => env.slug);
    assert.deepEqual(await slugs(STRIPE), ['dev', 'stg', 'prd']);
    assert.deepEqual(await slugs(SENDGRID), ['dev', 'prd']);
    assert.deepEqual(await slugs(PAYSTACK), []);
  });

  it('refuses a link in an environment the app is not mapped to, before any write', async (t) => {
    const { client, seen } = await fixtureClient(t);
    const stg = await rejectsWith(client.generateLink('ws_main', { product: 'shop', app: SENDGRID, event: EVENT, env: 'stg' }), InputError);
    assert.match(stg.message, /is not mapped to "stg" \(it is mapped to: dev, prd\)/);
    const none = await rejectsWith(client.generateLink('ws_main', { product: 'shop', app: PAYSTACK, event: EVENT, env: 'dev' }), InputError);
    assert.match(none.message, /no environment of product "shop" is mapped to app "paystack:e5f6"/);
    assert.deepEqual(generateCalls(seen), []);
  });

  it('reads the app list: `tag` stands for `app_tag`, an app without access_tag is left out and logged', async (t) => {
    const { client, skipped } = await fixtureClient(t);
    const apps = await client.apps('ws_main', 'shop');
    assert.deepEqual(apps.map((app) => [app.access_tag, app.app_tag]), [[STRIPE, 'stripe'], [SENDGRID, 'sendgrid'], [PAYSTACK, 'paystack']]);
    assert.deepEqual(skippedOf(skipped, 'the app list'), [['the app list of shop', 3]]);
  });
});

describe('fixtures: registrations', () => {
  it('reads links, destinations and switched-off registrations; a row without productEnv or a webhook without tag is left out and logged', async (t) => {
    const { client, skipped } = await fixtureClient(t);
    const rows = await client.webhookLinks('ws_main', 'shop', STRIPE);
    const row = (event: string, env: string) => rows.find((entry) => entry.event === event && entry.env === env);
    assert.deepEqual(
      ['dev', 'stg', 'prd'].map((env) => {
        const { registered, url, destination, active } = row(EVENT, env)!;
        return { env, registered, url, destination, active };
      }),
      [
        {
          env: 'dev',
          registered: true,
          url: 'https://webhooks.ductape.app/webhooks/v1/process/0b6f3a52-7c1d-4e8a-9f20-5d4c3b2a1f00',
          destination: { url: 'https://api.shop.example/hooks/paid', method: 'POST' },
          active: true,
        },
        { env: 'stg', registered: true, url: undefined, destination: { url: 'https://staging.shop.example/hooks/paid', method: 'PUT' }, active: undefined },
        {
          env: 'prd',
          registered: true,
          url: 'https://webhooks.ductape.app/webhooks/v1/process/9c8e7d6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
          destination: { url: 'https://api.shop.example/hooks/paid', method: 'PATCH' },
          active: false,
        },
      ],
    );
    assert.ok(['dev', 'stg', 'prd'].every((env) => row(NEW_EVENT, env)?.registered === false));
    assert.equal(rows.length, 6, 'two webhooks × three environments');
    assert.deepEqual(skippedOf(skipped, 'the webhook list', 'the registrations'), [
      ['the webhook list of shop/stripe:a1b2', 2],
      ['the registrations of payment.succeeded (shop/stripe:a1b2)', 3],
    ]);
  });

  it('reads a link that exists and never generates it again', async (t) => {
    const { client, seen } = await fixtureClient(t);
    const catalog = new WebhookCatalog(client, 'ws_main');
    const link = await catalog.generateLink({ product: 'shop', app: STRIPE, event: EVENT, env: 'dev' });
    assert.equal(link, 'https://webhooks.ductape.app/webhooks/v1/process/0b6f3a52-7c1d-4e8a-9f20-5d4c3b2a1f00');
    assert.equal(await catalog.generateLink({ product: 'shop', app: STRIPE, event: EVENT, env: 'prd' }), 'https://webhooks.ductape.app/webhooks/v1/process/9c8e7d6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b');
    assert.deepEqual(generateCalls(seen), []);
  });

  it('sends the existing destination when it generates the link of a registration that has one', async (t) => {
    const { client, seen } = await fixtureClient(t);
    const catalog = new WebhookCatalog(client, 'ws_main');
    assert.equal(await catalog.generateLink({ product: 'shop', app: STRIPE, event: EVENT, env: 'stg' }), GENERATED);
    assert.deepEqual(generateCalls(seen), [
      { product: 'shop', access_tag: STRIPE, webhook_tag: EVENT, env: 'stg', url: 'https://staging.shop.example/hooks/paid', method: 'PUT' },
    ]);
  });

  it('always carries url and method when it changes the destination of an existing registration', async (t) => {
    const { client, seen } = await fixtureClient(t);
    const catalog = new WebhookCatalog(client, 'ws_main');
    await catalog.setDestination({ product: 'shop', app: STRIPE, event: EVENT, env: 'prd' }, { url: 'https://new.shop.example/paid', method: 'PATCH' });
    assert.deepEqual(generateCalls(seen), [
      { product: 'shop', access_tag: STRIPE, webhook_tag: EVENT, env: 'prd', url: 'https://new.shop.example/paid', method: 'PATCH' },
    ]);
  });

  it('creates a new link without a destination when the server takes it, reading the link the server answers', async (t) => {
    const { client, seen } = await fixtureClient(t);
    const catalog = new WebhookCatalog(client, 'ws_main');
    assert.equal(await catalog.generateLink({ product: 'shop', app: STRIPE, event: NEW_EVENT, env: 'dev' }), GENERATED);
    assert.deepEqual(generateCalls(seen), [{ product: 'shop', access_tag: STRIPE, webhook_tag: NEW_EVENT, env: 'dev' }]);
    assert.equal(catalog.knownLink({ product: 'shop', app: STRIPE, event: NEW_EVENT, env: 'dev' }), GENERATED);
  });

  for (const refusal of ['proxy-refused-destination', 'proxy-refused-destination-422']) {
    it(`recognises a refusal for want of a destination (${refusal}), and calls again with the one given`, async (t) => {
      const refusing = (entry: Seen): Answer | undefined => {
        const params = entry.payload?.method === 'apps.webhooks.generateLink' ? (entry.payload.params[0] as { url?: string }) : undefined;
        return params && !params.url ? refusal : undefined;
      };
      const { client, seen } = await fixtureClient(t, { answer: refusing });
      const catalog = new WebhookCatalog(client, 'ws_main');
      const request = { product: 'shop', app: STRIPE, event: NEW_EVENT, env: 'prd' };
      const error = await rejectsWith(catalog.generateLink(request), DestinationRequiredError);
      assert.equal(error.serverMessage, 'url is required');
      assert.equal(await catalog.generateLink(request, { destination: { url: 'https://api.shop.example/refunds', method: 'POST' } }), GENERATED);
      assert.deepEqual(generateCalls(seen).map((params) => (params as { url?: string }).url), [undefined, 'https://api.shop.example/refunds']);
    });
  }
});

describe('fixtures: the SDK proxy request', () => {
  it('sends the token as x-access-token and as a bearer, and a payload crypto-js opens with the public key', async (t) => {
    const { client, seen } = await fixtureClient(t);
    await client.apps('ws_main', 'shop');
    const proxy = seen.find((entry) => entry.path === '/proxy/v1/sdk-proxy/execute')!;
    assert.equal(proxy.headers['x-access-token'], TOKEN);
    assert.equal(proxy.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(Object.keys(proxy.body ?? {}).sort(), ['encrypted_payload', 'public_key', 'user_id', 'workspace_id']);
    assert.deepEqual([proxy.body?.workspace_id, proxy.body?.user_id, proxy.body?.public_key], ['ws_main', USER_ID, PUBLIC_KEY]);
    assert.deepEqual(proxy.payload, { module: 'product', method: 'apps.list', params: ['shop'], user_id: USER_ID });
  });
});

describe('fixtures: every error shape gives its message', () => {
  const errors = readdirSync(FIXTURES)
    .filter((name) => name.startsWith('error-'))
    .map((name) => name.replace(/\.json$/, ''));
  for (const name of errors) {
    for (const route of ['the product list', 'a proxy call'] as const) {
      it(`${name} on ${route}`, async (t) => {
        const { message, http } = fixture(name);
        const onRoute = (entry: Seen): Answer | undefined =>
          (route === 'the product list' ? entry.path.startsWith('/integrations/') : Boolean(entry.payload)) ? name : undefined;
        const { client } = await fixtureClient(t, { answer: onRoute });
        const pending = route === 'the product list' ? client.products('ws_main') : client.apps('ws_main', 'shop');
        const error = http === 403 ? await rejectsWith(pending, AuthError) : await rejectsWith(pending, ServerError);
        assert.equal(error.serverMessage, message);
        assert.equal(error.status, http);
      });
    }
  }
});
