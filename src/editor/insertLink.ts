import * as vscode from 'vscode';
import { Notice } from '../common/errors';
import { notify } from '../common/notify';
import { editorSettings } from '../common/settings';
import type { LinkRequest } from '../ductape';
import { type TextEdit, planLinkInsertion } from './text/linkFormats';
import { textFormatOf } from './text/syntax';

/** What to do when a `.env` file already has the variable: ask, or the caller's answer. */
export type ExistingChoice = 'ask' | 'replace' | 'keep';

/**
 * Writes a link in the file's own syntax (`NAME=URL` in a `.env`, a member in a JSON object, …),
 * as one undoable edit: at every cursor in a plain file, at the main cursor in a structured one
 * (a second `NAME=` or `"key":` would duplicate the first). An existing `.env` variable of the
 * same name is replaced only if the person (or the caller) says so; it is never duplicated. If
 * the file changes while the person is asked, nothing is written. Resolves false when nothing
 * was written.
 */
export async function insertLink(
  editor: vscode.TextEditor,
  link: LinkRequest & { url: string },
  existing: ExistingChoice = 'ask',
): Promise<boolean> {
  const { document } = editor;
  const version = document.version;
  const source = { text: document.getText(), languageId: document.languageId, fileName: document.fileName };
  const selections = textFormatOf(document) === 'plain' ? editor.selections : [editor.selection];
  const options = { envNamePattern: editorSettings().envVariablePattern };
  const edits: TextEdit[] = [];
  let decision: ExistingChoice | undefined = existing;
  for (const selection of selections) {
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
  if (document.version !== version) {
    throw new Notice(vscode.l10n.t('The file changed while you were asked; the link was not inserted.'));
  }
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

/** Two cursors at one place plan the same edit: it is written once. */
function withoutRepeats(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.start}:${edit.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
