/** Wires the extension together. Activation only registers: no request, no waiting for the secret store. */
import * as vscode from 'vscode';
import { Account } from './auth/account';
import { registerAccountCommands } from './commands/accountCommands';
import { LinkCommands } from './commands/linkCommands';
import { WEBHOOKS_VIEW } from './common/commandIds';
import { log } from './common/log';
import { affectsConnection } from './common/settings';
import { WebhookTreeProvider } from './views/webhookTree';

/** What the extension-host tests reach; handed out only when VS Code runs the extension's tests. */
export interface DuctapeTestSurface {
  tree: WebhookTreeProvider;
  isSignedIn(): boolean;
  /** Settles when the stored key has been read. */
  ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): DuctapeTestSurface | undefined {
  const account = new Account(context);
  const tree = new WebhookTreeProvider(account);
  context.subscriptions.push(
    log,
    account,
    tree,
    vscode.window.createTreeView(WEBHOOKS_VIEW, { treeDataProvider: tree, showCollapseAll: true }),
    ...tree.registerCommands(),
    ...registerAccountCommands(account, tree),
    ...new LinkCommands(account, context.globalState).register(),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event)) void account.reconnect();
    }),
  );
  account.start();
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { tree, isSignedIn: () => account.isSignedIn, ready: account.ready }
    : undefined;
}

export function deactivate(): void {}
