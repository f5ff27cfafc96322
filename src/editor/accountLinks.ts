/**
 * The links of the signed-in workspace, looked up by uuid: what the hover, the diagnostic and the
 * completion know. `wanted` links are looked for in what is loaded first; only when one is not
 * there is the rest of the account loaded (the Webhooks view's background load, shared if it is
 * already running). Without `wanted`, every link of the account. A load of the whole account is
 * reused for a while, so that a list that fails is not asked for again by every hover and
 * keystroke; what did load is used meanwhile.
 */
import * as vscode from 'vscode';
import type { ProductTree, WebhookCatalog } from '../ductape';
import { abortable } from '../ductape/abort';
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

/** How long a load of the whole account answers lookups before it is made again. */
const FULL_LOAD_REUSE_MS = 30_000;
const recentFullLoads = new WeakMap<WebhookCatalog, { at: number; load: Promise<unknown> }>();

export async function accountLinks(
  catalog: WebhookCatalog,
  signal?: AbortSignal,
  wanted?: readonly string[],
): Promise<Map<string, AccountLink>> {
  const loaded = indexOf(catalog.loaded());
  if (wanted?.every((uuid) => loaded.has(uuid))) return loaded;
  await abortable(fullLoad(catalog), signal);
  return indexOf(catalog.loaded());
}

/** One load of the whole account, shared by every lookup (none of which may cancel it) for a while. */
function fullLoad(catalog: WebhookCatalog): Promise<unknown> {
  const recent = recentFullLoads.get(catalog);
  if (recent && Date.now() - recent.at < FULL_LOAD_REUSE_MS) return recent.load;
  const load = catalog.loadAll(undefined, { background: true }).catch(() => undefined);
  recentFullLoads.set(catalog, { at: Date.now(), load });
  return load;
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
