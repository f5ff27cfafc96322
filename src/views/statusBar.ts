import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { guarded } from '../common/guard';
import { Commands } from '../common/commandIds';
import { defaultEnvironment, setDefaultEnvironment, showStatusBar } from '../common/settings';

/**
 * The status bar item: the current workspace and default environment; a click offers to switch
 * either. Hidden when signed out, and when `ductape.statusBar.enabled` is off.
 */
export class DuctapeStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ductape.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[];
  private visible = false;

  constructor(private readonly account: Account) {
    this.item.name = vscode.l10n.t('Ductape Workspace');
    this.item.command = Commands.showStatusMenu;
    this.disposables = [
      this.item,
      account.onDidChange(() => this.update()),
      account.onDidChangeIdentity(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('ductape')) this.update();
      }),
      vscode.commands.registerCommand(Commands.showStatusMenu, guarded(account, () => this.showMenu())),
      vscode.commands.registerCommand(Commands.setDefaultEnvironment, guarded(account, () => this.pickEnvironment())),
    ];
    this.update();
  }

  /** What the item says now, or undefined when hidden (tests read it). */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private update(): void {
    const identity = this.account.identity;
    this.visible = Boolean(identity) && showStatusBar();
    if (!this.visible || !identity) {
      this.item.hide();
      return;
    }
    const workspace = identity.workspaceName ?? vscode.l10n.t('Ductape');
    const env = defaultEnvironment() ?? vscode.l10n.t('last used');
    this.item.text = `$(link) ${workspace} · ${env}`;
    this.item.tooltip = vscode.l10n.t(
      'Ductape: signed in as {0}, workspace {1}, default environment {2}. Click to switch.',
      identity.label,
      workspace,
      env,
    );
    this.item.show();
  }

  private async showMenu(): Promise<void> {
    const identity = this.account.identity;
    const switchWorkspace = {
      label: vscode.l10n.t('$(organization) Switch Workspace…'),
      description: identity?.workspaceName,
      command: Commands.switchWorkspace,
    };
    const setEnvironment = {
      label: vscode.l10n.t('$(server-environment) Set Default Environment…'),
      description: defaultEnvironment() ?? vscode.l10n.t('last used'),
      command: Commands.setDefaultEnvironment,
    };
    const picked = await vscode.window.showQuickPick([switchWorkspace, setEnvironment], {
      title: vscode.l10n.t('Ductape'),
      placeHolder: vscode.l10n.t('Switch the workspace or the default environment'),
    });
    if (picked) await vscode.commands.executeCommand(picked.command);
  }

  /** Environments of the workspace's products, or "last used". Resolves the slug chosen. */
  private async pickEnvironment(): Promise<string | undefined> {
    const products = await (await this.account.catalog()).products();
    const names = new Map(products.flatMap((product) => product.envs?.map((env) => [env.slug, env.env_name] as const) ?? []));
    const current = defaultEnvironment();
    const mark = (isCurrent: boolean, name?: string) =>
      [name, isCurrent && vscode.l10n.t('current')].filter(Boolean).join(' · ');
    const items = [
      { label: vscode.l10n.t('Last used'), description: mark(!current), slug: '' },
      ...[...names].map(([slug, name]) => ({ label: slug, description: mark(slug === current, name), slug })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Default Environment for Ductape Links'),
      placeHolder: vscode.l10n.t('Pre-selected when you pick a link'),
    });
    if (!picked) return undefined;
    await setDefaultEnvironment(picked.slug);
    return picked.slug;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
