import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands } from '../common/commandIds';
import { Notice, describeError, isCancellation } from '../common/errors';
import { notify } from '../common/notify';
import { editorSettings } from '../common/settings';
import { obtainLink } from '../commands/linkCreation';
import { type AccountLink, accountLinks, environmentNamingPath } from './accountLinks';
import { linkHosts } from './linkHover';
import { environmentOfFileName, findWebhookLinks } from './text/linkRecognition';

/** Files a person edits (not the output, git or other virtual documents). */
const CHECKED_SCHEMES = new Set(['file', 'untitled']);

/** The link a warning is about and the environment its file is for, for the quick fix. */
interface Mismatch {
  uri: string;
  range: [number, number, number, number];
  found: AccountLink;
  fileEnv: string;
}

/**
 * Warns where a file named for one environment (`.env.production`, `prd.yaml`, …) holds a
 * Ductape link of another — "production config points at the dev webhook" — with a quick fix
 * that puts in the right environment's link of the same event.
 */
export class EnvironmentWarnings implements vscode.CodeActionProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('ductape');
  private readonly mismatches = new Map<string, Mismatch[]>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly account: Account,
    private readonly state: vscode.Memento,
  ) {
    this.disposables = [
      this.diagnostics,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.schedule(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('ductape')) this.checkAll();
      }),
      account.onDidChange(() => this.checkAll()),
      vscode.languages.registerCodeActionsProvider(
        [...CHECKED_SCHEMES].map((scheme) => ({ scheme })),
        this,
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
      vscode.commands.registerCommand(Commands.fixEnvironmentLink, (mismatch: Mismatch) => this.fix(mismatch)),
    ];
    this.checkAll();
  }

  /** Checks a document now; resolves with the warnings it has (tests await this). */
  async check(document: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    const key = document.uri.toString();
    const version = document.version;
    const found = await this.mismatchesOf(document);
    // A newer check of the file, or its closing, wins over this one.
    if (document.isClosed || document.version !== version) return this.diagnostics.get(document.uri) ?? [];
    this.mismatches.set(key, found);
    const diagnostics = found.map(({ range, found: link, fileEnv }) => {
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(...range),
        vscode.l10n.t(
          'This file is for {0}, but this is the {1} link of {2} ({3} · {4}).',
          fileEnv,
          link.env,
          link.event,
          link.product,
          link.app,
        ),
        vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = 'Ductape';
      return diagnostic;
    });
    this.diagnostics.set(document.uri, diagnostics);
    return diagnostics;
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    return (this.mismatches.get(document.uri.toString()) ?? [])
      .filter((mismatch) => new vscode.Range(...mismatch.range).intersection(range))
      .map((mismatch) => {
        const action = new vscode.CodeAction(
          vscode.l10n.t('Use the {0} link of {1}', mismatch.fileEnv, mismatch.found.event),
          vscode.CodeActionKind.QuickFix,
        );
        action.isPreferred = true;
        action.diagnostics = this.diagnostics
          .get(document.uri)
          ?.filter((diagnostic) => diagnostic.range.isEqual(new vscode.Range(...mismatch.range)));
        action.command = { command: Commands.fixEnvironmentLink, title: action.title, arguments: [mismatch] };
        return action;
      });
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async mismatchesOf(document: vscode.TextDocument): Promise<Mismatch[]> {
    const settings = editorSettings();
    if (!settings.diagnostics || !this.account.isSignedIn) return [];
    if (!CHECKED_SCHEMES.has(document.uri.scheme)) return [];
    const fileEnv = environmentOfFileName(environmentNamingPath(document.uri), settings.environmentFileNames);
    if (!fileEnv) return [];
    // Positions now, from the text the links were found in: the file may change during the wait.
    const links = findWebhookLinks(document.getText(), linkHosts()).map((link) => {
      const start = document.positionAt(link.start);
      const end = document.positionAt(link.end);
      return { uuid: link.uuid, range: [start.line, start.character, end.line, end.character] as Mismatch['range'] };
    });
    if (!links.length) return [];
    const catalog = await this.account.catalog();
    const known = await accountLinks(catalog, undefined, links.map((link) => link.uuid));
    const mismatches = await Promise.all(
      links.map(async ({ uuid, range }) => {
        const found = known.get(uuid);
        if (!found || found.env === fileEnv) return [];
        // Only where the app is registered in the file's environment: Ductape has no other link to offer.
        const mapped = await catalog.appEnvironments(found.product, found.app).catch(() => []);
        return mapped.some((environment) => environment.slug === fileEnv) ? [{ uri: document.uri.toString(), range, found, fileEnv }] : [];
      }),
    );
    return mismatches.flat();
  }

  /** Puts the right environment's link in place of the wrong one, if the text is still there. */
  private async fix(mismatch: Mismatch): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(mismatch.uri));
    const range = new vscode.Range(...mismatch.range);
    const { product, app, event } = mismatch.found;
    try {
      const url = await obtainLink(await this.account.catalog(), { product, app, event, env: mismatch.fileEnv }, { state: this.state });
      if (document.getText(range) !== mismatch.found.url) {
        throw new Notice(vscode.l10n.t('The link changed before it could be replaced.'));
      }
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, range, url);
      return await vscode.workspace.applyEdit(edit);
    } catch (error) {
      if (!isCancellation(error)) void notify.error(describeError(error));
      return false;
    }
  }

  private schedule(document: vscode.TextDocument): void {
    if (!CHECKED_SCHEMES.has(document.uri.scheme)) return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.check(document).catch(() => undefined);
      }, 300),
    );
  }

  private checkAll(): void {
    for (const document of vscode.workspace.textDocuments) void this.check(document).catch(() => undefined);
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.pending.get(uri.toString()));
    this.pending.delete(uri.toString());
    this.mismatches.delete(uri.toString());
    this.diagnostics.delete(uri);
  }
}
