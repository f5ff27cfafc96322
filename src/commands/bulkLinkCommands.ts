import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { withSignal } from '../common/cancellation';
import { Commands } from '../common/commandIds';
import { Notice } from '../common/errors';
import { notify } from '../common/notify';
import { defaultEnvironment, editorSettings } from '../common/settings';
import type { LinkRequest, WebhookCatalog } from '../ductape';
import { type BlockFormat, type BlockLink, blockFormatOf, formatLinkBlock } from '../editor/text/linkBlocks';
import { eolOf } from '../editor/text/syntax';
import { guarded } from '../common/guard';
import { insertLinks } from '../editor/insertLink';
import { knownParts } from './linkCommands';
import { createMissingLinks, listOf } from './linkCreation';
import { pickLinkParts } from './linkPicker';

const DESTINATIONS = ['clipboard', 'document'] as const;
type Destination = (typeof DESTINATIONS)[number];
const EXPORT_FORMATS = ['env', 'json'] as const satisfies readonly BlockFormat[];

/** Many links at once: every environment of an event, or every event of a product or app. */
export class BulkLinkCommands {
  constructor(
    private readonly account: Account,
    private readonly state: vscode.Memento,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(
        Commands.copyEnvironmentLinks,
        guarded(this.account, (argument?: unknown) => this.copyEnvironmentLinks(argument), { forCallers: true }),
      ),
      vscode.commands.registerCommand(
        Commands.exportLinks,
        guarded(this.account, (argument?: unknown) => this.exportLinks(argument), { forCallers: true }),
      ),
    ];
  }

  /**
   * Every environment's link of one event (the environments its app is mapped to), copied as a
   * block in the active file's format, or as `env: URL` lines when no file is open. Links that
   * exist are used at once; missing ones are created only after one modal question. Returns it.
   */
  async copyEnvironmentLinks(argument?: unknown): Promise<string | undefined> {
    const catalog = await this.account.catalog();
    const title = vscode.l10n.t('Copy Links for All Environments');
    const request = await pickLinkParts(catalog, this.state, title, knownParts(argument), undefined, ['product', 'app', 'event']);
    if (!request?.product || !request.app || !request.event) return undefined;
    const { product, app, event } = request;
    const rows = (await catalog.webhookLinks(product, app)).filter((row) => row.event === event);
    const links = await this.withMissingCreated(catalog, rows.map((row) => ({ product, app, event, env: row.env, url: row.url })), vscode.l10n.t('Copy Existing Only'));
    if (!links) return undefined;
    const editor = vscode.window.activeTextEditor;
    const format = editor ? blockFormatOf(editor.document) : 'plain';
    const text = this.block(links, format, { document: editor?.document });
    await vscode.env.clipboard.writeText(text);
    const insert = vscode.l10n.t('Insert at Cursor');
    const message = vscode.l10n.t('Copied the links of {0} for {1}.', event, listOf(links.map((link) => link.env)));
    // Inserted through the planner, as one block where it fits the file (never a broken file).
    void notify.info(message, ...(editor ? [insert] : [])).then((choice) => {
      if (choice === insert && editor) void guarded(this.account, () => insertLinks(editor, links))();
    });
    return text;
  }

  /**
   * The links of every event of a product (or one app) in one environment, as a `.env` block or
   * JSON members, to the clipboard or a new document. Missing links are created only after one
   * modal question.
   */
  async exportLinks(argument?: unknown): Promise<string | undefined> {
    const catalog = await this.account.catalog();
    const title = vscode.l10n.t('Export Webhook Links');
    const request = await pickLinkParts(catalog, this.state, title, knownParts(argument), defaultEnvironment(), [
      'product',
      'env',
    ]);
    if (!request?.product || !request.env) return undefined;
    const given = argument as { format?: unknown; destination?: unknown } | undefined;
    const format = EXPORT_FORMATS.find((known) => known === given?.format) ?? (await pickFormat());
    const destination = DESTINATIONS.find((known) => known === given?.destination) ?? (await pickDestination());
    if (!format || !destination) return undefined;
    const found = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting Ductape links…'), cancellable: true },
      (_progress, token) => withSignal(token, (signal) => linksOf(catalog, request.product!, request.app, request.env!, signal)),
    );
    const links = await this.withMissingCreated(catalog, found, vscode.l10n.t('Export Existing Only'));
    if (!links) return undefined;
    const text = this.block(links, format, { wholeObject: destination === 'document' });
    if (destination === 'clipboard') {
      await vscode.env.clipboard.writeText(text);
      void notify.info(vscode.l10n.t('Copied {0} links to the clipboard.', links.length));
    } else {
      const document = await vscode.workspace.openTextDocument({
        language: format === 'json' ? 'json' : 'properties',
        content: `${text}\n`,
      });
      await vscode.window.showTextDocument(document);
    }
    return text;
  }

  /**
   * The links, with the missing ones created after one modal question (or left out, when the
   * person chooses `alternative`). Undefined when cancelled: nothing is created or copied.
   */
  private async withMissingCreated(
    catalog: WebhookCatalog,
    links: ReadonlyArray<LinkRequest & { url?: string }>,
    alternative: string,
  ): Promise<BlockLink[] | undefined> {
    const existing = links.filter((link): link is LinkRequest & { url: string } => Boolean(link.url));
    const missing = links.filter((link) => !link.url).map(({ product, app, event, env }) => ({ product, app, event, env }));
    if (!missing.length) return existing;
    const created = await createMissingLinks(catalog, missing, this.state, { alternative: existing.length ? alternative : undefined });
    if (created === 'alternative') return existing;
    if (!created) return undefined;
    const urls = new Map(created.map(({ request, url }) => [`${request.app}/${request.event}/${request.env}`, url]));
    return links.map((link) => ({ ...link, url: link.url ?? urls.get(`${link.app}/${link.event}/${link.env}`)! }));
  }

  /** JSON members to paste into an object, or (for a new document) a whole object. */
  private block(links: BlockLink[], format: BlockFormat, { document, wholeObject }: { document?: vscode.TextDocument; wholeObject?: boolean }): string {
    if (!links.length) throw new Notice(vscode.l10n.t('There are no webhooks to export there.'));
    return formatLinkBlock(links, format, {
      envNamePattern: editorSettings().envVariablePattern,
      eol: document ? eolOf(document.getText()) : '\n',
      wholeObject,
    });
  }
}

