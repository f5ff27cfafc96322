import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { WEBHOOKS_VIEW } from '../common/commandIds';
import { describeError } from '../common/errors';
import type { WebhookCatalog } from '../ductape';
import { ErrorNode, ProductNode, TreeNode } from './nodes';

/**
 * The Webhooks view's data. Levels load when expanded, through the account's catalog (which
 * caches them until Refresh); a level that fails shows its error with Retry instead of looking
 * empty.
 */
export class WebhookTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private followedCatalog: WebhookCatalog | undefined;
  private unsubscribeLinks: (() => void) | undefined;

  constructor(private readonly account: Account) {
    this.disposables.push(account.onDidChange(() => this.refresh()));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!this.account.isSignedIn) return [];
    return vscode.window.withProgress({ location: { viewId: WEBHOOKS_VIEW } }, async () => {
      try {
        const catalog = await this.account.catalog();
        this.followLinkChanges(catalog);
        if (node) return await node.children(catalog);
        const products = await catalog.products();
        return products.map((product) => new ProductNode(catalog.workspaceId, product));
      } catch (error) {
        return [new ErrorNode(node, describeError(error))];
      }
    });
  }

  resolveTreeItem(treeItem: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    treeItem.tooltip ??= node.tooltip();
    return treeItem;
  }

  /** Shows a level (or the whole tree) afresh from the catalog. */
  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.unsubscribeLinks?.();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** A link generated anywhere (a command, another node) shows in the tree at once. */
  private followLinkChanges(catalog: WebhookCatalog): void {
    if (this.followedCatalog === catalog) return;
    this.unsubscribeLinks?.();
    this.followedCatalog = catalog;
    this.unsubscribeLinks = catalog.onDidChangeLinks(() => this.refresh());
  }
}
