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

/** `stripe-payments` → [stripe, payments]; `paymentSucceeded` → [payment, Succeeded]. */
const words = (value: string): string[] =>
  value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);

export const upperSnake = (value: string): string => words(value).join('_').toUpperCase();

const camelCase = (parts: string[]): string =>
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
  const app = include.app ? words(link.app) : [];
  const env = include.env ? words(link.env) : [];
  return camelCase([...app, ...words(link.event), 'webhook', 'url', ...env]);
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
