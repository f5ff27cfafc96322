/**
 * The errors the data layer throws. Their English messages serve logs and plain Node callers; the
 * editor words them for a person, in the person's language, from their fields (see
 * src/common/errors.ts). Each has a message a person can act on, and none ever
 * carries the access key, the session token or an encrypted payload: messages are built from
 * fixed text plus values the server chose to show (which are redacted as well, see `redact`).
 */

export type DuctapeErrorKind = 'auth' | 'network' | 'server' | 'contract' | 'input' | 'cancelled';

export abstract class DuctapeError extends Error {
  abstract readonly kind: DuctapeErrorKind;
}

/** The server refused the credential or its session (403, or 401 again after a fresh exchange). */
export class AuthError extends DuctapeError {
  readonly kind = 'auth';
  constructor(
    readonly host: string,
    readonly status: number,
    readonly serverMessage?: string,
  ) {
    super(`Ductape (${host}) refused the sign-in (${status}${serverMessage ? ` ${serverMessage}` : ''}).`);
    this.name = 'AuthError';
  }
}

export type NetworkFailure = 'timeout' | 'refused' | 'dns' | 'reset' | 'tls' | 'too-large' | 'proxy' | 'other';

const NETWORK_REASONS: Record<NetworkFailure, string> = {
  timeout: 'did not answer in time',
  refused: 'refused the connection',
  dns: 'could not be found (DNS lookup failed)',
  reset: 'closed the connection unexpectedly',
  tls: 'failed the secure connection (TLS)',
  'too-large': 'sent a response larger than the extension accepts',
  proxy: 'could not be reached through the proxy',
  other: 'could not be reached',
};

export class NetworkError extends DuctapeError {
  readonly kind = 'network';
  constructor(
    readonly host: string,
    readonly failure: NetworkFailure,
    readonly detail?: string,
  ) {
    super(`The Ductape server ${host} ${NETWORK_REASONS[failure]}${detail ? ` (${detail})` : ''}.`);
    this.name = 'NetworkError';
  }
}

/** An operation needs a signed-in account and there is none. */
export class SignInRequiredError extends DuctapeError {
  readonly kind = 'auth';
  constructor() {
    super('You are not signed in to Ductape.');
    this.name = 'SignInRequiredError';
  }
}

/** A password sign-in needs the one-time code the account's two-step verification sent. */
export class CodeRequiredError extends DuctapeError {
  readonly kind = 'input';
  constructor(readonly userId: string) {
    super('This Ductape account uses two-step verification: enter the code it sent you.');
    this.name = 'CodeRequiredError';
  }
}

/** generateLink was refused for want of a destination: ask where Ductape should deliver, and call again. */
export class DestinationRequiredError extends DuctapeError {
  readonly kind = 'input';
  constructor(
    readonly call: string,
    readonly serverMessage: string | undefined,
  ) {
    super(`Ductape needs a destination for ${call}${serverMessage ? ` (${serverMessage})` : ''}.`);
    this.name = 'DestinationRequiredError';
  }
}

/** The server answered with an error: an HTTP error status, or `status: false`. */
export class ServerError extends DuctapeError {
  readonly kind = 'server';
  constructor(
    readonly call: string,
    readonly status: number,
    readonly serverMessage: string | undefined,
    readonly requestId?: string,
    readonly retryAfterMs?: number,
  ) {
    super(
      `Ductape answered ${call} with an error (${status}${serverMessage ? `: ${serverMessage}` : ''})` +
        (requestId ? ` [request id ${requestId}]` : '') +
        '.',
    );
    this.name = 'ServerError';
  }
}

/** The server answered something that is not the contract. */
export class ContractError extends DuctapeError {
  readonly kind = 'contract';
  constructor(
    readonly call: string,
    readonly problem: string,
  ) {
    super(`Ductape's answer to ${call} was not understood: ${problem}.`);
    this.name = 'ContractError';
  }
}

/** A value given by the caller was refused before anything was sent. */
export class InputError extends DuctapeError {
  readonly kind = 'input';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Invalid ${field}: ${problem}.`);
    this.name = 'InputError';
  }
}

export class CancelledError extends DuctapeError {
  readonly kind = 'cancelled';
  constructor() {
    super('The request was cancelled.');
    this.name = 'CancelledError';
  }
}

export function isDuctapeError(error: unknown): error is DuctapeError {
  return error instanceof DuctapeError;
}

/** Replaces every occurrence of the given secrets in a text the server chose to send. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}
