import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookLinkFor } from '../../../src/ductape/contract';
import { type BlockFormat, type BlockLink, blockFormatOf, formatLinkBlock } from '../../../src/editor/text/linkBlocks';
import { APP, DEV_ONLY_EVENT, REGISTERED_EVENT } from '../helpers';

const url = (name: string) => webhookLinkFor(`uuid-${name}`);
const [DEV, STG, PRD, FAILED, OTHER_APP] = ['dev', 'stg', 'prd', 'failed', 'other'].map(url);

/** One event in every environment (Copy Links for All Environments). */
const ALL_ENVS: BlockLink[] = [
  { app: APP, event: REGISTERED_EVENT, env: 'dev', url: DEV },
  { app: APP, event: REGISTERED_EVENT, env: 'stg', url: STG },
  { app: APP, event: REGISTERED_EVENT, env: 'prd', url: PRD },
];
/** An app's events in one environment (Export Links…). */
const ALL_EVENTS: BlockLink[] = [
  { app: APP, event: REGISTERED_EVENT, env: 'prd', url: PRD },
  { app: APP, event: DEV_ONLY_EVENT, env: 'prd', url: FAILED },
];
/** A product's apps in one environment. */
const ALL_APPS: BlockLink[] = [ALL_EVENTS[0], { app: 'paypal', event: REGISTERED_EVENT, env: 'prd', url: OTHER_APP }];

const cases: Array<{ what: string; links: BlockLink[]; format: BlockFormat; expected: string[]; envNamePattern?: string }> = [
  {
    what: 'env, all environments: the environment ends the name',
    links: ALL_ENVS,
    format: 'env',
    expected: [
      `STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL_DEV=${DEV}`,
      `STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL_STG=${STG}`,
      `STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL_PRD=${PRD}`,
    ],
  },
  {
    what: 'env, all environments, a pattern that names the environment itself',
    links: ALL_ENVS,
    format: 'env',
    envNamePattern: '${ENV}_${EVENT}_URL',
    expected: [`DEV_PAYMENT_SUCCEEDED_URL=${DEV}`, `STG_PAYMENT_SUCCEEDED_URL=${STG}`, `PRD_PAYMENT_SUCCEEDED_URL=${PRD}`],
  },
  {
    what: 'env, one environment: no suffix',
    links: ALL_EVENTS,
    format: 'env',
    expected: [`STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL=${PRD}`, `STRIPE_PAYMENTS_PAYMENT_FAILED_WEBHOOK_URL=${FAILED}`],
  },
  {
    what: 'json, all environments',
    links: ALL_ENVS,
    format: 'json',
    expected: [
      `"paymentSucceededWebhookUrlDev": "${DEV}",`,
      `"paymentSucceededWebhookUrlStg": "${STG}",`,
      `"paymentSucceededWebhookUrlPrd": "${PRD}"`,
    ],
  },
  {
    what: 'json, one app’s events',
    links: ALL_EVENTS,
    format: 'json',
    expected: [`"paymentSucceededWebhookUrl": "${PRD}",`, `"paymentFailedWebhookUrl": "${FAILED}"`],
  },
  {
    what: 'json, several apps with one event: the app in front',
    links: ALL_APPS,
    format: 'json',
    expected: [`"stripePaymentsPaymentSucceededWebhookUrl": "${PRD}",`, `"paypalPaymentSucceededWebhookUrl": "${OTHER_APP}"`],
  },
  {
    what: 'json, a URL needing escapes',
    links: [{ app: APP, event: REGISTERED_EVENT, env: 'prd', url: 'https://x/?q="a\\b"' }],
    format: 'json',
    expected: [String.raw`"paymentSucceededWebhookUrl": "https://x/?q=\"a\\b\""`],
  },
  {
    what: 'yaml, all environments',
    links: ALL_ENVS,
    format: 'yaml',
    expected: [`paymentSucceededWebhookUrlDev: ${DEV}`, `paymentSucceededWebhookUrlStg: ${STG}`, `paymentSucceededWebhookUrlPrd: ${PRD}`],
  },
  {
    what: 'yaml, a URL needing quotes',
    links: [{ app: APP, event: REGISTERED_EVENT, env: 'prd', url: 'https://x/?q="a\\b"' }],
    format: 'yaml',
    expected: [String.raw`paymentSucceededWebhookUrl: "https://x/?q=\"a\\b\""`],
  },
  {
    what: 'toml, one app’s events',
    links: ALL_EVENTS,
    format: 'toml',
    expected: [`paymentSucceededWebhookUrl = "${PRD}"`, `paymentFailedWebhookUrl = "${FAILED}"`],
  },
  {
    what: 'plain, all environments: env: URL',
    links: ALL_ENVS,
    format: 'plain',
    expected: [`dev: ${DEV}`, `stg: ${STG}`, `prd: ${PRD}`],
  },
  {
    what: 'plain, several events: the event in front',
    links: ALL_EVENTS,
    format: 'plain',
    expected: [`${REGISTERED_EVENT} prd: ${PRD}`, `${DEV_ONLY_EVENT} prd: ${FAILED}`],
  },
  {
    what: 'the same link twice is one line; two URLs under one name are both kept, numbered',
    links: [ALL_ENVS[0], ALL_ENVS[0], { ...ALL_ENVS[0], url: STG }, ALL_ENVS[2]],
    format: 'env',
    expected: [
      `STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL_DEV=${DEV}`,
      `STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL_DEV_2=${STG}`,
      `STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL_PRD=${PRD}`,
    ],
  },
  {
    what: 'a pattern without ${APP}, across apps: the app in front',
    links: ALL_APPS,
    format: 'env',
    envNamePattern: '${EVENT}_URL',
    expected: [`STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_URL=${PRD}`, `PAYPAL_PAYMENT_SUCCEEDED_URL=${OTHER_APP}`],
  },
  {
    what: 'payment.succeeded and payment_succeeded, dev and DEV, non-Latin events: none lost',
    links: [
      { app: APP, event: 'payment.succeeded', env: 'dev', url: DEV },
      { app: APP, event: 'payment_succeeded', env: 'dev', url: STG },
      { app: APP, event: 'payment.succeeded', env: 'DEV', url: PRD },
      { app: APP, event: 'платёж', env: 'dev', url: FAILED },
      { app: APP, event: 'оплата', env: 'dev', url: OTHER_APP },
    ],
    format: 'yaml',
    expected: [
      `paymentSucceededWebhookUrlDev: ${DEV}`,
      `paymentSucceededWebhookUrlDev2: ${STG}`,
      `paymentSucceededWebhookUrlDev3: ${PRD}`,
      `платёжWebhookUrl: ${FAILED}`,
      `оплатаWebhookUrl: ${OTHER_APP}`,
    ],
  },
  {
    what: 'env: a URL with # is quoted, so dotenv does not cut it',
    links: [{ app: APP, event: REGISTERED_EVENT, env: 'prd', url: `${PRD}#frag` }],
    format: 'env',
    expected: [`STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL="${PRD}#frag"`],
  },
  { what: 'no links, json', links: [], format: 'json', expected: [''] },
  { what: 'no links, env', links: [], format: 'env', expected: [''] },
];

