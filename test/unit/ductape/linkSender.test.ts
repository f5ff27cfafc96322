import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { CancelledError, InputError, NetworkError } from '../../../src/ductape/errors';
import { sendToLink } from '../../../src/ductape/linkSender';
import { WebhookCatalog } from '../../../src/ductape/catalog';
import { REGISTERED_EVENT, WORKSPACE, assertNoSecrets, clientFor, linkRequest, listenLocally, rejectsWith, startTestSandbox } from '../helpers';

interface Received {
  method?: string;
  path?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A provider's view of the other end: a server that records what it receives and answers as told. */
async function endpoint(t: TestContext, answer: (response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(response);
    });
  });
  return { url: await listenLocally(t, server), received };
}

describe('sendToLink', () => {
  it('POSTs the event as JSON and tells the status, the time and the body of the answer', async (t) => {
    const { url, received } = await endpoint(t, (response) => response.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}'));
    const answer = await sendToLink(`${url}/webhooks/v1/process/abc`, { type: 'payment.succeeded', amount: 2000 });
    assert.equal(answer.status, 202);
    assert.equal(answer.body, '{"queued":true}');
    assert.equal(answer.truncated, false);
    assert.ok(answer.durationMs >= 0);
    assert.equal(received.length, 1);
    assert.equal(received[0].method, 'POST');
    assert.equal(received[0].path, '/webhooks/v1/process/abc');
    assert.equal(received[0].headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(received[0].body), { type: 'payment.succeeded', amount: 2000 });
  });

  it("sends nothing of the person's Ductape session, even right after the client used it", async (t) => {
    const sandbox = await startTestSandbox(t, { linksToSandbox: true });
    const { client } = clientFor(t, sandbox, { webhookHost: sandbox.url });
    const session = await client.signIn();
    const { url, received } = await endpoint(t, (response) => response.end());
    const catalog = new WebhookCatalog(client, WORKSPACE);
    const link = await catalog.setDestination(linkRequest(REGISTERED_EVENT, 'dev'), { url: `${url}/hook`, method: 'POST' });
    const answer = await sendToLink(link, { hello: 'world' });
    assert.equal(answer.status, 200, 'the sandbox took the delivery');
    assert.equal(received.length, 1, 'and forwarded it');
    const intake = sandbox.deliveries[0].request.headers;
    for (const name of ['authorization', 'x-access-token', 'cookie']) assert.equal(intake[name], undefined, `${name} sent to the link`);
    assertNoSecrets([JSON.stringify(intake), JSON.stringify(received[0].headers)], { token: session.token, 'access key': sandbox.accessKey });
  });

  it('keeps at most the limit of the answer, and says it was cut', async (t) => {
    const { url } = await endpoint(t, (response) => response.end('x'.repeat(10_000)));
    const answer = await sendToLink(url, {}, { responseLimit: 1000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.length, 1000);
    assert.equal(answer.truncated, true);
  });

  it('does not follow a redirect', async (t) => {
    const target = await endpoint(t, (response) => response.end());
    const { url } = await endpoint(t, (response) => response.writeHead(307, { location: `${target.url}/elsewhere` }).end());
    const answer = await sendToLink(url, { a: 1 });
    assert.equal(answer.status, 307);
    assert.equal(target.received.length, 0);
  });

  it('refuses anything but an http(s) URL, and credentials in it, before sending', async () => {
    for (const link of ['ftp://example.com/hook', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'https://user:secret@example.com/hook']) {
      const error = await rejectsWith(sendToLink(link, {}), InputError);
      assert.equal(error.field, 'link');
      assert.doesNotMatch(error.message, /secret/);
    }
  });

  it('ends at its deadline when the other end never answers', async (t) => {
    const { url } = await endpoint(t, () => undefined);
    const error = await rejectsWith(sendToLink(url, {}, { deadlineMs: 200 }), NetworkError);
    assert.equal(error.failure, 'timeout');
  });

  it('ends as cancelled when its signal aborts', async (t) => {
    const controller = new AbortController();
    const { url } = await endpoint(t, () => controller.abort());
    await rejectsWith(sendToLink(url, {}, { signal: controller.signal }), CancelledError);
  });
});
