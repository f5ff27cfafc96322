import * as vscode from 'vscode';
import {
  AuthError,
  CodeRequiredError,
  ContractError,
  DestinationRequiredError,
  InputError,
  NetworkError,
  type NetworkFailure,
  ServerError,
  SignInRequiredError,
  isDuctapeError,
} from '../ductape/errors';
import { log, safeForLog } from './log';

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
 * with their message (every secret this window knows blanked out of it) and frames.
 */
export function describeError(error: unknown): string {
  if (error instanceof Notice) return error.message;
  if (error instanceof SignInRequiredError) return vscode.l10n.t('You are not signed in to Ductape.');
  if (error instanceof AuthError) {
    return vscode.l10n.t('Ductape ({0}) refused the sign-in ({1}).', error.host, withDetail(String(error.status), error.serverMessage));
  }
  if (error instanceof CodeRequiredError) return vscode.l10n.t('This Ductape account uses two-step verification: enter the code it sent you.');
  if (error instanceof DestinationRequiredError) {
    return vscode.l10n.t('Ductape needs a destination for {0} ({1}).', error.call, error.serverMessage ?? '');
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
  // Its own message is logged (our code's errors say what went wrong); frames show where.
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1).join('\n') : '';
  log.error(`Unexpected ${error instanceof Error ? `${error.name}: ${safeForLog(error.message)}` : typeof error}\n${frames}`);
  return vscode.l10n.t('Something went wrong in the Ductape extension. See the Ductape log for details.');
}

/** A few words on why something failed, for beside a label ("500 internal error", "did not answer in time"). */
export function reasonOf(error: unknown): string {
  const short = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);
  if (error instanceof ServerError) return short(withDetail(String(error.status), error.serverMessage));
  if (error instanceof NetworkError) return networkReason(error.failure);
  if (error instanceof AuthError) return vscode.l10n.t('sign-in refused ({0})', error.status);
  if (error instanceof ContractError) return vscode.l10n.t('unexpected answer');
  if (error instanceof Notice || error instanceof InputError) return short(describeError(error));
  return vscode.l10n.t('see the Ductape log');
}

export function isCancellation(error: unknown): boolean {
  return isDuctapeError(error) && error.kind === 'cancelled';
}
