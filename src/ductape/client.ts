/**
 * The operations of the Ductape API the extension uses, each returning validated, typed data.
 * Each call is one request (plus the session exchange when there is none yet); caching and
 * fan-out live one level up, in the catalog.
 */
import {
  type App,
  AppList,
  type Environment,
  EnvironmentList,
  type GenerateLinkParams,
  GeneratedLink,
  HEADERS,
  PATHS,
  PROXY_METHODS,
  PROXY_MODULE,
  PROXY_RETRY,
  type Product,
  ProductList,
  type ProxyMethod,
  type ProxyPayload,
  type ProxyRequestBody,
  ProxyResult,
  WEBHOOK_HOST,
  type Webhook,
  WebhookList,
  type Workspace,
  bearer,
  parseContract,
  webhookLinkFor,
} from './contract';
import { encryptPayload } from './crypto';
import { ContractError, InputError } from './errors';
import { HttpTransport, type TransportOptions } from './http';
import { checkIdentifier } from './input';
import { Session, type SessionInfo } from './session';

export interface DuctapeClientOptions extends TransportOptions {
  apiUrl: string;
  accessKey: string;
  /** Where registered links point; the contract's intake host unless a test says otherwise. */
  webhookHost?: string;
}

/** One webhook in one product environment: the row of the SDK's `fetchAllForProductApp`. */
export interface WebhookLinkRow {
  event: string;
  /** The webhook's own name, when it has one. */
  name?: string;
  description?: string;
  env: string;
  /** Absent when no link is registered for this environment yet. */
  url?: string;
  active?: boolean;
}

/** The SDK's `generateLink` arguments: app access tag, webhook tag, env slug, product tag. */
export interface LinkRequest {
  product: string;
  app: string;
  event: string;
  env: string;
}

export class DuctapeClient {
  readonly transport: HttpTransport;
  readonly session: Session;
  private readonly webhookHost: string;

  constructor(options: DuctapeClientOptions) {
    this.transport = new HttpTransport(options.apiUrl, options);
    this.session = new Session(this.transport, options.accessKey);
    this.webhookHost = options.webhookHost ?? WEBHOOK_HOST;
  }

  /** Exchanges the key now; resolves with who signed in. */
  signIn(signal?: AbortSignal): Promise<SessionInfo> {
    return this.session.get(signal);
  }

  async workspaces(signal?: AbortSignal): Promise<Workspace[]> {
    return (await this.session.get(signal)).workspaces;
  }

  async products(workspaceId: string, signal?: AbortSignal): Promise<Product[]> {
    checkIdentifier('workspace', workspaceId);
    const call = 'the product list';
    return this.session.authorized(signal, async (session) => {
      const { data } = await this.transport.send({
        method: 'GET',
        path: PATHS.products(workspaceId),
        query: { user_id: session.userId, public_key: session.publicKey },
        headers: { [HEADERS.authorization]: bearer(session.token) },
        call,
        signal,
        retry: 'idempotent',
        secrets: this.session.secrets(session),
      });
      return parseContract(ProductList, data, call);
    });
  }

  async apps(workspaceId: string, product: string, signal?: AbortSignal): Promise<App[]> {
    checkIdentifier('product', product);
    const data = await this.proxy(workspaceId, PROXY_METHODS.listApps, [product], signal);
    return parseContract(AppList, data, `the app list of ${product}`);
  }

  async environments(workspaceId: string, product: string, signal?: AbortSignal): Promise<Environment[]> {
    checkIdentifier('product', product);
    const data = await this.proxy(workspaceId, PROXY_METHODS.listEnvironments, [product], signal);
    return parseContract(EnvironmentList, data, `the environment list of ${product}`);
  }

  /** The webhooks of an app as the API returns them (events with their registered configs). */
  async webhooks(workspaceId: string, product: string, app: string, signal?: AbortSignal): Promise<Webhook[]> {
    checkIdentifier('product', product);
    checkIdentifier('app', app);
    const data = await this.proxy(workspaceId, PROXY_METHODS.listWebhooks, [product, app], signal);
    return parseContract(WebhookList, data, `the webhook list of ${product}/${app}`);
  }

