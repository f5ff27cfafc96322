import * as vscode from 'vscode';
import { DEFAULT_API_URL } from '../ductape/contract';
import { checkApiUrl } from '../ductape/url';

const SECTION = 'ductape';
export const API_URL_SETTING = 'ductape.apiUrl';

/**
 * The API base URL from the user's own settings only. The setting is application-scoped, and a
 * workspace value is ignored here as well, so that a cloned repository can never redirect the
 * access key to another server. Throws an InputError naming the setting when it is not valid.
 */
export function apiUrl(): string {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('apiUrl');
  return checkApiUrl(API_URL_SETTING, inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_API_URL);
}

/** The environment slug the pickers pre-select, or undefined. */
export function defaultEnvironment(): string | undefined {
  return vscode.workspace.getConfiguration(SECTION).get<string>('defaultEnvironment')?.trim() || undefined;
}

export async function setDefaultEnvironment(slug: string): Promise<void> {
  await vscode.workspace
    .getConfiguration(SECTION)
    .update('defaultEnvironment', slug || undefined, vscode.ConfigurationTarget.Global);
}

export function showStatusBar(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('statusBar.enabled', true);
}

export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(API_URL_SETTING);
}
