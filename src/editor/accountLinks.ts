/**
 * The links of the signed-in workspace, looked up by uuid: what the hover, the diagnostic and the
 * completion know. `wanted` links are looked for in what is loaded first; only when one is not
 * there is the rest of the account loaded (the Webhooks view's background load, shared if it is
 * already running). Without `wanted`, every link of the account.
 */
import * as vscode from 'vscode';
import type { ProductTree, WebhookCatalog } from '../ductape';
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

export async function accountLinks(
  catalog: WebhookCatalog,
  signal?: AbortSignal,
  wanted?: readonly string[],
): Promise<Map<string, AccountLink>> {
  const loaded = indexOf(catalog.loaded());
  if (wanted?.every((uuid) => loaded.has(uuid))) return loaded;
  return indexOf(await catalog.loadAll(signal));
}

function indexOf(trees: readonly ProductTree[]): Map<string, AccountLink> {
  const links = new Map<string, AccountLink>();
  for (const { product, apps } of trees) {
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
