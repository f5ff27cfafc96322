import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { COUNTS_TTL_MS, WebhookCatalog } from '../../../src/ductape/catalog';
import { sendToLink } from '../../../src/ductape/linkSender';
import type { SandboxOptions } from '../../sandbox/server';
import { APP, DEV_ONLY_EVENT, PRODUCT, REGISTERED_EVENT, WORKSPACE, clientFor, countServed, linkRequest, listenLocally, startTestSandbox } from '../helpers';

async function catalogOf(t: TestContext, options: SandboxOptions = {}) {
  const sandbox = await startTestSandbox(t, { linksToSandbox: true, ...options });
  const { client } = clientFor(t, sandbox, { webhookHost: sandbox.url });
  return { sandbox, client, catalog: new WebhookCatalog(client, WORKSPACE) };
}

describe('Delivery counts of the last 24 hours', () => {
  it('counts delivered and failed deliveries of an event over every environment', async (t) => {
    const { catalog } = await catalogOf(t);
    const answers = [200, 500, 204];
    const handler = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(answers.shift() ?? 200).end());
    });
    const local = await listenLocally(t, handler);
    for (const env of ['dev', 'stg', 'prd']) {
      const link = await catalog.setDestination(linkRequest(REGISTERED_EVENT, env), { url: `${local}/${env}`, method: 'POST' });
      await sendToLink(link, { env });
    }
    assert.deepEqual(await catalog.deliveryCounts(PRODUCT, APP, REGISTERED_EVENT), { delivered: 2, failed: 1 });
    assert.deepEqual(await catalog.deliveryCounts(PRODUCT, APP, DEV_ONLY_EVENT), { delivered: 0, failed: 0 }, 'another event has its own');
  });

  it('keeps counts for a while, one request for callers at once', async (t) => {
    const { sandbox, catalog } = await catalogOf(t);
    const together = await Promise.all([
      catalog.deliveryCounts(PRODUCT, APP, REGISTERED_EVENT),
      catalog.deliveryCounts(PRODUCT, APP, REGISTERED_EVENT, new AbortController().signal),
    ]);
    assert.deepEqual(together, [
      { delivered: 0, failed: 0 },
      { delivered: 0, failed: 0 },
    ]);
    await catalog.deliveryCounts(PRODUCT, APP, REGISTERED_EVENT);
    assert.equal(countServed(sandbox, 'analytics'), 1);
    assert.ok(COUNTS_TTL_MS >= 30_000, 'long enough for a tooltip shown again');
    catalog.invalidate();
    await catalog.deliveryCounts(PRODUCT, APP, REGISTERED_EVENT);
    assert.equal(countServed(sandbox, 'analytics'), 2, 'a refresh loads them afresh');
  });

  it('has no counts when the answer carries none it can read', async (t) => {
    const { sandbox, catalog } = await catalogOf(t);
    sandbox.failNext('wrong-shape', { route: 'analytics' });
    assert.equal(await catalog.deliveryCounts(PRODUCT, APP, REGISTERED_EVENT), undefined);
  });
});

describe('Sample payloads', () => {
  it("finds the event's sample in the app's events list, asked by the app's app tag", async (t) => {
    const { sandbox, catalog } = await catalogOf(t);
    const sample = (await catalog.sample({ product: PRODUCT, app: APP, event: REGISTERED_EVENT })) as { type: string; data: { object: { object: string } } };
    assert.equal(sample.type, REGISTERED_EVENT);
    assert.equal(sample.data.object.object, 'payment');
    const other = (await catalog.sample({ product: PRODUCT, app: APP, event: DEV_ONLY_EVENT })) as { type: string };
    assert.equal(other.type, DEV_ONLY_EVENT, 'each event its own sample, not the first of the list');
    assert.equal(countServed(sandbox, 'webhooks.events.list'), 2);
    await catalog.sample({ product: PRODUCT, app: APP, event: REGISTERED_EVENT });
    assert.equal(countServed(sandbox, 'webhooks.events.list'), 2, 'kept once loaded');
  });

  it('has none when Ductape keeps none for the event', async (t) => {
    const { catalog } = await catalogOf(t, { eventsWithoutSample: [REGISTERED_EVENT] });
    assert.equal(await catalog.sample({ product: PRODUCT, app: APP, event: REGISTERED_EVENT }), undefined);
  });
});
