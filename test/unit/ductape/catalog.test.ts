import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { WebhookCatalog, type LinksChange } from '../../../src/ductape/catalog';
import { webhookLinkFor } from '../../../src/ductape/contract';
import { CancelledError, DestinationRequiredError, InputError } from '../../../src/ductape/errors';
import { destinationFor, largeAccount, stableUuid } from '../../sandbox/accounts';
import type { Sandbox } from '../../sandbox/server';
import {
  APP,
  DEV_ONLY_EVENT,
  ENVS,
  LINK_FORM,
  PRODUCT,
  REGISTERED_EVENT,
  SIDE_PRODUCT,
  SIDE_WORKSPACE,
  UNREGISTERED_EVENT,
  WORKSPACE,
  drain,
  linkRequest,
  rejectsWith,
  served,
  signedIn,
} from '../helpers';

/** The most requests to `origin` that were in flight at once, from undici's diagnostics channels. */
function inFlightCounter(t: TestContext, origin: string): { widest: number } {
  const counter = { current: 0, widest: 0 };
  const ours = (message: unknown) => (message as { request: { origin?: unknown } }).request.origin === new URL(origin).origin;
  const started = (message: unknown) => {
    if (!ours(message)) return;
    counter.current++;
    counter.widest = Math.max(counter.widest, counter.current);
  };
  const ended = (message: unknown) => {
    if (ours(message)) counter.current--;
  };
  diagnostics.subscribe('undici:request:create', started);
  diagnostics.subscribe('undici:request:headers', ended);
  diagnostics.subscribe('undici:request:error', ended);
  t.after(() => {
    diagnostics.unsubscribe('undici:request:create', started);
    diagnostics.unsubscribe('undici:request:headers', ended);
    diagnostics.unsubscribe('undici:request:error', ended);
  });
  return counter;
}

/** A catalog of a signed-in client; `since()` lists what the sandbox has served since it was made. */
async function catalogFor(t: TestContext, workspace = WORKSPACE) {
  const context = await signedIn(t);
  const catalog = new WebhookCatalog(context.client, workspace);
  const from = context.sandbox.requests.length;
  const since = () => served(context.sandbox, from);
  return { ...context, catalog, since };
}

