/**
 * One workspace's products, apps, webhooks and links, loaded on demand and cached until
 * `invalidate()`. Every view and command reads through here, so a link the tree has loaded costs
 * no request, and the same load is never in flight twice. A snapshot of what was loaded (see
 * `snapshot`) can seed a new catalog, which then answers at once and loads afresh behind it.
 */
import { fanOutSignal } from './abort';
import { type App, type Destination, type Environment, type ProductInfo, mappedEnvironments } from './contract';
import { type DeliveryOptions, type DuctapeClient, type LinkRequest, type WebhookLinkRow, checkEnvironment, checkLinkRequest } from './client';
import type { DeliveryList } from './deliveries';
import { CancelledError, InputError } from './errors';
import { checkDestination, checkIdentifier } from './input';
import { Semaphore } from './concurrency';
import { SharedLoads } from './sharedLoads';

/** A webhook of an app, with its link (or none yet) in every environment the app is mapped to. */
export interface EventLinks {
  event: string;
  name?: string;
  description?: string;
  links: WebhookLinkRow[];
}

export interface ProductTree {
  product: ProductInfo;
  apps: Array<{ app: App; events: EventLinks[] }>;
}

export interface LinksChange {
  product: string;
  app: string;
}

/** What a catalog had loaded, as plain data (nothing secret): products, apps and link rows. */
export interface CatalogSnapshot {
  version: 1;
  products: ProductInfo[];
  apps: Record<string, App[]>;
  rows: Record<string, WebhookLinkRow[]>;
}

const key = (...parts: string[]) => parts.join('\u0000');

/** Choice: delivery counts are kept this long; a tooltip shown again within it costs no request. */
export const COUNTS_TTL_MS = 60_000;

export interface DeliveryCounts {
  delivered: number;
  failed: number;
}

export class WebhookCatalog {
  private readonly refreshedListeners = new Set<() => void>();
  private readonly productLoads = new SharedLoads<ProductInfo[]>(() => this.refreshed());
  private readonly environmentLoads = new SharedLoads<Environment[]>();
  private readonly appEnvironmentLoads = new SharedLoads<Environment[]>();
  private readonly appLoads = new SharedLoads<App[]>(() => this.refreshed());
  private readonly rowLoads = new SharedLoads<WebhookLinkRow[]>(() => this.refreshed());
  private readonly linkLoads = new SharedLoads<string>();
  private readonly countLoads = new SharedLoads<DeliveryCounts | undefined>();
  private readonly countsLoadedAt = new Map<string, number>();
  private readonly sampleLoads = new SharedLoads<unknown>();
  private readonly listeners = new Set<(change: LinksChange) => void>();

  constructor(
    readonly client: DuctapeClient,
    readonly workspaceId: string,
  ) {}

  products(signal?: AbortSignal): Promise<ProductInfo[]> {
    return this.productLoads.get('', (shared) => this.client.products(this.workspaceId, shared), signal);
  }

  async product(tag: string, signal?: AbortSignal): Promise<ProductInfo> {
    checkIdentifier('product', tag);
    const product = (await this.products(signal)).find((entry) => entry.tag === tag);
    if (!product) throw new InputError('product', `this workspace has no product "${tag}"`);
    return product;
  }

  /** The product's environments: from the product list when it carries them, which saves a request per product. */
  environments(product: string, signal?: AbortSignal): Promise<Environment[]> {
    return this.environmentLoads.get(
      product,
      async (shared) => {
        const { envs } = await this.product(product, shared);
        return envs?.length ? envs : this.client.environments(this.workspaceId, product, shared);
      },
      signal,
    );
  }

  /**
   * The environments an app is registered in: the product's, as the product list maps them to
   * the app (or the app list, when the product list does not carry its apps).
   */
  appEnvironments(product: string, app: string, signal?: AbortSignal): Promise<Environment[]> {
    return this.appEnvironmentLoads.get(
      key(product, app),
      async (shared) => {
        const [info, environments] = await Promise.all([this.product(product, shared), this.environments(product, shared)]);
        const apps = info.apps ?? (await this.apps(product, shared));
        return mappedEnvironments(environments, apps, { access_tag: app });
      },
      signal,
    );
  }

  apps(product: string, signal?: AbortSignal): Promise<App[]> {
    return this.appLoads.get(product, (shared) => this.client.apps(this.workspaceId, product, shared), signal);
  }

  /** The SDK's `fetchAllForProductApp`: a row per webhook and environment the app is mapped to. */
  webhookLinks(product: string, app: string, signal?: AbortSignal): Promise<WebhookLinkRow[]> {
    return this.rowLoads.get(
      key(product, app),
      (shared) =>
        this.client.webhookLinks(this.workspaceId, product, app, shared, this.appEnvironments(product, app, shared)),
      signal,
    );
  }