/** Every event's row of a product (or of one of its apps) in one environment, linked or not. */
async function linksOf(
  catalog: WebhookCatalog,
  product: string,
  app: string | undefined,
  env: string,
  signal: AbortSignal,
): Promise<Array<LinkRequest & { url?: string }>> {
  const apps = app ? [app] : (await catalog.apps(product, signal)).map((entry) => entry.access_tag);
  const perApp = await Promise.all(
    apps.map(async (access) =>
      (await catalog.webhookLinks(product, access, signal))
        .filter((row) => row.env === env)
        .map((row) => ({ product, app: access, event: row.event, env, url: row.url })),
    ),
  );
  return perApp.flat();
}

async function pickFormat(): Promise<BlockFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('.env lines'), description: 'NAME=URL', format: 'env' as const },
      { label: vscode.l10n.t('JSON members'), description: '"key": "URL"', format: 'json' as const },
    ],
    { title: vscode.l10n.t('Export Webhook Links'), placeHolder: vscode.l10n.t('Format') },
  );
  return picked?.format;
}

async function pickDestination(): Promise<Destination | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('$(copy) Copy to Clipboard'), destination: 'clipboard' as const },
      { label: vscode.l10n.t('$(new-file) Open in a New Document'), destination: 'document' as const },
    ],
    { title: vscode.l10n.t('Export Webhook Links'), placeHolder: vscode.l10n.t('Where to') },
  );
  return picked?.destination;
}
