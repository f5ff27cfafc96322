import * as vscode from 'vscode';
import type { Account } from './account';
import { pickSignInMethod } from './signIn';

const AUTH_PROVIDER_ID = 'ductape';

/**
 * Shows the signed-in Ductape account in VS Code's Accounts menu, with Sign Out there. It is a
 * view of the same account the Webhooks view uses (the same secrets and sign-in flows), and it
 * hands out no credential: the session's `accessToken` is empty, since the credential and the
 * token never leave this extension.
 */
export class DuctapeAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly sessionsChanged = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private readonly disposables: vscode.Disposable[];
  private current: vscode.AuthenticationSession | undefined;

  constructor(private readonly account: Account) {
    this.disposables = [
      this.sessionsChanged,
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Ductape', this, {
        supportsMultipleAccounts: false,
      }),
      account.onDidChangeIdentity(() => this.follow()),
      account.onDidChange(() => this.follow()),
    ];
  }

  getSessions(): Promise<vscode.AuthenticationSession[]> {
    this.current = this.sessionOf();
    return Promise.resolve(this.current ? [this.current] : []);
  }

  /** "Sign in with Ductape" from the Accounts menu: the extension's own flows, all three offered. */
  async createSession(): Promise<vscode.AuthenticationSession> {
    await pickSignInMethod();
    const session = this.sessionOf();
    if (!session) throw new Error(vscode.l10n.t('Signing in to Ductape was cancelled or failed.'));
    return session;
  }

  /** VS Code itself confirms the sign-out, so no notice of ours follows. */
  async removeSession(_sessionId: string): Promise<void> {
    await this.account.signOut();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private sessionOf(): vscode.AuthenticationSession | undefined {
    const identity = this.account.identity;
    if (!identity) return undefined;
    return { id: identity.userId, accessToken: '', account: { id: identity.userId, label: identity.label }, scopes: [] };
  }

  private follow(): void {
    const next = this.sessionOf();
    const previous = this.current;
    if (previous?.id === next?.id && previous?.account.label === next?.account.label) return;
    this.current = next;
    this.sessionsChanged.fire({
      added: next && !previous ? [next] : [],
      removed: previous && !next ? [previous] : [],
      changed: previous && next ? [next] : [],
    });
  }
}
