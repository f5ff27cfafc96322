import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptPayload, encryptPayload } from '../../../src/ductape/crypto';

const PUBLIC_KEY = 'pk_unit_test_0123456789abcdef';
const PAYLOAD = { module: 'product', method: 'apps.list', params: ['ecommerce-platform'], user_id: 'usr_1' };

/** The contract's recipe written out independently: AES-256-CBC, key = SHA-256(public key). */
function decryptAsTheContractSays(sealed: string, publicKey: string): unknown {
  const [ivHex, ciphertext] = sealed.split(':');
  const key = createHash('sha256').update(publicKey, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-cbc', key, Buffer.from(ivHex, 'hex'));
  return JSON.parse(Buffer.concat([decipher.update(ciphertext, 'base64'), decipher.final()]).toString('utf8'));
}

describe('proxy payload encryption', () => {
  it('decrypts what it encrypts, including non-ASCII text', () => {
    const payload = { ...PAYLOAD, params: ['café ☕', { nested: [1, 2] }] };
    assert.deepEqual(decryptPayload(encryptPayload(payload, PUBLIC_KEY), PUBLIC_KEY), payload);
  });

  it('writes hex(iv):base64(ciphertext) with a 16-byte iv', () => {
    const sealed = encryptPayload(PAYLOAD, PUBLIC_KEY);
    assert.match(sealed, /^[0-9a-f]{32}:[A-Za-z0-9+/]+={0,2}$/);
    // AES-CBC with PKCS#7: the ciphertext is whole 16-byte blocks.
    assert.equal(Buffer.from(sealed.split(':')[1], 'base64').length % 16, 0);
  });

  it('follows the contract: SHA-256 of the public key as AES-256-CBC key', () => {
    assert.deepEqual(decryptAsTheContractSays(encryptPayload(PAYLOAD, PUBLIC_KEY), PUBLIC_KEY), PAYLOAD);
  });

  it('uses a fresh iv each time, so the same payload never encrypts the same twice', () => {
    const first = encryptPayload(PAYLOAD, PUBLIC_KEY);
    const second = encryptPayload(PAYLOAD, PUBLIC_KEY);
    assert.notEqual(first.split(':')[0], second.split(':')[0]);
    assert.notEqual(first, second);
  });

  it('refuses to decrypt with another public key, without echoing the payload', () => {
    const sealed = encryptPayload(PAYLOAD, PUBLIC_KEY);
    assert.throws(
      () => decryptPayload(sealed, `${PUBLIC_KEY}-other`),
      (error: Error) => !error.message.includes(sealed) && !error.message.includes('apps.list'),
    );
  });

  it('refuses text that is not hex(iv):base64(ciphertext)', () => {
    for (const sealed of ['', 'no separator', 'abcd:AAAA', `${'zz'.repeat(16)}:AAAA`]) {
      assert.throws(() => decryptPayload(sealed, PUBLIC_KEY), /not hex\(iv\):base64\(ciphertext\)/, JSON.stringify(sealed));
    }
  });
});