describe('WebhookCatalog: loading', () => {
  it('reads the product list once for concurrent readers', async (t) => {
    const { catalog, since } = await catalogFor(t);
    const [first, second] = await Promise.all([catalog.products(), catalog.products()]);
    assert.equal(first, second);
    assert.equal(first.length, 3);
    assert.deepEqual(since(), ['products']);
  });

  it('takes the environments from the product list, without an environments.list request', async (t) => {
    const { catalog, since } = await catalogFor(t);
    assert.deepEqual((await catalog.environments(PRODUCT)).map((env) => env.slug), ENVS);
    const rows = await catalog.webhookLinks(PRODUCT, APP);
    assert.equal(rows.length, 4 * ENVS.length);
    assert.deepEqual(since(), ['products', 'apps.webhooks.list']);
  });

  it('groups the link rows by event', async (t) => {
    const { catalog } = await catalogFor(t);
    const events = await catalog.events(PRODUCT, APP);
    assert.deepEqual(events.map((event) => event.event), [REGISTERED_EVENT, DEV_ONLY_EVENT, UNREGISTERED_EVENT, 'customer.created']);
    assert.deepEqual(events[1].links.map((row) => [row.env, Boolean(row.url)]), [['dev', true], ['stg', false], ['prd', false]]);
    assert.equal(events[0].name, 'Payment Succeeded');
  });

  it('loads the whole workspace with one request per list, and the environments from the product list', async (t) => {
    const { catalog, since } = await catalogFor(t);
    const tree = await catalog.loadAll();
    assert.deepEqual(
      tree.map(({ product, apps }) => [product.tag, apps.map(({ app, events }) => [app.access_tag, events.length])]),
      [
        ['ecommerce-platform', [['stripe-payments', 4], ['sendgrid-email', 4], ['paystack-pay', 0]]],
        ['payment-service', [['stripe-payments', 4]]],
        ['notification-service', [['sendgrid-email', 4]]],
      ],
    );
    const sendgrid = tree[0].apps.find(({ app }) => app.access_tag === 'sendgrid-email');
    assert.ok(sendgrid?.events.every((event) => event.links.map((row) => row.env).join() === 'dev,prd'), 'SendGrid is mapped to dev and prd only');
    const others = tree.flatMap(({ product, apps }) => apps.filter(({ app }) => product.tag !== PRODUCT || app.access_tag === APP));
    assert.ok(others.every(({ events }) => events.every((event) => event.links.length === ENVS.length)));
    assert.deepEqual(since().sort(), ['apps.list', 'apps.list', 'apps.list', ...Array<string>(5).fill('apps.webhooks.list'), 'products']);
  });

  it('keeps a background load of the whole account to half the requests in flight', async (t) => {
    const widest = async (background: boolean) => {
      const { client, sandbox } = await signedIn(t, { sandbox: { account: largeAccount({ products: 3, apps: 6, events: 2 }), latencyMs: 20 }, client: { maxConcurrentRequests: 6 } });
      const inFlight = inFlightCounter(t, sandbox.url);
      await new WebhookCatalog(client, WORKSPACE).loadAll(undefined, { background });
      return inFlight.widest;
    };
    assert.equal(await widest(false), 6, 'a load a person waits for uses every slot');
    assert.equal(await widest(true), 3, 'the background load leaves half of them free');
  });

  it('tells what is loaded without a request: only the apps whose webhooks were read', async (t) => {
    const { catalog, since } = await catalogFor(t);
    assert.deepEqual(catalog.loaded(), [], 'nothing before the product list');
    await catalog.webhookLinks(PRODUCT, APP);
    const requests = since().length;
    const loaded = catalog.loaded();
    assert.equal(since().length, requests, 'no request');
    const [product] = loaded.filter((tree) => tree.product.tag === PRODUCT);
    assert.deepEqual(product.apps.map(({ app }) => app.access_tag), [APP]);
    assert.equal(product.apps[0].events.length, 4);
    assert.ok(loaded.filter((tree) => tree.product.tag !== PRODUCT).every((tree) => tree.apps.length === 0));
  });

  it('refuses a product the workspace does not have', async (t) => {
    const { catalog } = await catalogFor(t);
    const error = await rejectsWith(catalog.environments('no-such-product'), InputError);
    assert.equal(error.field, 'product');
  });

  it('loads again after invalidate(), and forgets the links it knew', async (t) => {
    const { catalog, since } = await catalogFor(t);
    await catalog.webhookLinks(PRODUCT, APP);
    assert.ok(catalog.knownLink(linkRequest(REGISTERED_EVENT, 'dev')));
    catalog.invalidate();
    assert.equal(catalog.knownLink(linkRequest(REGISTERED_EVENT, 'dev')), undefined);
    await catalog.webhookLinks(PRODUCT, APP);
    assert.deepEqual(since(), ['products', 'apps.webhooks.list', 'products', 'apps.webhooks.list']);
  });
});

