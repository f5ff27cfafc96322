import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands } from '../common/commandIds';
import { log } from '../common/log';
import { notify } from '../common/notify';
import { type EmailAnswers, type WorkspaceCredentialAnswers, signInWithAccessKey, signInWithCredentials, signInWithEmail } from '../auth/signIn';
import type { LocalDeliveryStatus } from '../views/localStatus';
import type { WebhookTreeProvider } from '../views/webhookTree';
import { guarded } from '../common/guard';

/**
 * `testArguments`: whether the sign-in commands take their answers as an argument. Only the
 * tests pass them: otherwise anything that can run a command (a trusted link, another extension)
 * could sign the person into an account that is not theirs.
 */
export function registerAccountCommands(
  account: Account,
  tree: WebhookTreeProvider,
  localStatus: LocalDeliveryStatus,
  testArguments: boolean,
): vscode.Disposable[] {
  const given = <T>(argument: unknown, isGiven: (value: unknown) => boolean): T | undefined =>
    testArguments && isGiven(argument) ? (argument as T) : undefined;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null;
  return [
    vscode.commands.registerCommand(
      Commands.signIn,
      guarded(undefined, (key?: unknown) => signInWithAccessKey(account, given<string>(key, (value) => typeof value === 'string'))),
    ),
    vscode.commands.registerCommand(
      Commands.signInWithCredentials,
      guarded(undefined, (answers?: unknown) => signInWithCredentials(account, given<WorkspaceCredentialAnswers>(answers, isObject))),
    ),
    vscode.commands.registerCommand(
      Commands.signInWithEmail,
      guarded(undefined, (answers?: unknown) => signInWithEmail(account, given<EmailAnswers>(answers, isObject))),
    ),
    vscode.commands.registerCommand(
      Commands.signOut,
      guarded(undefined, async () => {
        await localStatus.offerRestoreBeforeSignOut();
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

async function switchWorkspace(account: Account): Promise<void> {
  const [session, catalog] = await Promise.all([account.session(), account.catalog()]);
  const picked = await vscode.window.showQuickPick(
    session.workspaces.map((workspace) => ({
      label: workspace.workspace_name,
      description: workspace.workspace_id === catalog.workspaceId ? vscode.l10n.t('current') : '',
      workspace,
    })),
    { title: vscode.l10n.t('Switch Ductape Workspace'), placeHolder: vscode.l10n.t('Choose a workspace') },
  );
  if (picked) await account.switchWorkspace(picked.workspace);
}
