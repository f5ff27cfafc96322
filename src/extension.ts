/** Wires the extension together. Activation only registers: no request, no waiting for the secret store. */
import * as vscode from 'vscode';
import { Account } from './auth/account';
import { DuctapeAuthenticationProvider } from './auth/authProvider';
import { registerAccountCommands } from './commands/accountCommands';
import { LinkCommands } from './commands/linkCommands';
import { log } from './common/log';
import { recordMessages } from './common/notify';
import { affectsConnection } from './common/settings';
import { DuctapeStatusBar } from './views/statusBar';
import { WebhookTreeProvider } from './views/webhookTree';

/** What the extension-host tests reach; handed out only when VS Code runs the extension's tests. */
export interface DuctapeTestSurface {
  tree: WebhookTreeProvider;
  isSignedIn(): boolean;
  /** Settles when the stored key has been read. */
  ready: Promise<void>;
  /** Every notification text shown since activation. */
  messages: readonly string[];
  statusBar: DuctapeStatusBar;
  accounts: DuctapeAuthenticationProvider;
  /** Where VS Code keeps this extension's state and logs. */
  context: vscode.ExtensionContext;
}

export function activate(context: vscode.ExtensionContext): DuctapeTestSurface | undefined {
  const account = new Account(context);
  const tree = new WebhookTreeProvider(account);
  const statusBar = new DuctapeStatusBar(account);
  const accounts = new DuctapeAuthenticationProvider(account);
  context.subscriptions.push(
    log,
    account,
    tree,
    statusBar,
    accounts,
    ...tree.registerCommands(),
    ...registerAccountCommands(account, tree),
    ...new LinkCommands(account, context.globalState).register(),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event)) void account.reconnect();
    }),
  );
  account.start();
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { tree, isSignedIn: () => account.isSignedIn, ready: account.ready, messages: recordMessages(), context, statusBar, accounts }
    : undefined;
}

export function deactivate(): void {}
