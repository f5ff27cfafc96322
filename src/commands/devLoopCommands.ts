/**
 * The webhook development loop: where Ductape delivers (Set Destination), events on this
 * machine (Receive on This Machine, Restore Destination), sample events (Open Sample Payload,
 * Send Sample Event) and what was delivered (Recent Deliveries). Every write to the account is
 * one the person asked for, and one in production only after a modal question.
 */
import * as vscode from 'vscode';
import type { Account } from '../auth/account';
import { withSignal } from '../common/cancellation';
import { Commands } from '../common/commandIds';
import { Notice } from '../common/errors';
import { guarded } from '../common/guard';
import { notify } from '../common/notify';
import { apiUrl, defaultEnvironment } from '../common/settings';
import type { Delivery, LinkRequest, WebhookCatalog } from '../ductape';
import type { Destination } from '../ductape/contract';
import { CancelledError } from '../ductape/errors';
import { checkDestination } from '../ductape/input';
import { type LocalDestinations, hostOf, isLoopbackDestination, localUrlOf } from '../ductape/localDestinations';
import type { ReadOnlyDocuments } from '../editor/readOnlyDocuments';
import { describeDelivery } from '../views/deliveryText';
import { askDestination } from './destinationPrompt';
import { destinationOf, isProduction, obtainLink } from './linkCreation';
import { knownParts } from './linkCommands';
import { pickLinkParts } from './linkPicker';

const PATH_STATE = 'ductape.localPaths';

export class DevLoopCommands {
  private readonly sentListeners = new Set<(request: LinkRequest) => void>();

  constructor(
    private readonly account: Account,
    private readonly state: vscode.Memento,
    private readonly locals: LocalDestinations,
    private readonly documents: ReadOnlyDocuments,
    private readonly onLocalsChanged: () => void,
  ) {}

  register(): vscode.Disposable[] {
    const command = (id: string, body: (argument?: unknown) => Promise<unknown>) =>
      vscode.commands.registerCommand(id, guarded(this.account, body, { forCallers: true }));
    return [
      command(Commands.setDestination, (argument) => this.setDestination(argument)),
      command(Commands.receiveLocally, (argument) => this.receiveLocally(argument)),
      command(Commands.restoreDestination, (argument) => this.restoreDestination(argument)),
      command(Commands.openSample, (argument) => this.openSample(argument)),
      command(Commands.sendSample, (argument) => this.sendSample(argument)),
      command(Commands.showDeliveries, (argument) => this.showDeliveries(argument)),
      vscode.commands.registerCommand(
        Commands.openDelivery,
        guarded(this.account, (request: LinkRequest, delivery: Delivery) => this.openDelivery(request, delivery)),
      ),
    ];
  }

  /** Told after a sample was sent, so that the deliveries shown can be reloaded. */
  onDidSend(listener: (request: LinkRequest) => void): vscode.Disposable {
    this.sentListeners.add(listener);
    return new vscode.Disposable(() => this.sentListeners.delete(listener));
  }

  /** Points a registration at a new destination (URL and method, the current ones offered). Resolves the destination set. */
  async setDestination(argument?: unknown): Promise<Destination | undefined> {
    const title = vscode.l10n.t('Set Destination');
    const picked = await this.pick(argument, title);
    if (!picked) return undefined;
    const { catalog, request } = picked;
    const row = await catalog.row(request);
    const destination =
      destinationOf(argument) ??
      (await askDestination(this.state, request, {
        title,
        question: vscode.l10n.t('Where should Ductape deliver {0} in {1}?', request.event, request.env),
        current: row.destination,
      }));
    if (!destination) return undefined;
    if (isProduction(request.env) && !(await this.confirmProduction(request, destination, row.destination))) return undefined;
    await this.write(catalog, request, destination);
    if (!isLoopbackDestination(destination)) await this.locals.restored(request);
    this.onLocalsChanged();
    void notify.info(vscode.l10n.t('{0} of {1} now delivers to {2} {3}.', request.env, request.event, destination.method, destination.url));
    return destination;
  }