describe('WebhookCatalog: links', () => {
  it('answers a registered link from the loaded rows, sending nothing', async (t) => {
    const { catalog, client, since } = await catalogFor(t);
    const rows = await catalog.webhookLinks(PRODUCT, APP);
    const before = since().length;
    const expected = rows.find((row) => row.event === REGISTERED_EVENT && row.env === 'prd')?.url;
    assert.match(expected ?? '', LINK_FORM);
    assert.equal(catalog.knownLink(linkRequest(REGISTERED_EVENT, 'prd')), expected);
    assert.equal(await catalog.generateLink(linkRequest(REGISTERED_EVENT, 'prd')), expected);
    await drain(client);
    assert.deepEqual(since().slice(before), []);
  });

  it('generates a missing link once, writes it into the loaded rows and tells the listeners', async (t) => {
    const { catalog, since } = await catalogFor(t);
    await catalog.webhookLinks(PRODUCT, APP);
    const changes: LinksChange[] = [];
    catalog.onDidChangeLinks((change) => changes.push(change));
    const before = since().length;

    const url = await catalog.generateLink(linkRequest(UNREGISTERED_EVENT, 'stg'));
    assert.match(url, LINK_FORM);
    assert.deepEqual(changes, [{ product: PRODUCT, app: APP }]);
    const rows = await catalog.webhookLinks(PRODUCT, APP);
    assert.equal(rows.find((row) => row.event === UNREGISTERED_EVENT && row.env === 'stg')?.url, url);
    assert.equal(await catalog.generateLink(linkRequest(UNREGISTERED_EVENT, 'stg')), url);
    assert.deepEqual(since().slice(before), ['apps.webhooks.generateLink']);
    assert.equal(changes.length, 1, 'a link that did not change is not announced again');
  });

  it('stops telling a listener that unsubscribed', async (t) => {
    const { catalog } = await catalogFor(t);
    await catalog.webhookLinks(PRODUCT, APP);
    const changes: LinksChange[] = [];
    const unsubscribe = catalog.onDidChangeLinks((change) => changes.push(change));
    unsubscribe();
    await catalog.generateLink(linkRequest(UNREGISTERED_EVENT, 'dev'));
    assert.deepEqual(changes, []);
  });

  it("gives an event's link in every environment of the app, generating only the missing ones", async (t) => {
    const { catalog, since } = await catalogFor(t);
    const links = [];
    for (const env of ENVS) links.push(await catalog.generateLink(linkRequest(DEV_ONLY_EVENT, env)));
    assert.equal(links[0], webhookLinkFor(stableUuid(PRODUCT, APP, DEV_ONLY_EVENT, 'dev')), 'the registered dev link');
    assert.equal(new Set(links).size, ENVS.length);
    for (const url of links) assert.match(url, LINK_FORM);
    const rows = await catalog.webhookLinks(PRODUCT, APP);
    assert.deepEqual(rows.filter((row) => row.event === DEV_ONLY_EVENT).map((row) => row.url), links);
    assert.equal(since().filter((name) => name === 'apps.webhooks.generateLink').length, 2, 'the dev link is read, not generated');
  });

  it('refuses an env the app is not mapped to, and asks for no link', async (t) => {
    const { catalog, client, since } = await catalogFor(t, SIDE_WORKSPACE);
    const request = { product: SIDE_PRODUCT, app: APP, event: REGISTERED_EVENT, env: 'stg' };
    const error = await rejectsWith(catalog.generateLink(request), InputError);
    assert.equal(error.field, 'env');
    await drain(client);
    assert.deepEqual(since().sort(), ['apps.webhooks.list', 'products'], 'reads only: no generateLink');
  });
});

describe('WebhookCatalog: cancellation', () => {
  it('lets one reader cancel without cancelling the load the others wait for', async (t) => {
    const { catalog, since } = await catalogFor(t);
    const controller = new AbortController();
    const leaving = catalog.products(controller.signal);
    const staying = catalog.products(new AbortController().signal);
    controller.abort();
    await rejectsWith(leaving, CancelledError);
    assert.equal((await staying).length, 3);
    assert.deepEqual(since(), ['products']);
  });

  it('does not cancel a product list read without a signal when a webhookLinks read that shares it cancels', async (t) => {
    const { catalog } = await catalogFor(t);
    const products = catalog.products();
    const controller = new AbortController();
    const rows = catalog.webhookLinks(PRODUCT, APP, controller.signal);
    controller.abort();
    await rejectsWith(rows, CancelledError);
    const outcome = await products.then((list) => `${list.length} products`, (error: Error) => error.name);
    assert.equal(outcome, '3 products', 'the read without a signal was cancelled by another reader');
  });
});

