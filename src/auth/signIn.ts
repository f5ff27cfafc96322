/**
 * The three ways to sign in, each asked for in one input (several steps with Back where it has
 * several fields, secrets in password boxes), checked before anything is sent, exchanged with
 * the server, and kept only when the server accepted them.
 */
import * as vscode from 'vscode';
import { withSignal } from '../common/cancellation';
import { Commands } from '../common/commandIds';
import { notify } from '../common/notify';
import type { Credential } from '../ductape/contract';
import { CodeRequiredError, InputError } from '../ductape/errors';
import type { SessionInfo } from '../ductape/session';
import type { Account } from './account';

interface InputStep {
  prompt: string;
  placeholder: string;
  password?: boolean;
  /** Throws an InputError naming what is wrong; the message is shown under the box. */
  check(value: string): unknown;
}

const BACK = Symbol('back');

/** One input box, step after step, with Back; resolves the answers, or undefined when cancelled. */
export async function askInSteps(title: string, steps: readonly InputStep[]): Promise<string[] | undefined> {
  const answers: string[] = [];
  for (let index = 0; index < steps.length; ) {
    const answer = await askStep(title, steps[index], index, steps.length, answers[index] ?? '');
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      index--;
      continue;
    }
    answers[index] = answer;
    index++;
  }
  return answers;
}

function messageOf(step: InputStep, value: string): string | undefined {
  if (!value) return undefined;
  try {
    step.check(value);
    return undefined;
  } catch (error) {
    return error instanceof InputError ? error.message : undefined;
  }
}

function askStep(title: string, step: InputStep, index: number, total: number, value: string): Promise<string | typeof BACK | undefined> {
  const input = vscode.window.createInputBox();
  input.title = title;
  input.step = total > 1 ? index + 1 : undefined;
  input.totalSteps = total > 1 ? total : undefined;
  input.prompt = step.prompt;
  input.placeholder = step.placeholder;
  input.password = step.password ?? false;
  input.ignoreFocusOut = true;
  input.value = value;
  input.buttons = index > 0 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: string | typeof BACK | undefined) => {
      if (settled) return;
      settled = true;
      input.dispose();
      resolve(result);
    };
    input.onDidChangeValue((text) => (input.validationMessage = messageOf(step, text)));
    input.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish(BACK);
    });
    input.onDidAccept(() => {
      const message = messageOf(step, input.value) ?? (input.value ? undefined : vscode.l10n.t('This cannot be empty.'));
      if (message) input.validationMessage = message;
      else finish(input.value);
    });
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}

/** Exchanges a credential with progress (cancellable), then tells who signed in. */
async function exchange(account: Account, credential: Credential): Promise<SessionInfo> {
  const session = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to Ductape…'), cancellable: true },
    (_progress, token) => withSignal(token, (signal) => account.signIn(credential, signal)),
  );
  void notify.info(vscode.l10n.t('Signed in to Ductape as {0}.', session.email ?? session.displayName ?? session.userId));
  return session;
}

async function loadInputChecks() {
  return import('../ductape/input');
}

/** The access key: one password box. */
export async function signInWithAccessKey(account: Account, given?: string): Promise<boolean> {
  const { normalizeAccessKey } = await loadInputChecks();
  const [key] =
    (given === undefined
      ? await askInSteps(vscode.l10n.t('Sign In to Ductape with an Access Key'), [
          {
            prompt: vscode.l10n.t("Paste your Ductape access key. It is kept in VS Code's secret storage and nowhere else."),
            placeholder: vscode.l10n.t('Ductape access key'),
            password: true,
            check: normalizeAccessKey,
          },
        ])
      : [given]) ?? [];
  if (key === undefined) return false;
  await exchange(account, { kind: 'accessKey', accessKey: normalizeAccessKey(key) });
  return true;
}

export interface WorkspaceCredentialAnswers {
  userId: string;
  workspaceId: string;
  privateKey: string;
}