  /**
   * The SDK's `fetchAllForProductApp`: one row per webhook and product environment, with the
   * link where one is registered. `environments` replaces the look-up of the product's
   * environments when the caller has them (or is loading them).
   */
  async webhookLinks(
    workspaceId: string,
    product: string,
    app: string,
    signal?: AbortSignal,
    environments?: Promise<readonly Environment[]>,
  ): Promise<WebhookLinkRow[]> {
    // The promise given is awaited below only if the input passes: its failure must not go
    // unhandled when the input is refused.
    environments?.catch(() => undefined);
    checkIdentifier('product', product);
    checkIdentifier('app', app);
    const [found, known] = await Promise.all([
      this.webhooks(workspaceId, product, app, signal),
      environments ?? this.environments(workspaceId, product, signal),
    ]);
    return toLinkRows(found, known, this.webhookHost);
  }

  /**
   * The SDK's `generateLink`: the link for one (product, app, event, env), made if it did not
   * exist yet. `environments` skips the look-up of the product's environments when the caller
   * already has them.
   */
  async generateLink(
    workspaceId: string,
    request: LinkRequest,
    signal?: AbortSignal,
    environments?: readonly Environment[],
  ): Promise<string> {
    const link = checkLinkRequest(request);
    const known = environments ?? (await this.environments(workspaceId, link.product, signal));
    checkEnvironment(link, known);
    const params: GenerateLinkParams = {
      product: link.product,
      access_tag: link.app,
      webhook_tag: link.event,
      env: link.env,
    };
    const call = `the link of ${link.product}/${link.app}/${link.event} in ${link.env}`;
    const data = await this.proxy(workspaceId, PROXY_METHODS.generateLink, [params], signal, call);
    return absoluteLink(parseContract(GeneratedLink, data, call), call, this.webhookHost);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private proxy(
    workspaceId: string,
    method: ProxyMethod,
    params: unknown[],
    signal: AbortSignal | undefined,
    call = `the ${method} call`,
  ): Promise<unknown> {
    checkIdentifier('workspace', workspaceId);
    return this.session.authorized(signal, async (session) => {
      const payload: ProxyPayload = { module: PROXY_MODULE, method, params, user_id: session.userId };
      const body: ProxyRequestBody = {
        encrypted_payload: encryptPayload(payload, session.publicKey),
        workspace_id: workspaceId,
        user_id: session.userId,
        public_key: session.publicKey,
      };
      const response = await this.transport.send({
        method: 'POST',
        path: PATHS.proxy,
        headers: { [HEADERS.accessToken]: session.token },
        body,
        call,
        signal,
        retry: PROXY_RETRY[method],
        secrets: this.session.secrets(session),
      });
      return parseContract(ProxyResult, response.data, call).data;
    });
  }
}

export function checkLinkRequest(request: LinkRequest): LinkRequest {
  return {
    product: checkIdentifier('product', request?.product),
    app: checkIdentifier('app', request?.app),
    event: checkIdentifier('event', request?.event),
    env: checkIdentifier('env', request?.env),
  };
}

export function checkEnvironment(request: LinkRequest, environments: readonly Environment[]): void {
  if (environments.some((environment) => environment.slug === request.env)) return;
  const known = environments.map((environment) => environment.slug).join(', ') || 'none';
  throw new InputError('env', `product "${request.product}" has no environment "${request.env}" (it has: ${known})`);
}

export function toLinkRows(webhooks: readonly Webhook[], environments: readonly Environment[], webhookHost: string): WebhookLinkRow[] {
  return webhooks.flatMap((webhook) =>
    environments.map((environment) => {
      const config = webhook.config?.find((entry) => entry.productEnv === environment.slug && entry.uuid);
      return {
        event: webhook.tag,
        name: webhook.name,
        description: webhook.description,
        env: environment.slug,
        url: config?.uuid ? webhookLinkFor(config.uuid, webhookHost) : undefined,
        active: config?.active,
      };
    }),
  );
}

/** A link must be an absolute http(s) URL; a bare path is taken relative to the intake host. */
function absoluteLink(link: string, call: string, webhookHost: string): string {
  let url: URL;
  try {
    url = new URL(link, webhookHost);
  } catch {
    throw new ContractError(call, 'the link is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ContractError(call, 'the link is not an http(s) URL');
  return url.href;
}
