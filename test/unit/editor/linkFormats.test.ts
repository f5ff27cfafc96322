import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookLinkFor } from '../../../src/ductape/contract';
import { InputError } from '../../../src/ductape/errors';
import { applyEdits, type Cursor, type InsertPlan, planLinkInsertion, type WebhookLink } from '../../../src/editor/text/linkFormats';
import { configKey, type DocumentKind, envVariableName, textFormatOf } from '../../../src/editor/text/syntax';
import { APP, PRODUCT, REGISTERED_EVENT } from '../helpers';

const URL = webhookLinkFor('3f2a1b4c-5d6e-4f70-a182-93a4b5c6d7e8');
const LINK: WebhookLink = { product: PRODUCT, app: APP, event: REGISTERED_EVENT, env: 'prd', url: URL };
const NAME = 'STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL';
/** A URL with a double quote, a backslash and an apostrophe, and what it becomes in each syntax. */
const ODD_URL = String.raw`${URL}?q="a\b'c"`;
const ODD_IN_DOUBLE_QUOTES = String.raw`${URL}?q=\"a\\b'c\"`;
const ODD_IN_SINGLE_QUOTES = String.raw`${URL}?q="a\b''c"`;

/** `‸` marks the cursor; two of them, a selection. */
function place(source: string): { text: string; cursor: Cursor } {
  const first = source.indexOf('‸');
  const second = source.indexOf('‸', first + 1);
  return { text: source.replaceAll('‸', ''), cursor: second < 0 ? first : { start: first, end: second - 1 } };
}

function plan(kind: DocumentKind, source: string, link: Partial<WebhookLink> = {}, envNamePattern?: string) {
  const { text, cursor } = place(source);
  return { text, plan: planLinkInsertion({ ...kind, text }, cursor, { ...LINK, ...link }, { envNamePattern }) };
}

function edited(text: string, result: InsertPlan): string {
  assert.equal(result.kind, 'edit', 'expected an edit plan');
  return applyEdits(text, result.kind === 'edit' ? result.edits : []);
}

interface Case {
  what: string;
  source: string;
  expected: string;
  url?: string;
  /** Run with CRLF line endings, in the source and in the expected text. */
  crlf?: boolean;
}

function table(kind: DocumentKind, cases: Case[]): void {
  for (const { what, source, expected, url, crlf } of cases) {
    it(what, () => {
      const lines = (text: string) => (crlf ? text.replaceAll('\n', '\r\n') : text);
      const { text, plan: result } = plan(kind, lines(source), url === undefined ? {} : { url });
      assert.equal(edited(text, result), lines(expected));
    });
  }
}

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

describe('inserting in an env file', () => {
  table({ languageId: 'plaintext', fileName: '/w/.env' }, [
    { what: 'an empty file', source: '‸', expected: `${NAME}=${URL}` },
    { what: 'an empty line', source: 'A=1\n‸\nB=2\n', expected: `A=1\n${NAME}=${URL}\nB=2\n` },
    { what: 'a line of spaces keeps them', source: 'A=1\n  ‸\nB=2\n', expected: `A=1\n  ${NAME}=${URL}\nB=2\n` },
    { what: 'a line with text: on a new line after it', source: 'A=1‸\nB=2\n', expected: `A=1\n${NAME}=${URL}\nB=2\n` },
    { what: 'the middle of a value: after its line', source: 'A=‸1\nB=2\n', expected: `A=1\n${NAME}=${URL}\nB=2\n` },
    { what: 'a comment line', source: '# hooks‸\n', expected: `# hooks\n${NAME}=${URL}\n` },
    { what: 'no final newline stays so', source: 'A=1\nB=2‸', expected: `A=1\nB=2\n${NAME}=${URL}` },
    { what: 'CRLF, a line with text', source: 'A=1‸\nB=2\n', expected: `A=1\n${NAME}=${URL}\nB=2\n`, crlf: true },
    { what: 'CRLF, an empty line', source: 'A=1\n‸\nB=2\n', expected: `A=1\n${NAME}=${URL}\nB=2\n`, crlf: true },
    { what: 'CRLF, no final newline', source: 'A=1\nB=2‸', expected: `A=1\nB=2\n${NAME}=${URL}`, crlf: true },
    { what: 'right after OTHER=: the URL alone', source: 'OTHER=‸\nB=2', expected: `OTHER=${URL}\nB=2` },
    { what: 'right after export OTHER = : the URL alone', source: 'export OTHER = ‸', expected: `export OTHER = ${URL}` },
    { what: 'a selection is replaced', source: 'A=1\n‸junk‸\n', expected: `A=1\n${NAME}=${URL}\n` },
    { what: 'a name in a comment only is not an assignment', source: `# ${NAME}=old\n‸`, expected: `# ${NAME}=old\n${NAME}=${URL}` },
    { what: 'a longer name is another name', source: `${NAME}_2=old\n‸`, expected: `${NAME}_2=old\n${NAME}=${URL}` },
  ]);

  it('knows an env file by its language alone', () => {
    const { text, plan: result } = plan({ languageId: 'dotenv', fileName: 'untitled:1' }, '‸');
    assert.equal(edited(text, result), `${NAME}=${URL}`);
  });

  it('names the variable by the pattern given', () => {
    const { text, plan: result } = plan({ languageId: 'plaintext', fileName: '.env' }, '‸', {}, '${EVENT}_${ENV}');
    assert.equal(edited(text, result), `PAYMENT_SUCCEEDED_PRD=${URL}`);
  });

  it('refuses a pattern that gives an illegal name, before planning anything', () => {
    assert.throws(() => plan({ languageId: 'plaintext', fileName: '.env' }, '‸', {}, '${APP}.url'), InputError);
  });
});

