/**
 * The session: a credential exchanged for a user, a token, a public key and workspaces. A session
 * kept from before (another window, an earlier run) is used as it is, without an exchange.
 * Concurrent callers share one exchange. A 401 from any call exchanges the credential again once
 * and retries that call once; a 403, or a second 401, means the credential was refused. A
 * password (or one-time code) is exchanged once and forgotten: when its session is refused later,
 * the person signs in again.
 */
import { abortable } from './abort';
import {
  type Credential,
  HEADERS,
  PATHS,
  type SkippedItem,
  SessionData,
  Workspace,
  bearer,
  exchangeRequestOf,
  isAccepted,
  parseContract,
  parseList,
  secretsOf,
  sessionUserOf,
  workspaceListOf,
} from './contract';
import { AuthError, CancelledError, CodeRequiredError, ContractError, InputError, ServerError } from './errors';
import type { HttpTransport } from './http';

export interface SessionInfo {
  userId: string;
  email?: string;
  displayName?: string;
  token: string;
  publicKey: string;
  workspaces: Workspace[];
}

export interface SessionOptions {
  /** A session kept from before, used without an exchange until the server refuses its token. */
  stored?: SessionInfo;
  /** Told of each session an exchange gives, so that the caller may keep it. */
  onSession?: (session: SessionInfo) => void;
  /** Told of each list item that did not fit the contract and was left out. */
  onSkipped?: (item: SkippedItem) => void;
}

const CALLS: Record<Credential['kind'], string> = {
  accessKey: 'the sign-in (access key exchange)',
  workspace: 'the sign-in (workspace credentials)',
  password: 'the sign-in (email and password)',
  code: 'the sign-in (one-time code)',
};

const INPUT_FIELDS: Record<Credential['kind'], string> = {
  accessKey: 'access key',
  workspace: 'workspace credentials',
  password: 'email or password',
  code: 'one-time code',
};

export class Session {
  /** Forgotten after one exchange when it cannot be exchanged again (a password, a code). */
  private credential: Credential | undefined;
  private readonly secretValues: string[];
  private current: Promise<SessionInfo> | undefined;
  /** What `current` resolved to; cleared while a renewal is in flight, so that it runs once. */
  private latest: SessionInfo | undefined;

  constructor(
    private readonly transport: HttpTransport,
    credential: Credential | undefined,
    private readonly options: SessionOptions = {},
  ) {
    this.credential = credential;
    this.secretValues = credential ? secretsOf(credential) : [];
    if (options.stored) {
      this.latest = options.stored;
      this.current = Promise.resolve(options.stored);
    }
  }

  /** The current session, exchanging the credential first if there is none yet. */
  get(signal?: AbortSignal): Promise<SessionInfo> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    this.current ??= this.exchange();
    return abortable(this.current, signal);
  }

  /** Runs an authorized call, with one fresh exchange and one retry after a 401. */
  async authorized<T>(signal: AbortSignal | undefined, call: (session: SessionInfo) => Promise<T>): Promise<T> {
    const session = await this.get(signal);
    try {
      return await call(session);
    } catch (error) {
      if (!isUnauthorized(error)) throw refusalOf(error, this.transport.host);
      const fresh = await this.renew(session, signal);
      try {
        return await call(fresh);
      } catch (retryError) {
        throw isUnauthorized(retryError)
          ? new AuthError(this.transport.host, 401, retryError.serverMessage)
          : refusalOf(retryError, this.transport.host);
      }
    }
  }

  /** Values that must never be shown: blanked out of anything the server says back. */
  secrets(session?: SessionInfo): string[] {
    return session ? [...this.secretValues, session.token, session.publicKey] : this.secretValues;
  }

  /** A new exchange, unless another caller already replaced the session that failed. */
  private renew(stale: SessionInfo, signal: AbortSignal | undefined): Promise<SessionInfo> {
    if (this.latest === stale || !this.current) {
      if (!this.credential) {
        return Promise.reject(new AuthError(this.transport.host, 401, 'the session has expired; sign in again'));
      }
      this.current = this.exchange();
    }
    return this.get(signal);
  }

  private exchange(): Promise<SessionInfo> {
    const credential = this.credential;
    if (!credential) return Promise.reject(new AuthError(this.transport.host, 401, 'there is no session; sign in again'));
    if (credential.kind === 'password' || credential.kind === 'code') this.credential = undefined;
    this.latest = undefined;
    const exchange = this.exchangeOnce(credential).then((info) => {
      this.latest = info;
      this.options.onSession?.(info);
      return info;
    });
    // A failed exchange is not kept: the next call tries again.
    exchange.catch(() => {
      if (this.current === exchange) this.current = undefined;
    });
    return exchange;
  }

  private async exchangeOnce(credential: Credential): Promise<SessionInfo> {
    const call = CALLS[credential.kind];
    const { path, body } = exchangeRequestOf(credential);
    let data: unknown;
    try {
      ({ data } = await this.transport.send({
        method: 'POST',
        path,
        body,
        call,
        // A one-time code is spent by the answer: sent again only when the server said it did not process it.
        retry: credential.kind === 'code' ? 'unprocessed' : 'idempotent',
        secrets: this.secretValues,
      }));
    } catch (error) {
      if (error instanceof ServerError && (error.status === 401 || error.status === 403)) {
        throw new AuthError(this.transport.host, error.status, error.serverMessage);
      }
      if (error instanceof ServerError && (error.status === 422 || error.status === 400)) {
        throw new InputError(INPUT_FIELDS[credential.kind], error.serverMessage ?? 'the server refused it as invalid');
      }
      throw error;
    }
    const user = parseContract(SessionData, sessionUserOf(data), call);
    if (!user.auth_token) {
      // An account with two-step verification answers the user without a token, and emails a code.
      if (credential.kind === 'password') throw new CodeRequiredError(user._id);
      throw new ContractError(call, 'field "auth_token": it is missing');
    }
    if (!user.public_key) throw new ContractError(call, 'field "public_key": it is missing');
    const displayName = [user.firstname, user.lastname].filter(Boolean).join(' ');
    const partial = { userId: user._id, token: user.auth_token, publicKey: user.public_key };
    return {
      ...partial,
      email: user.email,
      displayName: displayName || undefined,
      workspaces: (user.workspaces ? this.workspacesOf(user.workspaces, call) : await this.fetchWorkspaces(partial)).filter(
        isAccepted,
      ),
    };
  }

  /** The user's workspaces, from the workspaces route (for sessions that do not carry them). */
  private async fetchWorkspaces(session: { userId: string; token: string; publicKey: string }): Promise<Workspace[]> {
    const call = 'the workspace list';
    const { data } = await this.transport.send({
      method: 'GET',
      path: PATHS.workspaces(session.userId),
      query: { user_id: session.userId, public_key: session.publicKey },
      headers: { [HEADERS.authorization]: bearer(session.token) },
      call,
      retry: 'idempotent',
      secrets: [...this.secretValues, session.token, session.publicKey],
    });
    return this.workspacesOf(workspaceListOf(data), call);
  }

  private workspacesOf(list: unknown, call: string): Workspace[] {
    return parseList(Workspace, list, call, (item) => this.options.onSkipped?.(item));
  }
}

function isUnauthorized(error: unknown): error is ServerError {
  return error instanceof ServerError && error.status === 401;
}

function refusalOf(error: unknown, host: string): unknown {
  return error instanceof ServerError && error.status === 403
    ? new AuthError(host, 403, error.serverMessage)
    : error;
}