describe('blocks of links', () => {
  for (const { what, links, format, expected, envNamePattern } of cases) {
    it(what, () => assert.equal(formatLinkBlock(links, format, { envNamePattern }), expected.join('\n')));
  }

  for (const format of ['env', 'json', 'yaml', 'toml', 'plain'] as const) {
    it(`${format} with CRLF: every line ends so, and the block has no final line ending`, () => {
      const block = formatLinkBlock(ALL_ENVS, format, { eol: '\r\n' });
      assert.equal(block, formatLinkBlock(ALL_ENVS, format).replaceAll('\n', '\r\n'));
      assert.ok(!/[^\r]\n/.test(block) && !block.endsWith('\n'), JSON.stringify(block));
    });
  }

  it('json members paste into an object; a whole object is one for a new document', () => {
    assert.deepEqual(Object.values(JSON.parse(`{${formatLinkBlock(ALL_ENVS, 'json')}}`) as Record<string, string>), [DEV, STG, PRD]);
    assert.deepEqual(Object.values(JSON.parse(formatLinkBlock(ALL_ENVS, 'json', { wholeObject: true })) as Record<string, string>), [DEV, STG, PRD]);
  });

  it('takes the format of the document (the table of formats is in syntax.test)', () => {
    assert.equal(blockFormatOf({ languageId: 'plaintext', fileName: '/w/.env.local' }), 'env');
    assert.equal(blockFormatOf({ languageId: 'typescript', fileName: '/w/index.ts' }), 'plain');
  });
});
