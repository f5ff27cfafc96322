import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GeneratedLink,
  PATHS,
  Product,
  SessionData,
  failureMessageOf,
  parseContract,
  webhookLinkFor,
  webhookUuidOf,
} from '../../../src/ductape/contract';
import { ContractError } from '../../../src/ductape/errors';

const UUID = '3f2a1b4c-5d6e-4f70-a182-93a4b5c6d7e8';

describe('webhook links of the contract form', () => {
  it('point at the intake host and give back their uuid', () => {
    const link = webhookLinkFor(UUID);
    assert.equal(link, `https://webhooks.ductape.app/webhooks/v1/process/${UUID}`);
    assert.equal(webhookUuidOf(link), UUID);
  });

  it('have no uuid when the URL is not a link of that form', () => {
    for (const url of [
      'not a url',
      'https://webhooks.ductape.app/other/path',
      'https://webhooks.ductape.app/webhooks/v1/process/',
      `https://webhooks.ductape.app/webhooks/v1/process/${UUID}/extra`,
    ]) {
      assert.equal(webhookUuidOf(url), undefined, url);
    }
  });

  it('have no uuid, rather than an exception, when the URL has a malformed escape', () => {
    assert.equal(webhookUuidOf('https://webhooks.ductape.app/webhooks/v1/process/%E0%A4%A'), undefined);
  });
});

describe('contract paths', () => {
  it('escape the workspace id in the product list path', () => {
    assert.equal(PATHS.products('ws/a b'), '/integrations/v1/workspace/ws%2Fa%20b/all');
  });
});

describe('failure envelopes', () => {
  it('yield their text whichever field carries it', () => {
    assert.equal(failureMessageOf({ status: false, errors: 'user not authorized' }), 'user not authorized');
    assert.equal(failureMessageOf({ status: false, errors: ['a', 'b'] }), 'a; b');
    assert.equal(failureMessageOf({ status: false, message: 'operation failed', code: 'X' }), 'operation failed');
    assert.equal(failureMessageOf({ status: false, errors: '', message: '' }), undefined);
  });
});

describe('parseContract', () => {
  it('returns valid data, keeping fields the contract does not name', () => {
    const product = parseContract(Product, { _id: '1', tag: 'p', name: 'P', extra: 42 }, 'the product list');
    assert.equal(product.tag, 'p');
    assert.equal((product as Record<string, unknown>).extra, 42);
  });

  it('refuses data of the wrong shape with a ContractError naming the call and the field', () => {
    assert.throws(
      () => parseContract(Product, { _id: '1', tag: '', name: 'P' }, 'the product list'),
      (error: unknown) =>
        error instanceof ContractError &&
        error.call === 'the product list' &&
        error.message.includes('the product list') &&
        error.message.includes('"tag"'),
    );
    assert.throws(() => parseContract(SessionData, { auth_token: 't' }, 'the sign-in'), /the sign-in.*_id/);
  });

  it('accepts a generated link as a string, { link } or { data: { link } }, and refuses an empty one', () => {
    const link = webhookLinkFor(UUID);
    for (const body of [link, { link }, { data: { link } }]) {
      assert.equal(parseContract(GeneratedLink, body, 'the link'), link);
    }
    assert.throws(() => parseContract(GeneratedLink, '', 'the link'), ContractError);
  });
});
