/** Wires the extension together. Activation only registers: no request, no waiting for the secret store. */
import * as vscode from 'vscode';
import { Account } from './auth/account';
import { DuctapeAuthenticationProvider } from './auth/authProvider';
import { registerAccountCommands } from './commands/accountCommands';
import { BulkLinkCommands } from './commands/bulkLinkCommands';
import { DevLoopCommands } from './commands/devLoopCommands';
import { LinkCommands } from './commands/linkCommands';
import { EnvironmentWarnings } from './editor/environmentWarnings';
import { COMPLETION_SELECTOR, LinkCompletionProvider } from './editor/linkCompletion';
import { LinkHoverProvider } from './editor/linkHover';
import { log, recordRequests } from './common/log';
import type { RequestRecord } from './ductape/http';
import { recordMessages, scriptAnswers } from './common/notify';
import { affectsConnection } from './common/settings';
import { DuctapeStatusBar } from './views/statusBar';
import { LocalDestinations } from './ductape/localDestinations';
import { ReadOnlyDocuments } from './editor/readOnlyDocuments';
import { LocalDeliveryStatus } from './views/localStatus';
import { TreeCache } from './views/treeCache';
import { WebhookTreeProvider } from './views/webhookTree';

/** What the extension-host tests reach; handed out only when VS Code runs the extension's tests. */
export interface DuctapeTestSurface {
  tree: WebhookTreeProvider;
  isSignedIn(): boolean;
  /** Settles when the stored key has been read. */
  ready: Promise<void>;
  /** Every notification text shown since activation. */
  messages: readonly string[];
  /** The answers to the next modal questions, in order (undefined: Cancel); a person clicks them in the UI test. */
  answers: Array<string | undefined>;
  statusBar: DuctapeStatusBar;
  localStatus: LocalDeliveryStatus;
  accounts: DuctapeAuthenticationProvider;
  environmentWarnings: EnvironmentWarnings;
  /** Every request the extension sent since it was activated. */
  requests: readonly RequestRecord[];
  /** How long `activate()` itself took, measured inside it. */
  activationMs: number;
  /** Where VS Code keeps this extension's state and logs. */
  context: vscode.ExtensionContext;
}

export function activate(context: vscode.ExtensionContext): DuctapeTestSurface | undefined {
  const started = performance.now();
  const testing = context.extensionMode === vscode.ExtensionMode.Test;
  // Recording starts before anything else, so that whatever activation sends is seen.
  const requests = testing ? recordRequests() : [];
  const treeCache = new TreeCache(context.globalStorageUri);
  const account = new Account(context, treeCache);
  const tree = new WebhookTreeProvider(account);
  const statusBar = new DuctapeStatusBar(account);
  const accounts = new DuctapeAuthenticationProvider(account);
  const environmentWarnings = new EnvironmentWarnings(account, context.globalState);
  const locals = new LocalDestinations(context.globalState);
  const localStatus = new LocalDeliveryStatus(account, locals);
  const documents = new ReadOnlyDocuments();
  const devLoop = new DevLoopCommands(account, context.globalState, locals, documents, () => localStatus.update());
  context.subscriptions.push(
    log,
    treeCache,
    account,
    tree,
    statusBar,
    accounts,
    ...tree.registerCommands(),
    ...registerAccountCommands(account, tree, localStatus, testing),
    localStatus,
    documents,
    ...devLoop.register(),
    devLoop.onDidSend(() => tree.refresh()),
    ...new LinkCommands(account, context.globalState).register(),
    ...new BulkLinkCommands(account, context.globalState).register(),
    environmentWarnings,
    vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new LinkHoverProvider(account)),
    vscode.languages.registerCompletionItemProvider(COMPLETION_SELECTOR, new LinkCompletionProvider(account), '=', '"', ':'),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event)) void account.reconnect();
    }),
  );
  account.start();
  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return testing
    ? {
        requests,
        activationMs,
        tree,
        isSignedIn: () => account.isSignedIn,
        ready: account.ready,
        messages: recordMessages(),
        answers: scriptAnswers(),
        context,
        statusBar,
        localStatus,
        accounts,
        environmentWarnings,
      }
    : undefined;
}

export function deactivate(): void {}
