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
    },
    {
      field: 'env',
      placeholder: (request) =>
        vscode.l10n.t('Choose the environment of {0} ({1} in {2})', request.event!, request.app!, request.product!),
      load: async (request, signal) => {
        const [environments, rows] = await Promise.all([
          catalog.environments(request.product!, signal),
          catalog.webhookLinks(request.product!, request.app!, signal),
        ]);
        return environments.map((environment) => {
          const url = rows.find((row) => row.event === request.event && row.env === environment.slug)?.url;
          return {
            value: environment.slug,
            label: environment.slug,
            description: environment.env_name,
            detail: url ?? vscode.l10n.t('no link yet: one will be generated'),
          };
        });
      },
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
