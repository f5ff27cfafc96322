import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/ductape/errors';
import { checkApiUrl } from '../../../src/ductape/url';

const SETTING = 'ductape.apiUrl';

/** Asserts that the value is refused with an InputError naming the setting, and returns its message. */
function refused(value: unknown, problem: RegExp): string {
  let message = '';
  assert.throws(
    () => checkApiUrl(SETTING, value),
    (error: unknown) => {
      assert.ok(error instanceof InputError, `expected an InputError for ${JSON.stringify(value)}`);
      assert.equal(error.field, SETTING);
      message = error.message;
      return true;
    },
  );
  assert.match(message, new RegExp(`^Invalid ${SETTING.replace('.', '\\.')}: `));
  assert.match(message, problem);
  return message;
}

describe('checkApiUrl', () => {
  it('accepts an absolute https URL, with or without a path, trimmed and without a trailing slash', () => {
    assert.equal(checkApiUrl(SETTING, 'https://api.ductape.app'), 'https://api.ductape.app');
    assert.equal(checkApiUrl(SETTING, '  https://staging-api.ductape.app/  '), 'https://staging-api.ductape.app');
    assert.equal(checkApiUrl(SETTING, 'https://ductape.example.com:8443/api/'), 'https://ductape.example.com:8443/api');
    assert.equal(checkApiUrl(SETTING, 'HTTPS://API.Ductape.App'), 'https://api.ductape.app');
  });

  it('accepts http on a loopback address only: localhost, 127.x.x.x, [::1]', () => {
    assert.equal(checkApiUrl(SETTING, 'http://localhost:4311/api'), 'http://localhost:4311/api');
    assert.equal(checkApiUrl(SETTING, 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.equal(checkApiUrl(SETTING, 'http://127.1.2.3'), 'http://127.1.2.3');
    assert.equal(checkApiUrl(SETTING, 'http://[::1]:4311'), 'http://[::1]:4311');
    assert.equal(checkApiUrl(SETTING, 'http://127.1'), 'http://127.0.0.1', 'the short form of 127.0.0.1');
  });

  it('refuses http to any other host, including names that only look like loopback', () => {
    for (const value of [
      'http://api.ductape.app',
      'http://10.0.0.5:4311',
      'http://127.0.0.1.nip.io',
      'http://127.attacker.example',
      'http://localhost.attacker.example',
      'http://[::2]',
    ]) {
      refused(value, /must use https \(http is allowed only for localhost\)/);
    }
  });

  it('refuses other schemes', () => {
    for (const value of ['ftp://api.ductape.app', 'file:///etc/passwd', 'ws://localhost:4311', 'javascript:alert(1)']) {
      refused(value, /must use https/);
    }
  });

  it('refuses what is not an absolute URL, naming the value', () => {
    for (const value of ['', '   ', 'api.ductape.app', '/api', 'https://', 'not a url at all', 'https://exa mple.com']) {
      refused(value, /is not an absolute URL/);
    }
  });

  it('refuses a value that is not a text', () => {
    for (const value of [undefined, null, 42, { url: 'https://api.ductape.app' }]) refused(value, /it is not a text/);
  });

  it('refuses credentials in the URL without repeating them', () => {
    for (const value of ['https://user:hunter2-pw@api.ductape.app', 'http://hunter2-pw@localhost:4311', 'https://:hunter2-pw@api.ductape.app']) {
      const message = refused(value, /must not carry credentials/);
      assert.ok(!message.includes('hunter2-pw'), 'the message repeats the credentials');
    }
  });

  it('refuses a query or a fragment, even an empty one', () => {
    for (const value of ['https://api.ductape.app/?token=1', 'https://api.ductape.app/#x', 'https://api.ductape.app/?', 'https://api.ductape.app/#']) {
      refused(value, /must not carry a query or a fragment/);
    }
  });
});