describe('an env file that already has the name', () => {
  const existing: Array<{ what: string; source: string; value: string; replaced: string }> = [
    { what: 'a plain value', source: `A=1\n${NAME}=old\n‸`, value: 'old', replaced: `A=1\n${NAME}=${URL}\n` },
    {
      what: 'a quoted value with a comment: quotes and comment kept',
      source: `‸\n${NAME}="old value"  # prd\nB=2`,
      value: 'old value',
      replaced: `\n${NAME}="${URL}"  # prd\nB=2`,
    },
    { what: 'export and single quotes', source: `export ${NAME}='old'‸`, value: 'old', replaced: `export ${NAME}='${URL}'` },
    { what: 'an empty value', source: `${NAME}=\nB=2‸`, value: '', replaced: `${NAME}=${URL}\nB=2` },
    { what: 'spaces around =', source: `  ${NAME} = old \n‸`, value: 'old', replaced: `  ${NAME} = ${URL} \n` },
    { what: 'CRLF', source: `${NAME}=old\r\nB=2\r\n‸`, value: 'old', replaced: `${NAME}=${URL}\r\nB=2\r\n` },
    { what: 'twice: the last, which is the one that counts', source: `${NAME}=a\n${NAME}=b\n‸`, value: 'b', replaced: `${NAME}=a\n${NAME}=${URL}\n` },
  ];
  for (const { what, source, value, replaced } of existing) {
    it(`plans a replacement, not a duplicate: ${what}`, () => {
      const { text, plan: result } = plan({ languageId: 'plaintext', fileName: '/w/.env.production' }, source);
      assert.ok(result.kind === 'existing', `expected an existing-name plan, got ${result.kind}`);
      assert.equal(result.name, NAME);
      assert.equal(result.existingValue, value);
      assert.equal(applyEdits(text, [result.replace]), replaced);
    });
  }
});

