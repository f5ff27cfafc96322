import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { DuctapeClient } from '../../../src/ductape/client';
import { PATHS, webhookUuidOf } from '../../../src/ductape/contract';
import {
  CancelledError,
  ContractError,
  DuctapeError,
  InputError,
  NetworkError,
  ServerError,
} from '../../../src/ductape/errors';
import { SAMPLE_ACCESS_KEY, STANDARD_ENVIRONMENTS, stableUuid } from '../../sandbox/accounts';
import type { FaultKind } from '../../sandbox/server';
import {
  answerBegun,
  APP,
  DEV_ONLY_EVENT,
  ENVS,
  LINK_FORM,
  PRODUCT,
  PRODUCT_APPS,
  QUICK_RETRIES,
  REFUSED_KEY,
  REQUEST_ID,
  REGISTERED_EVENT,
  SIDE_PRODUCT,
  SIDE_WORKSPACE,
  UNREGISTERED_EVENT,
  WORKSPACE,
  abortedMidAnswer,
  assertNoSecrets,
  assertRefusedInput,
  clientFor,
  closedPortUrl,
  drain,
  linkRequest,
  rejectsWith,
  served,
  signedIn,
} from '../helpers';

describe('DuctapeClient: reading the sample account', () => {
  it('lists the workspaces of the signed-in user', async (t) => {
    const { client } = await signedIn(t);
    assert.deepEqual(
      (await client.workspaces()).map(({ workspace_id, workspace_name }) => [workspace_id, workspace_name]),
      [['ws_acme', 'Acme Commerce'], ['ws_side', 'Side Projects']],
    );
  });

  it('lists the products of a workspace with their environments and apps', async (t) => {
    const { client } = await signedIn(t);
    const products = await client.products(WORKSPACE);
    assert.deepEqual(products.map((product) => product.tag), ['ecommerce-platform', 'payment-service', 'notification-service']);
    assert.deepEqual(products[0].envs?.map((env) => env.slug), ENVS);
    assert.deepEqual(products[0].apps?.map((app) => app.access_tag), PRODUCT_APPS);
    const [hobbyShop] = await client.products(SIDE_WORKSPACE);
    assert.deepEqual(hobbyShop.envs?.map((env) => env.slug), ['dev', 'prd']);
  });

  it('lists the apps of a product', async (t) => {
    const { client } = await signedIn(t);
    assert.deepEqual(
      (await client.apps(WORKSPACE, PRODUCT)).map(({ access_tag, name }) => [access_tag, name]),
      [['stripe-payments', 'Stripe Payments'], ['sendgrid-email', 'SendGrid Email'], ['paystack-pay', 'Paystack']],
    );
  });

  it('lists the environments of a product', async (t) => {
    const { client } = await signedIn(t);
    assert.deepEqual((await client.environments(WORKSPACE, PRODUCT)).map((env) => env.slug), ENVS);
    assert.deepEqual((await client.environments(SIDE_WORKSPACE, SIDE_PRODUCT)).map((env) => env.slug), ['dev', 'prd']);
  });

  it('lists the webhooks of an app with their registered configs', async (t) => {
    const { client } = await signedIn(t);
    const webhooks = await client.webhooks(WORKSPACE, PRODUCT, APP);
    assert.deepEqual(webhooks.map((webhook) => webhook.tag), [REGISTERED_EVENT, DEV_ONLY_EVENT, UNREGISTERED_EVENT, 'customer.created']);
    assert.deepEqual(webhooks.map((webhook) => webhook.config?.map((config) => config.productEnv)), [ENVS, ['dev'], [], []]);
  });

  it('gives one link row per webhook and environment, with a url only where a link is registered', async (t) => {
    const { client } = await signedIn(t);
    const rows = await client.webhookLinks(WORKSPACE, PRODUCT, APP);
    assert.equal(rows.length, 4 * ENVS.length);
    const withUrl = rows.filter((row) => row.url !== undefined).map((row) => `${row.event} ${row.env}`);
    assert.deepEqual(withUrl, [`${REGISTERED_EVENT} dev`, `${REGISTERED_EVENT} stg`, `${REGISTERED_EVENT} prd`, `${DEV_ONLY_EVENT} dev`]);
    for (const row of rows.filter((entry) => entry.url)) {
      assert.match(row.url!, LINK_FORM);
      assert.equal(webhookUuidOf(row.url!), stableUuid(PRODUCT, APP, row.event, row.env));
      assert.equal(row.active, true);
    }
    const unregistered = rows.find((row) => row.event === UNREGISTERED_EVENT && row.env === 'prd');
    assert.deepEqual(
      { ...unregistered },
      {
        event: UNREGISTERED_EVENT,
        name: 'Charge Refunded',
        description: `Sent when ${UNREGISTERED_EVENT} happens`,
        env: 'prd',
        registered: false,
        url: undefined,
        destination: undefined,
        active: undefined,
      },
    );
  });

  it('uses the environments it is given instead of looking them up', async (t) => {
    const { sandbox, client } = await signedIn(t);
    const from = sandbox.requests.length;
    const rows = await client.webhookLinks(WORKSPACE, PRODUCT, APP, undefined, Promise.resolve(STANDARD_ENVIRONMENTS.slice(0, 1)));
    assert.deepEqual([...new Set(rows.map((row) => row.env))], ['dev']);
    assert.deepEqual(served(sandbox, from), ['apps.webhooks.list']);
  });
});

