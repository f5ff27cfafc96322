/**
 * The session: the access key exchanged for a user, a token, a public key and workspaces, kept in
 * memory only. Concurrent callers share one exchange. A 401 from any call exchanges the key again
 * once and retries that call once; a 403, or a second 401, means the key was refused.
 */
import { abortable } from './abort';
import { PATHS, SessionData, type Workspace, parseContract } from './contract';
import { AuthError, CancelledError, InputError, ServerError } from './errors';
import type { HttpTransport } from './http';
import { normalizeAccessKey } from './input';

export interface SessionInfo {
  userId: string;
  email?: string;
  displayName?: string;
  token: string;
  publicKey: string;
  workspaces: Workspace[];
}

const SESSION_CALL = 'the sign-in (access key exchange)';

export class Session {
  private readonly accessKey: string;
  private current: Promise<SessionInfo> | undefined;
  /** Which exchange produced a session, so that concurrent 401s renew it only once. */
  private readonly exchangeOf = new WeakMap<SessionInfo, Promise<SessionInfo>>();

  constructor(
    private readonly transport: HttpTransport,
    accessKey: string,
  ) {
    this.accessKey = normalizeAccessKey(accessKey);
  }

  /** The current session, exchanging the key first if there is none yet. */
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
    return session ? [this.accessKey, session.token, session.publicKey] : [this.accessKey];
  }

  /** A new exchange, unless another caller already replaced the session that failed. */
  private renew(stale: SessionInfo, signal: AbortSignal | undefined): Promise<SessionInfo> {
    if (!this.current || this.exchangeOf.get(stale) === this.current) this.current = this.exchange();
    return this.get(signal);
  }

  private exchange(): Promise<SessionInfo> {
    const exchange = this.transport
      .send({
        method: 'POST',
        path: PATHS.session,
        body: { accessKey: this.accessKey },
        call: SESSION_CALL,
        retry: 'idempotent',
        secrets: [this.accessKey],
      })
      .then(
        ({ data }) => {
          const session = parseContract(SessionData, data, SESSION_CALL);
          const displayName = [session.firstname, session.lastname].filter(Boolean).join(' ');
          const info: SessionInfo = {
            userId: session._id,
            email: session.email,
            displayName: displayName || undefined,
            token: session.auth_token,
            publicKey: session.public_key,
            workspaces: session.workspaces,
          };
          this.exchangeOf.set(info, exchange);
          return info;
        },
        (error: unknown) => {
          if (error instanceof ServerError && (error.status === 401 || error.status === 403)) {
            throw new AuthError(this.transport.host, error.status, error.serverMessage);
          }
          if (error instanceof ServerError && error.status === 422) {
            throw new InputError('access key', error.serverMessage ?? 'the server refused it as invalid');
          }
          throw error;
        },
      );
    // A failed exchange is not kept: the next call tries again.
    exchange.catch(() => {
      if (this.current === exchange) this.current = undefined;
    });
    return exchange;
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
