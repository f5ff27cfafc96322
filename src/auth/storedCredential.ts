/**
 * What is kept in VS Code's secret storage, and nowhere else: the credential a person signed in
 * with (with its kind), and the session it was exchanged for. A password is never kept: a
 * password sign-in keeps only its session, and signs in again when that is refused.
 */
import type { Credential } from '../ductape/contract';
import type { SessionInfo } from '../ductape/session';

export const SECRET_KEYS = {
  credential: 'ductape.credential',
  session: 'ductape.session',
  /** Where versions 0.1 kept the access key; read once and moved. */
  legacyAccessKey: 'ductape.accessKey',
} as const;

/** The credentials that can be exchanged again; `session` stands for a password sign-in. */
export type StoredCredential = Extract<Credential, { kind: 'accessKey' | 'workspace' }> | { kind: 'session'; email?: string };

export interface StoredSession {
  /** The API the session was issued by: a session is never sent to another server. */
  apiUrl: string;
  session: SessionInfo;
}

/** What is kept of a credential after it signed in. */
export function storedFormOf(credential: Credential, session: SessionInfo): StoredCredential {
  return credential.kind === 'accessKey' || credential.kind === 'workspace' ? credential : { kind: 'session', email: session.email };
}

/** The credential a stored one is exchanged again with; none for a password sign-in. */
export const exchangeableCredential = (stored: StoredCredential): Credential | undefined =>
  stored.kind === 'session' ? undefined : stored;

/** Two stored credentials are the same sign-in (so a window keeps its connection). */
export const sameCredential = (a: StoredCredential, b: StoredCredential): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Parses a stored credential; anything else (a damaged entry) reads as none. */
export function parseStoredCredential(text: string | undefined, legacyAccessKey: string | undefined): StoredCredential | undefined {
  if (!text) return legacyAccessKey ? { kind: 'accessKey', accessKey: legacyAccessKey } : undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredCredential> & Record<string, unknown>;
    if (value.kind === 'accessKey' && typeof value.accessKey === 'string') return { kind: 'accessKey', accessKey: value.accessKey };
    if (value.kind === 'workspace' && [value.userId, value.workspaceId, value.privateKey].every((field) => typeof field === 'string')) {
      return { kind: 'workspace', userId: String(value.userId), workspaceId: String(value.workspaceId), privateKey: String(value.privateKey) };
    }
    if (value.kind === 'session') return { kind: 'session', email: typeof value.email === 'string' ? value.email : undefined };
  } catch {
    // A damaged entry is no credential: the person signs in again.
  }
  return undefined;
}

/** The stored session, if it was issued by `apiUrl` and has what a request needs. */
export function parseStoredSession(text: string | undefined, apiUrl: string): SessionInfo | undefined {
  if (!text) return undefined;
  try {
    const { apiUrl: issuer, session } = JSON.parse(text) as StoredSession;
    const usable = session && typeof session.token === 'string' && typeof session.publicKey === 'string' && typeof session.userId === 'string';
    return issuer === apiUrl && usable && Array.isArray(session.workspaces) ? session : undefined;
  } catch {
    return undefined;
  }
}
