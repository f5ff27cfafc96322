/**
 * The operations of the Ductape API the extension uses, each returning validated, typed data.
 * Each call is one request (plus the session exchange when there is none yet); caching and
 * fan-out live one level up, in the catalog. Lists are read leniently: an item that does not fit
 * is left out and reported through `onSkipped`, never a failure of the list.
 */
import {
  App,
  type Credential,
  type Destination,
  Environment,
  type GenerateLinkParams,
  GeneratedLink,
  HEADERS,
  PATHS,
  LOG_STATUS,
  PROXY_METHODS,
  PROXY_MODULE_OF,
  PROXY_RETRY,
  Product,
  type ProductInfo,
  type ProxyMethod,
  type ProxyPayload,
  type ProxyRequestBody,
  ProxyResult,
  type SkippedItem,
  WEBHOOK_HOST,
  Webhook,
  WebhookConfig,
  WebhookEvent,
  type WebhookInfo,
  type Workspace,
  asksForDestination,
  bearer,
  deliveryCountsOf,
  destinationOf,
  isRegistered,
  logQuery,
  logRowsOf,
  mappedEnvironments,
  parseContract,
  parseList,
  webhookLinkFor,
} from './contract';
import { encryptPayload } from './crypto';
import { type DeliveryList, parseDeliveries } from './deliveries';
import { ContractError, DestinationRequiredError, InputError, ServerError } from './errors';
import { HttpTransport, type TransportOptions } from './http';
import { checkDestination, checkIdentifier, normalizeAccessKey } from './input';
import { Session, type SessionInfo } from './session';

export interface DuctapeClientOptions extends TransportOptions {
  apiUrl: string;
  /** What to sign in with; `accessKey` is the SDK's shorthand for `{ kind: 'accessKey', accessKey }`. */
  credential?: Credential;
  accessKey?: string;
  /** A session kept from before: used without an exchange until its token is refused. */
  session?: SessionInfo;
  /** Told of each session an exchange gives, so that the caller may keep it. */
  onSession?: (session: SessionInfo) => void;
  /** Told of each list item that did not fit the contract and was left out. */
  onSkipped?: (item: SkippedItem) => void;
  /** Where registered links point; the contract's intake host unless a test says otherwise. */
  webhookHost?: string;
}

/** One webhook in one product environment the app is mapped to: the row of `fetchAllForProductApp`. */
export interface WebhookLinkRow {
  event: string;
  /** The webhook's own name, when it has one. */
  name?: string;
  description?: string;
  env: string;
  /** Whether Ductape has a registration here (a uuid or a destination). */
  registered: boolean;
  /** The link, when the registration has a uuid. */
  url?: string;
  /** Where Ductape delivers, when the registration says. */
  destination?: Destination;
  /** False when the registration is switched off: Ductape does not deliver through it. */
  active?: boolean;
}

/** The SDK's `generateLink` arguments: app access tag, webhook tag, env slug, product tag. */
export interface LinkRequest {
  product: string;
  app: string;
  event: string;
  env: string;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** The app's environments, when the caller has them (saves looking them up). */
  environments?: readonly Environment[];
  /** The destination to register with; required on a registration that already has one. */
  destination?: Destination;
}

export interface DeliveryOptions {
  /** Failed deliveries only. */
  failedOnly?: boolean;
  /** At most this many (the newest). */
  limit?: number;
  signal?: AbortSignal;
}

/** Choice: how many deliveries a list shows unless asked otherwise. */
export const DEFAULT_DELIVERY_LIMIT = 20;
/**
 * The span of the delivery counts: the last 24 hours. Choice: sent as full ISO times (the
 * workbench sends whole days, `YYYY-MM-DD`, which a date parser reads as midnight UTC: both parse).
 */
const COUNTS_SPAN_MS = 24 * 60 * 60 * 1000;

export class DuctapeClient {
  readonly transport: HttpTransport;
  readonly session: Session;
  private readonly webhookHost: string;
  private readonly skipped: (item: SkippedItem) => void;

  constructor(options: DuctapeClientOptions) {
    this.transport = new HttpTransport(options.apiUrl, options);
    this.skipped = options.onSkipped ?? (() => undefined);
    const credential =
      options.credential ?? (options.accessKey === undefined ? undefined : { kind: 'accessKey' as const, accessKey: normalizeAccessKey(options.accessKey) });
    this.session = new Session(this.transport, credential, {
      stored: options.session,
      onSession: options.onSession,
      onSkipped: this.skipped,
    });
    this.webhookHost = options.webhookHost ?? WEBHOOK_HOST;
  }

  /** Exchanges the credential now (or takes the kept session); resolves with who signed in. */
  signIn(signal?: AbortSignal): Promise<SessionInfo> {
    return this.session.get(signal);
  }

  async workspaces(signal?: AbortSignal): Promise<Workspace[]> {
    return (await this.session.get(signal)).workspaces;
  }

