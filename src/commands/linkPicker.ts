/**
 * The multi-step pick of a link: product → app → event → environment, each step with a title,
 * its number and a Back button. Steps the caller already answers are skipped; the last choices
 * come first; the environment step pre-selects `ductape.defaultEnvironment`.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../ductape/errors';
import type { LinkRequest, WebhookCatalog } from '../ductape';

export type Field = keyof LinkRequest;

interface Choice extends vscode.QuickPickItem {
  value: string;
}

interface Step {
  field: Field;
  placeholder(request: Partial<LinkRequest>): string;
  load(request: Partial<LinkRequest>, signal: AbortSignal): Promise<Choice[]>;
  /** What the step says when there is nothing to choose. */
  empty(request: Partial<LinkRequest>): string;
}

const RECENT_STATE = 'ductape.recentLink';

function steps(catalog: WebhookCatalog): Step[] {
  return [
    {
      field: 'product',
      placeholder: () => vscode.l10n.t('Choose a product'),
      load: async (_request, signal) =>
        (await catalog.products(signal)).map((product) => ({
          value: product.tag,
          label: product.name || product.tag,
          description: product.tag,
        })),
      empty: () => vscode.l10n.t('This workspace has no products.'),
    },
    {
      field: 'app',
      placeholder: (request) => vscode.l10n.t('Choose an app of {0}', request.product!),
      load: async (request, signal) =>
        (await catalog.apps(request.product!, signal)).map((app) => ({
          value: app.access_tag,
          label: app.name || app.access_tag,
          description: app.access_tag,
        })),
      empty: (request) => vscode.l10n.t('{0} has no apps.', request.product!),
    },
    {
      field: 'event',
      placeholder: (request) => vscode.l10n.t('Choose an event of {0} in {1}', request.app!, request.product!),
      load: async (request, signal) =>
        (await catalog.events(request.product!, request.app!, signal)).map((event) => ({
          value: event.event,
          label: event.event,
          description: event.name,
          detail: event.description,
        })),
      empty: (request) =>
        vscode.l10n.t('{0} has no webhooks in the environments it is mapped to (or is mapped to none) in Ductape.', request.app!),
    },
    {
      field: 'env',
      placeholder: (request) =>
        vscode.l10n.t('Choose the environment of {0} ({1} in {2})', request.event!, request.app!, request.product!),
      load: async (request, signal) => {
        // Only the environments the app is mapped to: Ductape registers it nowhere else.
        const [environments, rows] = await Promise.all([
          catalog.appEnvironments(request.product!, request.app!, signal),
          catalog.webhookLinks(request.product!, request.app!, signal),
        ]);
        return environments.map((environment) => {
          const row = rows.find((entry) => entry.event === request.event && entry.env === environment.slug);
          const destination = row?.destination && `→ ${row.destination.method} ${row.destination.url}`;
          const inactive = row?.registered && row.active === false ? `$(circle-slash) ${vscode.l10n.t('inactive')} ` : '';
          return {
            value: environment.slug,
            label: environment.slug,
            description: environment.env_name,
            detail: `${inactive}${row?.url ?? vscode.l10n.t('no link yet: one will be created')}${destination ? `  ${destination}` : ''}`,
          };
        });
      },
      empty: () => vscode.l10n.t('No environments of this product are mapped to this app in Ductape.'),
    },
  ];
}

/**
 * Asks for what `known` does not answer. Resolves undefined when the person cancels.
 * `title` names the command ("Generate Webhook Link").
 */
export async function pickLinkRequest(
  catalog: WebhookCatalog,
  state: vscode.Memento,
  title: string,
  known: Partial<LinkRequest>,
  preferredEnv: string | undefined,
): Promise<LinkRequest | undefined> {
  return (await pickLinkParts(catalog, state, title, known, preferredEnv)) as LinkRequest | undefined;
}

/** The same steps for only some of the questions (say product and environment, for an export). */
export async function pickLinkParts(
  catalog: WebhookCatalog,
  state: vscode.Memento,
  title: string,
  known: Partial<LinkRequest>,
  preferredEnv: string | undefined,
  fields: readonly Field[] = ['product', 'app', 'event', 'env'],
): Promise<Partial<LinkRequest> | undefined> {
  const remaining = steps(catalog).filter((step) => fields.includes(step.field) && !known[step.field]);
  const recent = state.get<Partial<LinkRequest>>(RECENT_STATE) ?? {};
  const request: Partial<LinkRequest> = { ...known };
  let index = 0;
  while (index < remaining.length) {
    const step = remaining[index];
    const preferred = step.field === 'env' ? (preferredEnv ?? recent.env) : recent[step.field];
    const answer = await askStep(step, request, { title, index, total: remaining.length, recent: recent[step.field], preferred });
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      index--;
      delete request[remaining[index].field];
      continue;
    }
    request[step.field] = answer;
    index++;
  }
  await state.update(RECENT_STATE, { ...recent, ...request });
  return request;
}

const BACK = Symbol('back');

interface StepPosition {
  title: string;
  index: number;
  total: number;
  recent: string | undefined;
  preferred: string | undefined;
}

function askStep(step: Step, request: Partial<LinkRequest>, position: StepPosition): Promise<string | typeof BACK | undefined> {
  const pick = vscode.window.createQuickPick<Choice>();
  pick.title = position.title;
  pick.step = position.index + 1;
  pick.totalSteps = position.total;
  pick.placeholder = step.placeholder(request);
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true;
  pick.buttons = position.index > 0 ? [vscode.QuickInputButtons.Back] : [];
  pick.busy = true;
  const loading = new AbortController();

  return new Promise<string | typeof BACK | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (result: string | typeof BACK | undefined, error?: Error) => {
      if (settled) return;
      settled = true;
      loading.abort();
      pick.dispose();
      if (error) reject(error);
      else resolve(result);
    };
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish(BACK);
    });
    pick.onDidAccept(() => {
      const [chosen] = pick.selectedItems;
      if (chosen) finish(chosen.value);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();

    step.load(request, loading.signal).then(
      (choices) => {
        if (settled) return;
        pick.items = withRecentFirst(choices, position.recent);
        if (!choices.length) pick.placeholder = step.empty(request);
        const preferred = pick.items.find((choice) => choice.value === position.preferred);
        if (preferred) pick.activeItems = [preferred];
        pick.busy = false;
      },
      (error: unknown) =>
        finish(undefined, error instanceof Error && !(error instanceof CancelledError) ? error : undefined),
    );
  });
}

function withRecentFirst(choices: Choice[], recent: string | undefined): Choice[] {
  const recentChoice = choices.find((choice) => choice.value === recent);
  if (!recentChoice || choices.length < 2) return choices;
  const separator = (label: string) => ({ value: '', label, kind: vscode.QuickPickItemKind.Separator });
  return [
    separator(vscode.l10n.t('recently used')),
    recentChoice,
    separator(''),
    ...choices.filter((choice) => choice !== recentChoice),
  ];
}
