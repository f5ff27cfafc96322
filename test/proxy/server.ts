/**
 * A forward proxy for tests, on this machine: CONNECT tunnels and plain-HTTP forwarding, both only
 * with Basic proxy authentication. It counts the requests it carried per target (host:port). A
 * tunnel is read as HTTP here (its targets are plain-HTTP servers such as the sandbox), so each
 * request inside a tunnel is counted too, not only the tunnel.
 *
 * It sends requests on with undici's own agent: inside the extension host, VS Code makes Node's
 * `http.request` follow `http.proxy`, which would send the proxy's requests back to itself.
 */
import { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Agent, request as forwardRequest } from 'undici';

export interface TestProxyOptions {
  user: string;
  password: string;
  /** The address it listens on; 127.0.0.1 unless given. */
  host?: string;
}

export interface TestProxy {
  /** Its URL, without credentials. */
  url: string;
  /** Its URL with the credentials in it. */
  urlWithCredentials: string;
  /** The value of a Proxy-Authorization header that it accepts. */
  authorization: string;
  /** Requests carried, per target host:port. */
  readonly requests: ReadonlyMap<string, number>;
  /** CONNECT tunnels opened, per target host:port. */
  readonly tunnels: ReadonlyMap<string, number>;
  /** Tunnels and requests refused with 407 (no credentials or wrong ones). */
  readonly refused: number;
  /** Resolves when no request is on its way through the proxy (at once if none is). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Hop-by-hop headers, which are the proxy's and not passed on. */
const HOP_HEADERS = new Set(['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

export async function startTestProxy({ user, password, host = '127.0.0.1' }: TestProxyOptions): Promise<TestProxy> {
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const requests = new Map<string, number>();
  const tunnels = new Map<string, number>();
  const count = (counts: Map<string, number>, target: string) => counts.set(target, (counts.get(target) ?? 0) + 1);
  let refused = 0;
  let inFlight = 0;
  const idleWaiters: Array<() => void> = [];
  const upstream = new Agent();
  const sockets = new Set<Socket>();
  const targetOfTunnel = new WeakMap<Socket, string>();
  const authorized = (request: IncomingMessage) => request.headers['proxy-authorization'] === authorization;
  const challenge = { 'proxy-authenticate': 'Basic realm="ductape-test-proxy"' };

  /** Sends one request on to its target, and the answer back. */
  async function forward(request: IncomingMessage, response: ServerResponse, target: string, path: string): Promise<void> {
    count(requests, target);
    inFlight++;
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_HEADERS.has(name)));
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    try {
      const answer = await forwardRequest(`http://${target}${path}`, {
        method: request.method as 'GET',
        headers: headers as Record<string, string>,
        body: hasBody ? request : undefined,
        dispatcher: upstream,
      });
      const answerHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_HEADERS.has(name)));
      response.writeHead(answer.statusCode, answerHeaders as OutgoingHttpHeaders);
      await pipeline(answer.body, response);
    } catch {
      response.destroy();
    } finally {
      if (--inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    }
  }

  // Requests inside tunnels: their target is the tunnel's.
  const tunnelled = createServer((request, response) => {
    const socket = request.socket;
    void forward(request, response, targetOfTunnel.get(socket) ?? '', request.url ?? '/');
  });

  const server = createServer((request, response) => {
    if (!authorized(request)) {
      refused++;
      response.writeHead(407, challenge).end();
      return;
    }
    const url = new URL(request.url ?? '');
    void forward(request, response, url.host, `${url.pathname}${url.search}`);
  });
  server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (!authorized(request)) {
      refused++;
      socket.end(`HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: ${challenge['proxy-authenticate']}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const target = request.url ?? '';
    count(tunnels, target);
    targetOfTunnel.set(socket, target);
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    tunnelled.emit('connection', socket);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    urlWithCredentials: `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}`,
    authorization,
    requests,
    tunnels,
    get refused() {
      return refused;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await upstream.destroy();
      tunnelled.closeAllConnections();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
