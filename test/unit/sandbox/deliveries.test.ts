import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { WebhookCatalog } from '../../../src/ductape/catalog';
import { webhookLinkFor } from '../../../src/ductape/contract';
import { sendToLink } from '../../../src/ductape/linkSender';
import type { SandboxOptions } from '../../sandbox/server';
import { startReceiver } from '../../sandbox/receiver';
import { PRODUCT, REGISTERED_EVENT, UNREGISTERED_EVENT, WORKSPACE, closedPortUrl, clientFor, linkRequest, startTestSandbox } from '../helpers';

const dev = linkRequest(REGISTERED_EVENT, 'dev');

/** A handler on `host` that records what it receives and answers as told. */
async function handlerOn(t: TestContext, host: string, status = 200) {
  const received: Array<{ method?: string; path?: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status, { 'content-type': 'application/json' }).end('{"handled":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, received };
}

async function intake(t: TestContext, options: SandboxOptions = { linksToSandbox: true }) {
  const sandbox = await startTestSandbox(t, options);
  const { client } = clientFor(t, sandbox, { webhookHost: sandbox.url });
  return { sandbox, catalog: new WebhookCatalog(client, WORKSPACE) };
}

describe('Sandbox intake: links that point at the sandbox', () => {
  it("generates links on the sandbox's own host", async (t) => {
    const { sandbox, catalog } = await intake(t);
    const link = await catalog.generateLink(linkRequest(UNREGISTERED_EVENT, 'dev'), { destination: { url: 'http://127.0.0.1:1/', method: 'POST' } });
    assert.ok(link.startsWith(`${sandbox.url}/webhooks/v1/process/`), link);
    assert.equal(sandbox.requests.filter((request) => request.generateLink).length, 1, 'a write is still marked');
  });

  it("forwards a delivery to a destination on this machine with the registration's method, and records it", async (t) => {
    const { sandbox, catalog } = await intake(t);
    const handler = await handlerOn(t, '127.0.0.1', 201);
    const link = await catalog.setDestination(dev, { url: `http://127.0.0.1:${handler.port}/hooks/stripe?from=ductape`, method: 'PUT' });
    const answer = await sendToLink(link, { type: 'payment.succeeded' });

    assert.equal(answer.status, 200);
    assert.ok(answer.body.length < 200, 'a small answer');
    assert.equal((JSON.parse(answer.body) as { status: unknown }).status, true);
    assert.deepEqual(
      handler.received.map(({ method, path, body }) => ({ method, path, body })),
      [{ method: 'PUT', path: '/hooks/stripe?from=ductape', body: '{"type":"payment.succeeded"}' }],
    );
    assert.equal(handler.received[0].headers['content-type'], 'application/json');

    const [record] = sandbox.deliveries;
    assert.equal(record.status, 'success');
    assert.equal(record.env, 'dev');
    assert.equal(record.parent_tag, REGISTERED_EVENT);
    assert.equal(record.product_tag, PRODUCT);
    assert.deepEqual(record.request.body, { type: 'payment.succeeded' });
    assert.equal(record.request.headers['content-type'], 'application/json');
    assert.deepEqual(record.response, { status: 201, headers: record.response?.headers, body: { handled: true } });
    assert.ok(record.latency >= 0 && Date.parse(record.timestamp) <= Date.now());
  });

  it('records a failure when the destination answers an error or cannot be reached', async (t) => {
    const { sandbox, catalog } = await intake(t);
    const failing = await handlerOn(t, '127.0.0.1', 500);
    await sendToLink(await catalog.setDestination(dev, { url: `http://127.0.0.1:${failing.port}/`, method: 'POST' }), {});
    await sendToLink(await catalog.setDestination(dev, { url: `${await closedPortUrl()}/gone`, method: 'POST' }), {});
    assert.deepEqual(
      sandbox.deliveries.map((record) => [record.status, record.response?.status]),
      [
        ['fail', 500],
        ['fail', undefined],
      ],
    );
    assert.match(String(sandbox.deliveries[1].message), /could not be reached/);
  });

  it('never forwards off this machine: such a delivery is recorded as processing', async (t) => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
    if (!address) return t.skip('this machine has no address but loopback');
    const { sandbox, catalog } = await intake(t);
    const handler = await handlerOn(t, address);
    const answer = await sendToLink(await catalog.setDestination(dev, { url: `http://${address}:${handler.port}/hook`, method: 'POST' }), {});
    assert.equal(answer.status, 200, 'Ductape takes the event');
    assert.equal(handler.received.length, 0, 'nothing was sent to a non-loopback address');
    assert.equal(sandbox.deliveries[0].status, 'processing');
    assert.match(String(sandbox.deliveries[0].message), /only to this machine/);
  });

  it('records a failure for a registration without a destination, and answers 404 for an unknown link', async (t) => {
    const { sandbox } = await intake(t);
    const config = sandbox.account.workspaces[0].products[0].webhooks['stripe-payments'][0].config!.find((entry) => entry.productEnv === 'dev')!;
    config.url = '';
    assert.equal((await sendToLink(webhookLinkFor(config.uuid!, sandbox.url), {})).status, 200);
    assert.equal(sandbox.deliveries[0].status, 'fail');
    assert.match(String(sandbox.deliveries[0].message), /no destination/);
    assert.equal((await sendToLink(webhookLinkFor('no-such-uuid', sandbox.url), {})).status, 404);
  });

  it('has no intake unless links point at it', async (t) => {
    const { sandbox } = await intake(t, {});
    const config = sandbox.account.workspaces[0].products[0].webhooks['stripe-payments'][0].config![0];
    assert.equal((await sendToLink(webhookLinkFor(config.uuid!, sandbox.url), {})).status, 404);
    assert.equal(sandbox.deliveries.length, 0);
  });
});

describe('The dev receiver', () => {
  it('answers 200 and prints what it received', async (t) => {
    const printed: string[] = [];
    const receiver = await startReceiver({ print: (line) => printed.push(line) });
    t.after(() => receiver.close());
    const answer = await sendToLink(`${receiver.url}/webhooks/stripe`, { type: 'payment.succeeded' });
    assert.equal(answer.status, 200);
    assert.equal(printed.length, 1);
    assert.match(printed[0], /POST \/webhooks\/stripe \(application\/json\)/);
    assert.match(printed[0], /"type": "payment\.succeeded"/);
  });
});
