/** Checks on what a person typed, made before anything is sent. */
import {
  type Credential,
  DESTINATION_METHODS,
  type Destination,
  LOGIN_CODE_FORM,
  MAX_IDENTIFIER_LENGTH,
  USER_ID_FORM,
} from './contract';
import { InputError } from './errors';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** A product, app, event or environment tag: not blank, no control characters, bounded. */
export function checkIdentifier(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(field, 'it is empty');
  if (CONTROL_CHARACTERS.test(value)) throw new InputError(field, 'it contains control characters');
  if (value !== value.trim()) throw new InputError(field, 'it starts or ends with white space');
  if (value.length > MAX_IDENTIFIER_LENGTH) {
    throw new InputError(field, `it is longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  return value;
}

export const MIN_ACCESS_KEY_LENGTH = 8;
export const MAX_ACCESS_KEY_LENGTH = 512;

/** Trims a pasted access key and refuses one that cannot be a key. Never echoes the key. */
export function normalizeAccessKey(raw: string): string {
  const key = raw.trim();
  if (!key) throw new InputError('access key', 'it is empty');
  if (/\s/.test(key)) throw new InputError('access key', 'it contains white space');
  if (CONTROL_CHARACTERS.test(key)) throw new InputError('access key', 'it contains control characters');
  if (key.length < MIN_ACCESS_KEY_LENGTH || key.length > MAX_ACCESS_KEY_LENGTH) {
    throw new InputError(
      'access key',
      `it has ${key.length} characters; a key has ${MIN_ACCESS_KEY_LENGTH} to ${MAX_ACCESS_KEY_LENGTH}`,
    );
  }
  return key;
}

/** Workspace credentials as ductape-users validates them, checked before they are sent. */
export function checkWorkspaceCredential(raw: { userId: string; workspaceId: string; privateKey: string }): Credential {
  const userId = raw.userId.trim();
  if (!USER_ID_FORM.test(userId)) throw new InputError('user ID', 'a Ductape user ID is 24 letters and digits');
  const workspaceId = checkIdentifier('workspace ID', raw.workspaceId.trim());
  const privateKey = raw.privateKey.trim();
  if (!privateKey) throw new InputError('private key', 'it is empty');
  if (/\s/.test(privateKey) || CONTROL_CHARACTERS.test(privateKey)) {
    throw new InputError('private key', 'it contains white space or control characters');
  }
  return { kind: 'workspace', userId, workspaceId, privateKey };
}

/** An email address of the form the users service accepts (a name, an @ and a domain with a dot). */
export function checkEmail(raw: string): string {
  const email = raw.trim();
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) throw new InputError('email', 'it is not an email address');
  return email;
}

export function checkLoginCode(raw: string): string {
  const code = raw.trim();
  if (!LOGIN_CODE_FORM.test(code)) throw new InputError('one-time code', 'it is 6 letters or digits');
  return code;
}

const MAX_DESTINATION_LENGTH = 2048;

/**
 * Where Ductape should deliver: an absolute http(s) URL, with a method it forwards with. The
 * message names what is wrong.
 */
export function checkDestination(raw: { url: string; method?: string }): Destination {
  const text = raw.url.trim();
  if (!text) throw new InputError('destination URL', 'it is empty');
  if (text.length > MAX_DESTINATION_LENGTH) throw new InputError('destination URL', `it is longer than ${MAX_DESTINATION_LENGTH} characters`);
  if (/\s/.test(text) || CONTROL_CHARACTERS.test(text)) throw new InputError('destination URL', 'it contains white space');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError('destination URL', `"${text.slice(0, 200)}" is not an absolute URL (https://…)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('destination URL', `it must start with https:// or http://, not ${url.protocol}`);
  }
  if (!url.hostname) throw new InputError('destination URL', 'it has no host');
  const method = (raw.method ?? 'POST').toUpperCase();
  const known = DESTINATION_METHODS.find((candidate) => candidate === method);
  if (!known) throw new InputError('method', `Ductape delivers with ${DESTINATION_METHODS.join(', ')}, not ${raw.method}`);
  return { url: text, method: known };
}
