import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands } from '../common/commandIds';
import { Notice } from '../common/errors';
import { notify } from '../common/notify';
import { defaultEnvironment } from '../common/settings';
import type { LinkRequest } from '../ductape';
import { EnvironmentNode, TreeNode } from '../views/nodes';
import { type ExistingChoice, insertLink } from '../editor/insertLink';
import { guarded } from '../common/guard';
import { destinationOf, obtainLink } from './linkCreation';
import { pickLinkRequest } from './linkPicker';

const FIELDS: (keyof LinkRequest)[] = ['product', 'app', 'event', 'env'];

/** What a command argument already answers: a tree node, or `{ product, app, event, env }`. */
export function knownParts(argument: unknown): Partial<LinkRequest> {
  if (argument instanceof TreeNode) return argument.linkRequest();
  if (typeof argument !== 'object' || argument === null) return {};
  const given = argument as Record<string, unknown>;
  return Object.fromEntries(FIELDS.filter((field) => given[field] !== undefined).map((field) => [field, given[field]]));
}

function isComplete(request: Partial<LinkRequest>): request is LinkRequest {
  return FIELDS.every((field) => request[field] !== undefined);
}

function describeLink(request: LinkRequest): string {
  return vscode.l10n.t('the {0} link of {1} ({2} · {3})', request.env, request.event, request.app, request.product);
}

export class LinkCommands {
  constructor(
    private readonly account: Account,
    private readonly state: vscode.Memento,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(
        Commands.generateLink,
        guarded(this.account, (argument?: unknown) => this.generate(argument), { forCallers: true }),
      ),
      vscode.commands.registerCommand(
        Commands.insertLink,
        guarded(this.account, (argument?: unknown) => this.insert(argument), { forCallers: true }),
      ),
      vscode.commands.registerCommand(Commands.copyLink, guarded(this.account, (target?: unknown) => this.copy(target))),
    ];
  }

  /** Picks (or takes) a link, copies it, offers to insert it, and returns it to the caller. */
  async generate(argument?: unknown): Promise<string | undefined> {
    const link = await this.resolve(argument, vscode.l10n.t('Generate Webhook Link'));
    if (!link) return undefined;
    await vscode.env.clipboard.writeText(link.url);
    const insert = vscode.l10n.t('Insert at Cursor');
    const message = vscode.l10n.t('Copied the {0} link of {1} to the clipboard.', link.request.env, link.request.event);
    // Offered only when there is a file to insert into.
    void notify.info(message, ...(vscode.window.activeTextEditor ? [insert] : [])).then((choice) => {
      if (choice === insert) void guarded(this.account, () => this.insert(link.request))();
    });
    return link.url;
  }

  /**
   * Picks (or takes) a link and writes it where the active editor's cursors were when the command
   * started (see insertLink), even if another tab was opened while picking.
   */
  async insert(argument?: unknown): Promise<string | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Notice(vscode.l10n.t('Open a file to insert a link into.'));
    const version = editor.document.version;
    const link = await this.resolve(argument, vscode.l10n.t('Insert Webhook Link'));
    if (!link) return undefined;
    if (editor.document.version !== version && !(await this.confirmChanged(editor.document))) return undefined;
    return (await insertLink(editor, { ...link.request, url: link.url }, existingChoiceOf(argument))) ? link.url : undefined;
  }

  /** The file changed while the person was choosing: insert only if they still want to. */
  private async confirmChanged(document: vscode.TextDocument): Promise<boolean> {
    const insert = vscode.l10n.t('Insert Anyway');
    const name = vscode.workspace.asRelativePath(document.uri);
    const choice = await notify.ask(
      vscode.l10n.t('{0} changed while you were choosing a link. Insert it at the current cursors?', name),
      undefined,
      insert,
    );
    return choice === insert;
  }

  /** Copies the link of an environment node, or `{ url }` (from a hover). */
  async copy(target?: unknown): Promise<string | undefined> {
    const url = target instanceof EnvironmentNode ? target.row.url : (target as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string' || !url) return undefined;
    await vscode.env.clipboard.writeText(url);
    const what = target instanceof EnvironmentNode ? describeLink(target.linkRequest()) : url;
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}.', what), 3000);
    if (target instanceof EnvironmentNode && target.isInactive) warnInactive(target.linkRequest());
    return url;
  }

  /**
   * The link asked for: picked step by step where the argument does not answer, read when it
   * exists, created otherwise (see linkCreation.ts for what is asked first).
   */
  private async resolve(argument: unknown, title: string): Promise<{ request: LinkRequest; url: string } | undefined> {
    const catalog = await this.account.catalog();
    const known = knownParts(argument);
    const destination = destinationOf(argument);
    const request = isComplete(known)
      ? known
      : await pickLinkRequest(catalog, this.state, title, known, defaultEnvironment());
    if (!request) return undefined;
    const url = await obtainLink(catalog, request, { destination, state: this.state });
    if (catalog.loadedRow(request)?.active === false) warnInactive(request);
    return { request, url };
  }
}

/** The registration is switched off in Ductape: the link works, but nothing is delivered through it. */
function warnInactive(request: LinkRequest): void {
  void notify.warning(
    vscode.l10n.t('The {0} registration of {1} is inactive: Ductape will not deliver through this link until it is switched on.', request.env, request.event),
  );
}

/** A caller may answer the "variable already set" question in advance: `{ existing: 'replace' }`. */
function existingChoiceOf(argument: unknown): ExistingChoice {
  const existing = (argument as { existing?: unknown } | undefined)?.existing;
  return existing === 'replace' || existing === 'keep' ? existing : 'ask';
}