describe('DuctapeClient: generating links', () => {
  it('generates an absolute https link of the contract form, the same twice, which then shows in the link rows', async (t) => {
    const { client } = await signedIn(t);
    const request = linkRequest(UNREGISTERED_EVENT, 'stg');
    const first = await client.generateLink(WORKSPACE, request);
    assert.match(first, LINK_FORM);
    assert.equal(await client.generateLink(WORKSPACE, request), first);
    const rows = await client.webhookLinks(WORKSPACE, PRODUCT, APP);
    assert.equal(rows.find((row) => row.event === UNREGISTERED_EVENT && row.env === 'stg')?.url, first);
    assert.equal(rows.find((row) => row.event === UNREGISTERED_EVENT && row.env === 'dev')?.url, undefined);
  });

  it('answers the registered link of an event that has one', async (t) => {
    const { client } = await signedIn(t);
    const rows = await client.webhookLinks(WORKSPACE, PRODUCT, APP);
    const registered = rows.find((row) => row.event === DEV_ONLY_EVENT && row.env === 'dev')?.url;
    assert.equal(await client.generateLink(WORKSPACE, linkRequest(DEV_ONLY_EVENT, 'dev')), registered);
  });

  it('skips the environment look-up when given the environments', async (t) => {
    const { sandbox, client } = await signedIn(t);
    const from = sandbox.requests.length;
    await client.generateLink(WORKSPACE, linkRequest(UNREGISTERED_EVENT, 'prd'), { environments: STANDARD_ENVIRONMENTS });
    assert.deepEqual(served(sandbox, from), ['apps.webhooks.generateLink']);
  });

  it('refuses an env the app is not mapped to, naming those it is, and asks for no link', async (t) => {
    const { sandbox, client } = await signedIn(t);
    const from = sandbox.requests.length;
    const request = { product: SIDE_PRODUCT, app: APP, event: REGISTERED_EVENT, env: 'stg' };
    const error = await rejectsWith(client.generateLink(SIDE_WORKSPACE, request), InputError);
    assert.equal(error.field, 'env');
    assert.match(error.message, /is not mapped to "stg" \(it is mapped to: dev, prd\)/);
    await drain(client);
    assert.deepEqual(served(sandbox, from), ['products']);
  });
});

