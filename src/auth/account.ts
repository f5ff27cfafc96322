/**
 * Who is signed in, and the connection made from it. The access key lives in SecretStorage and
 * in the in-memory client only. Nothing here touches the network until a view or command asks
 * for data: the data layer itself is loaded on first use.
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../common/commandIds';
import { Notice, describeError } from '../common/errors';
import { log } from '../common/log';
import { notify } from '../common/notify';
import { apiUrl, proxySettings } from '../common/settings';
import type { DuctapeClient, SessionInfo, WebhookCatalog } from '../ductape';
import type { Workspace } from '../ductape/contract';
import { AuthError, SignInRequiredError } from '../ductape/errors';

const ACCESS_KEY_SECRET = 'ductape.accessKey';
const WORKSPACE_STATE = 'ductape.workspace';
/** Who is signed in and which workspace is open, for the Accounts menu and the status bar. */
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
  log.error(`Reading the stored access key failed: ${error instanceof Error ? error.name : typeof error}`);
}

function loadDataLayer() {
  return import('../ductape');
}

/** A stored key, and what is built from it on first use. */
class Connection {
  private opened: Promise<DuctapeClient> | undefined;
  catalog?: Promise<WebhookCatalog>;
  /** The workspace the catalog is of, once it is open. */
  workspace?: Workspace;

  constructor(readonly key: string) {}

  /** The client, created (and the data layer loaded) on first use, never at activation. */
  client(): Promise<DuctapeClient> {
    this.opened ??= loadDataLayer().then(
      ({ DuctapeClient }) =>
        new DuctapeClient({
          apiUrl: apiUrl(),
          accessKey: this.key,
          proxy: proxySettings(),
          onRequest: (record) =>
            log.info(`${record.method} ${record.path} → ${record.status ?? record.error} (${record.durationMs} ms)`),
        }),
    );
    // A bad server setting fails here, naming the setting, and is read again next time.
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  async close(): Promise<void> {
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
  /** The last sign-out was the server refusing the key: later refusals are the same news. */
  private signedOutByRefusal = false;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.identityChanged];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(
      context.secrets.onDidChange((event) => {
        if (event.key === ACCESS_KEY_SECRET) void this.restore().catch(logFailure);
      }),
    );
  }

  get isSignedIn(): boolean {
    return this.signedIn;
  }

  /**
   * Settles once the stored key has been read at start-up. Activation does not wait for it (the
   * read is a round trip to the secret store); the view does.
   */
  get ready(): Promise<void> {
    return this.started ?? Promise.resolve();
  }

  /** Starts reading the stored key; `ready` settles when it is done. */
  start(): void {
    this.started = this.restore()
      .catch(logFailure)
      .finally(() => vscode.commands.executeCommand('setContext', ContextKeys.ready, true));
  }

  /** Follows the stored key, without any request: at start-up and when another window changed it. */
  async restore(): Promise<void> {
    const key = await this.context.secrets.get(ACCESS_KEY_SECRET);
    if (key && key === this.connection?.key) return;
    await this.replaceConnection(key ? new Connection(key) : undefined);
  }

  /**
   * Exchanges the key with the server, and only when that works stores it. Throws the data
   * layer's typed error otherwise, having stored nothing.
   */
  async signIn(rawKey: string, signal?: AbortSignal): Promise<SessionInfo> {
    const { normalizeAccessKey } = await import('../ductape/input');
    const key = normalizeAccessKey(rawKey);
    const connection = new Connection(key);
    let session: SessionInfo;
    try {
      session = await (await connection.client()).signIn(signal);
    } catch (error) {
      await connection.close();
      throw error;
    }
    await this.replaceConnection(connection);
    // Stored last: our own onDidChange handler then finds the same key and keeps this connection.
    await this.context.secrets.store(ACCESS_KEY_SECRET, key);
    await this.remember({ userId: session.userId, label: session.email ?? session.displayName ?? session.userId });
    log.info(`Signed in as ${session.email ?? session.userId}`);
    return session;
  }

