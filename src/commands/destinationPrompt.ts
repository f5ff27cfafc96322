/**
 * Asks where Ductape should deliver a link's events (a URL, then the method), offering first
 * what was answered last time for the same app and environment, or the registration's own.
 */
import * as vscode from 'vscode';
import type { LinkRequest } from '../ductape';
import { DESTINATION_METHODS, type Destination } from '../ductape/contract';
import { InputError } from '../ductape/errors';
import { checkDestination } from '../ductape/input';

const REMEMBERED_STATE = 'ductape.destinations';

const rememberedKey = (request: LinkRequest) => `${request.product}/${request.app}/${request.env}`;

export function rememberedDestination(state: vscode.Memento, request: LinkRequest): Destination | undefined {
  return state.get<Record<string, Destination>>(REMEMBERED_STATE)?.[rememberedKey(request)];
}

export async function rememberDestination(state: vscode.Memento, request: LinkRequest, destination: Destination): Promise<void> {
  const all = state.get<Record<string, Destination>>(REMEMBERED_STATE) ?? {};
  await state.update(REMEMBERED_STATE, { ...all, [rememberedKey(request)]: destination });
}

function validationOf(url: string): string | undefined {
  try {
    checkDestination({ url });
    return undefined;
  } catch (error) {
    return error instanceof InputError ? error.message : undefined;
  }
}

/**
 * The destination, asked in two steps with Back: the URL (validated as typed), then POST, PUT or
 * PATCH. `title` names the command; `question` is the URL step's prompt. Undefined: cancelled.
 */
export async function askDestination(
  state: vscode.Memento,
  request: LinkRequest,
  { title, question, current }: { title: string; question: string; current?: Destination },
): Promise<Destination | undefined> {
  const offered = current ?? rememberedDestination(state, request);
  let url = offered?.url ?? '';
  for (;;) {
    const typed = await askUrl(title, question, url);
    if (typed === undefined) return undefined;
    url = typed;
    const method = await askMethod(title, offered?.method);
    if (method === 'back') continue;
    if (method === undefined) return undefined;
    const destination = checkDestination({ url, method });
    await rememberDestination(state, request, destination);
    return destination;
  }
}

function askUrl(title: string, question: string, value: string): Promise<string | undefined> {
  return Promise.resolve(vscode.window.showInputBox({
    title,
    prompt: question,
    placeHolder: 'https://api.example.com/webhooks/stripe',
    value,
    ignoreFocusOut: true,
    validateInput: (text) => (text ? validationOf(text) : undefined),
  })).then((text) => (text ? text.trim() : undefined));
}

function askMethod(title: string, current: string | undefined): Promise<Destination['method'] | 'back' | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { method: Destination['method'] }>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('The method Ductape delivers with');
  pick.items = DESTINATION_METHODS.map((method) => ({ label: method, method }));
  pick.activeItems = pick.items.filter((entry) => entry.method === current).slice(0, 1);
  pick.buttons = [vscode.QuickInputButtons.Back];
  pick.ignoreFocusOut = true;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Destination['method'] | 'back' | undefined) => {
      if (settled) return;
      settled = true;
      pick.dispose();
      resolve(result);
    };
    pick.onDidTriggerButton(() => finish('back'));
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.method));
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}
