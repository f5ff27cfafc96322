/**
 * Many links at once, as one block of text in a file's syntax:
 * - env: `NAME=URL` lines; with several environments, the name ends in the environment
 *   (`…_WEBHOOK_URL_PRD`) unless the pattern already has ${ENV};
 * - json: one object, two-space indented; yaml: `key: URL` lines; toml: `key = "URL"` lines,
 *   keyed like an inserted link, with the app in front when there are several apps and the
 *   environment behind when there are several environments (paymentSucceededWebhookUrlPrd);
 * - plain: `env: URL` lines, the app and event in front of the environment when they vary.
 * Links are kept in the order given; two that get the same name give one line, the last URL.
 * The block has no final line ending.
 */
import {
  configKey,
  DEFAULT_ENV_NAME_PATTERN,
  type DocumentKind,
  envVariableName,
  type LinkNaming,
  quoted,
  type TextFormat,
  textFormatOf,
  upperSnake,
  yamlScalar,
} from './syntax';

export type BlockFormat = TextFormat;

export interface BlockLink extends LinkNaming {
  url: string;
}

export interface BlockOptions {
  envNamePattern?: string;
  /** The line ending, `\n` unless given (use the target document's: `eolOf(text)`). */
  eol?: string;
}

/** The block format for a document: the syntax it speaks (`plain` for any other file). */
export const blockFormatOf = (document: DocumentKind): BlockFormat => textFormatOf(document);

export function formatLinkBlock(links: readonly BlockLink[], format: BlockFormat, options: BlockOptions = {}): string {
  const varies = (field: keyof BlockLink) => new Set(links.map((link) => link[field])).size > 1;
  const several = { app: varies('app'), event: varies('event'), env: varies('env') };
  const pattern = options.envNamePattern ?? DEFAULT_ENV_NAME_PATTERN;
  const envSuffix = several.env && !pattern.includes('${ENV}');

  const nameOf: Record<BlockFormat, (link: BlockLink) => string> = {
    env: (link) => envVariableName(link, pattern) + (envSuffix ? `_${upperSnake(link.env)}` : ''),
    json: (link) => configKey(link, several),
    yaml: (link) => configKey(link, several),
    toml: (link) => configKey(link, several),
    plain: (link) => [several.app && link.app, several.event && link.event, link.env].filter(Boolean).join(' '),
  };
  const entries = [...new Map(links.map((link) => [nameOf[format](link), link.url])).entries()];

  const lines =
    format === 'json'
      ? JSON.stringify(Object.fromEntries(entries), null, 2).split('\n')
      : entries.map(([name, url]) => {
          if (format === 'env') return `${name}=${url}`;
          if (format === 'toml') return `${name} = ${quoted(url)}`;
          return `${name}: ${format === 'yaml' ? yamlScalar(url) : url}`;
        });
  return lines.join(options.eol ?? '\n');
}
