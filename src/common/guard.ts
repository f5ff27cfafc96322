import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands } from './commandIds';
import { describeError, isCancellation } from './errors';
import { notify } from './notify';
import { isDuctapeError } from '../ductape/errors';

/**
 * Runs a command body and shows its failure the same way everywhere: a cancellation says
 * nothing; the stored key refused by the server signs out (once, see `Account.refused`); not
 * being signed in offers to sign in; anything else shows its message. The value (or undefined
 * after a failure) goes back to the command's caller.
 */
export function guarded<Args extends unknown[], T>(
  account: Account | undefined,
  body: (...args: Args) => Promise<T>,
): (...args: Args) => Promise<T | undefined> {
  return async (...args: Args) => {
    try {
      return await body(...args);
    } catch (error) {
      if (isCancellation(error)) return undefined;
      if (account && (await account.refused(error))) return undefined;
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