  /**
   * Points a registration at this machine: a port (then the path, remembered per app) or a URL
   * (a local one, or a forwarding address). Where the editor runs remote or in a browser, the
   * address VS Code forwards is offered. What it delivered to before is kept, to restore.
   */
  async receiveLocally(argument?: unknown): Promise<Destination | undefined> {
    const title = vscode.l10n.t('Receive on This Machine');
    const picked = await this.pick(argument, title);
    if (!picked) return undefined;
    const { catalog, request } = picked;
    const row = await catalog.row(request);
    const given = destinationOf(argument);
    const url = given?.url ?? (await this.askLocalUrl(request, title));
    if (!url) return undefined;
    const destination = checkDestination({ url, method: given?.method ?? row.destination?.method ?? 'POST' });
    if (isProduction(request.env) && !(await this.confirmProduction(request, destination, row.destination))) return undefined;
    if (!given && !(await this.reachable(destination))) return undefined;
    const previous = this.locals.find(request) ? undefined : row.destination;
    await this.write(catalog, request, destination);
    await this.locals.pointedHere(request, destination, previous);
    this.onLocalsChanged();
    const send = vscode.l10n.t('Send Sample Event');
    const restore = vscode.l10n.t('Restore Destination');
    void notify
      .info(vscode.l10n.t('{0} of {1} now delivers to {2}.', request.env, request.event, destination.url), send, restore)
      .then((choice) => {
        if (choice === send) void vscode.commands.executeCommand(Commands.sendSample, request);
        if (choice === restore) void vscode.commands.executeCommand(Commands.restoreDestination, request);
      });
    return destination;
  }

  /** Puts back what registrations pointed here delivered to before: the one given, those chosen, or `{ all: true }`. */
  async restoreDestination(argument?: unknown): Promise<number> {
    const known = knownParts(argument);
    const all = this.locals.all();
    let chosen = all.filter((entry) => (['product', 'app', 'event', 'env'] as const).every((field) => !known[field] || entry.request[field] === known[field]));
    if (!chosen.length) throw new Notice(vscode.l10n.t('No destination of yours points at this machine.'));
    const everything = (argument as { all?: unknown } | undefined)?.all === true;
    if (chosen.length > 1 && !Object.keys(known).length && !everything) {
      const picks = await vscode.window.showQuickPick(
        chosen.map((entry) => ({
          label: `${entry.request.env} · ${entry.request.event}`,
          description: `${entry.request.app} · ${entry.request.product}`,
          detail: vscode.l10n.t('now {0}; before: {1}', entry.local.url, entry.previous ? `${entry.previous.method} ${entry.previous.url}` : vscode.l10n.t('none')),
          picked: true,
          entry,
        })),
        { title: vscode.l10n.t('Restore Destination'), placeHolder: vscode.l10n.t('Which destinations to put back'), canPickMany: true },
      );
      if (!picks?.length) return 0;
      chosen = picks.map((pick) => pick.entry);
    }
    const catalog = await this.account.catalog();
    let restored = 0;
    for (const entry of chosen) {
      if (!entry.previous) {
        void notify.warning(
          vscode.l10n.t('{0} of {1} had no destination before; it still delivers to {2}. Set Destination points it elsewhere.', entry.request.env, entry.request.event, entry.local.url),
        );
        await this.locals.restored(entry.request);
        continue;
      }
      if (isProduction(entry.request.env) && !(await this.confirmProduction(entry.request, entry.previous, entry.local))) continue;
      await this.write(catalog, entry.request, entry.previous);
      await this.locals.restored(entry.request);
      restored++;
    }
    this.onLocalsChanged();
    if (restored) void notify.info(vscode.l10n.t('Restored {0} destination(s).', restored));
    return restored;
  }

  /** The example payload Ductape keeps for the event, as a read-only JSON document. */
  async openSample(argument?: unknown): Promise<vscode.TextDocument | undefined> {
    const catalog = await this.account.catalog();
    const request = await pickLinkParts(catalog, this.state, vscode.l10n.t('Open Sample Payload'), knownParts(argument), undefined, ['product', 'app', 'event']);
    if (!request?.product || !request.app || !request.event) return undefined;
    const sample = await this.sampleOf(catalog, { product: request.product, app: request.app, event: request.event });
    return this.documents.show(`/samples/${request.product}/${request.app}/${request.event}.json`, sample);
  }

