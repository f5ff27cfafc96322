/**
 * Many links at once, as one block of text in a file's syntax, to copy or to open as a new
 * document (inserting a block into a file goes through the planner: `planLinksInsertion`):
 * - env: `NAME=URL` lines, the value quoted where dotenv would cut it (a `#`);
 * - json: `"key": "URL"` members to paste into an object, or one whole object (`wholeObject`, a
 *   new document); yaml: `key: URL` lines; toml: `key = "URL"` lines;
 * - plain: `env: URL` lines, the app and event in front of the environment when they vary.
 * Names are those of an inserted link, grown until no two links share one (see `blockNames`):
 * no link is dropped. The block has no final line ending.
 */
import { envValue } from './envDocument';
import { blockNames } from './linkNames';
import { type DocumentKind, type LinkNaming, quoted, type TextFormat, textFormatOf, yamlScalar } from './syntax';

export type BlockFormat = TextFormat;

export interface BlockLink extends LinkNaming {
  url: string;
}

export interface BlockOptions {
  envNamePattern?: string;
  /** The line ending, `\n` unless given (use the target document's: `eolOf(text)`). */
  eol?: string;
  /** JSON: one whole object (for a new document) instead of members to paste into one. */
  wholeObject?: boolean;
}

/** The block format for a document: the syntax it speaks (`plain` for any other file). */
export const blockFormatOf = (document: DocumentKind): BlockFormat => textFormatOf(document);

export function formatLinkBlock(links: readonly BlockLink[], format: BlockFormat, options: BlockOptions = {}): string {
  const eol = options.eol ?? '\n';
  if (format === 'plain') return plainLines(links).join(eol);
  const names = blockNames(links, { envNames: format === 'env', keyCase: format === 'env' ? 'upper' : 'camel', envNamePattern: options.envNamePattern });
  // The same name for the same URL is one line.
  const entries = [...new Map(names.map((name, index) => [name, links[index].url])).entries()];
  switch (format) {
    case 'env':
      return entries.map(([name, url]) => `${name}=${envValue(url)}`).join(eol);
    case 'yaml':
      return entries.map(([name, url]) => `${name}: ${yamlScalar(url)}`).join(eol);
    case 'toml':
      return entries.map(([name, url]) => `${name} = ${quoted(url)}`).join(eol);
    case 'json': {
      if (options.wholeObject) return JSON.stringify(Object.fromEntries(entries), null, 2).replaceAll('\n', eol);
      return entries.map(([name, url]) => `${quoted(name)}: ${quoted(url)}`).join(`,${eol}`);
    }
  }
}

/** `env: URL`, with the app and the event in front when they vary; every link keeps its line. */
function plainLines(links: readonly BlockLink[]): string[] {
  const varies = (field: keyof BlockLink) => new Set(links.map((link) => link[field])).size > 1;
  const [app, event] = [varies('app'), varies('event')];
  const lines = links.map((link) => `${[app && link.app, event && link.event, link.env].filter(Boolean).join(' ')}: ${link.url}`);
  return [...new Set(lines)];
}
