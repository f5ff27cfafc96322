import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { type Socket, connect } from 'node:net';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { InputError, NetworkError } from '../../../src/ductape/errors';
import { SANDBOX_TLS } from '../../sandbox/tls';
import type { Sandbox } from '../../sandbox/server';
import {
  APP,
  LINK_FORM,
  PRODUCT,
  UNREGISTERED_EVENT,
  WORKSPACE,
  clientFor,
  linkRequest,
  listenLocally,
  rejectsWith,
  startTestSandbox,
} from '../helpers';

interface ConnectProxy {
  url: string;
  /** The host:port of every tunnel asked for (CONNECT), in order. */
  tunnels: string[];
  /** Requests sent to the proxy as plain HTTP, not as a tunnel. */
  plainRequests: number;
}

/**
 * A CONNECT proxy on 127.0.0.1 for which every host name is this machine: it tunnels
 * `anything:port` to 127.0.0.1:port. A client that reaches the sandbox by a name that does not
 * resolve (`.invalid`) can only have gone through it. `status` other than 200 refuses every tunnel.
 */
async function startConnectProxy(t: TestContext, status = 200): Promise<ConnectProxy> {
  const proxy: ConnectProxy = { url: '', tunnels: [], plainRequests: 0 };
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((_request, response) => {
    proxy.plainRequests++;
    response.writeHead(400).end();
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    track(client);
    const target = String(request.url);
    proxy.tunnels.push(target);
    if (status !== 200) return void client.end(`HTTP/1.1 ${status} Refused\r\n\r\n`);
    const upstream = connect(Number(target.slice(target.lastIndexOf(':') + 1)), '127.0.0.1');
    track(upstream);
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  // The server's close waits for its tunnels, which closeAllConnections does not end: they are
  // ended first (after-hooks run in the order they are added).
  t.after(() => sockets.forEach((socket) => socket.destroy()));
  proxy.url = await listenLocally(t, server);
  return proxy;
}

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];
const proxyVariables = () => PROXY_VARIABLES.map((name) => `${name}=${process.env[name] ?? ''}`);
const AT_START = proxyVariables();

/** Sets the proxy variables of the environment for one test (clearing the others), and restores them after. */
function proxyEnvironment(t: TestContext, values: Record<string, string>): void {
  const saved = PROXY_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
  t.after(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

/** The sandbox's URL with a host name that does not resolve: reachable only through the proxy. */
const unresolvable = (sandbox: Sandbox) => sandbox.url.replace('127.0.0.1', 'ductape-sandbox.invalid');

/** Signs in, reads each level and generates a link: valid data from each. */
async function browse(client: ReturnType<typeof clientFor>['client']): Promise<void> {
  assert.ok((await client.signIn()).token);
  assert.equal((await client.products(WORKSPACE)).length, 3);
  assert.equal((await client.webhookLinks(WORKSPACE, PRODUCT, APP)).length, 12);
  assert.match(await client.generateLink(WORKSPACE, linkRequest(UNREGISTERED_EVENT, 'dev')), LINK_FORM);
}

describe('proxies: http.proxy', () => {
  it('sends every request through the proxy given, in CONNECT tunnels to the API host', async (t) => {
    const sandbox = await startTestSandbox(t);
    const proxy = await startConnectProxy(t);
    const { client } = clientFor(t, sandbox, { apiUrl: unresolvable(sandbox), proxy: { url: proxy.url } });
    await browse(client);
    assert.ok(proxy.tunnels.length >= 1);
    assert.deepEqual(new Set(proxy.tunnels), new Set([`ductape-sandbox.invalid:${sandbox.port}`]));
    assert.equal(proxy.plainRequests, 0);
    assert.equal(sandbox.requests.length, 6, 'the sandbox served every request');
  });

  it('verifies the certificate of an https API through the proxy, unless strictSSL is false', async (t) => {
    const sandbox = await startTestSandbox(t, { tls: SANDBOX_TLS });
    const proxy = await startConnectProxy(t);
    const apiUrl = unresolvable(sandbox);
    const strict = clientFor(t, sandbox, { apiUrl, proxy: { url: proxy.url } }).client;
    assert.equal((await rejectsWith(strict.signIn(), NetworkError)).failure, 'tls');
    assert.equal(proxy.tunnels.length, 1, 'the tunnel was made, the self-signed certificate refused');
    assert.equal(sandbox.requests.length, 0);
    const lenient = clientFor(t, sandbox, { apiUrl, proxy: { url: proxy.url, strictSSL: false } }).client;
    await browse(lenient);
    assert.equal(sandbox.requests.length, 6);
  });

  it('reaches the hosts of http.noProxy directly, and the others through the proxy given', async (t) => {
    const sandbox = await startTestSandbox(t);
    const proxy = await startConnectProxy(t);
    const direct = clientFor(t, sandbox, { proxy: { url: proxy.url, noProxy: 'localhost,127.0.0.1' } }).client;
    await browse(direct);
    assert.deepEqual(proxy.tunnels, [], 'nothing went through the proxy');
    const proxied = clientFor(t, sandbox, { apiUrl: unresolvable(sandbox), proxy: { url: proxy.url, noProxy: 'localhost' } });
    await proxied.client.signIn();
    assert.deepEqual(proxy.tunnels, [`ductape-sandbox.invalid:${sandbox.port}`]);
  });

  it('reports a proxy that refuses the tunnel as a NetworkError that says so', async (t) => {
    const sandbox = await startTestSandbox(t);
    const proxy = await startConnectProxy(t, 407);
    const { client } = clientFor(t, sandbox, { proxy: { url: proxy.url } });
    const error = await rejectsWith(client.signIn(), NetworkError);
    assert.equal(error.failure, 'proxy');
    assert.equal(error.message, `The Ductape server 127.0.0.1:${sandbox.port} could not be reached through the proxy (the proxy answered 407).`);
    assert.equal(sandbox.requests.length, 0);
  });

  it('refuses a proxy URL that is not http(s) with an InputError that does not repeat it', async (t) => {
    const sandbox = await startTestSandbox(t);
    for (const url of ['socks5://user:hunter2-pw@proxy.example:1080', 'proxy.example:3128 hunter2-pw']) {
      assert.throws(
        () => clientFor(t, sandbox, { proxy: { url } }),
        (error: unknown) =>
          error instanceof InputError &&
          error.field === 'proxy' &&
          /http:\/\/ or https:\/\//.test(error.message) &&
          !error.message.includes('hunter2-pw'),
      );
    }
  });
});

describe('proxies: the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', () => {
  it('goes through HTTP_PROXY when no proxy is given', async (t) => {
    const sandbox = await startTestSandbox(t);
    const proxy = await startConnectProxy(t);
    proxyEnvironment(t, { HTTP_PROXY: proxy.url });
    const { client } = clientFor(t, sandbox, { apiUrl: unresolvable(sandbox) });
    await browse(client);
    assert.deepEqual(new Set(proxy.tunnels), new Set([`ductape-sandbox.invalid:${sandbox.port}`]));
  });

  it('goes through HTTPS_PROXY to an https API, with strictSSL applied to it', async (t) => {
    const sandbox = await startTestSandbox(t, { tls: SANDBOX_TLS });
    const proxy = await startConnectProxy(t);
    proxyEnvironment(t, { HTTPS_PROXY: proxy.url });
    const apiUrl = unresolvable(sandbox);
    const strict = clientFor(t, sandbox, { apiUrl }).client;
    assert.equal((await rejectsWith(strict.signIn(), NetworkError)).failure, 'tls');
    const lenient = clientFor(t, sandbox, { apiUrl, proxy: { strictSSL: false } }).client;
    await browse(lenient);
    assert.deepEqual(new Set(proxy.tunnels), new Set([`ductape-sandbox.invalid:${sandbox.port}`]));
  });

  it('bypasses the proxy for a host in NO_PROXY', async (t) => {
    const sandbox = await startTestSandbox(t);
    const proxy = await startConnectProxy(t);
    proxyEnvironment(t, { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' });
    const { client } = clientFor(t, sandbox);
    await browse(client);
    assert.deepEqual(proxy.tunnels, [], 'nothing went through the proxy');
    assert.equal(sandbox.requests.length, 6);
    // The same request to a host not in NO_PROXY does go through it.
    const other = clientFor(t, sandbox, { apiUrl: unresolvable(sandbox) }).client;
    await other.signIn();
    assert.deepEqual(proxy.tunnels, [`ductape-sandbox.invalid:${sandbox.port}`]);
  });

  it('leaves the environment as it found it', () => {
    // Runs after the tests above in this file: each restored what it set.
    assert.deepEqual(proxyVariables(), AT_START);
  });
});
