import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WEBHOOK_HOST, webhookLinkFor } from '../../../src/ductape/contract';
import { type EnvironmentNames, environmentOfFileName, findWebhookLinks } from '../../../src/editor/text/linkRecognition';

const A = '3f2a1b4c-5d6e-4f70-a182-93a4b5c6d7e8';
const B = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
const LINK_A = webhookLinkFor(A);
const LINK_B = webhookLinkFor(B);
const SANDBOX = 'http://127.0.0.1:4312';

/** The links found, as [the text at their range, uuid]. */
function found(text: string, hosts?: string[]): Array<[string, string]> {
  return findWebhookLinks(text, hosts).map((link) => {
    assert.equal(text.slice(link.start, link.end), link.url);
    return [link.url, link.uuid];
  });
}

describe('finding webhook links', () => {
  const cases: Array<{ what: string; text: string; links: Array<[string, string]>; hosts?: string[] }> = [
    { what: 'a link alone', text: LINK_A, links: [[LINK_A, A]] },
    { what: 'several links on one line', text: `a=${LINK_A} b=${LINK_B},${LINK_A}`, links: [[LINK_A, A], [LINK_B, B], [LINK_A, A]] },
    { what: 'links in double and single quotes', text: `{"a": "${LINK_A}", 'b': '${LINK_B}'}`, links: [[LINK_A, A], [LINK_B, B]] },
    { what: 'a trailing slash is left out of the range', text: `url: ${LINK_A}/\n`, links: [[LINK_A, A]] },
    { what: 'a query is left out of the range', text: `${LINK_A}?source=stripe&x=1`, links: [[LINK_A, A]] },
    { what: 'a trailing slash and a query', text: `"${LINK_A}/?x=1"`, links: [[LINK_A, A]] },
    { what: 'a fragment', text: `${LINK_A}#top`, links: [[LINK_A, A]] },
    { what: 'the end of a sentence', text: `Use ${LINK_A}. Then`, links: [[LINK_A, A]] },
    { what: 'a Markdown link', text: `[hook](${LINK_A})`, links: [[LINK_A, A]] },
    { what: 'lines with CRLF', text: `A=${LINK_A}\r\nB=${LINK_B}\r\n`, links: [[LINK_A, A], [LINK_B, B]] },
    { what: 'an escaped id is decoded', text: webhookLinkFor('a b'), links: [[webhookLinkFor('a b'), 'a b']] },
    { what: 'another host', text: `https://example.com/webhooks/v1/process/${A}`, links: [] },
    { what: 'a host that only starts the same', text: `https://webhooks.ductape.app.evil.com/webhooks/v1/process/${A}`, links: [] },
    { what: 'another scheme', text: `http://webhooks.ductape.app/webhooks/v1/process/${A}`, links: [] },
    { what: 'another path on the host', text: `${WEBHOOK_HOST}/webhooks/v2/process/${A} ${WEBHOOK_HOST}/api`, links: [] },
    { what: 'a deeper path', text: `${LINK_A}/retry`, links: [] },
    { what: 'no id', text: `${WEBHOOK_HOST}/webhooks/v1/process/ and ${WEBHOOK_HOST}/webhooks/v1/process/?x`, links: [] },
    { what: 'a malformed escape', text: `${WEBHOOK_HOST}/webhooks/v1/process/%E0%A4%A`, links: [] },
    { what: 'the sandbox host is not known by default', text: webhookLinkFor(A, SANDBOX), links: [] },
    {
      what: 'the sandbox host when given (with a trailing slash), next to the webhook host',
      text: `${webhookLinkFor(B, SANDBOX)} ${LINK_A}`,
      hosts: [WEBHOOK_HOST, `${SANDBOX}/`],
      links: [[webhookLinkFor(B, SANDBOX), B], [LINK_A, A]],
    },
    { what: 'no hosts', text: LINK_A, hosts: [], links: [] },
  ];
  for (const { what, text, links, hosts } of cases) {
    it(what, () => assert.deepEqual(found(text, hosts), links));
  }

  it('gives offsets into the text', () => {
    const text = `x\n  "${LINK_B}"`;
    assert.deepEqual(findWebhookLinks(text), [{ start: 5, end: 5 + LINK_B.length, url: LINK_B, uuid: B }]);
  });
});

describe('the environment a file is named for', () => {
  const cases: Array<[string, string | undefined]> = [
    ['.env.production', 'prd'],
    ['.env.prod', 'prd'],
    ['.env.production.local', 'prd'],
    ['.env.local', 'dev'],
    ['.env.development', 'dev'],
    ['.env.staging', 'stg'],
    ['.env', undefined],
    ['prd.yaml', 'prd'],
    ['config/staging.json', 'stg'],
    ['config\\stage.json', 'stg'],
    ['envs/prod/app.json', 'prd'],
    ['deploy/dev/values-production.yaml', 'prd'],
    ['app-stg.toml', 'stg'],
    ['settings_dev.json', 'dev'],
    ['PRODUCTION.yml', 'prd'],
    ['product.json', undefined],
    ['devices.yaml', undefined],
    ['config/products/staged.json', undefined],
    ['prodigy/develope.json', undefined],
    ['src/index.ts', undefined],
    ['', undefined],
  ];
  for (const [path, env] of cases) {
    it(`${path || '(empty)'} → ${env ?? 'none'}`, () => assert.equal(environmentOfFileName(path), env));
  }

  it('follows a mapping given in place of the default', () => {
    const names: EnvironmentNames = { live: ['Live', 'production'], qa: ['qa'] };
    assert.equal(environmentOfFileName('.env.live', names), 'live');
    assert.equal(environmentOfFileName('config/production.json', names), 'live');
    assert.equal(environmentOfFileName('qa.yaml', names), 'qa');
    assert.equal(environmentOfFileName('prd.yaml', names), undefined);
  });
});
