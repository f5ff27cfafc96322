import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { WebhookCatalog } from '../../../src/ductape/catalog';
import type { LinkRequest } from '../../../src/ductape/client';
import { deliveryOf, parseDeliveries } from '../../../src/ductape/deliveries';
import { ContractError } from '../../../src/ductape/errors';
import { sendToLink } from '../../../src/ductape/linkSender';
import { type SandboxOptions, startSandbox } from '../../sandbox/server';
import { REGISTERED_EVENT, WORKSPACE, clientFor, linkRequest, listenLocally, rejectsWith } from '../helpers';

const HOUR = 60 * 60 * 1000;

describe('parseDeliveries: log rows read leniently', () => {
  it('reads the fields of a row under each of their spellings', () => {
    const rows = [
      {
        _id: 'a',
        timestamp: '2026-03-01T10:00:00.000Z',
        status: 'success',
        latency: 85,
        env: 'dev',
        request: { method: 'post', url: 'https://api.shop.example/hook', body: { id: 1 } },
        response: { status: 200, body: 'ok' },
      },
      { id: 'b', created_at: '2026-03-01T09:00:00Z', status: 'fail', status_code: 502, duration_ms: 40, destination: 'https://x.example/h' },
      { request_id: 'c', createdAt: Date.parse('2026-03-01T08:00:00Z'), status: false, http_status: '404', execution_time: '12', endpoint: 'https://y.example' },
      { _id: 'd', date: '2026-03-01T07:00:00Z', status: 'processing', start: Date.parse('2026-03-01T07:00:00Z'), end: Date.parse('2026-03-01T07:00:00.250Z'), payload: '{"amount":5}' },
      { _id: 'e', start: Date.parse('2026-03-01T06:00:00Z') / 1000, successful_execution: true, statusCode: 201, elapsed: 3 },
      { _id: 'f', timestamp: '2026-03-01T05:00:00Z', failed_execution: true, response: { statusCode: 500 } },
    ];
    const { deliveries, skipped } = parseDeliveries(rows);
    assert.equal(skipped, 0);
    const summary = deliveries.map(({ id, at, outcome, statusCode, durationMs, destination }) => ({ id, at, outcome, statusCode, durationMs, destination }));
    assert.deepEqual(summary, [
      { id: 'a', at: '2026-03-01T10:00:00.000Z', outcome: 'delivered', statusCode: 200, durationMs: 85, destination: 'POST https://api.shop.example/hook' },
      { id: 'b', at: '2026-03-01T09:00:00.000Z', outcome: 'failed', statusCode: 502, durationMs: 40, destination: 'https://x.example/h' },
      { id: 'c', at: '2026-03-01T08:00:00.000Z', outcome: 'failed', statusCode: 404, durationMs: 12, destination: 'https://y.example' },
      { id: 'd', at: '2026-03-01T07:00:00.000Z', outcome: 'pending', statusCode: undefined, durationMs: 250, destination: undefined },
      { id: 'e', at: '2026-03-01T06:00:00.000Z', outcome: 'delivered', statusCode: 201, durationMs: 3, destination: undefined },
      { id: 'f', at: '2026-03-01T05:00:00.000Z', outcome: 'failed', statusCode: 500, durationMs: undefined, destination: undefined },
    ]);
    assert.deepEqual(deliveries[3].request, { amount: 5 }, 'a JSON text in a row is read as JSON');
    assert.equal(deliveries[0].env, 'dev');
    assert.equal(deliveries[0].raw, rows[0], 'the row is kept as received');
  });

  it('skips and counts the rows it cannot read, and keeps the others', () => {
    const { deliveries, skipped } = parseDeliveries([null, 'text', 42, [], {}, { unrelated: true }, { _id: 'kept', status: 'success' }]);
    assert.equal(skipped, 6);
    assert.deepEqual(
      deliveries.map((delivery) => delivery.id),
      ['kept'],
    );
  });

  it('lists the newest first, rows without a time last in the order received', () => {
    const { deliveries } = parseDeliveries([
      { _id: 'undated-1', status: 'success' },
      { _id: 'old', timestamp: '2026-01-01T00:00:00Z' },
      { _id: 'undated-2', status: 'fail' },
      { _id: 'new', timestamp: '2026-02-01T00:00:00Z' },
    ]);
    assert.deepEqual(
      deliveries.map((delivery) => delivery.id),
      ['new', 'old', 'undated-1', 'undated-2'],
    );
  });

  it('keeps failures only when asked, whatever the server filtered', () => {
    const rows = [{ _id: 'ok', status: 'success' }, { _id: 'bad', status: 'failed' }, { _id: 'queued', status: 'processing' }, { _id: 'http', status_code: 503 }];
    assert.deepEqual(
      parseDeliveries(rows, { failedOnly: true }).deliveries.map((delivery) => delivery.id),
      ['bad', 'http'],
    );
  });

  it('gives a row with nothing but a status code an outcome from it', () => {
    assert.equal(deliveryOf({ statusCode: 204 })?.outcome, 'delivered');
    assert.equal(deliveryOf({ statusCode: 422 })?.outcome, 'failed');
    assert.equal(deliveryOf({ _id: 'x' })?.outcome, 'unknown');
  });
});

