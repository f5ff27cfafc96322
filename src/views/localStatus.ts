import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { Commands, ContextKeys } from '../common/commandIds';
import { guarded } from '../common/guard';
import { notify } from '../common/notify';
import { type LocalDestinations, hostOf } from '../ductape/localDestinations';

/**
 * While any registration delivers to this machine, a status bar item says so ("dev →
 * localhost:3000"); a click offers to send a sample, show the deliveries or restore. A window
 * cannot ask anything as it closes: the next window offers to restore what is still pointed here.
 */
export class LocalDeliveryStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ductape.local', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly account: Account,
    private readonly locals: LocalDestinations,
  ) {
    this.item.name = vscode.l10n.t('Ductape: Receiving on This Machine');
    this.item.command = Commands.showLocalMenu;
    this.disposables = [
      this.item,
      account.onDidChange(() => this.update()),
      vscode.commands.registerCommand(Commands.showLocalMenu, guarded(account, () => this.showMenu())),
    ];
    this.update();
    void account.ready.then(() => this.offerRestoreLeftOver());
  }

  /** What the item says now, or undefined when hidden (tests read it). */
  get text(): string | undefined {
    return this.locals.all().length && this.account.isSignedIn ? this.item.text : undefined;
  }

  update(): void {
    const all = this.account.isSignedIn ? this.locals.all() : [];
    void vscode.commands.executeCommand('setContext', ContextKeys.receivingLocally, all.length > 0);
    if (!all.length) {
      this.item.hide();
      return;
    }
    const [first] = all;
    this.item.text =
      all.length === 1
        ? `$(radio-tower) ${first.request.env} → ${hostOf(first.local)}`
        : `$(radio-tower) ${vscode.l10n.t('{0} destinations → this machine', all.length)}`;
    this.item.tooltip = new vscode.MarkdownString(
      [
        vscode.l10n.t('Ductape delivers here:'),
        ...all.map((entry) => `- \`${entry.request.env}\` ${entry.request.event} (${entry.request.app}) → ${entry.local.method} ${entry.local.url}`),
      ].join('\n'),
    );
    this.item.show();
  }

  /** Before a sign-out: the person may put back what points here while the account is still open. */
  async offerRestoreBeforeSignOut(): Promise<void> {
    const count = this.locals.all().length;
    if (!count) return;
    const restore = vscode.l10n.t('Restore and Sign Out');
    const signOut = vscode.l10n.t('Sign Out');
    const answer = await notify.ask(
      vscode.l10n.t('{0} destination(s) still point at this machine. Restore them before signing out?', count),
      vscode.l10n.t('Once signed out, the extension cannot put them back until you sign in again.'),
      restore,
      signOut,
    );
    if (answer === restore) await vscode.commands.executeCommand(Commands.restoreDestination, { all: true });
    else if (answer !== signOut) throw new vscode.CancellationError();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async showMenu(): Promise<void> {
    const [first] = this.locals.all();
    const request = this.locals.all().length === 1 ? first?.request : undefined;
    const items = [
      { label: vscode.l10n.t('$(debug-start) Send Sample Event…'), command: Commands.sendSample },
      { label: vscode.l10n.t('$(history) Show Recent Deliveries…'), command: Commands.showDeliveries },
      { label: vscode.l10n.t('$(discard) Restore Destination…'), command: Commands.restoreDestination },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Receiving on This Machine'),
      placeHolder: request ? `${request.env} · ${request.event} → ${first.local.url}` : vscode.l10n.t('Deliveries pointed at this machine'),
    });
    if (picked) await vscode.commands.executeCommand(picked.command, request);
  }

  /** An earlier window left registrations pointed here: offered once, not forced. */
  private offerRestoreLeftOver(): void {
    const count = this.locals.all().length;
    if (!count || !this.account.isSignedIn) return;
    const restore = vscode.l10n.t('Restore…');
    void notify
      .info(vscode.l10n.t('{0} Ductape destination(s) still point at this machine from an earlier session.', count), restore)
      .then((choice) => {
        if (choice === restore) void vscode.commands.executeCommand(Commands.restoreDestination);
      });
  }
}