  async events(product: string, app: string, signal?: AbortSignal): Promise<EventLinks[]> {
    return groupByEvent(await this.webhookLinks(product, app, signal));
  }

  /**
   * The whole account: every product, app, webhook and environment, as "expand all" or a search
   * across the account needs. Each level starts as soon as its parent arrives; the transport
   * bounds how many requests are in flight. A `background` load (the view's prefetch) keeps to
   * half of them, so that what a person asks for meanwhile is not queued behind it. A product or
   * app whose list fails shows nothing (its load is tried again next time): one failure does not
   * hide the rest of the account. Only a failure of the product list, or a cancellation, fails it.
   */
  async loadAll(callerSignal?: AbortSignal, { background = false } = {}): Promise<ProductTree[]> {
    const signal = fanOutSignal(callerSignal);
    const gate = background ? new Semaphore(Math.max(1, Math.floor(this.client.transport.concurrency / 2))) : undefined;
    const paced = <T>(load: () => Promise<T>) => (gate ? gate.run(signal, load) : load());
    const orNone = async <T>(load: Promise<T[]>): Promise<T[]> => {
      try {
        return await load;
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        return [];
      }
    };
    const products = await this.products(signal);
    return Promise.all(
      products.map(async (product) => {
        // The product list already names its apps' access tags: their webhooks need not wait
        // for the app list, which only adds names.
        for (const app of product.apps ?? []) {
          void paced(() => this.webhookLinks(product.tag, app.access_tag, signal)).catch(() => {});
        }
        const apps = await orNone(paced(() => this.apps(product.tag, signal)));
        const appTrees = await Promise.all(
          apps.map(async (app) => ({ app, events: await orNone(paced(() => this.events(product.tag, app.access_tag, signal))) })),
        );
        return { product, apps: appTrees };
      }),
    );
  }

  /**
   * What is loaded already, without any request: the same shape as `loadAll`, with the apps (and
   * their events) whose webhooks have not been loaded left out.
   */
  loaded(): ProductTree[] {
    return (this.productLoads.peek('') ?? []).map((product) => {
      const apps = this.appLoads.peek(product.tag) ?? product.apps ?? [];
      return {
        product,
        apps: apps.flatMap((app) => {
          const rows = this.rowLoads.peek(key(product.tag, app.access_tag));
          return rows ? [{ app, events: groupByEvent(rows) }] : [];
        }),
      };
    });
  }

  /** What is loaded, to seed a catalog in a later window (see `prime`). */
  snapshot(): CatalogSnapshot {
    return {
      version: 1,
      products: this.productLoads.peek('') ?? [],
      apps: Object.fromEntries(this.appLoads.values()),
      rows: Object.fromEntries(this.rowLoads.values()),
    };
  }

  /** Answers from a snapshot at once; each level loads afresh behind it when first read. */
  prime(snapshot: CatalogSnapshot): void {
    if (snapshot.version !== 1 || !Array.isArray(snapshot.products)) return;
    this.productLoads.seed('', snapshot.products);
    for (const [product, apps] of Object.entries(snapshot.apps ?? {})) this.appLoads.seed(product, apps);
    for (const [rowKey, rows] of Object.entries(snapshot.rows ?? {})) this.rowLoads.seed(rowKey, rows);
  }

  /** Whether some of what is shown still comes from a snapshot, waiting for its fresh load. */
  get isUpdating(): boolean {
    return this.productLoads.staleCount + this.appLoads.staleCount + this.rowLoads.staleCount > 0;
  }

  /** Told each time a level seeded from a snapshot has been replaced by fresh data. */
  onDidRefresh(listener: () => void): () => void {
    this.refreshedListeners.add(listener);
    return () => this.refreshedListeners.delete(listener);
  }

  /** The loaded row of one link, without any request. */
  loadedRow(request: LinkRequest): WebhookLinkRow | undefined {
    return this.rowLoads
      .peek(key(request.product, request.app))
      ?.find((row) => row.event === request.event && row.env === request.env);
  }

  /** A link already registered and loaded, without any request. */
  knownLink(request: LinkRequest): string | undefined {
    return this.loadedRow(request)?.url;
  }

  /** The row of one link, loading the app's webhooks if needed; refuses an unknown event or environment. */
  async row(request: LinkRequest, signal?: AbortSignal): Promise<WebhookLinkRow> {
    const link = checkLinkRequest(request);
    const [rows, environments] = await Promise.all([
      this.webhookLinks(link.product, link.app, signal),
      this.appEnvironments(link.product, link.app, signal),
    ]);
    checkEnvironment(link, environments);
    const found = rows.find((row) => row.event === link.event && row.env === link.env);
    if (!found) throw new InputError('event', `app "${link.app}" of product "${link.product}" has no webhook "${link.event}"`);
    return found;
  }