describe('inserting in JSON', () => {
  const member = `"paymentSucceededWebhookUrl": "${URL}"`;
  table({ languageId: 'json', fileName: '/w/config.json' }, [
    { what: 'an empty line after a member with a comma', source: '{\n  "a": 1,\n‸\n}', expected: `{\n  "a": 1,\n  ${member}\n}` },
    { what: 'an empty line after a member without a comma', source: '{\n  "a": 1\n‸\n}', expected: `{\n  "a": 1,\n  ${member}\n}` },
    { what: 'a member follows: a trailing comma', source: '{\n  "a": 1,\n‸\n  "b": 2\n}', expected: `{\n  "a": 1,\n  ${member},\n  "b": 2\n}` },
    { what: 'the first member of an object', source: '{\n‸\n  "b": 2\n}', expected: `{\n  ${member},\n  "b": 2\n}` },
    { what: 'an empty object', source: '{\n‸\n}', expected: `{\n  ${member}\n}` },
    { what: 'the line keeps its own indentation', source: '{\n  "a": 1\n   ‸\n}', expected: `{\n  "a": 1,\n   ${member}\n}` },
    {
      what: 'a nested object, four-space indentation',
      source: '{\n    "outer": {\n        "x": true\n‸\n    },\n    "b": 2\n}',
      expected: `{\n    "outer": {\n        "x": true,\n        ${member}\n    },\n    "b": 2\n}`,
    },
    {
      what: 'an empty nested object, tab indentation',
      source: '{\n\t"outer": {\n‸\n\t}\n}',
      expected: `{\n\t"outer": {\n\t\t${member}\n\t}\n}`,
    },
    {
      what: 'after a nested object',
      source: '{\n  "o": {\n    "x": [1, {}]\n  }\n‸\n}',
      expected: `{\n  "o": {\n    "x": [1, {}]\n  },\n  ${member}\n}`,
    },
    {
      what: 'strings with braces, quotes and commas are not structure',
      source: '{\n  "a": "}\\",{[",\n‸\n}',
      expected: `{\n  "a": "}\\",{[",\n  ${member}\n}`,
    },
    { what: 'an array: an element', source: '[\n  "x"\n‸\n]', expected: `[\n  "x",\n  "${URL}"\n]` },
    { what: 'CRLF, no final newline', source: '{\n  "a": 1\n‸\n}', expected: `{\n  "a": 1,\n  ${member}\n}`, crlf: true },
    { what: 'inside a string: escaped, without quotes', source: '{"a": "‸"}', expected: `{"a": "${ODD_IN_DOUBLE_QUOTES}"}`, url: ODD_URL },
    { what: 'a selection inside a string', source: '{"a": "‸old‸"}', expected: `{"a": "${URL}"}` },
    { what: 'after a colon: a string', source: '{"a": ‸}', expected: `{"a": "${URL}"}` },
    { what: 'a string needing escapes after a colon', source: '{"a": ‸}', expected: `{"a": "${ODD_IN_DOUBLE_QUOTES}"}`, url: ODD_URL },
    { what: 'an empty file: a string', source: '‸', expected: `"${URL}"` },
    { what: 'the line after "key": is its value', source: '{\n  "a":\n  ‸\n}', expected: `{\n  "a":\n  "${URL}"\n}` },
  ]);
});

describe('inserting in JSONC', () => {
  const member = `"paymentSucceededWebhookUrl": "${URL}"`;
  table({ languageId: 'jsonc', fileName: '/w/settings.json' }, [
    { what: 'the comma goes before a line comment', source: '{\n  "a": 1 // one\n‸\n}', expected: `{\n  "a": 1, // one\n  ${member}\n}` },
    {
      what: 'a block comment between members is skipped',
      source: '{\n  "a": 1, /* { */\n‸\n  /* x */ "b": 2\n}',
      expected: `{\n  "a": 1, /* { */\n  ${member},\n  /* x */ "b": 2\n}`,
    },
    { what: 'a trailing comma already there', source: '{\n  "a": 1,\n‸\n}', expected: `{\n  "a": 1,\n  ${member}\n}` },
    { what: 'inside a comment: the URL as it is', source: '// hook: ‸\n{}', expected: `// hook: ${URL}\n{}` },
  ]);
});

