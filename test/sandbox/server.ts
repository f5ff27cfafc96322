/**
 * A local Ductape-compatible API server for tests, demos and benchmarks. It implements the whole
 * wire contract of src/ductape/contract.ts (the same module the client uses): the session call,
 * the product list, the SDK proxy with real payload decryption (samples of every event included),
 * the delivery logs and their analytics, and, with `linksToSandbox`, the webhook intake itself:
 * a delivery posted to a link is forwarded to the registration's destination when that is on this
 * machine, and recorded. Knobs: port, latency, the account it serves, https with a given
 * certificate, and fault injection (bad answers and bad connections alike). It keeps a log of the
 * requests it served, of the tokens it issued and of the deliveries it made.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  type GenerateLinkParams,
  HEADERS,
  MAX_RESPONSE_BYTES,
  PATHS,
  PROXY_METHODS,
  PROXY_MODULE_OF,
  type ProxyPayload,
  type ProxyRequestBody,
  WEBHOOK_HOST,
  WEBHOOK_LINK_PATH,
  webhookLinkFor,
} from '../../src/ductape/contract';
import { decryptPayload } from '../../src/ductape/crypto';
import { SAMPLE_ACCESS_KEY, type SandboxAccount, type SandboxProduct, type SandboxWorkspace, sampleAccount, stableUuid } from './accounts';
import { type DeliveryRecord, Deliveries, type FoundRegistration, analyticsOf, logsOf, sampleEvents } from './deliveries';

export type Route = 'session' | 'workspaces' | 'products' | 'proxy' | 'intake' | 'logs' | 'analytics' | 'unknown';

/**
 * The faults the sandbox injects. Answers: an HTTP error of each status the contract lists (413
 * as a gateway's HTML page), 200 with `status: false`, a body that is not JSON or not the
 * expected shape, a redirect to `redirectTo`. Connections: `hang` (headers and half a body, then
 * nothing), `reset` (the connection is reset before any answer), `truncated` (a content-length
 * larger than the body sent, then the connection closes), `enormous` (a chunked body streamed
 * past MAX_RESPONSE_BYTES).
 */
export type FaultKind =
  | 'status-500'
  | 'status-503'
  | 'status-429'
  | 'status-401'
  | 'status-403'
  | 'status-404'
  | 'status-413'
  | 'status-422'
  | 'status-false'
  | 'hang'
  | 'malformed-json'
  | 'wrong-shape'
  | 'reset'
  | 'truncated'
  | 'enormous'
  | 'redirect';

/** Every fault kind, for a test that wants them all. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'status-500',
  'status-503',
  'status-429',
  'status-401',
  'status-403',
  'status-404',
  'status-413',
  'status-422',
  'status-false',
  'hang',
  'malformed-json',
  'wrong-shape',
  'reset',
  'truncated',
  'enormous',
  'redirect',
];

export interface ServedRequest {
  method: string;
  route: Route;
  /** The proxy method, decrypted from the payload. */
  proxyMethod?: string;
  /** For a generateLink call: its parameter, as the sandbox decrypted it. */
  generateLink?: GenerateLinkParams;
  /** For a sign-in: which credential it used. */
  signIn?: 'accessKey' | 'workspace' | 'password' | 'code';
  /** 0 when the fault answered with no status (a reset). */
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
  /** Draws the random faults (Math.random unless given: a seeded one makes a run repeatable). */
  random?: () => number;
  /** The kinds of random faults: every kind but status-401 and redirect unless given. */
  faultKinds?: readonly FaultKind[];
  /** Seconds sent in Retry-After with 429 and 503 (1 unless given), or a function drawing them. */
  retryAfterSeconds?: number | (() => number);
  /** Where the `redirect` fault points. */
  redirectTo?: string;
  /** Serve https with this certificate and key (PEM) instead of http. */
  tls?: { cert: string; key: string };
  webhookHost?: string;
  /** Refuse generateLink without a destination (`url`), as Ductape's app-webhook docs require. */
  requireDestination?: boolean;
  /** Ask a password sign-in for this one-time code first (two-step verification). */
  twoFactorCode?: string;
  /** Told one line per write (each generateLink call) and per delivery, for the command line's log. */
  log?: (line: string) => void;
  /**
   * Links point at the sandbox itself (`<sandbox url>/webhooks/v1/process/<uuid>`), whose intake
   * forwards each delivery to a destination on this machine and records it; otherwise they point
   * at `webhookHost` (Ductape's intake host unless given).
   */
  linksToSandbox?: boolean;
  /** Mix a few rows no client can read as a delivery into each logs answer. */
  oddLogRows?: boolean;
  /** Events (webhook tags) for which Ductape keeps no sample payload. */
  eventsWithoutSample?: readonly string[];
}

