/**
 * The links of the signed-in workspace, looked up by uuid: what the hover, the diagnostic and the
 * completion know. Built from the catalog's whole-account load, which the Webhooks view starts
 * in the background anyway, so it costs no request once that has run.
 */
import * as vscode from 'vscode';
import type { WebhookCatalog } from '../ductape';
import { webhookUuidOf } from '../ductape/contract';

export interface AccountLink {
  product: string;
  productName: string;
  app: string;
  appName: string;
  event: string;
  env: string;
  envName: string;
  url: string;
}

export async function accountLinks(catalog: WebhookCatalog, signal?: AbortSignal): Promise<Map<string, AccountLink>> {
  const links = new Map<string, AccountLink>();
  for (const { product, apps } of await catalog.loadAll(signal)) {
    const envNames = new Map(product.envs?.map((env) => [env.slug, env.env_name || env.slug]));
    for (const { app, events } of apps) {
      for (const { links: rows } of events) {
        for (const row of rows) {
          const uuid = row.url && webhookUuidOf(row.url);
          if (!uuid || !row.url) continue;
          links.set(uuid, {
            product: product.tag,
            productName: product.name || product.tag,
            app: app.access_tag,
            appName: app.name || app.access_tag,
            event: row.event,
            env: row.env,
            envName: envNames.get(row.env) ?? row.env,
            url: row.url,
          });
        }
      }
    }
  }
  return links;
}

/**
 * The path whose words name a file's environment: relative to its workspace folder, or just its
 * name outside any folder (so that `/home/dev/…` or `/srv/production/…` name nothing).
 */
export function environmentNamingPath(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)
    ? vscode.workspace.asRelativePath(uri, false)
    : (uri.path.split('/').pop() ?? '');
}
