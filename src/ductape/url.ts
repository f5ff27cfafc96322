import { InputError } from './errors';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The API base URL a user configured: absolute https, or http on a loopback address (a local
 * platform or the sandbox), so that the key is never sent in clear over a network.
 */
export function checkApiUrl(setting: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(setting, `"${value}" is not an absolute URL`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError(setting, `"${value}" must use https (http is allowed only for localhost)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(setting, `"${value}" must not carry credentials, a query or a fragment`);
  }
  return url.href.replace(/\/$/, '');
}
