/**
 * Knowing a Ductape webhook link when it is in a text, and which environment a file is named for.
 * Pure text: the hover, the diagnostic and its quick fix build on these.
 */
import { WEBHOOK_HOST, WEBHOOK_LINK_PATH, webhookUuidOf } from '../../ductape/contract';

export interface RecognizedLink {
  /** Offsets of the link in the text: `<host>/webhooks/v1/process/<uuid>`, without a trailing slash, query or fragment. */
  start: number;
  end: number;
  url: string;
  uuid: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A uuid's characters (and those of an escaped id); a `.` after a link ends a sentence. */
const ID_CHAR = '[\\w~%-]';

/**
 * Every link of the contract's form on one of the hosts (default: the contract's webhook host;
 * the caller adds the sandbox's), in the order they appear. A link may be followed by a slash, a
 * query or a fragment (left out of its range, so that replacing it keeps them), but not by
 * another path segment.
 */
export function findWebhookLinks(text: string, hosts: readonly string[] = [WEBHOOK_HOST]): RecognizedLink[] {
  const origins = hosts.map((host) => escapeRegExp(host.replace(/\/+$/, ''))).join('|');
  const link = new RegExp(`(?:${origins})${escapeRegExp(WEBHOOK_LINK_PATH)}${ID_CHAR}+(?!${ID_CHAR}|[./]${ID_CHAR})`, 'g');
  return [...text.matchAll(link)].flatMap((match) => {
    const uuid = webhookUuidOf(match[0]);
    return uuid === undefined ? [] : [{ start: match.index, end: match.index + match[0].length, url: match[0], uuid }];
  });
}

/** Environment slug → the names a file or folder carries for it (a setting may replace it). */
export type EnvironmentNames = Readonly<Record<string, readonly string[]>>;

export const DEFAULT_ENVIRONMENT_NAMES: EnvironmentNames = {
  prd: ['production', 'prod', 'prd'],
  stg: ['staging', 'stage', 'stg'],
  dev: ['development', 'develop', 'dev', 'local'],
};

/**
 * The environment a file is named for, from the words of its path (split at `/ \ . - _`, so
 * `product.json` and `devices.yaml` name none): the file's own name first, its first such word
 * (`.env.production.local` is production), then its folders from the nearest out. Pass a path
 * relative to the workspace folder, so that `/home/dev/…` names nothing.
 */
export function environmentOfFileName(path: string, names: EnvironmentNames = DEFAULT_ENVIRONMENT_NAMES): string | undefined {
  const slugOf = new Map(
    Object.entries(names).flatMap(([slug, aliases]) => aliases.map((alias) => [alias.toLowerCase(), slug] as const)),
  );
  const segments = path.toLowerCase().split(/[\\/]/).reverse();
  for (const segment of segments) {
    for (const word of segment.split(/[._-]/)) {
      const slug = slugOf.get(word);
      if (slug) return slug;
    }
  }
  return undefined;
}
