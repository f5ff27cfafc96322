import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { DuctapeClient } from '../../../src/ductape/client';
import { PATHS } from '../../../src/ductape/contract';
import { ServerError } from '../../../src/ductape/errors';
import type { Route } from '../../sandbox/server';
import { PRODUCT, WORKSPACE, drain, listenLocally, rejectsWith, setup, signedIn } from '../helpers';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Another origin (another port) that records every request it receives, headers and body. */
async function startRecorder(t: TestContext): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":true,"data":[]}');
    });
  });
  return { url: `${await listenLocally(t, server)}/collect`, received };
}

describe('redirects', () => {
  const cases: Array<[Extract<Route, 'session' | 'products' | 'proxy'>, string, (client: DuctapeClient) => Promise<unknown>]> = [
    ['session', 'the access key (in the body)', (client) => client.signIn()],
    ['products', 'the token (a bearer credential)', (client) => client.products(WORKSPACE)],
    ['proxy', 'the token (x-access-token) and an encrypted payload', (client) => client.apps(WORKSPACE, PRODUCT)],
  ];
  for (const [route, carrying, call] of cases) {
    it(`does not follow a redirect to another origin from the ${route} call, which carries ${carrying}`, async (t) => {
      const recorder = await startRecorder(t);
      const sandboxOptions = { redirectTo: recorder.url };
      const { sandbox, client } = route === 'session' ? await setup(t, { sandbox: sandboxOptions }) : await signedIn(t, { sandbox: sandboxOptions });
      sandbox.failNext('redirect', { route });
      const error = await rejectsWith(call(client), ServerError);
      assert.equal(error.status, 302);
      assert.match(error.message, /the server redirected the request; redirects are not followed/);
      await drain(client);
      assert.deepEqual(recorder.received, [], 'nothing reached the other origin');
      assert.equal(sandbox.requests.at(-2)?.fault, 'redirect', 'the redirect was served (the last request is the drain marker)');
    });
  }

  it('would see a followed redirect: fetch, which follows it, takes the token to the other origin', async (t) => {
    // The control for the tests above: the recorder does receive what a following client sends.
    const recorder = await startRecorder(t);
    const { sandbox } = await setup(t, { sandbox: { redirectTo: recorder.url } });
    sandbox.failNext('redirect');
    const response = await fetch(new URL(PATHS.products(WORKSPACE), sandbox.url), { headers: { 'x-access-token': 'tok_control' } });
    assert.equal(response.status, 200);
    assert.equal(recorder.received.length, 1);
    assert.equal(recorder.received[0].headers['x-access-token'], 'tok_control');
  });
});
