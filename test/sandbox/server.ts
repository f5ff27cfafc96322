/**
 * A local Ductape-compatible API server for tests, demos and benchmarks. It implements the whole
 * wire contract of src/ductape/contract.ts (the same module the client uses): the session call,
 * the product list, and the SDK proxy with real payload decryption. Knobs: port, latency, the
 * account it serves, and fault injection. It keeps a log of the requests it served.
 */
import { randomBytes } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GenerateLinkParams,
  HEADERS,
  PATHS,
  PROXY_METHODS,
  PROXY_MODULE,
  ProxyPayload,
  ProxyRequestBody,
  SessionData,
  WEBHOOK_HOST,
  webhookLinkFor,
} from '../../src/ductape/contract';
import { decryptPayload } from '../../src/ductape/crypto';
import { SAMPLE_ACCESS_KEY, SandboxAccount, SandboxProduct, SandboxWorkspace, sampleAccount, stableUuid } from './accounts';

export type Route = 'session' | 'products' | 'proxy' | 'unknown';

export type FaultKind =
  | 'status-500'
  | 'status-503'
  | 'status-429'
  | 'status-401'
  | 'status-false'
  | 'hang'
  | 'malformed-json'
  | 'wrong-shape';

export interface ServedRequest {
  method: string;
  route: Route;
  /** The proxy method, decrypted from the payload. */
  proxyMethod?: string;
  status: number;
  fault?: FaultKind;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Delay before each answer, in milliseconds. */
  latencyMs?: number;
  /** Keys that sign in; the sample key when not given. */
  accessKeys?: string[];
  account?: SandboxAccount;
  /** Probability (0–1) that a request gets a random fault from `faultKinds`. */
  faultRate?: number;
  faultKinds?: FaultKind[];
  /** Seconds sent in Retry-After with 429 and 503. */
  retryAfterSeconds?: number;
  webhookHost?: string;
}

export interface Sandbox {
  url: string;
  port: number;
  accessKey: string;
  account: SandboxAccount;
  /** Every request served, in order. */
  readonly requests: ServedRequest[];
  /** The next matching requests fail with this fault, once each. */
  failNext(fault: FaultKind, options?: { route?: Route; count?: number }): void;
  setLatency(ms: number): void;
  setFaultRate(rate: number, kinds?: FaultKind[]): void;
  /** Invalidates every token issued so far, as a server does when a session expires. */
  expireTokens(): void;
  close(): Promise<void>;
}

interface QueuedFault {
  fault: FaultKind;
  route?: Route;
}

const ALL_FAULTS: FaultKind[] = ['status-500', 'status-503', 'status-429', 'status-false', 'hang', 'malformed-json', 'wrong-shape'];

