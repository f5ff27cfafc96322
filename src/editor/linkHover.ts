import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands } from '../common/commandIds';
import { withSignal } from '../common/cancellation';
import { isCancellation } from '../common/errors';
import { code, escapeMarkdown } from '../common/markdown';
import { editorSettings, webhookHost } from '../common/settings';
import { WEBHOOK_HOST } from '../ductape/contract';
import { type AccountLink, accountLinks } from './accountLinks';
import { type RecognizedLink, findWebhookLinks } from './text/linkRecognition';

/** The hosts whose links the editor knows: the contract's, the configured one, and any the user added. */
export function linkHosts(): string[] {
  let configured: string[] = [];
  try {
    configured = [webhookHost()];
  } catch {
    // A bad setting is reported where links are made; recognition goes on without it.
  }
  return [...new Set([WEBHOOK_HOST, ...configured, ...editorSettings().linkHosts])];
}

/** The Ductape link under a position, if any. */
export function linkAt(document: vscode.TextDocument, position: vscode.Position): RecognizedLink | undefined {
  const line = document.lineAt(position.line).text;
  return findWebhookLinks(line, linkHosts()).find(
    (link) => link.start <= position.character && position.character <= link.end,
  );
}

export function rangeOf(line: number, link: RecognizedLink): vscode.Range {
  return new vscode.Range(line, link.start, line, link.end);
}

const commandLink = (command: string, args: unknown) =>
  `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;

/**
 * A Ductape link anywhere, in any file: what it is for (product, app, event, environment), with
 * Copy and Reveal in the Ductape view. Answered from what is loaded; an unknown link says so.
 */
export class LinkHoverProvider implements vscode.HoverProvider {
  constructor(private readonly account: Account) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const link = linkAt(document, position);
    if (!link) return undefined;
    const range = rangeOf(position.line, link);
    const markdown = new vscode.MarkdownString(undefined, true);
    // Only these commands may run from the hover; names from the server are escaped below, so
    // that they cannot add links of their own.
    markdown.isTrusted = { enabledCommands: [Commands.copyLink, Commands.revealLink, Commands.signIn] };
    markdown.appendMarkdown(`**${vscode.l10n.t('Ductape webhook link')}**\n\n`);
    if (!this.account.isSignedIn) {
      markdown.appendMarkdown(`[${vscode.l10n.t('Sign in to Ductape')}](command:${Commands.signIn}) ${vscode.l10n.t('to see what it is for.')}`);
      return new vscode.Hover(markdown, range);
    }
    let known: AccountLink | undefined;
    try {
      const catalog = await this.account.catalog();
      known = (await withSignal(token, (signal) => accountLinks(catalog, signal, [link.uuid]))).get(link.uuid);
    } catch (error) {
      if (isCancellation(error)) return undefined;
      markdown.appendMarkdown(vscode.l10n.t('Its details could not be loaded from Ductape.'));
      return new vscode.Hover(markdown, range);
    }
    if (!known) {
      markdown.appendMarkdown(vscode.l10n.t('Not a link of your current Ductape workspace.'));
      return new vscode.Hover(markdown, range);
    }
    markdown.appendMarkdown(
      [
        `${vscode.l10n.t('Product')}: ${escapeMarkdown(known.productName)} ${code(known.product)}`,
        `${vscode.l10n.t('App')}: ${escapeMarkdown(known.appName)} ${code(known.app)}`,
        `${vscode.l10n.t('Event')}: ${code(known.event)}`,
        `${vscode.l10n.t('Environment')}: ${escapeMarkdown(known.envName)} ${code(known.env)}`,
      ].join('  \n'),
    );
    markdown.appendMarkdown(
      `\n\n[$(copy) ${vscode.l10n.t('Copy')}](${commandLink(Commands.copyLink, { url: known.url })}) · ` +
        `[$(list-tree) ${vscode.l10n.t('Reveal in Ductape View')}](${commandLink(Commands.revealLink, known)})`,
    );
    return new vscode.Hover(markdown, range);
  }
}
