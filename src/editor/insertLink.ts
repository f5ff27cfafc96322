import * as vscode from 'vscode';
import { notify } from '../common/notify';
import { editorSettings } from '../common/settings';
import type { LinkRequest } from '../ductape';
import { type TextEdit, planLinkInsertion } from './text/linkFormats';

/** What to do when a `.env` file already has the variable: ask, or the caller's answer. */
export type ExistingChoice = 'ask' | 'replace' | 'keep';

/**
 * Writes a link at every cursor in the file's own syntax (`NAME=URL` in a `.env`, a member in a
 * JSON object, …), as one undoable edit. An existing `.env` variable of the same name is replaced
 * only if the person (or the caller) says so; it is never duplicated. Resolves false when
 * nothing was written.
 */
export async function insertLink(
  editor: vscode.TextEditor,
  link: LinkRequest & { url: string },
  existing: ExistingChoice = 'ask',
): Promise<boolean> {
  const { document } = editor;
  const source = { text: document.getText(), languageId: document.languageId, fileName: document.fileName };
  const options = { envNamePattern: editorSettings().envVariablePattern };
  const edits: TextEdit[] = [];
  let decision: ExistingChoice | undefined = existing;
  for (const selection of editor.selections) {
    const plan = planLinkInsertion(
      source,
      { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) },
      link,
      options,
    );
    if (plan.kind === 'edit') {
      edits.push(...plan.edits);
      continue;
    }
    if (edits.some((edit) => edit.start === plan.replace.start)) continue;
    if (decision === 'ask') decision = await askAboutExisting(plan.name, plan.existingValue);
    if (decision === 'keep') continue;
    if (decision !== 'replace') return false;
    edits.push(plan.replace);
  }
  if (!edits.length) return false;
  return editor.edit((builder) => {
    for (const edit of withoutRepeats(edits)) {
      builder.replace(new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
    }
  });
}

async function askAboutExisting(name: string, value: string): Promise<ExistingChoice | undefined> {
  const replace = vscode.l10n.t('Replace Value');
  const keep = vscode.l10n.t('Keep Existing');
  const choice = await notify.warning(
    vscode.l10n.t('{0} is already set in this file ({1}). Replace its value with the new link?', name, value || '""'),
    replace,
    keep,
  );
  return choice === replace ? 'replace' : choice === keep ? 'keep' : undefined;
}

/** Two cursors on one empty line plan the same edit: it is written once. */
function withoutRepeats(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.start}:${edit.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
