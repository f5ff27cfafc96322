import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { describeError, isCancellation } from '../common/errors';
import { isDuctapeError } from '../ductape/errors';

/**
 * Runs a command body and shows its failure the same way everywhere: a cancellation says
 * nothing, a refused key offers to sign in again, anything else shows its message. The value
 * (or undefined after a failure) goes back to the command's caller.
 */
export function guarded<Args extends unknown[], T>(
  body: (...args: Args) => Promise<T>,
): (...args: Args) => Promise<T | undefined> {
  return async (...args: Args) => {
    try {
      return await body(...args);
    } catch (error) {
      if (isCancellation(error)) return undefined;
      const signIn = vscode.l10n.t('Sign In…');
      const refused = isDuctapeError(error) && error.kind === 'auth';
      // Not awaited: the caller gets its answer now, not when the notification is dismissed.
      void vscode.window.showErrorMessage(describeError(error), ...(refused ? [signIn] : [])).then((choice) => {
        if (choice === signIn) void vscode.commands.executeCommand(Commands.signIn);
      });
      return undefined;
    }
  };
}
