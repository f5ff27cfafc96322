/**
 * The names links take in a file or a block: a `.env` variable by the name pattern, a key in the
 * case of the keys around it, grown until two different links never share one. Pure and light:
 * the copy commands use it without loading the parsers.
 */
import {
  configKeyWords,
  DEFAULT_ENV_NAME_PATTERN,
  envVariableName,
  joinKey,
  type KeyCase,
  type LinkNaming,
  upperSnake,
} from './syntax';

export interface NamingOptions {
  envNames: boolean;
  keyCase: KeyCase;
  envNamePattern?: string;
  /** Names already in the target, with their values: a name holding another URL grows too. */
  taken?: ReadonlyMap<string, unknown>;
}

type Include = { product?: boolean; app?: boolean; env?: boolean };
const PARTS = ['env', 'app', 'product'] as const;

function nameAt(link: LinkNaming, include: Include, options: NamingOptions): string {
  if (!options.envNames) return joinKey(configKeyWords(link, include), options.keyCase);
  const pattern = options.envNamePattern;
  const has = (placeholder: string) => (pattern ?? DEFAULT_ENV_NAME_PATTERN).includes(placeholder);
  const prefix = [include.product && !has('${PRODUCT}') && link.product, include.app && !has('${APP}') && link.app];
  const suffix = include.env && !has('${ENV}') ? [upperSnake(link.env)] : [];
  return [...prefix.filter((part): part is string => Boolean(part)).map(upperSnake), envVariableName(link, pattern), ...suffix].join('_');
}

export type NamedLink = LinkNaming & { url: string };

/**
 * Names for links written together, none the same: each starts at the event's name and grows by
 * what tells it apart from the links that share its name (environment, app, product), and by the
 * environment when a key already there holds another URL under it (a second environment's
 * link); links still alike (`payment.succeeded` and `payment_succeeded`, `dev` and `DEV`) are
 * numbered in their order.
 */
export function blockNames(links: readonly NamedLink[], options: NamingOptions): string[] {
  const includes: Include[] = links.map((link) => {
    const base = nameAt(link, {}, options);
    return options.taken?.has(base) && options.taken.get(base) !== link.url ? { env: true } : {};
  });
  for (;;) {
    const names = links.map((link, index) => nameAt(link, includes[index], options));
    const sharing = new Map<string, number[]>();
    names.forEach((name, index) => sharing.set(name, [...(sharing.get(name) ?? []), index]));
    let grew = false;
    for (const group of sharing.values()) {
      if (new Set(group.map((index) => links[index].url)).size < 2) continue;
      const varying = PARTS.filter((part) => new Set(group.map((index) => links[index][part])).size > 1);
      for (const index of group) {
        for (const part of varying) {
          if (!includes[index][part]) grew = includes[index][part] = true;
        }
      }
    }
    if (!grew) return numbered(names, links, options.keyCase);
  }
}

/** Names two different links still share get a number (the first keeps it plain). */
function numbered(names: string[], links: readonly NamedLink[], keyCase: KeyCase): string[] {
  const urlOf = new Map<string, string>();
  const used = new Set(names);
  return names.map((name, index) => {
    const url = links[index].url;
    if (!urlOf.has(name) || urlOf.get(name) === url) {
      urlOf.set(name, url);
      return name;
    }
    let counter = 2;
    const withCounter = () => (keyCase === 'camel' ? `${name}${counter}` : `${name}_${counter}`);
    while (used.has(withCounter())) counter++;
    const unique = withCounter();
    used.add(unique);
    urlOf.set(unique, url);
    return unique;
  });
}
