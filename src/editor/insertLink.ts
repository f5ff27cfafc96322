import * as vscode from 'vscode';
import { Notice } from '../common/errors';
import { notify } from '../common/notify';
import { editorSettings } from '../common/settings';
import type { LinkRequest } from '../ductape';
import type { BlockLink } from './text/linkBlocks';
import type { InsertionEdit, InsertionPlan, RefusalReason } from './text/linkInsertion';
import type { PlaceHint } from './text/placement';

/** What to do when the name the link would take is already set: ask, or the caller's answer. */
export type ExistingChoice = 'ask' | 'replace' | 'keep';

/** Where to insert: a document and its cursors (an editor is one, even after its tab was left). */
export interface InsertionTarget {
  readonly document: vscode.TextDocument;
  readonly selections: readonly vscode.Selection[];
}

/**
 * The planner and the parsers it reads files with are bundled apart (dist/insertion.js) and
 * loaded on the first insertion, so that activation does not pay for them.
 */
const planner = () => import('./text/index');

/**
 * Writes a link in the file's own syntax at the main cursor (`NAME=URL` in a `.env`, a member of
 * the enclosing JSON object, YAML mapping or TOML table; the URL at every cursor of any other
 * file), as one undoable edit made on the document itself, so that it works while another tab
 * is active. The planner's guard has read the result back: nothing is written that would break
 * the file or change a value in it. A name already set to another value is replaced only when
 * the person (or the caller) says so. Resolves false when nothing was written.
 */
export async function insertLink(target: InsertionTarget, link: LinkRequest & { url: string }, existing: ExistingChoice = 'ask'): Promise<boolean> {
  const { planLinkInsertion } = await planner();
  return insertPlanned(target, existing, (source, selections, options) => planLinkInsertion(source, selections, link, options));
}

/** Several links as one block at the main cursor (every environment of an event, an export), the same way. */
export async function insertLinks(
  target: InsertionTarget,
  links: ReadonlyArray<BlockLink>,
  existing: ExistingChoice = 'ask',
): Promise<boolean> {
  const { planLinksInsertion } = await planner();
  return insertPlanned(target, existing, (source, selections, options) => planLinksInsertion(source, selections, links, options));
}

type Plan = (
  source: { text: string; languageId: string; fileName: string },
  selections: Array<{ anchor: number; active: number }>,
  options: { envNamePattern?: string; existing?: 'replace' },
) => InsertionPlan;

async function insertPlanned(target: InsertionTarget, existing: ExistingChoice, plan: Plan): Promise<boolean> {
  const { document } = target;
  const version = document.version;
  const source = { text: document.getText(), languageId: document.languageId, fileName: document.fileName };
  const selections = target.selections.map((selection) => ({
    anchor: document.offsetAt(selection.anchor),
    active: document.offsetAt(selection.active),
  }));
  const options = { envNamePattern: editorSettings().envVariablePattern };
  let planned = plan(source, selections, options);
  if ('refused' in planned && planned.reason.kind === 'exists') {
    const { name, value } = planned.reason;
    const choice = existing === 'ask' ? await askAboutExisting(name, value) : existing;
    if (choice !== 'replace') return false;
    if (document.version !== version) {
      throw new Notice(vscode.l10n.t('The file changed while you were asked; the link was not inserted.'));
    }
    planned = plan(source, selections, { ...options, existing: 'replace' });
  }
  if ('refused' in planned) throw new Notice(refusalMessage(planned.reason));
  return applyEdits(document, planned.edits);
}

/** The edits, by the document's URI: its editor need not be the active one. */
async function applyEdits(document: vscode.TextDocument, edits: readonly InsertionEdit[]): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const { offset, length, text } of edits) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + length)), text);
  }
  return vscode.workspace.applyEdit(edit);
}

async function askAboutExisting(name: string, value: string): Promise<ExistingChoice | undefined> {
  const replace = vscode.l10n.t('Replace Value');
  const keep = vscode.l10n.t('Keep Existing');
  const choice = await notify.ask(
    vscode.l10n.t('{0} is already set in this file. Replace its value with the new link?', name),
    vscode.l10n.t('Its value now: {0}', value || '""'),
    replace,
    keep,
  );
  return choice === replace ? 'replace' : choice === keep ? 'keep' : undefined;
}

function refusalMessage(reason: RefusalReason): string {
  switch (reason.kind) {
    case 'syntax':
      return vscode.l10n.t('This file does not parse ({0}). Fix it, then insert the link.', reason.error);
    case 'nowhere':
      return vscode.l10n.t('There is no place for a link at the cursor. Put the cursor {0}.', placeHint(reason.hint));
    case 'present':
      return vscode.l10n.t('{0} already holds this link.', reason.name);
    case 'exists':
      return vscode.l10n.t('{0} is already set in this file; nothing was written.', reason.name);
    case 'name':
      return reason.error;
    case 'unsafe':
      return vscode.l10n.t(
        'The link was not inserted here, because {0}. Put the cursor on a line of the object or table that should hold it.',
        reason.error,
      );
  }
}

function placeHint(hint: PlaceHint): string {
  return hint === 'object' ? vscode.l10n.t('inside an object ({ … })') : vscode.l10n.t('on a line of a mapping (key: value)');
}
