import * as vscode from 'vscode';
import {
  AuthError,
  ContractError,
  InputError,
  NetworkError,
  type NetworkFailure,
  ServerError,
  SignInRequiredError,
  isDuctapeError,
} from '../ductape/errors';
import { log } from './log';

/** A failure of the editor layer whose message is already worded (and localized) for a person. */
export class Notice extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Notice';
  }
}

function networkReason(failure: NetworkFailure): string {
  switch (failure) {
    case 'timeout':
      return vscode.l10n.t('did not answer in time');
    case 'refused':
      return vscode.l10n.t('refused the connection');
    case 'dns':
      return vscode.l10n.t('could not be found (DNS lookup failed)');
    case 'reset':
      return vscode.l10n.t('closed the connection unexpectedly');
    case 'tls':
      return vscode.l10n.t('failed the secure connection (TLS)');
    case 'too-large':
      return vscode.l10n.t('sent a response larger than the extension accepts');
    case 'proxy':
      return vscode.l10n.t('could not be reached through the proxy');
    case 'other':
      return vscode.l10n.t('could not be reached');
  }
}

const withDetail = (text: string, detail: string | undefined) => (detail ? `${text} (${detail})` : text);

/**
 * A sentence for a person, in their language, from the error's fields. Unknown errors are logged
 * by type and frames only: their text is not ours and could quote anything it was given.
 */
export function describeError(error: unknown): string {
  if (error instanceof Notice) return error.message;
  if (error instanceof SignInRequiredError) return vscode.l10n.t('You are not signed in to Ductape.');
  if (error instanceof AuthError) {
    return vscode.l10n.t('The Ductape access key was refused by {0} ({1}).', error.host, withDetail(String(error.status), error.serverMessage));
  }
  if (error instanceof NetworkError) {
    return vscode.l10n.t('The Ductape server {0} {1}.', error.host, withDetail(networkReason(error.failure), error.detail));
  }
  if (error instanceof ServerError) {
    const answer = withDetail(String(error.status), error.serverMessage);
    return error.requestId
      ? vscode.l10n.t('Ductape answered {0} with an error ({1}); request id {2}.', error.call, answer, error.requestId)
      : vscode.l10n.t('Ductape answered {0} with an error ({1}).', error.call, answer);
  }
  if (error instanceof ContractError) {
    return vscode.l10n.t("Ductape's answer to {0} was not understood: {1}.", error.call, error.problem);
  }
  if (error instanceof InputError) return vscode.l10n.t('Invalid {0}: {1}.', error.field, error.problem);
  if (isDuctapeError(error)) return error.message;
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1).join('\n') : '';
  log.error(`Unexpected ${error instanceof Error ? error.name : typeof error}\n${frames}`);
  return vscode.l10n.t('Something went wrong in the Ductape extension. See the Ductape log for details.');
}

export function isCancellation(error: unknown): boolean {
  return isDuctapeError(error) && error.kind === 'cancelled';
}