/** Workspace credentials (`ductape credentials --info`): user ID, workspace ID, private key. */
export async function signInWithCredentials(account: Account, given?: WorkspaceCredentialAnswers): Promise<boolean> {
  const { checkWorkspaceCredential, checkIdentifier } = await loadInputChecks();
  let answers = given;
  if (!answers) {
    const sample = { userId: '0'.repeat(24), workspaceId: 'workspace', privateKey: 'key' };
    const asked = await askInSteps(vscode.l10n.t('Sign In to Ductape with Workspace Credentials'), [
      {
        prompt: vscode.l10n.t('Your Ductape user ID (24 letters and digits), as `ductape credentials --info` shows it.'),
        placeholder: vscode.l10n.t('User ID'),
        check: (userId) => checkWorkspaceCredential({ ...sample, userId }),
      },
      {
        prompt: vscode.l10n.t('The ID of the workspace to sign in to.'),
        placeholder: vscode.l10n.t('Workspace ID'),
        check: (workspaceId) => checkIdentifier('workspace ID', workspaceId.trim()),
      },
      {
        prompt: vscode.l10n.t("Your private key. It is kept in VS Code's secret storage and nowhere else."),
        placeholder: vscode.l10n.t('Private key'),
        password: true,
        check: (privateKey) => checkWorkspaceCredential({ ...sample, privateKey }),
      },
    ]);
    if (!asked) return false;
    answers = { userId: asked[0], workspaceId: asked[1], privateKey: asked[2] };
  }
  await exchange(account, checkWorkspaceCredential(answers));
  return true;
}

export interface EmailAnswers {
  email: string;
  password: string;
  /** The one-time code, for accounts with two-step verification. */
  code?: string;
}

/**
 * Email and password, as on ductape.app. The password is exchanged and forgotten: only the
 * session it gave is kept. An account with two-step verification is then asked for its code.
 */
export async function signInWithEmail(account: Account, given?: EmailAnswers): Promise<boolean> {
  const { checkEmail, checkLoginCode } = await loadInputChecks();
  let answers = given;
  if (!answers) {
    const asked = await askInSteps(vscode.l10n.t('Sign In to Ductape with Email and Password'), [
      { prompt: vscode.l10n.t('The email address of your Ductape account.'), placeholder: vscode.l10n.t('Email'), check: checkEmail },
      {
        prompt: vscode.l10n.t('Your Ductape password. It is sent to Ductape once and not kept: only the session it opens is.'),
        placeholder: vscode.l10n.t('Password'),
        password: true,
        check: () => undefined,
      },
    ]);
    if (!asked) return false;
    answers = { email: asked[0], password: asked[1] };
  }
  try {
    await exchange(account, { kind: 'password', email: checkEmail(answers.email), password: answers.password });
  } catch (error) {
    if (!(error instanceof CodeRequiredError)) throw error;
    const code =
      answers.code ??
      (
        await askInSteps(vscode.l10n.t('Two-Step Verification'), [
          {
            prompt: vscode.l10n.t('Enter the 6-character code Ductape sent you.'),
            placeholder: vscode.l10n.t('One-time code'),
            check: checkLoginCode,
          },
        ])
      )?.[0];
    if (code === undefined) return false;
    await exchange(account, { kind: 'code', userId: error.userId, code: checkLoginCode(code) });
  }
  return true;
}

/** The three ways, for the Accounts menu's "Sign in with Ductape". */
export async function pickSignInMethod(): Promise<boolean> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('$(key) Access Key'), detail: vscode.l10n.t('An access key from your Ductape workspace settings'), command: Commands.signIn },
      {
        label: vscode.l10n.t('$(organization) Workspace Credentials'),
        detail: vscode.l10n.t('User ID, workspace ID and private key (`ductape credentials --info`)'),
        command: Commands.signInWithCredentials,
      },
      { label: vscode.l10n.t('$(mail) Email and Password'), detail: vscode.l10n.t('As on ductape.app; only the session is kept'), command: Commands.signInWithEmail },
    ],
    { title: vscode.l10n.t('Sign In to Ductape'), placeHolder: vscode.l10n.t('How do you want to sign in?') },
  );
  return picked ? Boolean(await vscode.commands.executeCommand<boolean>(picked.command)) : false;
}
