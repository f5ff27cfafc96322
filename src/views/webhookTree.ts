import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands, ContextKeys, WEBHOOKS_VIEW } from '../common/commandIds';
import { describeError, isCancellation, reasonOf } from '../common/errors';
import type { LinkRequest, WebhookCatalog } from '../ductape';
import { type DeliveriesNode, ErrorNode, LoadMoreNode, ProductNode, type TreeNode, deliveryFilter } from './nodes';

/** One view-wide signal is shared by every load in flight, which may be hundreds. */
function manyListeners(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}

/** Children shown at once under one node; the rest come a page at a time with "Load more". */
export const PAGE_SIZE = 200;
/** Fresh data replacing the kept tree arrives level by level: the view redraws once per burst. */
const REDRAW_DELAY_MS = 100;

/**
 * The Webhooks view's data. The tree a window last showed is shown at once (before the secret
 * store is read or any request is made), marked "updating…" until fresh data replaces it. Levels
 * load when expanded, through the account's catalog (which caches them until Refresh); a level
 * that fails shows its error with Retry instead of looking empty.
 */
export class WebhookTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private followedCatalog: WebhookCatalog | undefined;
  private unfollowCatalog: (() => void) | undefined;
  /** How many children each expanded node shows, by node id, when more than a page. */
  private readonly pageSizes = new Map<string, number>();
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;

  /** Aborted when the view is hidden: a closed view does not keep loading. */
  private loading = manyListeners(new AbortController());
  private readonly view: vscode.TreeView<TreeNode>;
  private cancelledWhileHidden = false;

  constructor(private readonly account: Account) {
    const view = vscode.window.createTreeView(WEBHOOKS_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.view = view;
    this.disposables.push(
      view,
      account.onDidChange(() => {
        this.pageSizes.clear();
        this.refresh();
      }),
      view.onDidChangeVisibility(({ visible }) => (visible ? this.shown() : this.hidden())),
    );
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node && !this.account.isReady) {
      const kept = await this.keptProducts();
      if (kept) return kept;
    }
    await this.account.ready;
    if (!this.account.isSignedIn) return [];
    return vscode.window.withProgress({ location: { viewId: WEBHOOKS_VIEW } }, async () => {
      const { signal } = this.loading;
      try {
        const catalog = await this.account.catalog();
        this.follow(catalog);
        if (node) return this.page(node, await node.children(catalog, signal));
        const products = await catalog.products(signal);
        // The first level is shown now; the rest loads behind it, so that expanding is instant
        // and every link is known. Expanding a node meanwhile shares its load.
        void catalog.loadAll(signal, { background: true }).then(
          () => this.loadedAll(catalog),
          () => undefined,
        );
        return this.page(
          undefined,
          products.map((product) => new ProductNode(catalog.workspaceId, product)),
        );
      } catch (error) {
        if (isCancellation(error) || (await this.account.refused(error))) return [];
        return [new ErrorNode(node, describeError(error), reasonOf(error))];
      }
    });
  }

  /** Tooltips load when hovered; an event's carries its delivery counts, asked for then. */
  async resolveTreeItem(treeItem: vscode.TreeItem, node: TreeNode): Promise<vscode.TreeItem> {
    const catalog = this.account.isSignedIn ? await this.account.catalog().catch(() => undefined) : undefined;
    treeItem.tooltip ??= await node.tooltip(catalog);
    return treeItem;
  }

  /** Shows a link's environment node, expanding product, app and event on the way. */
  async reveal(link: LinkRequest): Promise<boolean> {
    let node: TreeNode | undefined;
    for (const field of ['product', 'app', 'event', 'env'] as const) {
      const children = await this.getChildren(node);
      node = children.find((child) => child.linkRequest()[field] === link[field]);
      if (!node) return false;
    }
    await this.view.reveal(node!, { select: true, focus: true, expand: true });
    return true;
  }

  registerCommands(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(Commands.revealLink, (link: LinkRequest) => this.reveal(link)),
      vscode.commands.registerCommand(Commands.retry, (node?: ErrorNode) => this.refresh(node?.parent)),
      vscode.commands.registerCommand(Commands.refreshDeliveries, (node?: DeliveriesNode) => this.refresh(node)),
      vscode.commands.registerCommand(Commands.filterDeliveries, () => this.filterDeliveries(true)),
      vscode.commands.registerCommand(Commands.unfilterDeliveries, () => this.filterDeliveries(false)),
      vscode.commands.registerCommand(Commands.loadMore, (node: LoadMoreNode) => {
        const key = node.parent?.id ?? '';
        this.pageSizes.set(key, (this.pageSizes.get(key) ?? PAGE_SIZE) + PAGE_SIZE);
        this.refresh(node.parent);
      }),
    ];
  }

  /** Recent Deliveries rows show failures only, or everything (every link's, reloaded). */
  private filterDeliveries(failedOnly: boolean): void {
    deliveryFilter.failedOnly = failedOnly;
    void vscode.commands.executeCommand('setContext', ContextKeys.failedDeliveriesOnly, failedOnly);
    this.refresh();
  }

  /** Shows a level (or the whole tree) afresh from the catalog. */
  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  /** What the view says beside its title ("updating…" while it shows a kept tree), for tests. */
  get description(): string | undefined {
    return this.view.description;
  }

  dispose(): void {
    clearTimeout(this.redrawTimer);
    this.unfollowCatalog?.();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** The products of the tree this window last showed, before the credential is even read. */
  private async keptProducts(): Promise<TreeNode[] | undefined> {
    const scope = this.account.expectedCacheScope();
    const snapshot = scope && (await this.account.treeCache.read(scope));
    if (!scope || !snapshot?.products.length || this.account.isReady) return undefined;
    this.view.description = vscode.l10n.t('updating…');
    // Once the credential is read, the tree is drawn again from the catalog (seeded with the same tree).
    void this.account.ready.then(() => this.refresh());
    return snapshot.products.map((product) => new ProductNode(scope.workspaceId, product));
  }

  private loadedAll(catalog: WebhookCatalog): void {
    if (catalog !== this.followedCatalog) return;
    this.view.description = undefined;
    this.keepTree(catalog);
  }

  private keepTree(catalog: WebhookCatalog): void {
    const scope = this.account.cacheScopeOf(catalog);
    if (scope) this.account.treeCache.write(scope, () => catalog.snapshot());
  }

  private hidden(): void {
    this.loading.abort();
    this.loading = manyListeners(new AbortController());
    this.cancelledWhileHidden = true;
  }

  private shown(): void {
    if (!this.cancelledWhileHidden) return;
    this.cancelledWhileHidden = false;
    this.refresh();
  }

  private page(parent: TreeNode | undefined, children: TreeNode[]): TreeNode[] {
    const limit = this.pageSizes.get(parent?.id ?? '') ?? PAGE_SIZE;
    if (children.length <= limit) return children;
    return [...children.slice(0, limit), new LoadMoreNode(parent, children.length - limit)];
  }

  /**
   * A link generated anywhere (a command, another node) shows in the tree at once, and fresh
   * data replacing the kept tree is drawn as it arrives.
   */
  private follow(catalog: WebhookCatalog): void {
    if (this.followedCatalog === catalog) return;
    this.unfollowCatalog?.();
    this.followedCatalog = catalog;
    this.view.description = catalog.isUpdating ? vscode.l10n.t('updating…') : undefined;
    const unfollowLinks = catalog.onDidChangeLinks(() => {
      this.refresh();
      this.keepTree(catalog);
    });
    const unfollowRefresh = catalog.onDidRefresh(() => this.redrawSoon());
    this.unfollowCatalog = () => {
      unfollowLinks();
      unfollowRefresh();
    };
  }

  private redrawSoon(): void {
    if (this.redrawTimer) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.refresh();
    }, REDRAW_DELAY_MS);
  }
}
