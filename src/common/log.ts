import * as vscode from 'vscode';

/** The "Ductape" log. Callers pass only what is safe to show: never a key, token or payload. */
export const log: vscode.LogOutputChannel = vscode.window.createOutputChannel('Ductape', { log: true });
