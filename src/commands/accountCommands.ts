import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { withSignal } from '../common/cancellation';
import { Commands } from '../common/commandIds';
import { log } from '../common/log';
import { notify } from '../common/notify';
import { InputError } from '../ductape/errors';
import type { WebhookTreeProvider } from '../views/webhookTree';
import { guarded } from '../common/guard';

/**
 * `keyArgument`: whether Sign In takes the key as an argument. Only the tests pass one: otherwise
 * anything that can run a command (a trusted link, another extension) could sign the person into
 * an account that is not theirs.
 */
export function registerAccountCommands(
  account: Account,
  tree: WebhookTreeProvider,
  keyArgument: boolean,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      Commands.signIn,
      guarded(undefined, (key?: unknown) => signIn(account, keyArgument && typeof key === 'string' ? key : undefined)),
    ),
    vscode.commands.registerCommand(
      Commands.signOut,
      guarded(undefined, async () => {
        await account.signOut();
        void notify.info(vscode.l10n.t('Signed out of Ductape.'));
      }),
    ),
    vscode.commands.registerCommand(Commands.switchWorkspace, guarded(account, () => switchWorkspace(account))),
    vscode.commands.registerCommand(
      Commands.refresh,
      guarded(account, async () => {
        await account.refresh();
        tree.refresh();
      }),
    ),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  ];
}

/**
 * Asks for the key (unless a caller passes one), exchanges it, and stores it only when the
 * server accepted it. Resolves true when signed in.
 */
async function signIn(account: Account, given?: string): Promise<boolean> {
  const { normalizeAccessKey } = await import('../ductape/input');
  const key =
    given ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign In to Ductape'),
      prompt: vscode.l10n.t("Paste your Ductape access key. It is kept in VS Code's secret storage and nowhere else."),
      placeHolder: vscode.l10n.t('Ductape access key'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        if (!value) return undefined;
        try {
          normalizeAccessKey(value);
          return undefined;
        } catch (error) {
          return error instanceof InputError ? error.message : undefined;
        }
      },
    }));
  if (key === undefined) return false;
  const session = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to Ductape…'), cancellable: true },
    (_progress, token) => withSignal(token, (signal) => account.signIn(key, signal)),
  );
  void notify.info(
    vscode.l10n.t('Signed in to Ductape as {0}.', session.email ?? session.displayName ?? session.userId),
  );
  return true;
}

async function switchWorkspace(account: Account): Promise<void> {
  const [session, catalog] = await Promise.all([account.session(), account.catalog()]);
  const picked = await vscode.window.showQuickPick(
    session.workspaces.map((workspace) => ({
      label: workspace.workspace_name || workspace.workspace_id,
      description: workspace.workspace_id === catalog.workspaceId ? vscode.l10n.t('current') : '',
      workspace,
    })),
    { title: vscode.l10n.t('Switch Ductape Workspace'), placeHolder: vscode.l10n.t('Choose a workspace') },
  );
  if (picked) await account.switchWorkspace(picked.workspace);
}
