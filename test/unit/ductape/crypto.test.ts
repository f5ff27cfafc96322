import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import CryptoJS from 'crypto-js';
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

/**
 * The workbench's cipher (fikayo-sanni/Ductape-workbench src/utils/proxyEncryption.ts, crypto-js):
 * AES with the SHA-256 WordArray of the public key as key (CBC, PKCS#7 by default), a random
 * 16-byte iv, written as `hex(iv):base64(ciphertext)`. Written here from crypto-js itself, not
 * from the client's cipher.
 */
function sealWithCryptoJs(payload: unknown, publicKey: string, iv = CryptoJS.lib.WordArray.random(16)): string {
  const sealed = CryptoJS.AES.encrypt(JSON.stringify(payload), CryptoJS.SHA256(publicKey), { iv });
  return `${iv.toString(CryptoJS.enc.Hex)}:${sealed.toString()}`;
}

function openWithCryptoJs(sealed: string, publicKey: string): unknown {
  const [ivHex, ciphertext] = sealed.split(':');
  const opened = CryptoJS.AES.decrypt(ciphertext, CryptoJS.SHA256(publicKey), { iv: CryptoJS.enc.Hex.parse(ivHex) });
  return JSON.parse(opened.toString(CryptoJS.enc.Utf8));
}

describe('proxy payload encryption against crypto-js, as the workbench seals it', () => {
  const KNOWN_KEY = 'pk_known_answer_7c1d4e8a';
  const KNOWN_PAYLOAD = { module: 'product', method: 'apps.webhooks.list', params: ['shop', 'stripe:a1b2'], user_id: '6523f0c1a7b9e2d4f8a1c3e5' };
  const KNOWN_IV = '000102030405060708090a0b0c0d0e0f';
  /** crypto-js 4.2's output for KNOWN_PAYLOAD, KNOWN_KEY and KNOWN_IV. */
  const KNOWN_SEALED =
    '000102030405060708090a0b0c0d0e0f:MxqXh6Eny42cnE1x09pXdlrO9MSVOpo5+/0fLyEuiYpYX4olXORa2FwIl3uCimaVTlVf3VlnEQfJT+dIi3JoLT3WSXANObt1//hVfOOPrWTxDBG4/+Qa2L3lVIDFP23SaJdVeNpVXf7mUXGFavw6xOlgkpWff6c8STXg04GfObo=';
  const PAYLOADS: unknown[] = [
    KNOWN_PAYLOAD,
    { module: 'product', method: 'apps.webhooks.generateLink', params: [{ product: 'café ☕', access_tag: 'a', webhook_tag: 'é', env: 'prd', url: 'https://x.example/ü' }], user_id: 'u' },
    // Exactly one block, and one long payload: padding at its edges.
    { a: 'bcdefghijkl' },
    { params: ['x'.repeat(5000)] },
  ];

  it('decrypts the known answer crypto-js gives', () => {
    assert.equal(sealWithCryptoJs(KNOWN_PAYLOAD, KNOWN_KEY, CryptoJS.enc.Hex.parse(KNOWN_IV)), KNOWN_SEALED, 'crypto-js still gives the known answer');
    assert.deepEqual(decryptPayload(KNOWN_SEALED, KNOWN_KEY), KNOWN_PAYLOAD);
  });

  it('decrypts what crypto-js encrypts with a fresh iv', () => {
    for (const payload of PAYLOADS) assert.deepEqual(decryptPayload(sealWithCryptoJs(payload, PUBLIC_KEY), PUBLIC_KEY), payload);
  });

  it('encrypts what crypto-js decrypts', () => {
    for (const payload of PAYLOADS) assert.deepEqual(openWithCryptoJs(encryptPayload(payload, PUBLIC_KEY), PUBLIC_KEY), payload);
  });

  it('encrypts with the key crypto-js derives: another public key does not open it', () => {
    const sealed = encryptPayload(KNOWN_PAYLOAD, KNOWN_KEY);
    assert.throws(() => openWithCryptoJs(sealed, `${KNOWN_KEY}x`));
  });
});
