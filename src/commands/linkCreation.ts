/**
 * Writes to a person's Ductape account, made only when they asked for them: a link that exists
 * is read, never generated again; a new link in production, and every bulk creation, waits for a
 * modal question; a destination is asked for only when the server refuses a link without one.
 */
import * as vscode from 'vscode';
import { notify } from '../common/notify';
import { editorSettings } from '../common/settings';
import type { LinkRequest, WebhookCatalog } from '../ductape';
import type { Destination } from '../ductape/contract';
import { CancelledError, DestinationRequiredError } from '../ductape/errors';
import { checkDestination } from '../ductape/input';
import { askDestination } from './destinationPrompt';

const DEFAULT_PRODUCTION_NAMES = ['prd', 'prod', 'production'];

/** Whether an environment slug means production: `prd`, or a name `ductape.environmentFileNames` gives it. */
export function isProduction(env: string): boolean {
  const names = editorSettings().environmentFileNames?.prd ?? DEFAULT_PRODUCTION_NAMES;
  return env === 'prd' || names.some((name) => name.toLowerCase() === env.toLowerCase());
}

/** "dev, stg and prd". */
export function listOf(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : vscode.l10n.t('{0} and {1}', items.slice(0, -1).join(', '), items.at(-1)!);
}

export interface CreateOptions {
  /** The destination to register with (from a command's argument): nothing is asked for it. */
  destination?: Destination;
  /** Asked of the person when the server needs a destination; when absent, the refusal stands. */
  state?: vscode.Memento;
}

/**
 * The link of one (product, app, event, env): read when it exists; otherwise created, after a
 * modal question when the environment is production.
 */
export async function obtainLink(catalog: WebhookCatalog, request: LinkRequest, options: CreateOptions = {}): Promise<string> {
  const existing = catalog.knownLink(request) ?? (await catalog.row(request)).url;
  if (existing) return existing;
  if (isProduction(request.env) && !(await confirmCreation(request))) throw new CancelledError();
  return createLink(catalog, request, options);
}

/** Creates a missing link, asking for a destination if the server refuses it without one. */
export async function createLink(catalog: WebhookCatalog, request: LinkRequest, options: CreateOptions): Promise<string> {
  try {
    return await withWindowProgress(request, () => catalog.generateLink(request, { destination: options.destination }));
  } catch (error) {
    if (!(error instanceof DestinationRequiredError) || options.destination || !options.state) throw error;
    const destination = await askDestination(options.state, request, {
      title: vscode.l10n.t('Ductape needs a destination'),
      question: vscode.l10n.t('Where should Ductape deliver {0} in {1}?', request.event, request.env),
    });
    if (!destination) throw new CancelledError();
    return withWindowProgress(request, () => catalog.generateLink(request, { destination }));
  }
}

/**
 * Creates several missing links, one after the other (writes are not fanned out), after one
 * modal question that names how many and where. A destination, if the server needs one, is
 * asked once and used for them all. Resolves the links created, in order; undefined: cancelled.
 */
export async function createMissingLinks(
  catalog: WebhookCatalog,
  missing: readonly LinkRequest[],
  state: vscode.Memento,
  { alternative }: { alternative?: string } = {},
): Promise<Array<{ request: LinkRequest; url: string }> | 'alternative' | undefined> {
  const create = vscode.l10n.t('Create');
  const envs = listOf([...new Set(missing.map((request) => request.env))]);
  const question =
    missing.length === 1
      ? vscode.l10n.t('Create 1 missing link in {0}?', envs)
      : vscode.l10n.t('Create {0} missing links in {1}?', missing.length, envs);
  const detail = vscode.l10n.t('Each is registered in your Ductape account: {0}.', missing.map((request) => `${request.event} (${request.env})`).join(', '));
  const answer = await notify.ask(question, detail, create, ...(alternative ? [alternative] : []));
  if (answer === alternative && alternative) return 'alternative';
  if (answer !== create) return undefined;
  const created: Array<{ request: LinkRequest; url: string }> = [];
  let destination: Destination | undefined;
  for (const request of missing) {
    try {
      created.push({ request, url: await catalog.generateLink(request, { destination }) });
    } catch (error) {
      if (!(error instanceof DestinationRequiredError) || destination) throw error;
      destination = await askDestination(state, request, {
        title: vscode.l10n.t('Ductape needs a destination'),
        question: vscode.l10n.t('Where should Ductape deliver these {0} events?', missing.length - created.length),
      });
      if (!destination) return undefined;
      created.push({ request, url: await catalog.generateLink(request, { destination }) });
    }
  }
  return created;
}

/** Asks before a new link is created in production. */
export async function confirmCreation(request: LinkRequest): Promise<boolean> {
  const create = vscode.l10n.t('Create Link');
  const answer = await notify.ask(
    vscode.l10n.t('Create the {0} link of {1}?', request.env, request.event),
    vscode.l10n.t('{0} is a production environment. The link of {1} ({2} · {3}) is registered in your Ductape account.', request.env, request.event, request.app, request.product),
    create,
  );
  return answer === create;
}

function withWindowProgress<T>(request: LinkRequest, work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Ductape: getting the {0} link of {1}', request.env, request.event) },
    work,
  );
}

/**
 * A destination given with a command's argument (`{ …, url, method }`, from code: a plain
 * object), checked; when there is one, nothing is asked.
 */
export function destinationOf(argument: unknown): Destination | undefined {
  const given = argument as { url?: unknown; method?: unknown } | undefined;
  if (typeof argument !== 'object' || argument === null || Object.getPrototypeOf(argument) !== Object.prototype) return undefined;
  if (typeof given?.url !== 'string') return undefined;
  return checkDestination({ url: given.url, method: typeof given.method === 'string' ? given.method : undefined });
}