describe('WebhookCatalog: mapped environments and registrations', () => {
  /** The parameters of every generateLink call the sandbox received since `from`. */
  const generateCalls = (sandbox: Sandbox, from = 0) =>
    sandbox.requests.slice(from).flatMap((request) => (request.generateLink ? [request.generateLink] : []));

  it('gives each app only the environments it is mapped to, and an unmapped app none', async (t) => {
    const { catalog } = await catalogFor(t);
    const slugs = async (app: string) => (await catalog.appEnvironments(PRODUCT, app)).map((env) => env.slug);
    assert.deepEqual(await slugs(APP), ENVS);
    assert.deepEqual(await slugs('sendgrid-email'), ['dev', 'prd']);
    assert.deepEqual(await slugs('paystack-pay'), []);
    assert.deepEqual(await catalog.webhookLinks(PRODUCT, 'paystack-pay'), []);
    assert.deepEqual([...new Set((await catalog.webhookLinks(PRODUCT, 'sendgrid-email')).map((row) => row.env))], ['dev', 'prd']);
  });

  it('shows the destination of each registration, and a switched-off one as inactive', async (t) => {
    const { catalog } = await catalogFor(t);
    const rows = await catalog.webhookLinks(PRODUCT, 'sendgrid-email');
    const delivered = rows.filter((row) => row.event === 'email.delivered');
    assert.deepEqual(
      delivered.map((row) => [row.env, row.active, row.destination]),
      [
        ['dev', true, { url: destinationFor('sendgrid-email', 'email.delivered'), method: 'POST' }],
        ['prd', false, { url: destinationFor('sendgrid-email', 'email.delivered'), method: 'POST' }],
      ],
    );
  });

  it('reads a registered link without ever calling generateLink, even before its rows are loaded', async (t) => {
    const { catalog, sandbox } = await catalogFor(t);
    const link = await catalog.generateLink(linkRequest(REGISTERED_EVENT, 'prd'));
    assert.equal(link, webhookLinkFor(stableUuid(PRODUCT, APP, REGISTERED_EVENT, 'prd')));
    assert.deepEqual(generateCalls(sandbox), []);
  });

  it('with a server that requires a destination: refuses recognisably, then registers the destination given', async (t) => {
    const context = await signedIn(t, { sandbox: { requireDestination: true } });
    const catalog = new WebhookCatalog(context.client, WORKSPACE);
    const request = linkRequest(UNREGISTERED_EVENT, 'stg');
    await rejectsWith(catalog.generateLink(request), DestinationRequiredError);
    const destination = { url: 'https://api.shop.example/refunds', method: 'PUT' as const };
    const url = await catalog.generateLink(request, { destination });
    assert.match(url, LINK_FORM);
    assert.deepEqual(generateCalls(context.sandbox).map((params) => params.url), [undefined, destination.url]);
    const stored = context.sandbox.account.workspaces[0].products[0].webhooks[APP].find((webhook) => webhook.tag === UNREGISTERED_EVENT)?.config;
    assert.deepEqual(stored?.map(({ productEnv, url: to, method }) => [productEnv, to, method]), [['stg', destination.url, 'PUT']]);
    assert.deepEqual(catalog.loadedRow(request)?.destination, destination, 'the loaded row shows it at once');
  });

  it('carries the url and method of the new destination when it points an existing registration elsewhere', async (t) => {
    const { catalog, sandbox } = await catalogFor(t);
    const request = linkRequest(REGISTERED_EVENT, 'dev');
    const before = await catalog.generateLink(request);
    const url = await catalog.setDestination(request, { url: 'https://tunnel.example/hooks', method: 'PATCH' });
    assert.equal(url, before, 'the link (its uuid) stays');
    assert.deepEqual(generateCalls(sandbox).map(({ env, url: to, method }) => [env, to, method]), [['dev', 'https://tunnel.example/hooks', 'PATCH']]);
  });
});
