/**
 * Who is signed in, and the connection made from it. The credential and its session live in
 * SecretStorage and in the in-memory client only. Nothing here touches the network until a view
 * or command asks for data; the kept session is reused, so a new window asks for the products
 * directly.
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../common/commandIds';
import { Notice, describeError } from '../common/errors';
import { hideFromLog, log, logRequest } from '../common/log';
import { notify } from '../common/notify';
import { apiUrl, webhookHost } from '../common/settings';
import type { CatalogSnapshot, DuctapeClient, SessionInfo, WebhookCatalog } from '../ductape';
import { type Credential, type Workspace, secretsOf } from '../ductape/contract';
import { AuthError, SignInRequiredError } from '../ductape/errors';
import type { CacheScope, TreeCache } from '../views/treeCache';
import {
  SECRET_KEYS,
  type StoredCredential,
  exchangeableCredential,
  parseStoredCredential,
  parseStoredSession,
  sameCredential,
  storedFormOf,
} from './storedCredential';

/** The workspace this window works in; the last choice of any window is the default for new ones. */
const WORKSPACE_STATE = 'ductape.workspace';
/** Who is signed in, for the Accounts menu, the status bar and the kept tree: nothing secret. */
const IDENTITY_STATE = 'ductape.identity';

/** What the editor may show of the account without asking the server: nothing secret. */
export interface AccountIdentity {
  userId: string;
  label: string;
  workspaceId?: string;
  workspaceName?: string;
}

/** The secret store failed: the view stays signed out, and the log says why (never with a secret). */
function logFailure(error: unknown): void {
  log.error(`Reading the stored credential failed: ${error instanceof Error ? error.name : typeof error}`);
}

function loadDataLayer() {
  return import('../ductape');
}

const labelOf = (session: SessionInfo) => session.email ?? session.displayName ?? session.userId;

/** A credential, and what is built from it on first use. */
class Connection {
  private opened: Promise<DuctapeClient> | undefined;
  catalog?: Promise<WebhookCatalog>;
  /** The workspace the catalog is of, once it is open. */
  workspace?: Workspace;
  /** The latest session, kept from before or given by an exchange. */
  session: SessionInfo | undefined;
  /** The tree kept from an earlier window seeds the first catalog of a restored connection. */
  seedFromCache: boolean;

  private exchangeWith: Credential | undefined;

  constructor(
    public stored: StoredCredential,
    private readonly onSession: (connection: Connection, session: SessionInfo) => void,
    options: { session?: SessionInfo; exchangeWith?: Credential; restored?: boolean } = {},
  ) {
    this.session = options.session;
    this.exchangeWith = options.exchangeWith ?? exchangeableCredential(stored);
    this.seedFromCache = options.restored ?? false;
  }

  /** After the first exchange: what is kept of the credential (a password is forgotten here too). */
  signedIn(stored: StoredCredential): void {
    this.stored = stored;
    this.exchangeWith = exchangeableCredential(stored);
  }

