import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands } from './commandIds';
import { describeError, isCancellation } from './errors';
import { notify } from './notify';
import { isDuctapeError } from '../ductape/errors';

/**
 * Runs a command body and shows its failure the same way everywhere: a cancellation says
 * nothing; the stored credential refused by the server signs out (once, see `Account.refused`);
 * not being signed in offers to sign in; anything else shows its message. The value (or
 * undefined after a failure) goes back to the command's caller — except for a caller that
 * passed a plain object argument (another extension, a keybinding with args), which
 * `forCallers` makes reject with the error instead, so that it can tell failure from Cancel.
 */
export function guarded<Args extends unknown[], T>(
  account: Account | undefined,
  body: (...args: Args) => Promise<T>,
  { forCallers = false } = {},
): (...args: Args) => Promise<T | undefined> {
  return async (...args: Args) => {
    try {
      return await body(...args);
    } catch (error) {
      if (isCancellation(error)) return undefined;
      const refused = account ? await account.refused(error) : false;
      if (forCallers && isCallerArgument(args[0])) throw error;
      if (refused) return undefined;
      const signIn = vscode.l10n.t('Sign In…');
      const offerSignIn = isDuctapeError(error) && error.kind === 'auth';
      // Not awaited: the caller gets its answer now, not when the notification is dismissed.
      void notify.error(describeError(error), ...(offerSignIn ? [signIn] : [])).then((choice) => {
        if (choice === signIn) void vscode.commands.executeCommand(Commands.signIn);
      });
      return undefined;
    }
  };
}

/** An argument only code passes: a plain object (a tree node or a URI is the editor's own). */
function isCallerArgument(argument: unknown): boolean {
  return typeof argument === 'object' && argument !== null && Object.getPrototypeOf(argument) === Object.prototype;
}