describe('DuctapeClient: input is checked before anything is sent', () => {
  const BAD_VALUES = ['', '   ', 'tab\there', 'nul\u0000', ' padded'];
  const cases: Array<[string, string, (client: DuctapeClient, bad: string) => Promise<unknown>]> = [
    ['products', 'workspace', (client, bad) => client.products(bad)],
    ['apps', 'workspace', (client, bad) => client.apps(bad, PRODUCT)],
    ['apps', 'product', (client, bad) => client.apps(WORKSPACE, bad)],
    ['environments', 'product', (client, bad) => client.environments(WORKSPACE, bad)],
    ['webhooks', 'product', (client, bad) => client.webhooks(WORKSPACE, bad, APP)],
    ['webhooks', 'app', (client, bad) => client.webhooks(WORKSPACE, PRODUCT, bad)],
    ['webhookLinks', 'product', (client, bad) => client.webhookLinks(WORKSPACE, bad, APP)],
    ['webhookLinks', 'app', (client, bad) => client.webhookLinks(WORKSPACE, PRODUCT, bad)],
    ...(['product', 'app', 'event', 'env'] as const).map(
      (field): [string, string, (client: DuctapeClient, bad: string) => Promise<unknown>] => [
        'generateLink',
        field,
        (client, bad) => client.generateLink(WORKSPACE, { ...linkRequest(REGISTERED_EVENT, 'dev'), [field]: bad }),
      ],
    ),
  ];
  for (const [operation, field, call] of cases) {
    it(`${operation} refuses a blank, padded or control-character ${field} with an InputError, sending nothing`, async (t) => {
      const { sandbox, client } = await signedIn(t);
      const from = sandbox.requests.length;
      for (const bad of BAD_VALUES) await assertRefusedInput(() => call(client, bad), field);
      await drain(client);
      assert.deepEqual(served(sandbox, from), []);
    });
  }
});

describe('DuctapeClient: the errors a caller sees', () => {
  // A read is sent up to three times after a 500 (retries: retry.test.ts), once after the others.
  const faults: Array<[FaultKind, abstract new (...args: never[]) => DuctapeError, RegExp, number]> = [
    ['status-500', ServerError, /the apps\.list call with an error \(500: internal server error \(injected\)\)/, 3],
    ['status-false', ServerError, /the apps\.list call with an error \(200: operation failed \(injected\)\)/, 1],
    ['malformed-json', ContractError, /answer to the apps\.list call was not understood: the body is not JSON/, 1],
    ['wrong-shape', ContractError, /answer to the apps\.list call was not understood: field "data"/, 1],
    ['status-413', ServerError, /the apps\.list call with an error \(413\)/, 1],
  ];
  for (const [fault, type, message, sent] of faults) {
    it(`turns ${fault} from the proxy into a ${type.name} that names the call`, async (t) => {
      const { sandbox, client } = await signedIn(t, { client: { retry: QUICK_RETRIES } });
      const from = sandbox.requests.length;
      sandbox.failNext(fault, { route: 'proxy', count: sent });
      assert.match((await rejectsWith(client.apps(WORKSPACE, PRODUCT), type)).message, message);
      assert.equal(sandbox.requests.length - from, sent);
    });
  }

  it('refuses a product list of the wrong shape with a ContractError naming the product list', async (t) => {
    const { sandbox, client } = await signedIn(t);
    sandbox.failNext('wrong-shape', { route: 'products' });
    const error = await rejectsWith(client.products(WORKSPACE), ContractError);
    assert.equal(error.call, 'the product list');
  });

  it("passes on the server's refusal of an unknown product with its status and request id", async (t) => {
    const { client } = await signedIn(t);
    const error = await rejectsWith(client.apps(WORKSPACE, 'no-such-product'), ServerError);
    assert.equal(error.status, 404);
    assert.equal(error.serverMessage, 'product not found');
    assert.match(error.requestId ?? 'none', REQUEST_ID);
  });

  it("reports an answer that stalls past the client's deadline as a NetworkError 'timeout'", async (t) => {
    const { sandbox, client } = await signedIn(t, { client: { deadlineMs: 300 } });
    sandbox.failNext('hang', { route: 'proxy' });
    assert.equal((await rejectsWith(client.environments(WORKSPACE, PRODUCT), NetworkError)).failure, 'timeout');
  });

  for (const [failure, apiUrl] of [
    ['refused', closedPortUrl],
    ['dns', () => Promise.resolve('http://ductape-sandbox.invalid')],
  ] as const) {
    it(`reports an API it cannot reach as a NetworkError '${failure}'`, async (t) => {
      const client = new DuctapeClient({ apiUrl: await apiUrl(), accessKey: SAMPLE_ACCESS_KEY });
      t.after(() => client.close());
      assert.equal((await rejectsWith(client.products(WORKSPACE), NetworkError)).failure, failure);
    });
  }
});