/** A sandbox whose links point at itself, a client and catalog of it, and a handler on this machine. */
async function loop(t: TestContext, options: SandboxOptions = {}) {
  const sandbox = await startSandbox({ linksToSandbox: true, ...options });
  t.after(() => sandbox.close());
  const { client } = clientFor(t, sandbox, { webhookHost: sandbox.url });
  const catalog = new WebhookCatalog(client, WORKSPACE);
  const statuses: number[] = [];
  const handler = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(statuses.shift() ?? 200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  const local = await listenLocally(t, handler);
  /** Points the link here and sends a delivery per status the handler answers. */
  const deliver = async (request: LinkRequest, ...answers: number[]) => {
    const link = await catalog.setDestination(request, { url: `${local}/hook`, method: 'POST' });
    for (const status of answers) {
      statuses.push(status);
      await sendToLink(link, { sent: status });
    }
  };
  return { sandbox, client, catalog, deliver };
}

describe('Deliveries from the logs route', () => {
  const dev = linkRequest(REGISTERED_EVENT, 'dev');

  it('lists the deliveries of a link newest first, each with its answer, skipping the odd rows', async (t) => {
    const { catalog, deliver } = await loop(t, { oddLogRows: true });
    await deliver(dev, 200, 500, 201);
    const { deliveries, skipped } = await catalog.deliveries(dev);
    assert.equal(skipped, 4, 'the unreadable rows are counted');
    assert.deepEqual(
      deliveries.map((delivery) => [delivery.statusCode, delivery.outcome]),
      [
        [201, 'delivered'],
        [500, 'failed'],
        [200, 'delivered'],
        [502, 'failed'],
        [200, 'delivered'],
      ],
    );
    assert.match(String(deliveries[0].destination), /^POST http:\/\/127\.0\.0\.1:\d+\/hook$/);
    assert.deepEqual((deliveries[2].request as { body: unknown }).body, { sent: 200 });
    assert.equal(deliveries[0].env, 'dev');
    assert.ok(deliveries.slice(0, 3).every((delivery) => delivery.durationMs !== undefined && delivery.at));
    assert.ok(Date.parse(deliveries[3].at!) < Date.now() - HOUR / 2, 'the odd rows are older');
  });

  it('lists failures only when asked, even rows the server did not filter', async (t) => {
    const { catalog, deliver } = await loop(t, { oddLogRows: true });
    await deliver(dev, 200, 500);
    const { deliveries } = await catalog.deliveries(dev, { failedOnly: true });
    assert.deepEqual(
      deliveries.map((delivery) => delivery.statusCode),
      [500, 502],
    );
  });

  it("keeps to one link: another environment's deliveries are not listed, and the limit holds", async (t) => {
    const { catalog, deliver } = await loop(t);
    await deliver(linkRequest(REGISTERED_EVENT, 'stg'), 200);
    await deliver(dev, 200, 201, 202);
    assert.deepEqual(
      (await catalog.deliveries(dev, { limit: 2 })).deliveries.map((delivery) => delivery.statusCode),
      [202, 201],
    );
    assert.equal((await catalog.deliveries(linkRequest(REGISTERED_EVENT, 'stg'))).deliveries.length, 1);
  });

  it('shows a delivery made since the last look: nothing is cached', async (t) => {
    const { sandbox, catalog, deliver } = await loop(t);
    assert.equal((await catalog.deliveries(dev)).deliveries.length, 0);
    await deliver(dev, 200);
    assert.equal((await catalog.deliveries(dev)).deliveries.length, 1);
    assert.equal(sandbox.requests.filter((request) => request.route === 'logs').length, 2);
  });

  it('fails with a ContractError when the answer has no list at all', async (t) => {
    const { sandbox, client } = await loop(t);
    sandbox.failNext('wrong-shape', { route: 'logs' });
    await rejectsWith(client.deliveries(WORKSPACE, dev), ContractError);
  });
});