  /**
   * The link of one (product, app, event, env). A link that exists is read, never generated
   * again. A new one is generated with `destination` when given (the server may refuse without
   * one: DestinationRequiredError); a registration that already has a destination keeps it.
   */
  async generateLink(request: LinkRequest, options: { signal?: AbortSignal; destination?: Destination } = {}): Promise<string> {
    const link = checkLinkRequest(request);
    const known = this.knownLink(link);
    if (known) return known;
    const row = await this.row(link, options.signal);
    if (row.url) return row.url;
    const destination = options.destination ?? row.destination;
    const url = await this.linkLoads.get(
      key(link.product, link.app, link.event, link.env),
      async (shared) =>
        this.client.generateLink(this.workspaceId, link, {
          signal: shared,
          environments: await this.appEnvironments(link.product, link.app, shared),
          destination,
        }),
      options.signal,
    );
    this.remember(link, { url, destination });
    return url;
  }

  /**
   * Points a registration at a new destination (creating it when there is none): a write
   * through generateLink that always carries the URL and method; the link's uuid stays.
   */
  async setDestination(request: LinkRequest, destination: Destination, signal?: AbortSignal): Promise<string> {
    const link = checkLinkRequest(request);
    const checked = checkDestination(destination);
    await this.row(link, signal);
    const environments = await this.appEnvironments(link.product, link.app, signal);
    const url = await this.client.generateLink(this.workspaceId, link, { signal, environments, destination: checked });
    this.remember(link, { url, destination: checked });
    return url;
  }

  /**
   * The latest deliveries of one link, newest first. Never cached: a refresh must show the
   * deliveries made since.
   */
  deliveries(request: LinkRequest, options: DeliveryOptions = {}): Promise<DeliveryList> {
    return this.client.deliveries(this.workspaceId, request, options);
  }

  /**
   * Delivered and failed deliveries of a webhook over the last 24 hours (every environment), or
   * undefined when Ductape's answer has none this can read. Kept for COUNTS_TTL_MS; concurrent
   * calls share one request.
   */
  deliveryCounts(product: string, app: string, event: string, signal?: AbortSignal): Promise<DeliveryCounts | undefined> {
    const countsKey = key(product, app, event);
    const loadedAt = this.countsLoadedAt.get(countsKey);
    if (loadedAt !== undefined && Date.now() - loadedAt > COUNTS_TTL_MS) this.countLoads.drop(countsKey);
    return this.countLoads.get(
      countsKey,
      async (shared) => {
        const counts = await this.client.deliveryCounts(this.workspaceId, product, app, event, shared);
        this.countsLoadedAt.set(countsKey, Date.now());
        return counts;
      },
      signal,
    );
  }

  /**
   * The example payload Ductape keeps for an event of an app, or undefined when it keeps none.
   * The events list takes the app's `app_tag` (the app list knows it; the access tag stands in
   * when it does not).
   */
  sample(request: { product: string; app: string; event: string }, signal?: AbortSignal): Promise<unknown> {
    const product = checkIdentifier('product', request?.product);
    const app = checkIdentifier('app', request?.app);
    const event = checkIdentifier('event', request?.event);
    return this.sampleLoads.get(
      key(product, app, event),
      async (shared) => {
        const info = await this.product(product, shared);
        const apps = info.apps?.some((entry) => entry.access_tag === app && entry.app_tag) ? info.apps : await this.apps(product, shared);
        const appTag = apps.find((entry) => entry.access_tag === app)?.app_tag ?? app;
        return this.client.webhookEvents(this.workspaceId, appTag, event, shared);
      },
      signal,
    );
  }

  onDidChangeLinks(listener: (change: LinksChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops everything loaded (cancelling what is in flight); the next read loads afresh. */
  invalidate(): void {
    for (const loads of [
      this.productLoads,
      this.environmentLoads,
      this.appEnvironmentLoads,
      this.appLoads,
      this.rowLoads,
      this.linkLoads,
      this.countLoads,
      this.sampleLoads,
    ]) {
      loads.forget();
    }
    this.countsLoadedAt.clear();
  }

  private refreshed(): void {
    for (const listener of this.refreshedListeners) listener();
  }

  private remember(link: LinkRequest, written: { url: string; destination?: Destination }): void {
    const row = this.loadedRow(link);
    if (!row) return;
    row.url = written.url;
    row.registered = true;
    if (written.destination) row.destination = written.destination;
    for (const listener of this.listeners) listener({ product: link.product, app: link.app });
  }
}

export function groupByEvent(rows: readonly WebhookLinkRow[]): EventLinks[] {
  const events = new Map<string, EventLinks>();
  for (const row of rows) {
    let entry = events.get(row.event);
    if (!entry) {
      entry = { event: row.event, name: row.name, description: row.description, links: [] };
      events.set(row.event, entry);
    }
    entry.links.push(row);
  }
  return [...events.values()];
}
