import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { withSignal } from '../common/cancellation';
import { editorSettings } from '../common/settings';
import { accountLinks, environmentNamingPath } from './accountLinks';
import { environmentOfFileName } from './text/linkRecognition';

/** Where a link is wanted: the value being typed after `NAME=` or in a "…webhook…" key's string. */
const VALUE_CONTEXTS: RegExp[] = [
  // .env: NAME=partial
  /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*["']?([^"'\s]*)$/,
  // JSON: "someWebhookUrl": "partial
  /"[^"]*webhook[^"]*"\s*:\s*"([^"]*)$/i,
  // YAML: some_webhook_url: partial  (or quoted)
  /^\s*(?:-\s+)?["']?[\w.-]*webhook[\w.-]*["']?\s*:\s*["']?([^"'\s]*)$/i,
];

export const COMPLETION_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/.env' },
  { pattern: '**/.env.*' },
  { language: 'dotenv' },
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'yaml' },
];

/**
 * Offers the account's links where a config value is being typed: after `=` in a `.env` file, or
 * in the string value of a key that mentions "webhook" in JSON and YAML. Links of the file's own
 * environment (by its name) come first.
 */
export class LinkCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly account: Account) {}

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.CompletionItem[] | undefined> {
    if (!this.account.isSignedIn) return undefined;
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const typed = VALUE_CONTEXTS.map((pattern) => pattern.exec(before)).find(Boolean)?.[1];
    if (typed === undefined) return undefined;
    const catalog = await this.account.catalog();
    const links = await withSignal(token, (signal) => accountLinks(catalog, signal));
    const fileEnv = environmentOfFileName(environmentNamingPath(document.uri), editorSettings().environmentFileNames);
    const range = new vscode.Range(position.translate(0, -typed.length), position);
    return [...links.values()].map((link) => {
      const item = new vscode.CompletionItem(
        { label: `${link.event} (${link.env})`, description: `${link.appName} · ${link.productName}` },
        vscode.CompletionItemKind.Reference,
      );
      item.insertText = link.url;
      item.range = range;
      item.detail = link.url;
      item.filterText = `${link.url} ${link.event} ${link.env} ${link.app} ${link.product}`;
      item.sortText = `${link.env === fileEnv ? 0 : 1} ${link.app} ${link.event} ${link.env}`;
      return item;
    });
  }
}