export interface Sandbox {
  url: string;
  port: number;
  accessKey: string;
  account: SandboxAccount;
  /** Every request served, in order. */
  readonly requests: ServedRequest[];
  /** Every delivery the intake took, oldest first, as the logs route serves them. */
  readonly deliveries: readonly DeliveryRecord[];
  /** Every token the sandbox has issued, expired or not, for tests that look for leaks. */
  issuedTokens(): string[];
  /** The next matching requests fail with this fault, once each. */
  failNext(fault: FaultKind, options?: { route?: Route; count?: number }): void;
  setLatency(ms: number): void;
  setFaultRate(rate: number, kinds?: readonly FaultKind[]): void;
  /** Invalidates every token issued so far, as a server does when a session expires. */
  expireTokens(): void;
  close(): Promise<void>;
}

interface QueuedFault {
  fault: FaultKind;
  route?: Route;
}

const RANDOM_FAULTS = FAULT_KINDS.filter((kind) => kind !== 'status-401' && kind !== 'redirect');

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
  // With linksToSandbox, set to the sandbox's own URL once it listens.
  let webhookHost = options.webhookHost ?? WEBHOOK_HOST;
  const deliveries = new Deliveries(options.log);
  const tokens = new Set<string>();
  const issued: string[] = [];
  const requests: ServedRequest[] = [];
  const queued: QueuedFault[] = [];
  let latencyMs = options.latencyMs ?? 0;
  let faultRate = options.faultRate ?? 0;
  let faultKinds = options.faultKinds ?? RANDOM_FAULTS;
  const random = options.random ?? Math.random;
  const retryAfter = options.retryAfterSeconds ?? 1;
  const faultOptions = () => ({
    retryAfterSeconds: typeof retryAfter === 'function' ? retryAfter() : retryAfter,
    redirectTo: options.redirectTo ?? 'https://elsewhere.invalid/',
  });

  function takeFault(route: Route): FaultKind | undefined {
    const index = queued.findIndex((entry) => !entry.route || entry.route === route);
    if (index >= 0) return queued.splice(index, 1)[0].fault;
    if (faultRate > 0 && random() < faultRate) return faultKinds[Math.floor(random() * faultKinds.length)];
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

  const sessionUser = (withWorkspaces: boolean) => {
    const token = `tok_${randomBytes(24).toString('hex')}`;
    tokens.add(token);
    issued.push(token);
    return {
      _id: account.userId,
      email: account.email,
      firstname: account.firstname,
      lastname: account.lastname,
      active: true,
      auth_token: token,
      public_key: account.publicKey,
      ...(withWorkspaces && { workspaces: workspaceRows() }),
    };
  };

  /** The user's workspace accesses, pending invitations included, as the users service lists them. */
  const workspaceRows = () =>
    account.workspaces.map(({ workspace_id, workspace_name, default: isDefault, accepted }) => ({
      _id: stableUuid('access', workspace_id),
      user_id: account.userId,
      workspace_id,
      workspace_name,
      default: isDefault,
      ...(accepted === undefined ? {} : { accepted }),
    }));

  /** Joi's way: the field named, its quotes stripped by the users service. */
  function required(body: Record<string, unknown>, fields: string[]): void {
    for (const field of fields) {
      if (typeof body[field] !== 'string' || body[field] === '') throw new Failure(422, `${field} is required`);
    }
  }

  /**
   * The three sign-ins: the access key (our inferred exchange; answers `data` with the
   * workspaces), workspace credentials (confirmed; answers without workspaces, which the client
   * then lists from the workspaces route), email and password (confirmed; the user in
   * `data.result`, or without a token when a one-time code is asked first), and that code.
   */
  function login(path: string, raw: unknown, served: ServedRequest): unknown {
    const body = (raw ?? {}) as Record<string, unknown>;
    if (path === PATHS.session && body.accessKey !== undefined) {
      served.signIn = 'accessKey';
      if (typeof body.accessKey !== 'string' || body.accessKey === '') throw new Failure(422, 'accessKey is not allowed to be empty');
      if (!accessKeys.has(body.accessKey)) throw new Failure(403, 'user not authorized');
      return sessionUser(true);
    }
    if (path === PATHS.session) {
      served.signIn = 'workspace';
      required(body, ['user_id', 'private_key', 'workspace_id']);
      if (!/^[A-Za-z0-9]{24}$/.test(String(body.user_id))) throw new Failure(422, 'user_id length must be 24 characters long');
      const member = account.workspaces.some((workspace) => workspace.workspace_id === body.workspace_id && workspace.accepted !== false);
      if (body.user_id !== account.userId || body.private_key !== account.privateKey || !member) throw new Failure(403, 'user not authorized');
      return sessionUser(false);
    }
    if (path === PATHS.passwordLogin) {
      served.signIn = 'password';
      required(body, ['email', 'password']);
      if (body.email !== account.email || body.password !== account.password) throw new Failure(401, 'Invalid email or password.');
      if (options.twoFactorCode) {
        const { auth_token: _token, ...user } = sessionUser(true);
        tokens.delete(_token);
        return { result: user };
      }
      return { result: sessionUser(true) };
    }
    served.signIn = 'code';
    required(body, ['user_id', 'token']);
    if (!options.twoFactorCode || body.user_id !== account.userId || body.token !== options.twoFactorCode) {
      throw new Failure(401, 'Invalid OTP');
    }
    return sessionUser(true);
  }

  function bearerToken(request: IncomingMessage): string | undefined {
    const authorization = request.headers[HEADERS.authorization];
    return typeof authorization === 'string' ? authorization.replace(/^Bearer /, '') : undefined;
  }

  function checkUserQuery(url: URL): void {
    if (url.searchParams.get('user_id') !== account.userId || url.searchParams.get('public_key') !== account.publicKey) {
      throw new Failure(401, 'Validation Failed');
    }
  }

  function listWorkspaces(request: IncomingMessage, url: URL, userId: string): unknown {
    checkToken(bearerToken(request));
    checkUserQuery(url);
    if (userId !== account.userId) throw new Failure(403, 'user not authorized');
    return workspaceRows();
  }

  function listProducts(request: IncomingMessage, url: URL, workspaceId: string): unknown {
    checkToken(bearerToken(request));
    checkUserQuery(url);
    return workspaceOf(workspaceId).products.map(({ webhooks: _webhooks, ...product }) => product);
  }

  /**
   * Creates the registration, or updates the existing one (keeping its uuid) with the
   * destination given. Like the worst case the contract warns of, a call without `url` on an
   * existing registration blanks its destination; with `requireDestination`, a call without
   * `url` is refused.
   */
  function generateLink(product: SandboxProduct, params: GenerateLinkParams, served: ServedRequest): string {
    served.generateLink = params;
    const env = product.envs.find((entry) => entry.slug === params?.env);
    if (!env) throw new Failure(404, 'environment not found', 'NOT_FOUND');
    const app = product.apps.find((entry) => entry.access_tag === params.access_tag);
    const webhook = product.webhooks[params.access_tag]?.find((entry) => entry.tag === params.webhook_tag);
    if (!app || !product.webhooks[params.access_tag]) throw new Failure(404, 'app not found', 'NOT_FOUND');
    if (!webhook) throw new Failure(404, 'webhook not found', 'NOT_FOUND');
    if (!app.envs?.some((mapping) => mapping.product_env_slug === env.slug)) {
      throw new Failure(422, `environment ${env.slug} is not mapped to app ${app.access_tag}`, 'VALIDATION_ERROR');
    }
    if (options.requireDestination && !params.url) throw new Failure(422, 'url is required', 'VALIDATION_ERROR');
    webhook.config ??= [];
    let config = webhook.config.find((entry) => entry.productEnv === env.slug);
    if (!config) {
      config = { productEnv: env.slug, appEnv: `app-${env.slug}`, uuid: stableUuid(product.tag, params.access_tag, params.webhook_tag, env.slug), active: true };
      webhook.config.push(config);
    }
    config.uuid ??= stableUuid(product.tag, params.access_tag, params.webhook_tag, env.slug);
    config.url = params.url ?? '';
    config.method = params.method ?? 'POST';
    const link = webhookLinkFor(config.uuid, webhookHost);
    options.log?.(
      `generateLink ${product.tag}/${params.access_tag}/${params.webhook_tag} in ${env.slug} → ${link} (destination: ${config.url ? `${config.method} ${config.url}` : 'none'})`,
    );
    return link;
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
    const expectedModule = PROXY_MODULE_OF[payload.method];
    if (!expectedModule) throw new Failure(400, `unknown method ${String(payload.method)}`, 'UNKNOWN_METHOD');
    if (payload.module !== expectedModule) throw new Failure(400, `unknown method ${String(payload.method)} in module ${String(payload.module)}`, 'UNKNOWN_MODULE');
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
        return generateLink(productOf(workspace, link?.product), link, served);
      }
      case PROXY_METHODS.listEvents:
        return appEvents(workspace, String(params[0]), String(params[1]));
      default:
        throw new Failure(400, `unknown method ${String(payload.method)}`, 'UNKNOWN_METHOD');
    }
  }

  /**
   * The events of an app (found by its `app_tag`) with a sample payload each: every webhook of the
   * app is an event here, the one asked for among them.
   */
  function appEvents(workspace: SandboxWorkspace, appTag: string, webhookTag: string): unknown {
    for (const product of workspace.products) {
      const app = product.apps.find((entry) => entry.app_tag === appTag);
      const webhooks = app && product.webhooks[app.access_tag];
      if (!webhooks) continue;
      if (!webhooks.some((webhook) => webhook.tag === webhookTag)) throw new Failure(404, 'webhook not found', 'NOT_FOUND');
      return sampleEvents(webhooks.map((webhook) => webhook.tag), options.eventsWithoutSample ?? []);
    }
    throw new Failure(404, 'app not found', 'NOT_FOUND');
  }

  /** The registration a link's uuid belongs to, wherever it is in the account. */
  function registrationOf(uuid: string): FoundRegistration | undefined {
    for (const workspace of account.workspaces) {
      for (const product of workspace.products) {
        for (const [app, webhooks] of Object.entries(product.webhooks)) {
          for (const webhook of webhooks) {
            const config = webhook.config?.find((entry) => entry.uuid === uuid);
            if (config) return { workspaceId: workspace.workspace_id, product: product.tag, app, event: webhook.tag, config };
          }
        }
      }
    }
    return undefined;
  }

  function readLogs(request: IncomingMessage, url: URL, workspaceId: string, route: 'logs' | 'analytics'): unknown {
    checkToken(bearerToken(request));
    checkUserQuery(url);
    workspaceOf(workspaceId);
    const records = deliveries.matching(workspaceId, url.searchParams);
    return route === 'logs' ? logsOf(records, url.searchParams, Boolean(options.oddLogRows)) : analyticsOf(records, url.searchParams);
  }

  function routeOf(method: string | undefined, path: string): { route: Route; id?: string } {
    const signIn = [PATHS.session, PATHS.passwordLogin, PATHS.codeLogin] as string[];
    if (method === 'POST' && signIn.includes(path)) return { route: 'session' };
    if (method === 'POST' && path === PATHS.proxy) return { route: 'proxy' };
    const products = /^\/integrations\/v1\/workspace\/([^/]+)\/all$/.exec(path);
    if (method === 'GET' && products) return { route: 'products', id: decodeURIComponent(products[1]) };
    const workspaces = /^\/workspaces\/v1\/fetch\/([^/]+)$/.exec(path);
    if (method === 'GET' && workspaces) return { route: 'workspaces', id: decodeURIComponent(workspaces[1]) };
    const logs = /^\/log\/v1\/(workspace-logs|analytics)\/([^/]+)$/.exec(path);
    if (method === 'GET' && logs) return { route: logs[1] === 'analytics' ? 'analytics' : 'logs', id: decodeURIComponent(logs[2]) };
    if (method === 'POST' && options.linksToSandbox && path.startsWith(WEBHOOK_LINK_PATH)) {
      return { route: 'intake', id: decodeURIComponent(path.slice(WEBHOOK_LINK_PATH.length)) };
    }
    return { route: 'unknown' };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const { route, id } = routeOf(request.method, url.pathname);
    const served: ServedRequest = { method: request.method ?? '', route, status: 0 };
    requests.push(served);
    const raw = await readBody(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));

    const fault = takeFault(route);
    if (fault) {
      served.fault = fault;
      served.status = await injectFault(response, fault, faultOptions());
      return;
    }

    if (route === 'intake') {
      const registration = registrationOf(id!);
      if (!registration) {
        served.status = 404;
        send(response, 404, { status: false, meta: {}, errors: 'webhook not found' });
        return;
      }
      // Answered once the delivery is recorded: whoever sees the answer finds it in the logs.
      const record = await deliveries.deliver(registration, request, raw);
      served.status = 200;
      send(response, 200, { status: true, meta: {}, data: { received: true, request_id: record._id } });
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
      if (route === 'session') data = login(url.pathname, body, served);
      else if (route === 'workspaces') data = listWorkspaces(request, url, id!);
      else if (route === 'products') data = listProducts(request, url, id!);
      else if (route === 'logs' || route === 'analytics') data = readLogs(request, url, id!, route);
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

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch(() => response.destroy());
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  if (options.linksToSandbox) webhookHost = url;

  return {
    url,
    port,
    accessKey: [...accessKeys][0],
    account,
    requests,
    deliveries: deliveries.records,
    issuedTokens: () => [...issued],
    failNext(fault, { route, count = 1 } = {}) {
      for (let i = 0; i < count; i++) queued.push({ fault, route });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setFaultRate(rate, kinds = RANDOM_FAULTS) {
      faultRate = rate;
      faultKinds = kinds;
    },
    expireTokens() {
      tokens.clear();
    },
    close() {
      deliveries.close();
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

/** Resolves once the response can take more data, or its connection has closed. */
function writable(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** Answers with the fault; resolves with the status sent (0 for none). */
async function injectFault(
  response: ServerResponse,
  fault: FaultKind,
  { retryAfterSeconds, redirectTo }: { retryAfterSeconds: number; redirectTo: string },
): Promise<number> {
  const requestId = { [HEADERS.requestId]: newRequestId() };
  const retryAfter = { ...requestId, [HEADERS.retryAfter]: String(retryAfterSeconds) };
  const failWith = (status: number, errors: string, headers = requestId) => {
    send(response, status, { status: false, meta: {}, errors }, headers);
    return status;
  };
  switch (fault) {
    case 'status-500':
      return failWith(500, 'internal server error (injected)');
    case 'status-503':
      return failWith(503, 'service unavailable (injected)', retryAfter);
    case 'status-429':
      return failWith(429, 'too many requests (injected)', retryAfter);
    case 'status-401':
      return failWith(401, 'Validation Failed');
    case 'status-403':
      return failWith(403, 'user not authorized');
    case 'status-404':
      return failWith(404, 'not found (injected)');
    case 'status-422':
      return failWith(422, 'validation failed (injected)');
    case 'status-413': {
      // As a gateway answers: an HTML page, not an envelope.
      const page = '<html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>';
      response.writeHead(413, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
      response.end(page);
      return 413;
    }
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
    case 'redirect':
      send(response, 302, { status: false, meta: {}, errors: 'moved' }, { ...requestId, location: redirectTo });
      return 302;
    case 'hang':
      // Headers and half a body, then nothing: a server that stalls mid-answer.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"status":true,"data":');
      return 200;
    case 'reset':
      // A TCP reset (RST) before any answer, as a crashed process or a middlebox sends.
      response.socket?.resetAndDestroy();
      return 0;
    case 'truncated': {
      // Half of what the content-length promises, then the connection closes.
      const text = JSON.stringify({ status: true, meta: {}, data: [] });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length * 2 });
      response.write(text, () => response.destroy());
      return 200;
    }
    case 'enormous': {
      // A chunked body (no content-length) that grows past the client's limit, for as long as
      // the client keeps reading it.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"status":true,"meta":{},"data":"');
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let sent = 0; sent <= MAX_RESPONSE_BYTES && !response.destroyed; sent += chunk.length) {
        if (!response.write(chunk)) await writable(response);
      }
      if (!response.destroyed) response.end('"}');
      return 200;
    }
  }
}
