import { InputError } from './errors';

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);
/** The URL parser writes every form of an IPv4 address (127.1, 0x7f000001…) as four decimals. */
const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function isLoopback(url: URL): boolean {
  return LOOPBACK_NAMES.has(url.hostname) || LOOPBACK_IPV4.test(url.hostname);
}

/** The URL as it may be shown: without its credentials. */
function shown(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/**
 * The API base URL a user configured: absolute https, or http on a loopback address (a local
 * platform or the sandbox), so that the key is never sent in clear over a network. The messages
 * name the setting, and never repeat credentials written into the URL.
 */
export function checkApiUrl(setting: string, value: unknown): string {
  if (typeof value !== 'string') throw new InputError(setting, 'it is not a text (a URL)');
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(setting, `"${text.slice(0, 200)}" is not an absolute URL`);
  }
  if (url.username || url.password) throw new InputError(setting, `"${shown(url)}" must not carry credentials`);
  if (url.search || url.hash || /[?#]/.test(text)) {
    throw new InputError(setting, `"${url.href}" must not carry a query or a fragment`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new InputError(setting, `"${url.href}" must use https (http is allowed only for localhost)`);
  }
  return url.href.replace(/\/$/, '');
}