class Failure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly proxyCode?: string,
  ) {
    super(message);
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const account = options.account ?? sampleAccount();
  const accessKeys = new Set(options.accessKeys ?? [SAMPLE_ACCESS_KEY]);
  const webhookHost = options.webhookHost ?? WEBHOOK_HOST;
  const tokens = new Set<string>();
  const requests: ServedRequest[] = [];
  const queued: QueuedFault[] = [];
  let latencyMs = options.latencyMs ?? 0;
  let faultRate = options.faultRate ?? 0;
  let faultKinds = options.faultKinds ?? ALL_FAULTS;

  function takeFault(route: Route): FaultKind | undefined {
    const index = queued.findIndex((entry) => !entry.route || entry.route === route);
    if (index >= 0) return queued.splice(index, 1)[0].fault;
    if (faultRate > 0 && Math.random() < faultRate) return faultKinds[Math.floor(Math.random() * faultKinds.length)];
    return undefined;
  }

  function checkToken(token: string | undefined): void {
    if (!token) throw new Failure(401, 'Missing Auth Token');
    if (!tokens.has(token)) throw new Failure(401, 'Validation Failed');
  }

  function workspaceOf(id: string): SandboxWorkspace {
    const workspace = account.workspaces.find((entry) => entry.workspace_id === id);
    if (!workspace) throw new Failure(404, 'workspace not found');
    return workspace;
  }

  function productOf(workspace: SandboxWorkspace, tag: unknown): SandboxProduct {
    const product = workspace.products.find((entry) => entry.tag === tag);
    if (!product) throw new Failure(404, 'product not found', 'NOT_FOUND');
    return product;
  }

  function login(body: unknown): SessionData {
    const accessKey = (body as { accessKey?: unknown } | undefined)?.accessKey;
    if (typeof accessKey !== 'string' || accessKey === '') {
      throw new Failure(422, '"accessKey" is not allowed to be empty');
    }
    if (!accessKeys.has(accessKey)) throw new Failure(403, 'user not authorized');
    const token = `tok_${randomBytes(24).toString('hex')}`;
    tokens.add(token);
    return {
      _id: account.userId,
      email: account.email,
      firstname: account.firstname,
      lastname: account.lastname,
      auth_token: token,
      public_key: account.publicKey,
      workspaces: account.workspaces.map(({ workspace_id, workspace_name, default: isDefault }) => ({
        workspace_id,
        workspace_name,
        default: isDefault,
      })),
    };
  }

  function listProducts(request: IncomingMessage, url: URL, workspaceId: string): unknown {
    const authorization = request.headers[HEADERS.authorization];
    checkToken(typeof authorization === 'string' ? authorization.replace(/^Bearer /, '') : undefined);
    if (url.searchParams.get('user_id') !== account.userId || url.searchParams.get('public_key') !== account.publicKey) {
      throw new Failure(401, 'Validation Failed');
    }
    return workspaceOf(workspaceId).products.map(({ webhooks: _webhooks, ...product }) => product);
  }

  function generateLink(product: SandboxProduct, params: GenerateLinkParams): string {
    const env = product.envs.find((entry) => entry.slug === params?.env);
    if (!env) throw new Failure(404, 'environment not found', 'NOT_FOUND');
    const webhook = product.webhooks[params.access_tag]?.find((entry) => entry.tag === params.webhook_tag);
    if (!product.webhooks[params.access_tag]) throw new Failure(404, 'app not found', 'NOT_FOUND');
    if (!webhook) throw new Failure(404, 'webhook not found', 'NOT_FOUND');
    const uuid = stableUuid(product.tag, params.access_tag, params.webhook_tag, env.slug);
    webhook.config ??= [];
    if (!webhook.config.some((config) => config.productEnv === env.slug)) {
      webhook.config.push({ productEnv: env.slug, appEnv: env.slug, url: '', method: 'POST', uuid, active: true });
    }
    return webhookLinkFor(uuid, webhookHost);
  }

  function proxy(request: IncomingMessage, body: unknown, served: ServedRequest): unknown {
    const token = request.headers[HEADERS.accessToken];
    checkToken(typeof token === 'string' ? token : undefined);
    const envelope = body as Partial<ProxyRequestBody> | undefined;
    if (envelope?.user_id !== account.userId || envelope.public_key !== account.publicKey) {
      throw new Failure(401, 'Validation Failed');
    }
    let payload: ProxyPayload;
    try {
      payload = decryptPayload(String(envelope.encrypted_payload ?? ''), account.publicKey) as ProxyPayload;
    } catch (error) {
      throw new Failure(400, `invalid encrypted_payload: ${(error as Error).message}`, 'DECRYPTION_FAILED');
    }
    served.proxyMethod = payload.method;
    if (payload.module !== PROXY_MODULE) throw new Failure(400, `unknown module ${payload.module}`, 'UNKNOWN_MODULE');
    if (payload.user_id !== account.userId) throw new Failure(401, 'Validation Failed');
    const workspace = workspaceOf(String(envelope.workspace_id));
    const params = Array.isArray(payload.params) ? payload.params : [];
    switch (payload.method) {
      case PROXY_METHODS.listApps:
        return productOf(workspace, params[0]).apps;
      case PROXY_METHODS.listEnvironments:
        return productOf(workspace, params[0]).envs;
      case PROXY_METHODS.listWebhooks: {
        const webhooks = productOf(workspace, params[0]).webhooks[String(params[1])];
        if (!webhooks) throw new Failure(404, 'app not found', 'NOT_FOUND');
        return webhooks;
      }
      case PROXY_METHODS.generateLink: {
        const link = params[0] as GenerateLinkParams;
        return generateLink(productOf(workspace, link?.product), link);
      }
      default:
        throw new Failure(400, `unknown method ${String(payload.method)}`, 'UNKNOWN_METHOD');
    }
  }

  function routeOf(method: string | undefined, path: string): { route: Route; workspaceId?: string } {
    if (method === 'POST' && path === PATHS.session) return { route: 'session' };
    if (method === 'POST' && path === PATHS.proxy) return { route: 'proxy' };
    const products = /^\/integrations\/v1\/workspace\/([^/]+)\/all$/.exec(path);
    if (method === 'GET' && products) return { route: 'products', workspaceId: decodeURIComponent(products[1]) };
    return { route: 'unknown' };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const { route, workspaceId } = routeOf(request.method, url.pathname);
    const served: ServedRequest = { method: request.method ?? '', route, status: 0 };
    requests.push(served);
    const raw = await readBody(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));

    const fault = takeFault(route);
    if (fault) {
      served.fault = fault;
      if (fault === 'hang') {
        // Headers and half a body, then nothing: a server that stalls mid-answer.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"status":true,"data":');
        return;
      }
      served.status = injectFault(response, fault, options.retryAfterSeconds ?? 1);
      return;
    }

    const proxyStyle = route === 'proxy';
    try {
      let body: unknown;
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        throw new Failure(400, 'the request body is not JSON');
      }
      let data: unknown;
      if (route === 'session') data = login(body);
      else if (route === 'products') data = listProducts(request, url, workspaceId!);
      else if (route === 'proxy') {
        const result = proxy(request, body, served);
        data = { data: result, execution_time_ms: 3, request_id: newRequestId() };
      } else throw new Failure(404, `${url.pathname} not found`);
      served.status = 201;
      send(response, 201, { status: true, meta: {}, data });
    } catch (error) {
      const failure = error instanceof Failure ? error : new Failure(500, 'internal error');
      served.status = failure.status;
      send(
        response,
        failure.status,
        proxyStyle
          ? { status: false, message: failure.message, code: failure.proxyCode ?? 'ERROR' }
          : { status: false, meta: {}, errors: failure.message },
        { [HEADERS.requestId]: newRequestId() },
      );
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    accessKey: [...accessKeys][0],
    account,
    requests,
    failNext(fault, { route, count = 1 } = {}) {
      for (let i = 0; i < count; i++) queued.push({ fault, route });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setFaultRate(rate, kinds = ALL_FAULTS) {
      faultRate = rate;
      faultKinds = kinds;
    },
    expireTokens() {
      tokens.clear();
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function newRequestId(): string {
  return `req_${randomBytes(6).toString('hex')}`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function injectFault(response: ServerResponse, fault: Exclude<FaultKind, 'hang'>, retryAfterSeconds: number): number {
  const requestId = { [HEADERS.requestId]: newRequestId() };
  const retryAfter = { ...requestId, [HEADERS.retryAfter]: String(retryAfterSeconds) };
  switch (fault) {
    case 'status-500':
      send(response, 500, { status: false, meta: {}, errors: 'internal server error (injected)' }, requestId);
      return 500;
    case 'status-503':
      send(response, 503, { status: false, meta: {}, errors: 'service unavailable (injected)' }, retryAfter);
      return 503;
    case 'status-429':
      send(response, 429, { status: false, meta: {}, errors: 'too many requests (injected)' }, retryAfter);
      return 429;
    case 'status-401':
      send(response, 401, { status: false, meta: {}, errors: 'Validation Failed' }, requestId);
      return 401;
    case 'status-false':
      send(response, 200, { status: false, message: 'operation failed (injected)', code: 'INJECTED' }, requestId);
      return 200;
    case 'malformed-json': {
      const text = '{"status":true,"data":[{"tag":';
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
      response.end(text);
      return 200;
    }
    case 'wrong-shape':
      send(response, 201, { status: true, meta: {}, data: { unexpected: 'shape' } }, requestId);
      return 201;
  }
}
