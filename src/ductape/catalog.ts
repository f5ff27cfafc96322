/**
 * One workspace's products, apps, webhooks and links, loaded on demand and cached until
 * `invalidate()`. Every view and command reads through here, so a link the tree has loaded costs
 * no request, and the same load is never in flight twice.
 */
import { fanOutSignal } from './abort';
import type { App, Environment, Product } from './contract';
import { type DuctapeClient, type LinkRequest, type WebhookLinkRow, checkEnvironment, checkLinkRequest } from './client';
import { InputError } from './errors';
import { checkIdentifier } from './input';
import { Semaphore } from './concurrency';
import { SharedLoads } from './sharedLoads';

/** A webhook of an app, with its link (or none yet) in every environment of the product. */
export interface EventLinks {
  event: string;
  name?: string;
  description?: string;
  links: WebhookLinkRow[];
}

export interface ProductTree {
  product: Product;
  apps: Array<{ app: App; events: EventLinks[] }>;
}

export interface LinksChange {
  product: string;
  app: string;
}

const key = (...parts: string[]) => parts.join('\u0000');

export class WebhookCatalog {
  private readonly productLoads = new SharedLoads<Product[]>();
  private readonly environmentLoads = new SharedLoads<Environment[]>();
  private readonly appLoads = new SharedLoads<App[]>();
  private readonly rowLoads = new SharedLoads<WebhookLinkRow[]>();
  private readonly linkLoads = new SharedLoads<string>();
  private readonly listeners = new Set<(change: LinksChange) => void>();

  constructor(
    readonly client: DuctapeClient,
    readonly workspaceId: string,
  ) {}

  products(signal?: AbortSignal): Promise<Product[]> {
    return this.productLoads.get('', (shared) => this.client.products(this.workspaceId, shared), signal);
  }

  async product(tag: string, signal?: AbortSignal): Promise<Product> {
    checkIdentifier('product', tag);
    const product = (await this.products(signal)).find((entry) => entry.tag === tag);
    if (!product) throw new InputError('product', `this workspace has no product "${tag}"`);
    return product;
  }

  /** From the product list when it carries them, which saves a request per product. */
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

  apps(product: string, signal?: AbortSignal): Promise<App[]> {
    return this.appLoads.get(product, (shared) => this.client.apps(this.workspaceId, product, shared), signal);
  }

  /** The SDK's `fetchAllForProductApp`: a row per webhook and environment. */
  webhookLinks(product: string, app: string, signal?: AbortSignal): Promise<WebhookLinkRow[]> {
    return this.rowLoads.get(
      key(product, app),
      (shared) =>
        this.client.webhookLinks(this.workspaceId, product, app, shared, this.environments(product, shared)),
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
   * half of them, so that what a person asks for meanwhile is not queued behind it.
   */
  async loadAll(callerSignal?: AbortSignal, { background = false } = {}): Promise<ProductTree[]> {
    const signal = fanOutSignal(callerSignal);
    const gate = background ? new Semaphore(Math.max(1, Math.floor(this.client.transport.concurrency / 2))) : undefined;
    const paced = <T>(load: () => Promise<T>) => (gate ? gate.run(signal, load) : load());
    const products = await this.products(signal);
    return Promise.all(
      products.map(async (product) => {
        // The product list already names its apps' access tags: their webhooks need not wait
        // for the app list, which only adds names.
        for (const app of product.apps ?? []) {
          void paced(() => this.webhookLinks(product.tag, app.access_tag, signal)).catch(() => {});
        }
        const apps = await paced(() => this.apps(product.tag, signal));
        const appTrees = await Promise.all(
          apps.map(async (app) => ({
            app,
            events: await paced(() => this.events(product.tag, app.access_tag, signal)),
          })),
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

  /** A link already registered and loaded, without any request. */
  knownLink(request: LinkRequest): string | undefined {
    return this.rowLoads
      .peek(key(request.product, request.app))
      ?.find((row) => row.event === request.event && row.env === request.env)?.url;
  }

  /** The SDK's `generateLink`, answered from the cache when the link is known. */
  async generateLink(request: LinkRequest, signal?: AbortSignal): Promise<string> {
    const link = checkLinkRequest(request);
    const known = this.knownLink(link);
    if (known) return known;
    const url = await this.linkLoads.get(
      key(link.product, link.app, link.event, link.env),
      async (shared) => {
        const environments = await this.environments(link.product, shared);
        checkEnvironment(link, environments);
        return this.client.generateLink(this.workspaceId, link, shared, environments);
      },
      signal,
    );
    this.remember(link, url);
    return url;
  }

  /** Every environment's link of one event, generated where missing, all at once. */
  async linksForEvent(
    product: string,
    app: string,
    event: string,
    signal?: AbortSignal,
  ): Promise<Array<{ env: string; url: string }>> {
    const environments = await this.environments(product, signal);
    return Promise.all(
      environments.map(async ({ slug }) => ({
        env: slug,
        url: await this.generateLink({ product, app, event, env: slug }, signal),
      })),
    );
  }

  onDidChangeLinks(listener: (change: LinksChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops everything loaded; the next read loads afresh. */
  invalidate(): void {
    for (const loads of [this.productLoads, this.environmentLoads, this.appLoads, this.rowLoads, this.linkLoads]) {
      loads.forget();
    }
  }

  private remember(link: LinkRequest, url: string): void {
    const row = this.rowLoads
      .peek(key(link.product, link.app))
      ?.find((entry) => entry.event === link.event && entry.env === link.env);
    if (!row || row.url === url) return;
    row.url = url;
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
