import * as vscode from 'vscode';

/**
 * Every notification the extension shows goes through here. Under test, the texts are also
 * kept, so that a test can check what a person was told (and that no secret was in it), and
 * the test may answer the modal questions in advance (a person answers them in the UI test).
 */
let recorded: string[] | undefined;
let scripted: Array<string | undefined> | undefined;

export function recordMessages(): string[] {
  recorded ??= [];
  return recorded;
}

/** Test mode only: the answers to the next modal questions, in order (undefined: Cancel). */
export function scriptAnswers(): Array<string | undefined> {
  scripted ??= [];
  return scripted;
}

type Show = (message: string, ...items: string[]) => Thenable<string | undefined>;

function through(show: Show): Show {
  return (message, ...items) => {
    recorded?.push(message);
    return show(message, ...items);
  };
}

export const notify = {
  info: through((message, ...items) => vscode.window.showInformationMessage(message, ...items)),
  warning: through((message, ...items) => vscode.window.showWarningMessage(message, ...items)),
  error: through((message, ...items) => vscode.window.showErrorMessage(message, ...items)),
  /** A question a command waits for: modal, so that typing cannot dismiss it. Undefined: cancelled. */
  ask(message: string, detail: string | undefined, ...items: string[]): Thenable<string | undefined> {
    recorded?.push(message);
    if (scripted?.length) return Promise.resolve(scripted.shift());
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...items);
  },
};