  /**
   * When the server refuses the stored key (a 403, or a 401 after a fresh exchange), signs out
   * and offers to sign in again: once, however many loads failed together, and never by itself
   * again. Resolves true when the error was such a refusal.
   */
  async refused(error: unknown): Promise<boolean> {
    if (!(error instanceof AuthError)) return false;
    if (!this.connection) return this.signedOutByRefusal;
    // Set before any wait: a refusal arriving meanwhile is the same news.
    this.signedOutByRefusal = true;
    await this.replaceConnection(undefined);
    await this.context.secrets.delete(ACCESS_KEY_SECRET);
    log.warn(`The stored access key was refused (${error.status}); signed out`);
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
      ? { ...stored, workspaceId: workspace.workspace_id, workspaceName: workspace.workspace_name || workspace.workspace_id }
      : stored;
  }

  async signOut(): Promise<void> {
    await this.context.secrets.delete(ACCESS_KEY_SECRET);
    await this.replaceConnection(undefined);
    log.info('Signed out');
  }

  /** The signed-in session (exchanging the key if this window has not yet). */
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
    await this.context.globalState.update(WORKSPACE_STATE, workspace.workspace_id);
    const connection = this.requireConnection();
    connection.catalog = undefined;
    connection.workspace = workspace;
    this.changed.fire();
    this.identityChanged.fire();
  }

  /** Forgets everything loaded; the next read asks the server again. */
  async refresh(): Promise<void> {
    const catalog = await this.connection?.catalog?.catch(() => undefined);
    catalog?.invalidate();
  }

  /** A new connection with the same key, after the server setting changed. */
  async reconnect(): Promise<void> {
    if (this.connection) await this.replaceConnection(new Connection(this.connection.key));
  }

  dispose(): void {
    void this.connection?.close();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private requireConnection(): Connection {
    if (!this.connection) throw new SignInRequiredError();
    return this.connection;
  }

  private async openCatalog(connection: Connection): Promise<WebhookCatalog> {
    const { WebhookCatalog } = await loadDataLayer();
    const client = await connection.client();
    const session = await client.signIn();
    const { workspaces } = session;
    await vscode.commands.executeCommand('setContext', ContextKeys.multipleWorkspaces, workspaces.length > 1);
    const stored = this.context.globalState.get<string>(WORKSPACE_STATE);
    const workspace =
      workspaces.find((entry) => entry.workspace_id === stored) ??
      workspaces.find((entry) => entry.default) ??
      workspaces[0];
    if (!workspace) throw new Notice(vscode.l10n.t('This Ductape access key has no workspace.'));
    connection.workspace = workspace;
    await this.remember({
      userId: session.userId,
      label: session.email ?? session.displayName ?? session.userId,
      workspaceId: workspace.workspace_id,
      workspaceName: workspace.workspace_name || workspace.workspace_id,
    });
    return new WebhookCatalog(client, workspace.workspace_id);
  }

  /** Stores who is signed in; the workspace already known for the same user is kept. */
  private async remember(identity: AccountIdentity | undefined): Promise<void> {
    const previous = this.context.globalState.get<AccountIdentity>(IDENTITY_STATE);
    const sameUser = identity && previous?.userId === identity.userId;
    await this.context.globalState.update(IDENTITY_STATE, sameUser ? { ...previous, ...identity } : identity);
    this.identityChanged.fire();
  }

  private async replaceConnection(connection: Connection | undefined): Promise<void> {
    const previous = this.connection;
    this.connection = connection;
    this.signedIn = connection !== undefined;
    if (connection) this.signedOutByRefusal = false;
    else await this.remember(undefined);
    if (previous && previous !== connection) await previous.close();
    await vscode.commands.executeCommand('setContext', ContextKeys.signedIn, this.signedIn);
    this.changed.fire();
  }
}