describe('inserting in YAML', () => {
  table({ languageId: 'yaml', fileName: '/w/config.yaml' }, [
    { what: 'an empty line between keys', source: 'a: 1\n‸\nb: 2', expected: `a: 1\npaymentSucceededWebhookUrl: ${URL}\nb: 2` },
    {
      what: 'a nested map: the siblings’ indentation',
      source: 'server:\n  port: 80\n‸\n',
      expected: `server:\n  port: 80\n  paymentSucceededWebhookUrl: ${URL}\n`,
    },
    {
      what: 'under an opening key: one level deeper',
      source: 'hooks:\n‸\nother: 1',
      expected: `hooks:\n  paymentSucceededWebhookUrl: ${URL}\nother: 1`,
    },
    {
      what: 'comments are not siblings',
      source: 'a:\n    b: 1\n# note\n‸',
      expected: `a:\n    b: 1\n# note\n    paymentSucceededWebhookUrl: ${URL}`,
    },
    { what: 'the line keeps its own indentation', source: 'a:\n  b: 1\n    ‸', expected: `a:\n  b: 1\n    paymentSucceededWebhookUrl: ${URL}` },
    { what: 'a list of plain items: an item', source: 'urls:\n  - https://a.example\n‸\n', expected: `urls:\n  - https://a.example\n  - ${URL}\n` },
    { what: 'before the items of a list', source: 'urls:\n‸\n  - a', expected: `urls:\n  - ${URL}\n  - a` },
    { what: 'before the items of an unindented list', source: 'urls:\n‸\n- a', expected: `urls:\n- ${URL}\n- a` },
    {
      what: 'a list of maps: a key of the item',
      source: 'hooks:\n  - name: a\n‸\n',
      expected: `hooks:\n  - name: a\n    paymentSucceededWebhookUrl: ${URL}\n`,
    },
    { what: 'right after key:', source: 'url:‸\nb: 2', expected: `url: ${URL}\nb: 2` },
    { what: 'after key: and a space', source: 'url: ‸', expected: `url: ${URL}` },
    { what: 'after a list dash', source: 'urls:\n  - ‸', expected: `urls:\n  - ${URL}` },
    { what: 'a URL needing quotes after key:', source: 'url: ‸', expected: `url: "${ODD_IN_DOUBLE_QUOTES}"`, url: ODD_URL },
    { what: 'a URL needing quotes on an empty line', source: '‸', expected: `paymentSucceededWebhookUrl: "${ODD_IN_DOUBLE_QUOTES}"`, url: ODD_URL },
    { what: 'inside double quotes', source: 'url: "‸"', expected: `url: "${ODD_IN_DOUBLE_QUOTES}"`, url: ODD_URL },
    { what: 'inside single quotes', source: "url: '‸'", expected: `url: '${ODD_IN_SINGLE_QUOTES}'`, url: ODD_URL },
    { what: 'CRLF', source: 'a: 1\n‸\nb: 2\n', expected: `a: 1\npaymentSucceededWebhookUrl: ${URL}\nb: 2\n`, crlf: true },
    { what: 'in the middle of text: the URL', source: 'note: see ‸ here', expected: `note: see ${URL} here` },
  ]);
});

describe('inserting in TOML', () => {
  const entry = `paymentSucceededWebhookUrl = "${URL}"`;
  table({ languageId: 'toml', fileName: '/w/config.toml' }, [
    {
      what: 'an empty line in a table',
      source: '[server]\nport = 80\n‸\n\n[db]\nhost = "x"',
      expected: `[server]\nport = 80\n${entry}\n\n[db]\nhost = "x"`,
    },
    { what: 'indented keys of a table', source: '[server]\n  port = 80\n‸', expected: `[server]\n  port = 80\n  ${entry}` },
    { what: 'right after key =', source: 'url =‸', expected: `url = "${URL}"` },
    { what: 'after key = and a space', source: 'url = ‸\n', expected: `url = "${URL}"\n` },
    { what: 'escapes after key =', source: 'url = ‸', expected: `url = "${ODD_IN_DOUBLE_QUOTES}"`, url: ODD_URL },
    { what: 'inside a basic string', source: 'url = "‸"', expected: `url = "${ODD_IN_DOUBLE_QUOTES}"`, url: ODD_URL },
    { what: 'inside a literal string: as it is', source: "url = '‸'", expected: `url = '${URL}'` },
    { what: 'CRLF, no final newline', source: '[a]\nx = 1\n‸', expected: `[a]\nx = 1\n${entry}`, crlf: true },
  ]);

  it('knows a TOML file by its extension when its language is unknown', () => {
    const { text, plan: result } = plan({ languageId: 'plaintext', fileName: '/w/Cargo.toml' }, '‸');
    assert.equal(edited(text, result), entry);
  });
});

describe('inserting in any other file', () => {
  table({ languageId: 'markdown', fileName: '/w/README.md' }, [
    { what: 'the URL at the cursor', source: 'See ‸ for hooks.', expected: `See ${URL} for hooks.` },
    { what: 'an empty line: the URL alone', source: 'a\n‸\nb', expected: `a\n${URL}\nb` },
    { what: 'the selection replaced', source: 'Link: ‸TODO‸\n', expected: `Link: ${URL}\n` },
    { what: 'nothing escaped', source: '"‸"', expected: `"${ODD_URL}"`, url: ODD_URL },
  ]);
});
