/** Checks on what a person typed, made before anything is sent. */
import { MAX_IDENTIFIER_LENGTH } from './contract';
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
