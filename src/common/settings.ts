import * as vscode from 'vscode';
import { DEFAULT_API_URL, WEBHOOK_HOST } from '../ductape/contract';
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

export const WEBHOOK_HOST_SETTING = 'ductape.webhookHost';

/**
 * Where webhook links point (Ductape's intake host unless a local platform or the sandbox says
 * otherwise), from the user's own settings only, checked like the API URL: a repository cannot
 * redirect where samples are sent.
 */
export function webhookHost(): string {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('webhookHost');
  return checkApiUrl(WEBHOOK_HOST_SETTING, inspected?.globalValue ?? inspected?.defaultValue ?? WEBHOOK_HOST);
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

export interface EditorSettings {
  envVariablePattern: string | undefined;
  diagnostics: boolean;
  environmentFileNames: Record<string, string[]> | undefined;
  /** Hosts besides the contract's whose links are recognised (a local platform, the sandbox). */
  linkHosts: string[];
}

export function editorSettings(): EditorSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const fileNames = config.get<Record<string, string[]>>('environmentFileNames');
  return {
    envVariablePattern: config.get<string>('envVariablePattern')?.trim() || undefined,
    diagnostics: config.get<boolean>('diagnostics.enabled', true),
    environmentFileNames: fileNames && Object.keys(fileNames).length ? fileNames : undefined,
    linkHosts: config.get<string[]>('linkHosts', []),
  };
}

export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return ['http.proxy', 'http.proxyStrictSSL', 'http.noProxy', API_URL_SETTING, WEBHOOK_HOST_SETTING].some((setting) =>
    event.affectsConfiguration(setting),
  );
}