describe('DuctapeClient: cancellation', () => {
  it('rejects with a CancelledError when the signal aborts while the answer is awaited', async (t) => {
    const { sandbox, client, records } = await signedIn(t);
    const { pending } = await abortedMidAnswer(sandbox, 'proxy', (signal) => client.webhooks(WORKSPACE, PRODUCT, APP, signal));
    await rejectsWith(pending, CancelledError);
    assert.equal(records.at(-1)?.error, 'cancelled');
  });

  it('sends nothing for a signal that is already aborted', async (t) => {
    const { sandbox, client } = await signedIn(t);
    const from = sandbox.requests.length;
    await rejectsWith(client.generateLink(WORKSPACE, linkRequest(UNREGISTERED_EVENT, 'dev'), { signal: AbortSignal.abort() }), CancelledError);
    await drain(client);
    assert.deepEqual(served(sandbox, from), []);
  });
});

describe('DuctapeClient: closing', () => {
  it('ends a request in flight as cancelled, and sends nothing after (as after sign-out)', async (t) => {
    const { sandbox, client } = await signedIn(t);
    sandbox.failNext('hang', { route: 'proxy' });
    const pending = client.webhooks(WORKSPACE, PRODUCT, APP);
    await answerBegun(sandbox, PATHS.proxy, pending);
    await client.close();
    await rejectsWith(pending, CancelledError);
    const from = sandbox.requests.length;
    await rejectsWith(client.products(WORKSPACE), CancelledError);
    await rejectsWith(client.webhookLinks(WORKSPACE, PRODUCT, APP), CancelledError);
    assert.deepEqual(served(sandbox, from), [], 'no request after close');
  });
});

describe('DuctapeClient: secrets', () => {
  /** Runs a session with every kind of failure, collecting what a caller or a log could show. */
  async function sessionWithFailures(t: TestContext) {
    const { sandbox, client, records } = await signedIn(t, { client: { deadlineMs: 300, retry: QUICK_RETRIES } });
    const texts: string[] = [];
    const fails = async (pending: Promise<unknown>) => {
      const error = await rejectsWith(pending, DuctapeError);
      texts.push(error.message, String(error.stack), JSON.stringify(error));
    };
    const tokens = [(await client.signIn()).token];
    sandbox.expireTokens();
    await client.products(WORKSPACE);
    await client.apps(WORKSPACE, PRODUCT);
    tokens.push((await client.signIn()).token);
    // A 503 asks for 1 s, more than the deadline leaves: it is not retried. A 500 is, twice.
    for (const fault of ['status-500', 'status-503', 'status-false', 'malformed-json', 'wrong-shape', 'hang'] as const) {
      sandbox.failNext(fault, { route: 'proxy', count: fault === 'status-500' ? 3 : 1 });
      await fails(client.environments(WORKSPACE, PRODUCT));
    }
    sandbox.failNext('status-500', { route: 'products', count: 3 });
    await fails(client.products(WORKSPACE));
    sandbox.failNext('status-401', { route: 'proxy', count: 2 });
    await fails(client.webhooks(WORKSPACE, PRODUCT, APP));
    tokens.push((await client.signIn()).token);
    await fails(client.apps(WORKSPACE, 'no-such-product'));
    await fails(client.generateLink(SIDE_WORKSPACE, { product: SIDE_PRODUCT, app: APP, event: REGISTERED_EVENT, env: 'stg' }));
    await fails(client.generateLink(WORKSPACE, linkRequest('no.such.event', 'dev')));
    const refused = clientFor(t, sandbox, { accessKey: REFUSED_KEY });
    await fails(refused.client.products(WORKSPACE));
    texts.push(...[...records, ...refused.records].map((record) => JSON.stringify(record)));
    return { sandbox, texts, tokens, publicKey: (await client.signIn()).publicKey };
  }

  it('never shows the access key, a token or an encrypted payload in an error or a request record', async (t) => {
    const { sandbox, texts, tokens, publicKey } = await sessionWithFailures(t);
    assert.equal(new Set(tokens).size, 3, 'the session was renewed twice');
    assert.ok(texts.length > 30);
    assertNoSecrets(texts, {
      'the access key': sandbox.accessKey,
      'the refused access key': REFUSED_KEY,
      'the public key': publicKey,
      ...Object.fromEntries(tokens.map((token, index) => [`token #${index}`, token])),
    });
  });
});
