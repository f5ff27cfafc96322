import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { withSignal } from '../common/cancellation';
import { editorSettings } from '../common/settings';
import { accountLinks, environmentNamingPath } from './accountLinks';
import { environmentOfFileName } from './text/linkRecognition';
import { DEFAULT_ENV_NAME_PATTERN } from './text/syntax';

/** Where a value is being typed: the name it is for, and what was typed of it so far. */
const VALUE_CONTEXTS: RegExp[] = [
  // .env: NAME=partial (or dotenv's NAME: partial)
  /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]\s*["']?([^"'\s]*)$/,
  // JSON: "someWebhookUrl": "partial
  /"([^"]*)"\s*:\s*"([^"]*)$/,
  // YAML: some_webhook_url: partial  (or quoted)
  /^\s*(?:-\s+)?["']?([\w.-]+)["']?\s*:\s*["']?([^"'\s]*)$/,
];

const WEBHOOK_WORDS = /web_?hook|callback/i;

/** `${APP}_${EVENT}_WEBHOOK_URL` → a pattern the names it gives match. */
function namePattern(pattern: string): RegExp {
  const parts = pattern.split(/\$\{[A-Z]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[A-Za-z0-9_]+')}$`, 'i');
}

/**
 * Whether a variable or key is for a webhook link: its name says so, or it is of the form
 * `ductape.envVariablePattern` gives. `DATABASE_URL` is not.
 */
export function wantsWebhookLink(name: string, pattern = editorSettings().envVariablePattern ?? DEFAULT_ENV_NAME_PATTERN): boolean {
  return WEBHOOK_WORDS.test(name) || namePattern(pattern).test(name);
}

export const COMPLETION_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/.env' },
  { pattern: '**/.env.*' },
  { language: 'dotenv' },
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'yaml' },
];

/**
 * Offers the account's links where a webhook link's value is being typed: after `NAME=` in a
 * `.env` file, in the string value of a JSON or YAML key, when the name is for a webhook link
 * (see `wantsWebhookLink`); anywhere else nothing is offered and nothing is loaded. Links of the
 * file's own environment (by its name) come first.
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
    const context = VALUE_CONTEXTS.map((pattern) => pattern.exec(before)).find(Boolean);
    if (!context || !wantsWebhookLink(context[1])) return undefined;
    const typed = context[2];
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
