/**
 * The nodes of the Webhooks tree: product → app → webhook (event) → environment. Each knows its
 * stable id, its look, its children and, lazily, its tooltip.
 */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { code, escapeMarkdown } from '../common/markdown';
import type { Delivery, EventLinks, LinkRequest, WebhookCatalog, WebhookLinkRow } from '../ductape';
import { describeDelivery } from './deliveryText';
import { webhookUuidOf } from '../ductape/contract';
import type { App, Destination, Environment, ProductInfo } from '../ductape/contract';

export abstract class TreeNode {
  abstract readonly id: string;
  abstract readonly parent: TreeNode | undefined;
  abstract treeItem(): vscode.TreeItem;
  children(_catalog: WebhookCatalog, _signal: AbortSignal): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }
  /** Loaded when the person hovers the row; `catalog` is there once the account is open. */
  tooltip(_catalog?: WebhookCatalog): vscode.MarkdownString | undefined | Promise<vscode.MarkdownString | undefined> {
    return undefined;
  }
  /** What the node answers of a link's four questions, for commands invoked on it. */
  linkRequest(): Partial<LinkRequest> {
    return {};
  }
}

function item(node: TreeNode, label: string, collapsible: boolean, icon: string, contextValue: string): vscode.TreeItem {
  const treeItem = new vscode.TreeItem(
    label,
    collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  treeItem.id = node.id;
  treeItem.iconPath = new vscode.ThemeIcon(icon);
  treeItem.contextValue = contextValue;
  return treeItem;
}

function markdown(lines: (string | false | undefined)[]): vscode.MarkdownString {
  return new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'), true);
}

/** `…/process/2b2f2931…` for a link of the contract's form; other URLs as they are. */
export function shortLink(url: string): string {
  const uuid = webhookUuidOf(url);
  return uuid ? `…/process/${uuid.slice(0, 8)}…` : url;
}


export class ProductNode extends TreeNode {
  readonly id: string;
  readonly parent = undefined;

  constructor(
    readonly workspaceId: string,
    readonly product: ProductInfo,
  ) {
    super();
    this.id = `${workspaceId}/${product.tag}`;
  }

  treeItem(): vscode.TreeItem {
    const treeItem = item(this, this.product.name || this.product.tag, true, 'package', 'product');
    treeItem.description = this.product.tag;
    return treeItem;
  }

  async children(catalog: WebhookCatalog, signal: AbortSignal): Promise<TreeNode[]> {
    const apps = await catalog.apps(this.product.tag, signal);
    return apps.map((app) => new AppNode(this, app));
  }

  tooltip(): vscode.MarkdownString {
    const envs = this.product.envs?.map((env) => `${code(env.slug)} ${escapeMarkdown(env.env_name ?? '')}`).join(', ');
    return markdown([
      `**${escapeMarkdown(this.product.name || this.product.tag)}**`,
      vscode.l10n.t('Product tag: {0}', code(this.product.tag)),
      this.product.description && escapeMarkdown(this.product.description),
      envs && vscode.l10n.t('Environments: {0}', envs),
    ]);
  }

  linkRequest(): Partial<LinkRequest> {
    return { product: this.product.tag };
  }
}

export class AppNode extends TreeNode {
  readonly id: string;

  constructor(
    readonly parent: ProductNode,
    readonly app: App,
  ) {
    super();
    this.id = `${parent.id}/${app.access_tag}`;
  }

  treeItem(): vscode.TreeItem {
    const treeItem = item(this, this.app.name || this.app.access_tag, true, 'plug', 'app');
    treeItem.description = this.app.access_tag;
    return treeItem;
  }

  async children(catalog: WebhookCatalog, signal: AbortSignal): Promise<TreeNode[]> {
    const product = this.parent.product.tag;
    const [events, environments] = await Promise.all([
      catalog.events(product, this.app.access_tag, signal),
      catalog.appEnvironments(product, this.app.access_tag, signal),
    ]);
    // Ductape registers an app only in the product environments it is mapped to.
    if (!environments.length) {
      return [new NoticeNode(this, vscode.l10n.t('No environments of this product are mapped to this app in Ductape'), 'unmapped')];
    }
    if (!events.length) return [new NoticeNode(this, vscode.l10n.t('This app has no webhooks'), 'noWebhooks')];
    return events.map((event) => new EventNode(this, event, environments));
  }

  tooltip(): vscode.MarkdownString {
    return markdown([
      `**${escapeMarkdown(this.app.name ?? this.app.access_tag)}**`,
      vscode.l10n.t('Access tag: {0}', code(this.app.access_tag)),
      this.app.app_tag && vscode.l10n.t('App tag: {0}', code(this.app.app_tag)),
      vscode.l10n.t('Product: {0}', code(this.parent.product.tag)),
      this.app.description && escapeMarkdown(this.app.description),
    ]);
  }

  linkRequest(): Partial<LinkRequest> {
    return { ...this.parent.linkRequest(), app: this.app.access_tag };
  }
}

export class EventNode extends TreeNode {
  readonly id: string;

  constructor(
    readonly parent: AppNode,
    readonly webhook: EventLinks,
    private readonly environments: readonly Environment[],
  ) {
    super();
    this.id = `${parent.id}/${webhook.event}`;
  }

  treeItem(): vscode.TreeItem {
    const treeItem = item(this, this.webhook.event, true, 'symbol-event', 'webhook');
    const linked = this.webhook.links.filter((link) => link.url).length;
    treeItem.description = vscode.l10n.t('{0} of {1} linked', linked, this.webhook.links.length);
    return treeItem;
  }

  children(): Promise<TreeNode[]> {
    return Promise.resolve(
      this.webhook.links.map(
        (row) => new EnvironmentNode(this, row, this.environments.find((env) => env.slug === row.env)),
      ),
    );
  }

  async tooltip(catalog?: WebhookCatalog): Promise<vscode.MarkdownString> {
    const counts = await catalog?.deliveryCounts(this.parent.parent.product.tag, this.parent.app.access_tag, this.webhook.event).catch(() => undefined);
    return markdown([
      `**${escapeMarkdown(this.webhook.event)}**${this.webhook.name ? ` — ${escapeMarkdown(this.webhook.name)}` : ''}`,
      this.webhook.description && escapeMarkdown(this.webhook.description),
      vscode.l10n.t('App: {0} · Product: {1}', code(this.parent.app.access_tag), code(this.parent.parent.product.tag)),
      counts && vscode.l10n.t('Last 24 hours: {0} delivered, {1} failed', counts.delivered, counts.failed),
    ]);
  }

  linkRequest(): Partial<LinkRequest> {
    return { ...this.parent.linkRequest(), event: this.webhook.event };
  }
}

/** `POST api.shop.example`: the method and host fit a side bar row; the tooltip has the whole URL. */
export function shortDestination(destination: Destination): string {
  try {
    return `${destination.method} ${new URL(destination.url).host}`;
  } catch {
    return `${destination.method} ${destination.url}`;
  }
}

export class EnvironmentNode extends TreeNode {
  readonly id: string;

  constructor(
    readonly parent: EventNode,
    readonly row: WebhookLinkRow,
    private readonly environment: Environment | undefined,
  ) {
    super();
    this.id = `${parent.id}/${row.env}`;
  }

  /** Ductape does not deliver through a registration that is switched off. */
  get isInactive(): boolean {
    return this.row.registered && this.row.active === false;
  }

  treeItem(): vscode.TreeItem {
    const linked = Boolean(this.row.url);
    const contextValue = `environment.${linked ? 'linked' : 'unlinked'}${this.isInactive ? '.inactive' : ''}`;
    const icon = this.isInactive ? 'circle-slash' : linked ? 'link' : 'circle-large-outline';
    // A link has deliveries to look at.
    const treeItem = item(this, this.row.env, linked, icon, contextValue);
    // A side bar row has room for one thing: where the link delivers, else the part of the link
    // that tells it apart (links share their long prefix); the tooltip has all of it.
    const parts = [
      this.isInactive && vscode.l10n.t('inactive'),
      this.row.destination ? `→ ${shortDestination(this.row.destination)}` : this.row.url ? shortLink(this.row.url) : vscode.l10n.t('no link yet'),
    ];
    treeItem.description = parts.filter(Boolean).join(' ');
    return treeItem;
  }

  tooltip(): vscode.MarkdownString {
    const request = this.linkRequest();
    const { destination } = this.row;
    return markdown([
      `**${escapeMarkdown(this.environment?.env_name ?? this.row.env)}** (${code(this.row.env)})`,
      this.row.url ? this.row.url : vscode.l10n.t('No link yet: use Generate Link to create one.'),
      destination && vscode.l10n.t('Delivers to: {0} {1}', destination.method, escapeMarkdown(destination.url)),
      this.row.registered && !destination && vscode.l10n.t('No destination is set: Ductape has nowhere to deliver.'),
      this.isInactive && `$(circle-slash) ${vscode.l10n.t('This registration is inactive: Ductape does not deliver through it.')}`,
      vscode.l10n.t('Event: {0} · App: {1} · Product: {2}', code(request.event), code(request.app), code(request.product)),
    ]);
  }

  linkRequest(): LinkRequest {
    return { ...(this.parent.linkRequest() as Omit<LinkRequest, 'env'>), env: this.row.env };
  }

  children(): Promise<TreeNode[]> {
    return Promise.resolve(this.row.url ? [new DeliveriesNode(this)] : []);
  }
}

/** Whether the Recent Deliveries rows show failures only (the view's filter, for every link). */
export const deliveryFilter = { failedOnly: false };

/** "Recent Deliveries" of a link: the latest deliveries from Ductape's logs, loaded when expanded. */
export class DeliveriesNode extends TreeNode {
  readonly id: string;

  constructor(readonly parent: EnvironmentNode) {
    super();
    this.id = `${parent.id}/!deliveries`;
  }

  treeItem(): vscode.TreeItem {
    const treeItem = item(this, vscode.l10n.t('Recent Deliveries'), true, 'history', 'deliveries');
    if (deliveryFilter.failedOnly) treeItem.description = vscode.l10n.t('failures only');
    return treeItem;
  }

  async children(catalog: WebhookCatalog, signal: AbortSignal): Promise<TreeNode[]> {
    const { deliveries } = await catalog.deliveries(this.linkRequest(), { failedOnly: deliveryFilter.failedOnly, signal });
    if (!deliveries.length) {
      const message = deliveryFilter.failedOnly ? vscode.l10n.t('No failed deliveries') : vscode.l10n.t('No deliveries yet');
      return [new NoticeNode(this, message, 'noDeliveries')];
    }
    return deliveries.map((delivery, index) => new DeliveryNode(this, delivery, index));
  }

  linkRequest(): LinkRequest {
    return this.parent.linkRequest();
  }
}

/** One delivery: when, the answer and how long it took, failures marked; choosing it opens its request and response. */
export class DeliveryNode extends TreeNode {
  readonly id: string;

  constructor(
    readonly parent: DeliveriesNode,
    readonly delivery: Delivery,
    index: number,
  ) {
    super();
    this.id = `${parent.id}/${delivery.id ?? `${delivery.at ?? ''}#${index}`}`;
  }

  treeItem(): vscode.TreeItem {
    const { label, description, failed } = describeDelivery(this.delivery);
    const treeItem = item(this, label, false, failed ? 'error' : this.delivery.outcome === 'delivered' ? 'pass' : 'circle-outline', failed ? 'delivery.failed' : 'delivery');
    treeItem.description = description.replace('$(error) ', '');
    treeItem.command = { command: Commands.openDelivery, title: vscode.l10n.t('Open Delivery'), arguments: [this.linkRequest(), this.delivery] };
    return treeItem;
  }

  tooltip(): vscode.MarkdownString {
    const { label, description } = describeDelivery(this.delivery);
    return markdown([`**${escapeMarkdown(label)}**`, description, this.delivery.destination && escapeMarkdown(this.delivery.destination)]);
  }

  linkRequest(): LinkRequest {
    return this.parent.linkRequest();
  }
}

/** A row that says why a level has nothing to show (an app mapped to no environment). */
export class NoticeNode extends TreeNode {
  readonly id: string;

  constructor(
    readonly parent: TreeNode,
    readonly message: string,
    kind: string,
  ) {
    super();
    this.id = `${parent.id}/!${kind}`;
  }

  treeItem(): vscode.TreeItem {
    const treeItem = item(this, this.message, false, 'info', 'notice');
    treeItem.tooltip = this.message;
    return treeItem;
  }
}

/**
 * Stands in for a level that failed to load: a short label naming what could not be loaded,
 * the reason beside it, the whole message in the tooltip, and a Retry that loads it again.
 */
export class ErrorNode extends TreeNode {
  readonly id: string;

  constructor(
    readonly parent: TreeNode | undefined,
    readonly message: string,
    readonly reason: string,
  ) {
    super();
    this.id = `${parent?.id ?? ''}/!error`;
  }

  treeItem(): vscode.TreeItem {
    const treeItem = item(this, failedLevelOf(this.parent), false, 'error', 'error');
    treeItem.description = this.reason;
    treeItem.tooltip = this.message;
    treeItem.command = { command: Commands.retry, title: vscode.l10n.t('Retry'), arguments: [this] };
    return treeItem;
  }
}

/** "Could not load the webhooks of paystack-pay": what the failed level was. */
function failedLevelOf(parent: TreeNode | undefined): string {
  if (parent instanceof ProductNode) return vscode.l10n.t('Could not load the apps of {0}', parent.product.tag);
  if (parent instanceof AppNode) return vscode.l10n.t('Could not load the webhooks of {0}', parent.app.access_tag);
  return vscode.l10n.t('Could not load the products');
}

/** Stands for the children of a long level not shown yet; choosing it shows the next page. */
export class LoadMoreNode extends TreeNode {
  readonly id: string;

  constructor(
    readonly parent: TreeNode | undefined,
    readonly remaining: number,
  ) {
    super();
    this.id = `${parent?.id ?? ''}/!more`;
  }

  treeItem(): vscode.TreeItem {
    const treeItem = item(this, vscode.l10n.t('Load more… ({0} more)', this.remaining), false, 'more', 'loadMore');
    treeItem.command = { command: Commands.loadMore, title: vscode.l10n.t('Load More'), arguments: [this] };
    return treeItem;
  }
}
