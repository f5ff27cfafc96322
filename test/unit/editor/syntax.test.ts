import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/ductape/errors';
import { configKey, envVariableName, textFormatOf } from '../../../src/editor/text/syntax';
import { APP, PRODUCT, REGISTERED_EVENT } from '../helpers';

const LINK = { product: PRODUCT, app: APP, event: REGISTERED_EVENT, env: 'prd' };
const NAME = 'STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL';

describe('the syntax of a document', () => {
  const cases: Array<[string, string, string]> = [
    ['plaintext', '/w/.env', 'env'],
    ['properties', '/w/.env.production', 'env'],
    ['shellscript', 'C:\\w\\.env.local', 'env'],
    ['dotenv', '/w/settings', 'env'],
    ['plaintext', '/w/prod.env', 'env'],
    ['json', '/w/.env.json', 'json'],
    ['jsonc', '/w/tsconfig.json', 'json'],
    ['plaintext', '/w/config.jsonc', 'json'],
    ['yaml', '/w/x', 'yaml'],
    ['plaintext', '/w/compose.yml', 'yaml'],
    ['toml', '/w/x', 'toml'],
    ['plaintext', '/w/Cargo.toml', 'toml'],
    ['markdown', '/w/README.md', 'plain'],
    ['plaintext', '/w/environment', 'plain'],
    ['plaintext', '/w/.envrc', 'plain'],
  ];
  for (const [languageId, fileName, format] of cases) {
    it(`${languageId} ${fileName} → ${format}`, () => assert.equal(textFormatOf({ languageId, fileName }), format));
  }
});

describe('the names of a link', () => {
  it('upper-snake for an environment variable, from the default pattern', () => {
    assert.equal(envVariableName(LINK), NAME);
  });

  const patterns: Array<[string, string]> = [
    ['${PRODUCT}_${EVENT}_${ENV}', 'ECOMMERCE_PLATFORM_PAYMENT_SUCCEEDED_PRD'],
    ['DUCTAPE_${APP}', 'DUCTAPE_STRIPE_PAYMENTS'],
    ['hook_${EVENT}', 'hook_PAYMENT_SUCCEEDED'],
  ];
  for (const [pattern, name] of patterns) {
    it(`${pattern} → ${name}`, () => assert.equal(envVariableName(LINK, pattern), name));
  }

  for (const pattern of ['${APP}-URL', '${NAME}_URL', '${app}_URL', '1_${APP}', '']) {
    it(`refuses the pattern "${pattern}", whose result is not a legal name`, () => {
      assert.throws(() => envVariableName(LINK, pattern), InputError);
    });
  }

  it('camelCase for a key, with the app and environment when asked', () => {
    assert.equal(configKey(LINK), 'paymentSucceededWebhookUrl');
    assert.equal(configKey({ ...LINK, event: 'invoice_paid' }), 'invoicePaidWebhookUrl');
    assert.equal(configKey(LINK, { app: true, env: true }), 'stripePaymentsPaymentSucceededWebhookUrlPrd');
  });
});