  /** The client, created (and the data layer loaded) on first use, never at activation. */
  client(): Promise<DuctapeClient> {
    hideFromLog(...(this.exchangeWith ? secretsOf(this.exchangeWith) : []), this.session?.token, this.session?.publicKey);
    this.opened ??= loadDataLayer().then(
      ({ DuctapeClient }) =>
        new DuctapeClient({
          apiUrl: apiUrl(),
          webhookHost: webhookHost(),
          credential: this.exchangeWith,
          session: this.session,
          onSession: (session) => {
            hideFromLog(session.token, session.publicKey);
            this.session = session;
            this.onSession(this, session);
          },
          onSkipped: ({ call, index, problem }) => log.warn(`Left out item ${index} of ${call}: ${problem}`),
          onRequest: logRequest,
        }),
    );
    // A bad server setting fails here, naming the setting, and is read again next time.
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  async close(): Promise<void> {
    const catalog = await this.catalog?.catch(() => undefined);
    catalog?.invalidate();
    const client = await this.opened?.catch(() => undefined);
    await client?.close();
  }
}

export class Account implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires on sign-in, sign-out, a workspace switch and a change of server. */
  readonly onDidChange = this.changed.event;
  private readonly identityChanged = new vscode.EventEmitter<void>();
  /** Fires when who is signed in, or the workspace they work in, becomes known or changes. */
  readonly onDidChangeIdentity = this.identityChanged.event;
  private connection: Connection | undefined;
  private signedIn = false;
  private started: Promise<void> | undefined;
  private isStarted = false;
  /** The last sign-out was the server refusing the credential: later refusals are the same news. */
  private signedOutByRefusal = false;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.identityChanged];

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly treeCache: TreeCache,
  ) {
    this.disposables.push(
      context.secrets.onDidChange((event) => {
        if (event.key === SECRET_KEYS.credential) void this.restore().catch(logFailure);
      }),
    );
  }

  get isSignedIn(): boolean {
    return this.signedIn;
  }

  /** Whether the stored credential has been read at start-up. */
  get isReady(): boolean {
    return this.isStarted;
  }

  /**
   * Settles once the stored credential has been read at start-up. Activation does not wait for
   * it (the read is a round trip to the secret store); the view does, after showing the kept tree.
   */
  get ready(): Promise<void> {
    return this.started ?? Promise.resolve();
  }

  /** Starts reading the stored credential; `ready` settles when it is done. */
  start(): void {
    this.started = this.restore()
      .catch(logFailure)
      .finally(() => {
        this.isStarted = true;
        void vscode.commands.executeCommand('setContext', ContextKeys.ready, true);
      });
  }

  /** Follows the stored credential, without any request: at start-up and when another window changed it. */
  async restore(): Promise<void> {
    const before = this.connection;
    const [credentialText, sessionText, legacyKey] = await Promise.all([
      this.context.secrets.get(SECRET_KEYS.credential),
      this.context.secrets.get(SECRET_KEYS.session),
      this.context.secrets.get(SECRET_KEYS.legacyAccessKey),
    ]);
    // A sign-in or sign-out of this window meanwhile is newer than what was read.
    if (this.connection !== before) return;
    const stored = parseStoredCredential(credentialText, legacyKey);
    if (stored && this.connection && sameCredential(stored, this.connection.stored)) return;
    let session: SessionInfo | undefined;
    try {
      session = parseStoredSession(sessionText, apiUrl());
    } catch {
      session = undefined;
    }
    if (stored && legacyKey) await this.moveLegacyKey(stored);
    await this.replaceConnection(stored ? this.connectionOf(stored, { session, restored: true }) : undefined);
  }

  /**
   * Exchanges the credential with the server and, only when that works, keeps it (a password:
   * only the session it gave). The products are asked for before anything is stored, so that the
   * view does not wait for the secret store. Throws the data layer's typed error otherwise,
   * having stored nothing.
   */
  async signIn(credential: Credential, signal?: AbortSignal): Promise<SessionInfo> {
    const connection = this.connectionOf({ kind: 'session' }, { exchangeWith: credential });
    let session: SessionInfo;
    try {
      session = await (await connection.client()).signIn(signal);
    } catch (error) {
      await connection.close();
      throw error;
    }
    connection.signedIn(storedFormOf(credential, session));
    // Workspace credentials name their workspace: it is the one opened, not this window's last.
    if (credential.kind === 'workspace') await this.chooseWorkspace(credential.workspaceId);
    const replaced = this.replaceConnection(connection);
    // The products are asked for now: the view, redrawn by the change, shares this load.
    void this.catalog().then((catalog) => catalog.products().catch(() => undefined), () => undefined);
    await replaced;
    await this.context.secrets.store(SECRET_KEYS.credential, JSON.stringify(connection.stored));
    await this.keepSession(connection, session);
    await this.remember({ userId: session.userId, label: labelOf(session) });
    log.info(`Signed in as ${labelOf(session)} (${credential.kind})`);
    return session;
  }

  /**
   * When the server refuses the stored credential or its session (a 403, or a 401 after a fresh
   * exchange), signs out and offers to sign in again: once, however many loads failed together,
   * and never by itself again. Resolves true when the error was such a refusal.
   */
  async refused(error: unknown): Promise<boolean> {
    if (!(error instanceof AuthError)) return false;
    if (!this.connection) return this.signedOutByRefusal;
    // Set before any wait: a refusal arriving meanwhile is the same news.
    this.signedOutByRefusal = true;
    await this.replaceConnection(undefined);
    await this.forgetSecrets();
    log.warn(`The stored credential was refused (${error.status}); signed out`);
    const signIn = vscode.l10n.t('Sign In…');
    void notify
      .warning(vscode.l10n.t('{0} You have been signed out of Ductape.', describeError(error)), signIn)
      .then((choice) => {
        if (choice === signIn) void vscode.commands.executeCommand(Commands.signIn);
      });
    return true;
  }

  /** Who is signed in, as last seen; undefined when signed out. */
  get identity(): AccountIdentity | undefined {
    const stored = this.signedIn ? this.context.globalState.get<AccountIdentity>(IDENTITY_STATE) : undefined;
    const workspace = this.connection?.workspace;
    // The open catalog's workspace is the truth; the stored one serves until it is open.
    return stored && workspace
      ? { ...stored, workspaceId: workspace.workspace_id, workspaceName: workspace.workspace_name }
      : stored;
  }

  /**
   * Where the tree of this window was kept, known before the secret store is read: the last
   * identity and this window's workspace. Undefined when nobody signed in.
   */
  expectedCacheScope(): CacheScope | undefined {
    const identity = this.context.globalState.get<AccountIdentity>(IDENTITY_STATE);
    const workspaceId = this.context.workspaceState.get<string>(WORKSPACE_STATE) ?? identity?.workspaceId;
    if (!identity || !workspaceId) return undefined;
    try {
      return { apiUrl: apiUrl(), userId: identity.userId, workspaceId };
    } catch {
      return undefined;
    }
  }

  /** The scope of the open catalog, to keep its tree under. */
  cacheScopeOf(catalog: WebhookCatalog): CacheScope | undefined {
    const userId = this.connection?.session?.userId;
    return userId ? { apiUrl: apiUrl(), userId, workspaceId: catalog.workspaceId } : undefined;
  }

  async signOut(): Promise<void> {
    await this.replaceConnection(undefined);
    await this.forgetSecrets();
    log.info('Signed out');
  }

  /** The signed-in session (exchanging the credential if this window has none yet). */
  async session(signal?: AbortSignal): Promise<SessionInfo> {
    return (await this.requireConnection().client()).signIn(signal);
  }

  /** The selected workspace's catalog; the same object until the workspace or server changes. */
  catalog(): Promise<WebhookCatalog> {
    const connection = this.requireConnection();
    if (!connection.catalog) {
      const opening = this.openCatalog(connection);
      // A failed opening (say, the server was down) is tried again next time.
      opening.catch(() => {
        if (connection.catalog === opening) connection.catalog = undefined;
      });
      connection.catalog = opening;
    }
    return connection.catalog;
  }

  async switchWorkspace(workspace: Workspace): Promise<void> {
    const connection = this.requireConnection();
    const previous = connection.catalog;
    connection.catalog = undefined;
    connection.workspace = workspace;
    connection.seedFromCache = false;
    // The old workspace's loads are cancelled, not left running behind the new one.
    void previous?.then((catalog) => catalog.invalidate(), () => undefined);
    await this.chooseWorkspace(workspace.workspace_id);
    this.changed.fire();
    this.identityChanged.fire();
  }

  /**
   * Loads everything afresh: the credential is exchanged again (so that new workspaces appear),
   * unless it is a password sign-in's session, which cannot be; its catalog is reloaded.
   */
  async refresh(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    if (exchangeableCredential(connection.stored)) {
      await this.replaceConnection(this.connectionOf(connection.stored, { workspace: connection.workspace }));
      return;
    }
    const catalog = await connection.catalog?.catch(() => undefined);
    catalog?.invalidate();
    this.changed.fire();
  }

  /** A new connection with the same credential, after the server setting changed (its session is not reused). */
  async reconnect(): Promise<void> {
    if (this.connection) await this.replaceConnection(this.connectionOf(this.connection.stored));
  }

  dispose(): void {
    void this.connection?.close();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private connectionOf(
    stored: StoredCredential,
    options: { session?: SessionInfo; exchangeWith?: Credential; restored?: boolean; workspace?: Workspace } = {},
  ): Connection {
    const connection = new Connection(stored, (from, session) => void this.keepSession(from, session), options);
    connection.workspace = options.workspace;
    return connection;
  }

  private requireConnection(): Connection {
    if (!this.connection) throw new SignInRequiredError();
    return this.connection;
  }

  private async openCatalog(connection: Connection): Promise<WebhookCatalog> {
    const [{ WebhookCatalog }, client] = await Promise.all([loadDataLayer(), connection.client()]);
    const session = await client.signIn();
    const workspace = this.workspaceFor(connection, session.workspaces);
    if (!workspace) throw new Notice(vscode.l10n.t('This Ductape account has no workspace.'));
    connection.workspace = workspace;
    const catalog = new WebhookCatalog(client, workspace.workspace_id);
    const scope = this.cacheScopeOf(catalog);
    const snapshot: CatalogSnapshot | undefined = connection.seedFromCache && scope ? await this.treeCache.read(scope) : undefined;
    if (snapshot) catalog.prime(snapshot);
    connection.seedFromCache = false;
    // Not waited for: the first request must not queue behind the editor's own bookkeeping.
    void vscode.commands.executeCommand('setContext', ContextKeys.multipleWorkspaces, session.workspaces.length > 1);
    void this.remember({
      userId: session.userId,
      label: labelOf(session),
      workspaceId: workspace.workspace_id,
      workspaceName: workspace.workspace_name,
    });
    return catalog;
  }

  /** This window's workspace from now on, and the default of new windows. */
  private async chooseWorkspace(workspaceId: string): Promise<void> {
    await Promise.all([
      this.context.workspaceState.update(WORKSPACE_STATE, workspaceId),
      this.context.globalState.update(WORKSPACE_STATE, workspaceId),
    ]);
  }

  /** This window's workspace, else the last one chosen, else the credential's, else the default. */
  private workspaceFor(connection: Connection, workspaces: readonly Workspace[]): Workspace | undefined {
    const wanted = [
      connection.workspace?.workspace_id,
      this.context.workspaceState.get<string>(WORKSPACE_STATE),
      this.context.globalState.get<string>(WORKSPACE_STATE),
      connection.stored.kind === 'workspace' ? connection.stored.workspaceId : undefined,
    ];
    for (const id of wanted) {
      const found = id && workspaces.find((entry) => entry.workspace_id === id);
      if (found) return found;
    }
    return workspaces.find((entry) => entry.default) ?? workspaces[0];
  }

  /** Stores a connection's latest session, if it is still this window's (and not after a sign-out). */
  private async keepSession(connection: Connection, session: SessionInfo): Promise<void> {
    if (connection !== this.connection) return;
    try {
      await this.context.secrets.store(SECRET_KEYS.session, JSON.stringify({ apiUrl: apiUrl(), session }));
      // Signed out while it was being stored: no token stays behind.
      if (!this.connection) await this.context.secrets.delete(SECRET_KEYS.session);
    } catch (error) {
      logFailure(error);
    }
  }

  private async moveLegacyKey(stored: StoredCredential): Promise<void> {
    await this.context.secrets.store(SECRET_KEYS.credential, JSON.stringify(stored));
    await this.context.secrets.delete(SECRET_KEYS.legacyAccessKey);
  }

  private async forgetSecrets(): Promise<void> {
    await Promise.all([
      ...Object.values(SECRET_KEYS).map((key) => this.context.secrets.delete(key)),
      this.treeCache.clear(),
    ]);
  }

  /** Stores who is signed in; the workspace already known for the same user is kept. */
  private async remember(identity: AccountIdentity | undefined): Promise<void> {
    const previous = this.context.globalState.get<AccountIdentity>(IDENTITY_STATE);
    const sameUser = identity && previous?.userId === identity.userId;
    await this.context.globalState.update(IDENTITY_STATE, sameUser ? { ...previous, ...identity } : identity);
    this.identityChanged.fire();
  }

  /** Takes effect at once (before its first wait), so that a caller may use the new connection right away. */
  private async replaceConnection(connection: Connection | undefined): Promise<void> {
    const previous = this.connection;
    this.connection = connection;
    this.signedIn = connection !== undefined;
    if (connection) this.signedOutByRefusal = false;
    const contextSet = vscode.commands.executeCommand('setContext', ContextKeys.signedIn, this.signedIn);
    this.changed.fire();
    if (!connection) await this.remember(undefined);
    if (previous && previous !== connection) await previous.close();
    await contextSet;
  }
}
