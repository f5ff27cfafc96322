/**
 * The SDK proxy's payload sealing: AES-256-CBC (PKCS#7 padding) of the UTF-8 JSON payload, with
 * the SHA-256 digest of the public key as key and a fresh random iv for every request, written
 * as `hex(iv):base64(ciphertext)`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { PAYLOAD_CIPHER, PAYLOAD_IV_BYTES, PAYLOAD_SEPARATOR } from './contract';

function keyOf(publicKey: string): Buffer {
  return createHash('sha256').update(publicKey, 'utf8').digest();
}

export function encryptPayload(payload: unknown, publicKey: string): string {
  const iv = randomBytes(PAYLOAD_IV_BYTES);
  const cipher = createCipheriv(PAYLOAD_CIPHER, keyOf(publicKey), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return `${iv.toString('hex')}${PAYLOAD_SEPARATOR}${sealed.toString('base64')}`;
}

/** Throws a plain Error (never echoing the payload) when the text does not decrypt to JSON. */
export function decryptPayload(sealed: string, publicKey: string): unknown {
  const separator = sealed.indexOf(PAYLOAD_SEPARATOR);
  const iv = Buffer.from(sealed.slice(0, Math.max(separator, 0)), 'hex');
  if (separator < 0 || iv.length !== PAYLOAD_IV_BYTES) {
    throw new Error('the payload is not hex(iv):base64(ciphertext) with a 16-byte iv');
  }
  const decipher = createDecipheriv(PAYLOAD_CIPHER, keyOf(publicKey), iv);
  let text: string;
  try {
    text = Buffer.concat([decipher.update(sealed.slice(separator + 1), 'base64'), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('the payload does not decrypt with this public key');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the decrypted payload is not JSON');
  }
}
