import * as vscode from 'vscode';

/**
 * Every notification the extension shows goes through here. Under test, the texts are also
 * kept, so that a test can check what a person was told (and that no secret was in it).
 */
let recorded: string[] | undefined;

export function recordMessages(): string[] {
  recorded ??= [];
  return recorded;
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
};
