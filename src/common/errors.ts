import * as vscode from 'vscode';
import { isDuctapeError } from '../ductape/errors';
import { log } from './log';

/** A sentence for a person. Unknown errors are logged by name only: their text is not ours. */
export function describeError(error: unknown): string {
  if (isDuctapeError(error)) return error.message;
  // Only the error's type and frames are logged: its text could quote anything it was given.
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1).join('\n') : '';
  log.error(`Unexpected ${error instanceof Error ? error.name : typeof error}\n${frames}`);
  return vscode.l10n.t('Something went wrong in the Ductape extension. See the Ductape log for details.');
}

export function isCancellation(error: unknown): boolean {
  return isDuctapeError(error) && error.kind === 'cancelled';
}
