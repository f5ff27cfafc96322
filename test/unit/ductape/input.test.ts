import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuctapeClient } from '../../../src/ductape/client';
import { MAX_IDENTIFIER_LENGTH } from '../../../src/ductape/contract';
import { InputError } from '../../../src/ductape/errors';
import { MAX_ACCESS_KEY_LENGTH, MIN_ACCESS_KEY_LENGTH, checkIdentifier, normalizeAccessKey } from '../../../src/ductape/input';

/** Distinctive, so that an echo of any part of it would be found. */
const KEY_BODY = 'dk_unit_Zq8rT3vW9yK2';

/** Asserts an InputError for the field with the problem, whose message does not contain `secret`. */
function assertInputError(run: () => unknown, field: string, problem: RegExp, secret?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof InputError, 'expected an InputError');
    assert.equal(error.field, field);
    assert.match(error.message, problem);
    if (secret) assert.ok(!error.message.includes(secret), 'the message echoes the key');
    return true;
  });
}

describe('checkIdentifier', () => {
  it('accepts a tag as typed', () => {
    assert.equal(checkIdentifier('event', 'payment.succeeded'), 'payment.succeeded');
    assert.equal(checkIdentifier('event', 'x'.repeat(MAX_IDENTIFIER_LENGTH)).length, MAX_IDENTIFIER_LENGTH);
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['an empty string', '', /it is empty/],
    ['white space only', ' \t ', /it is empty/],
    ['a value that is not a string', undefined, /it is empty/],
    ['a NUL character', 'pay\u0000ment', /control characters/],
    ['a new line', 'payment\n', /control characters/],
    ['a C1 control character', 'pay\u0085ment', /control characters/],
    ['a leading space', ' payment', /white space/],
    ['a trailing space', 'payment ', /white space/],
    ['too many characters', 'x'.repeat(MAX_IDENTIFIER_LENGTH + 1), /longer than/],
  ];
  for (const [what, value, problem] of refused) {
    it(`refuses ${what}, naming the field`, () => {
      assertInputError(() => checkIdentifier('product', value), 'product', problem);
    });
  }
});

describe('normalizeAccessKey', () => {
  it('trims white space and line breaks pasted around the key', () => {
    assert.equal(normalizeAccessKey(`  ${KEY_BODY}\r\n`), KEY_BODY);
  });

  it(`accepts keys of ${MIN_ACCESS_KEY_LENGTH} to ${MAX_ACCESS_KEY_LENGTH} characters`, () => {
    assert.equal(normalizeAccessKey('k'.repeat(MIN_ACCESS_KEY_LENGTH)).length, MIN_ACCESS_KEY_LENGTH);
    assert.equal(normalizeAccessKey('k'.repeat(MAX_ACCESS_KEY_LENGTH)).length, MAX_ACCESS_KEY_LENGTH);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['an empty key', '', /it is empty/],
    ['a key of white space', ' \n\t ', /it is empty/],
    ['white space inside the key', `${KEY_BODY} ${KEY_BODY}`, /white space/],
    ['a tab inside the key', `${KEY_BODY}\t${KEY_BODY}`, /white space/],
    ['a control character', `${KEY_BODY}\u0007`, /control characters/],
    ['a DEL character', `${KEY_BODY}\u007f`, /control characters/],
    ['a key that is too short', KEY_BODY.slice(0, MIN_ACCESS_KEY_LENGTH - 1), /characters; a key has/],
    ['a key that is too long', KEY_BODY.repeat(40).slice(0, MAX_ACCESS_KEY_LENGTH + 1), /characters; a key has/],
  ];
  for (const [what, key, problem] of refused) {
    it(`refuses ${what} without echoing it`, () => {
      // Every refused key but the blank ones starts with this fragment: the message has none of it.
      assertInputError(() => normalizeAccessKey(key), 'access key', problem, KEY_BODY.slice(0, 6));
    });
  }

  it('is applied when a client is made, before it can send anything', () => {
    const make = () => new DuctapeClient({ apiUrl: 'http://127.0.0.1:9', accessKey: `${KEY_BODY} x` });
    assertInputError(make, 'access key', /white space/, KEY_BODY.slice(0, 6));
  });
});