  async products(workspaceId: string, signal?: AbortSignal): Promise<ProductInfo[]> {
    checkIdentifier('workspace', workspaceId);
    const call = 'the product list';
    const data = await this.restGet(workspaceId, PATHS.products(workspaceId), call, signal, (session) => ({
      user_id: session.userId,
      public_key: session.publicKey,
    }));
    return parseList(Product, data, call, this.skipped).map(
        (product): ProductInfo => ({
          _id: product._id,
          tag: product.tag,
          name: product.name,
          description: product.description,
          status: product.status,
          envs: product.envs && parseList(Environment, product.envs, `the environments of ${product.tag}`, this.skipped),
          apps: product.apps && parseList(App, product.apps, `the apps of ${product.tag}`, this.skipped),
        }),
      );
  }

  async apps(workspaceId: string, product: string, signal?: AbortSignal): Promise<App[]> {
    checkIdentifier('product', product);
    const data = await this.proxy(workspaceId, PROXY_METHODS.listApps, [product], signal);
    return parseList(App, data, `the app list of ${product}`, this.skipped);
  }

  async environments(workspaceId: string, product: string, signal?: AbortSignal): Promise<Environment[]> {
    checkIdentifier('product', product);
    const data = await this.proxy(workspaceId, PROXY_METHODS.listEnvironments, [product], signal);
    return parseList(Environment, data, `the environment list of ${product}`, this.skipped);
  }

  /** The webhooks of an app as the API returns them (events with their registrations). */
  async webhooks(workspaceId: string, product: string, app: string, signal?: AbortSignal): Promise<WebhookInfo[]> {
    checkIdentifier('product', product);
    checkIdentifier('app', app);
    const call = `the webhook list of ${product}/${app}`;
    const data = await this.proxy(workspaceId, PROXY_METHODS.listWebhooks, [product, app], signal, call);
    return parseList(Webhook, data, call, this.skipped).map(
      (webhook): WebhookInfo => ({
        tag: webhook.tag,
        name: webhook.name,
        description: webhook.description,
        config: parseList(WebhookConfig, webhook.config ?? [], `the registrations of ${webhook.tag} (${product}/${app})`, this.skipped),
      }),
    );
  }

  /**
   * The product environments an app is registered in: those it is mapped to in the product
   * list. `productsLoad` replaces the look-up of the product list when the caller has it.
   */
  async appEnvironments(
    workspaceId: string,
    product: string,
    app: string,
    signal?: AbortSignal,
    productsLoad?: Promise<readonly ProductInfo[]>,
  ): Promise<Environment[]> {
    const found = (await (productsLoad ?? this.products(workspaceId, signal))).find((entry) => entry.tag === product);
    if (!found) throw new InputError('product', `this workspace has no product "${product}"`);
    const environments = found.envs?.length ? found.envs : await this.environments(workspaceId, product, signal);
    return mappedEnvironments(environments, found.apps, { access_tag: app });
  }

  /**
   * The SDK's `fetchAllForProductApp`: one row per webhook and environment the app is mapped to,
   * with the link and destination where registered. `environments` (the app's) replaces their
   * look-up when the caller has them (or is loading them).
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
      environments ?? this.appEnvironments(workspaceId, product, app, signal),
    ]);
    return toLinkRows(found, known, this.webhookHost);
  }

  /**
   * The SDK's `generateLink`, which is a write: it creates the registration, or updates the
   * existing one (whose uuid stays) with the destination given. The server may refuse a call
   * without a destination: that is a DestinationRequiredError, for the caller to ask and call
   * again. Callers read a link that exists instead of generating it again (see the catalog).
   */
  async generateLink(workspaceId: string, request: LinkRequest, options: GenerateOptions = {}): Promise<string> {
    const link = checkLinkRequest(request);
    const destination = options.destination && checkDestination(options.destination);
    const known = options.environments ?? (await this.appEnvironments(workspaceId, link.product, link.app, options.signal));
    checkEnvironment(link, known);
    const params: GenerateLinkParams = {
      product: link.product,
      access_tag: link.app,
      webhook_tag: link.event,
      env: link.env,
      ...(destination && { url: destination.url, method: destination.method }),
    };
    const call = `the link of ${link.product}/${link.app}/${link.event} in ${link.env}`;
    let data: unknown;
    try {
      data = await this.proxy(workspaceId, PROXY_METHODS.generateLink, [params], options.signal, call);
    } catch (error) {
      if (!destination && error instanceof ServerError && asksForDestination(error.status, error.serverMessage)) {
        throw new DestinationRequiredError(call, error.serverMessage);
      }
      throw error;
    }
    return absoluteLink(parseContract(GeneratedLink, data, call), call, this.webhookHost);
  }

