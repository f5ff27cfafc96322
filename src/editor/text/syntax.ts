/**
 * What the link formatters share: which syntax a file speaks, the names a link is given in it,
 * and how a value is quoted. Pure text: this folder never imports `vscode`.
 */
import { InputError } from '../../ductape/errors';

export type TextFormat = 'env' | 'json' | 'yaml' | 'toml' | 'plain';

export interface DocumentKind {
  languageId: string;
  fileName: string;
}

const BY_LANGUAGE: Record<string, TextFormat> = { dotenv: 'env', json: 'json', jsonc: 'json', yaml: 'yaml', toml: 'toml' };
const BY_EXTENSION: Record<string, TextFormat> = { env: 'env', json: 'json', jsonc: 'json', yaml: 'yaml', yml: 'yaml', toml: 'toml' };

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? '';

/**
 * The syntax of a document: its language first, then its name (`.env`, `.env.*`, then the
 * extension, for files whose language VS Code does not know, such as `.env.production` or TOML
 * without a TOML extension installed).
 */
export function textFormatOf(document: DocumentKind): TextFormat {
  const name = baseName(document.fileName).toLowerCase();
  if (BY_LANGUAGE[document.languageId]) return BY_LANGUAGE[document.languageId];
  if (name === '.env' || name.startsWith('.env.')) return 'env';
  const extension = name.lastIndexOf('.') > 0 ? name.slice(name.lastIndexOf('.') + 1) : '';
  return BY_EXTENSION[extension] ?? 'plain';
}

/** The line ending a text already uses (its first one), `\n` when it has none. */
export function eolOf(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

// ---------------------------------------------------------------------------------------------
// Names

export interface LinkNaming {
  product?: string;
  app: string;
  event: string;
  env: string;
}

/**
 * `stripe-payments` → [stripe, payments]; `paymentSucceeded` → [payment, Succeeded]. Letters of
 * any script count in keys (`платёж.успешен` has words); environment variables keep to ASCII.
 */
const words = (value: string, anyScript = false): string[] =>
  value
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .split(anyScript ? /[^\p{L}\p{N}]+/u : /[^A-Za-z0-9]+/)
    .filter(Boolean);

export const upperSnake = (value: string): string => words(value).join('_').toUpperCase();

export const camelCase = (parts: string[]): string =>
  parts.map((word, index) => (index ? word[0].toUpperCase() : word[0].toLowerCase()) + word.slice(1).toLowerCase()).join('');

export const DEFAULT_ENV_NAME_PATTERN = '${APP}_${EVENT}_WEBHOOK_URL';
const LEGAL_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The environment variable a link is stored in: the pattern with ${PRODUCT}, ${APP}, ${EVENT}
 * and ${ENV} replaced by the upper-snake form of each (stripe-payments → STRIPE_PAYMENTS).
 * Throws an InputError when the result is not a legal name (an unknown placeholder, a name
 * starting with a digit, a character other than letters, digits and `_`).
 */
export function envVariableName(link: LinkNaming, pattern = DEFAULT_ENV_NAME_PATTERN): string {
  const values: Record<string, string | undefined> = { PRODUCT: link.product, APP: link.app, EVENT: link.event, ENV: link.env };
  const name = pattern.replace(/\$\{([A-Z]+)\}/g, (placeholder, key: string) => {
    const value = values[key];
    return value === undefined ? placeholder : upperSnake(value);
  });
  if (!LEGAL_ENV_NAME.test(name)) {
    throw new InputError('environment variable name pattern', `"${pattern}" gives "${name}", which is not a legal variable name`);
  }
  return name;
}

/**
 * The key a link is given in JSON, YAML and TOML: the event in camelCase and "WebhookUrl"
 * (payment.succeeded → paymentSucceededWebhookUrl), after the app and before the environment
 * when asked (a block of several apps or several environments).
 */
export function configKey(link: LinkNaming, include: { app?: boolean; env?: boolean } = {}): string {
  return camelCase(configKeyWords(link, include));
}

/** The words of `configKey`, for files whose keys are written in another case. */
export function configKeyWords(link: LinkNaming, include: { product?: boolean; app?: boolean; env?: boolean } = {}): string[] {
  const product = include.product && link.product ? words(link.product, true) : [];
  const app = include.app ? words(link.app, true) : [];
  const env = include.env ? words(link.env, true) : [];
  return [...product, ...app, ...words(link.event, true), 'webhook', 'url', ...env];
}

/** How a file writes its keys, judged from the keys next to where a new one goes. */
export type KeyCase = 'camel' | 'snake' | 'kebab' | 'upper';

export function keyCaseOf(keys: Iterable<string>): KeyCase {
  const counts: Record<KeyCase, number> = { camel: 0, snake: 0, kebab: 0, upper: 0 };
  for (const key of keys) {
    if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(key)) counts.upper++;
    else if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(key)) counts.snake++;
    else if (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(key)) counts.kebab++;
    else if (/^[a-z]+[A-Z]/.test(key)) counts.camel++;
  }
  const best = (Object.keys(counts) as KeyCase[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), 'camel');
  return counts[best] ? best : 'camel';
}

export function joinKey(parts: readonly string[], keyCase: KeyCase): string {
  switch (keyCase) {
    case 'camel':
      return camelCase([...parts]);
    case 'snake':
      return parts.join('_').toLowerCase();
    case 'kebab':
      return parts.join('-').toLowerCase();
    case 'upper':
      return parts.join('_').toUpperCase();
  }
}

// ---------------------------------------------------------------------------------------------
// Quoting

/** A JSON string; also a TOML basic string and a YAML double-quoted scalar. */
export const quoted = (value: string): string => JSON.stringify(value);

/** What goes between the quotes of a string of that syntax. */
export const insideQuotes = (value: string, quote: '"' | "'"): string =>
  quote === '"' ? quoted(value).slice(1, -1) : value.replaceAll("'", "''");

/** A URL of quiet characters stays plain in YAML; anything else is double-quoted. */
const YAML_PLAIN_URL = /^[A-Za-z][\w+.-]*:[^\s'"\\,[\]{}]*[^\s'"\\,[\]{}:]$/;
export const yamlScalar = (value: string): string => (YAML_PLAIN_URL.test(value) ? value : quoted(value));