  /**
   * POSTs the event's sample to its link, so that it travels through Ductape to the destination
   * exactly as the app's own call would; in production only after a modal question. Tells the
   * answer (status and time) and where Ductape delivers it.
   */
  async sendSample(argument?: unknown): Promise<{ status: number; durationMs: number } | undefined> {
    const picked = await this.pick(argument, vscode.l10n.t('Send Sample Event'));
    if (!picked) return undefined;
    const { catalog, request } = picked;
    const sample = await this.sampleOf(catalog, request);
    const link = await obtainLink(catalog, request, { state: this.state });
    const row = catalog.loadedRow(request);
    if (isProduction(request.env)) {
      const send = vscode.l10n.t('Send to Production');
      const answer = await notify.ask(
        vscode.l10n.t('Send the sample {0} event to {1}?', request.event, request.env),
        vscode.l10n.t('{0} is a production environment: Ductape delivers the sample to {1} like a real event.', request.env, row?.destination?.url ?? vscode.l10n.t('its destination')),
        send,
      );
      if (answer !== send) return undefined;
    }
    const { sendToLink } = await import('../ductape/linkSender');
    const answer = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending the sample {0} event…', request.event), cancellable: true },
      (_progress, token) => withSignal(token, (signal) => sendToLink(link, sample, { signal })),
    );
    for (const listener of this.sentListeners) listener(request);
    const where = row?.destination ? `${row.destination.method} ${row.destination.url}` : vscode.l10n.t('no destination');
    const show = vscode.l10n.t('Show Deliveries');
    const message = vscode.l10n.t('Sent the sample {0} event to {1}: Ductape answered {2} in {3} ms. It delivers to {4}.', request.event, request.env, answer.status, Math.round(answer.durationMs), where);
    const shown = answer.status >= 400 ? notify.warning(message, show) : notify.info(message, show);
    void shown.then((choice) => {
      if (choice === show) void vscode.commands.executeCommand(Commands.showDeliveries, request);
    });
    return { status: answer.status, durationMs: answer.durationMs };
  }

  /** The latest deliveries of a link, newest first, failures marked; one chosen opens as JSON. */
  async showDeliveries(argument?: unknown): Promise<Delivery[] | undefined> {
    const picked = await this.pick(argument, vscode.l10n.t('Recent Deliveries'));
    if (!picked) return undefined;
    const { catalog, request } = picked;
    let failedOnly = false;
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { delivery?: Delivery }>();
    const filter = { iconPath: new vscode.ThemeIcon('filter'), tooltip: vscode.l10n.t('Show Failures Only') };
    const unfilter = { iconPath: new vscode.ThemeIcon('filter-filled'), tooltip: vscode.l10n.t('Show All Deliveries') };
    pick.title = vscode.l10n.t('Recent Deliveries: {0} in {1}', request.event, request.env);
    pick.matchOnDescription = true;
    const loading = new AbortController();
    let shown: Delivery[] = [];
    const load = async () => {
      pick.busy = true;
      pick.buttons = [failedOnly ? unfilter : filter];
      const { deliveries } = await catalog.deliveries(request, { failedOnly, signal: loading.signal });
      shown = deliveries;
      pick.items = deliveries.map((delivery) => {
        const { label, description } = describeDelivery(delivery);
        return { label, description, detail: delivery.destination, delivery };
      });
      pick.placeholder = deliveries.length
        ? vscode.l10n.t('Choose a delivery to see its request and response')
        : failedOnly
          ? vscode.l10n.t('No failed deliveries.')
          : vscode.l10n.t('No deliveries yet: Send Sample Event sends one.');
      pick.busy = false;
    };
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => {
        pick.dispose();
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      pick.onDidTriggerButton(() => {
        failedOnly = !failedOnly;
        load().catch(fail);
      });
      pick.onDidAccept(() => {
        const delivery = pick.selectedItems[0]?.delivery;
        pick.dispose();
        if (delivery) void this.openDelivery(request, delivery);
        resolve(shown);
      });
      pick.onDidHide(() => {
        loading.abort();
        pick.dispose();
        resolve(shown);
      });
      pick.show();
      load().catch((error: unknown) => (error instanceof CancelledError ? resolve(shown) : fail(error)));
    });
  }

  /** A delivery's request and response, as a read-only JSON document. */
  openDelivery(request: LinkRequest, delivery: Delivery): Promise<vscode.TextDocument> {
    const name = (delivery.id ?? delivery.at ?? 'delivery').replace(/[^\w.-]+/g, '-');
    const { raw, ...fields } = delivery;
    return this.documents.show(`/deliveries/${request.product}/${request.app}/${request.event}/${request.env}/${name}.json`, {
      ...fields,
      asRecorded: raw,
    });
  }

  private async pick(argument: unknown, title: string): Promise<{ catalog: WebhookCatalog; request: LinkRequest } | undefined> {
    const catalog = await this.account.catalog();
    const request = await pickLinkParts(catalog, this.state, title, knownParts(argument), defaultEnvironment());
    if (!request?.product || !request.app || !request.event || !request.env) return undefined;
    return { catalog, request: request as LinkRequest };
  }

  private async sampleOf(catalog: WebhookCatalog, request: Omit<LinkRequest, 'env'>): Promise<unknown> {
    const sample = await catalog.sample(request);
    if (sample === undefined) throw new Notice(vscode.l10n.t('Ductape keeps no sample payload for {0} of {1}.', request.event, request.app));
    return sample;
  }

  private write(catalog: WebhookCatalog, request: LinkRequest, destination: Destination): Thenable<string> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Ductape: setting where {0} in {1} delivers', request.event, request.env) },
      () => catalog.setDestination(request, destination),
    );
  }

  private async confirmProduction(request: LinkRequest, next: Destination, current: Destination | undefined): Promise<boolean> {
    const change = vscode.l10n.t('Change {0}', request.env);
    const answer = await notify.ask(
      vscode.l10n.t('Change where {0} delivers {1}?', request.env, request.event),
      vscode.l10n.t(
        '{0} is a production environment. Ductape will deliver its {1} events to {2} {3} instead of {4}.',
        request.env,
        request.event,
        next.method,
        next.url,
        current ? `${current.method} ${current.url}` : vscode.l10n.t('nowhere (it has no destination yet)'),
      ),
      change,
    );
    return answer === change;
  }

  /** Asks for a port (then the path) or a URL; where the editor is remote or in a browser, offers the forwarded address. */
  private async askLocalUrl(request: LinkRequest, title: string): Promise<string | undefined> {
    const typed = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('The port your server listens on (3000), or a URL: a local one, or a forwarding address to this machine.'),
      placeHolder: '3000',
      ignoreFocusOut: true,
      validateInput: (text) => (!text || localUrlOf(text, '/') ? undefined : vscode.l10n.t('Type a port (1–65535) or an http(s) URL.')),
    });
    if (!typed) return undefined;
    let url = localUrlOf(typed, '/');
    if (/^\d+$/.test(typed.trim())) {
      const paths = this.state.get<Record<string, string>>(PATH_STATE) ?? {};
      const path = await vscode.window.showInputBox({
        title,
        prompt: vscode.l10n.t('The path of your webhook handler on port {0}.', typed.trim()),
        value: paths[request.app] ?? `/webhooks/${request.app}`,
        ignoreFocusOut: true,
      });
      if (path === undefined) return undefined;
      await this.state.update(PATH_STATE, { ...paths, [request.app]: path });
      url = localUrlOf(typed, path);
    }
    if (!url) return undefined;
    return this.forwarded(url, title);
  }

  /** In a remote or browser window, `localhost` is the remote's: the address VS Code forwards is offered first. */
  private async forwarded(url: string, title: string): Promise<string | undefined> {
    if (vscode.env.uiKind !== vscode.UIKind.Web && !vscode.env.remoteName) return url;
    if (!isLoopbackDestination({ url, method: 'POST' })) return url;
    const external = (await vscode.env.asExternalUri(vscode.Uri.parse(url))).toString(true);
    if (external === url) return url;
    const picked = await vscode.window.showQuickPick(
      [
        { label: external, description: vscode.l10n.t('the address VS Code forwards to it'), url: external },
        { label: url, description: vscode.l10n.t('as typed'), url },
      ],
      { title, placeHolder: vscode.l10n.t('Which address should Ductape deliver to?') },
    );
    return picked?.url;
  }

  /** Ductape's own servers cannot reach `localhost` on this machine: said before it is set, unless the API is local too. */
  private async reachable(destination: Destination): Promise<boolean> {
    if (!isLoopbackDestination(destination) || isLoopbackDestination({ url: apiUrl(), method: 'POST' })) return true;
    const anyway = vscode.l10n.t('Use {0} Anyway', hostOf(destination));
    const answer = await notify.ask(
      vscode.l10n.t("Ductape's servers cannot reach {0} on your machine.", hostOf(destination)),
      vscode.l10n.t('Use a forwarding address to this machine (VS Code port forwarding, a tunnel) unless your Ductape platform runs here.'),
      anyway,
    );
    return answer === anyway;
  }
}