  /**
   * The latest deliveries of one link from the workspace's logs, newest first. Rows that cannot be
   * read as a delivery are counted in `skipped`; an answer with no list at all is a ContractError.
   */
  async deliveries(workspaceId: string, request: LinkRequest, options: DeliveryOptions = {}): Promise<DeliveryList> {
    const link = checkLinkRequest(request);
    const limit = options.limit ?? DEFAULT_DELIVERY_LIMIT;
    const call = `the deliveries of ${link.product}/${link.app}/${link.event} in ${link.env}`;
    const data = await this.restGet(workspaceId, PATHS.workspaceLogs(workspaceId), call, options.signal, (session) =>
      logQuery({
        userId: session.userId,
        publicKey: session.publicKey,
        webhook: link.event,
        product: link.product,
        env: link.env,
        status: options.failedOnly ? LOG_STATUS.failed : undefined,
        page: 1,
        limit,
        includeCounts: true,
      }),
    );
    const rows = logRowsOf(data);
    if (!rows) throw new ContractError(call, 'the answer has no list of logs');
    const list = parseDeliveries(rows, { failedOnly: options.failedOnly });
    return { deliveries: list.deliveries.slice(0, limit), skipped: list.skipped };
  }

  /**
   * Delivered and failed deliveries of one webhook over the last 24 hours, every environment
   * together, from the analytics route; undefined when its answer has no counts this can read.
   * `app` is checked but not sent: the logs are filtered by product and webhook tag.
   */
  async deliveryCounts(
    workspaceId: string,
    product: string,
    app: string,
    event: string,
    signal?: AbortSignal,
  ): Promise<{ delivered: number; failed: number } | undefined> {
    checkIdentifier('product', product);
    checkIdentifier('app', app);
    checkIdentifier('event', event);
    const now = Date.now();
    const data = await this.restGet(workspaceId, PATHS.logAnalytics(workspaceId), `the delivery counts of ${product}/${app}/${event}`, signal, (session) =>
      logQuery({
        userId: session.userId,
        publicKey: session.publicKey,
        webhook: event,
        product,
        includeCounts: true,
        startDate: new Date(now - COUNTS_SPAN_MS).toISOString(),
        endDate: new Date(now).toISOString(),
      }),
    );
    return deliveryCountsOf(data);
  }

  /**
   * The sample payload Ductape keeps for a webhook of an app (`app` module,
   * `webhooks.events.list`, which takes the app's `app_tag`): the event whose tag is the
   * webhook's, or the webhook's own `sample` when the answer is not a list; undefined when none.
   */
  async webhookEvents(workspaceId: string, appTag: string, webhookTag: string, signal?: AbortSignal): Promise<unknown> {
    checkIdentifier('app', appTag);
    checkIdentifier('event', webhookTag);
    const call = `the events of ${appTag}/${webhookTag}`;
    const data = await this.proxy(workspaceId, PROXY_METHODS.listEvents, [appTag, webhookTag], signal, call);
    if (Array.isArray(data)) return parseList(WebhookEvent, data, call, this.skipped).find((entry) => entry.tag === webhookTag)?.sample;
    return data && typeof data === 'object' ? (data as { sample?: unknown }).sample : undefined;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** A GET of a REST route with the user's query and the bearer token. */
  private restGet(
    workspaceId: string,
    path: string,
    call: string,
    signal: AbortSignal | undefined,
    query: (session: SessionInfo) => Record<string, string>,
  ): Promise<unknown> {
    checkIdentifier('workspace', workspaceId);
    return this.session.authorized(signal, async (session) => {
      const { data } = await this.transport.send({
        method: 'GET',
        path,
        query: query(session),
        headers: { [HEADERS.authorization]: bearer(session.token) },
        call,
        signal,
        retry: 'idempotent',
        secrets: this.session.secrets(session),
      });
      return data;
    });
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
      const payload: ProxyPayload = { module: PROXY_MODULE_OF[method], method, params, user_id: session.userId };
      const body: ProxyRequestBody = {
        encrypted_payload: encryptPayload(payload, session.publicKey),
        workspace_id: workspaceId,
        user_id: session.userId,
        public_key: session.publicKey,
      };
      const response = await this.transport.send({
        method: 'POST',
        path: PATHS.proxy,
        headers: { [HEADERS.accessToken]: session.token, [HEADERS.authorization]: bearer(session.token) },
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

/** Refuses an environment the app is not mapped to, naming those it is. */
export function checkEnvironment(request: LinkRequest, appEnvironments: readonly Environment[]): void {
  if (appEnvironments.some((environment) => environment.slug === request.env)) return;
  if (!appEnvironments.length) {
    throw new InputError('env', `no environment of product "${request.product}" is mapped to app "${request.app}" in Ductape`);
  }
  const known = appEnvironments.map((environment) => environment.slug).join(', ');
  throw new InputError('env', `app "${request.app}" of product "${request.product}" is not mapped to "${request.env}" (it is mapped to: ${known})`);
}

export function toLinkRows(webhooks: readonly WebhookInfo[], environments: readonly Environment[], webhookHost: string): WebhookLinkRow[] {
  return webhooks.flatMap((webhook) =>
    environments.map((environment) => {
      const config = webhook.config.find((entry) => entry.productEnv === environment.slug && isRegistered(entry));
      return {
        event: webhook.tag,
        name: webhook.name,
        description: webhook.description,
        env: environment.slug,
        registered: isRegistered(config),
        url: config?.uuid ? webhookLinkFor(config.uuid, webhookHost) : undefined,
        destination: destinationOf(config),
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
