import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookLinkFor } from '../../../src/ductape/contract';
import { type InsertionLink, type InsertionOptions, type InsertionPlan, planLinkInsertion, planLinksInsertion } from '../../../src/editor/text';
import { APP, PRODUCT, REGISTERED_EVENT } from '../helpers';

const URL = webhookLinkFor('3f2a1b4c-5d6e-4f70-a182-93a4b5c6d7e8');
const DEV_URL = webhookLinkFor('0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
const LINK: InsertionLink = { product: PRODUCT, app: APP, event: REGISTERED_EVENT, env: 'prd', url: URL };
const NAME = 'STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL';
const KEY = 'paymentSucceededWebhookUrl';

/** `‸` marks the cursor. */
function insert(fileName: string, source: string, link: Partial<InsertionLink> = {}, options: InsertionOptions = {}): string | { refused: string } {
  const cursor = source.indexOf('‸');
  const text = source.replace('‸', '');
  const plan = planLinkInsertion({ text, fileName, languageId: '' }, [{ anchor: cursor, active: cursor }], { ...LINK, ...link }, options);
  return 'refused' in plan ? { refused: plan.refused } : applied(text, plan);
}

function applied(text: string, plan: InsertionPlan): string {
  assert.ok('edits' in plan, 'refused' in plan ? plan.refused : '');
  return [...plan.edits].sort((a, b) => b.offset - a.offset).reduce((out, edit) => out.slice(0, edit.offset) + edit.text + out.slice(edit.offset + edit.length), text);
}

function refusal(result: string | { refused: string }): string {
  assert.equal(typeof result, 'object', `expected a refusal, got ${JSON.stringify(result)}`);
  return (result as { refused: string }).refused;
}

describe('.env', () => {
  it('adds the variable after the line the cursor is in', () => {
    assert.equal(insert('.env', 'A=1‸\nB=2\n'), `A=1\n${NAME}=${URL}\nB=2\n`);
  });
  it('writes it on the empty line the cursor is on', () => {
    assert.equal(insert('.env', 'A=1\n‸\nB=2'), `A=1\n${NAME}=${URL}\nB=2`);
  });
  it('a file starting with an empty line, cursor at 0: A=1 is kept (it was swallowed)', () => {
    assert.equal(insert('.env', '‸\nA=1\n'), `${NAME}=${URL}\nA=1\n`);
  });
  it('a cursor inside a multi-line quoted value writes after the whole value, not inside the quotes', () => {
    assert.equal(insert('.env', 'KEY="one\ntw‸o"\nB=2'), `KEY="one\ntwo"\n${NAME}=${URL}\nB=2`);
  });
  it('fills the empty value the cursor is in', () => {
    assert.equal(insert('.env', 'export MY_HOOK=‸\n'), `export MY_HOOK=${URL}\n`);
  });
  it('sees dotenv\'s colon form as existing: the second environment gets its own name', () => {
    assert.equal(insert('.env', `${NAME}: ${DEV_URL}\n‸`), `${NAME}: ${DEV_URL}\n${NAME}_PRD=${URL}\n`);
  });
  it('an existing name with another value is a refusal naming it, with nothing asked', () => {
    const text = `${NAME}=old\n${NAME}_PRD="old\nvalue"\n‸`;
    assert.match(refusal(insert('.env', text)), new RegExp(`${NAME}_PRD is already set`));
  });
  it('replaces an existing multi-line value whole when the caller says so (no orphan line)', () => {
    const text = `${NAME}=old\n${NAME}_PRD="old\nvalue"\nB=2‸`;
    assert.equal(insert('.env', text, {}, { existing: 'replace' }), `${NAME}=old\n${NAME}_PRD=${URL}\nB=2`);
  });
  it('says when the link is already there', () => {
    assert.match(refusal(insert('.env', `${NAME}=${URL}\n‸`)), /already holds this link/);
  });
  it('quotes a value dotenv would cut (a #)', () => {
    assert.equal(insert('.env', '‸', { url: `${URL}#frag` }), `${NAME}="${URL}#frag"`);
  });
  it('keeps CRLF, the BOM and a missing final newline', () => {
    assert.equal(insert('.env', '\uFEFFA=1\r\nB=2‸'), `\uFEFFA=1\r\nB=2\r\n${NAME}=${URL}`);
  });
  it('reads a long line in linear time (N=a, 80,000 spaces, b)', () => {
    const text = `N=a${' '.repeat(80_000)}b‸`;
    assert.ok(typeof insert('.env', text) === 'string');
  });
});

describe('JSON and JSONC', () => {
  it('{‸} gets a member, not a bare string', () => {
    assert.equal(insert('a.json', '{‸}'), `{\n  "${KEY}": "${URL}"\n}`);
  });
  it('after a member, with the comma', () => {
    assert.equal(insert('a.json', '{\n  "a": 1‸\n}'), `{\n  "a": 1,\n  "${KEY}": "${URL}"\n}`);
  });
  it('a cursor inside a key goes after its member; the key is kept', () => {
    assert.equal(
      insert('a.json', '{\n  "Log‸ging": { "Level": "x" },\n  "b": 2\n}\n'),
      `{\n  "Logging": { "Level": "x" },\n  "${KEY}": "${URL}",\n  "b": 2\n}\n`,
    );
  });
  it('the blank line at the end of the file goes into the root object', () => {
    assert.equal(insert('a.json', '{\n  "a": 1\n}\n‸'), `{\n  "a": 1,\n  "${KEY}": "${URL}"\n}\n`);
  });
  it('into the nested object the cursor is in, keeping its comments and trailing commas', () => {
    assert.equal(
      insert('tsconfig.json', '{\n  // c\n  "o": {\n    "strict": true, // s‸\n  },\n}'),
      `{\n  // c\n  "o": {\n    "strict": true, // s\n    "${KEY}": "${URL}",\n  },\n}`,
    );
  });
  it('fills the empty string the cursor is in', () => {
    assert.equal(insert('a.json', '{ "hook": "‸" }'), `{ "hook": "${URL}" }`);
  });
  it('a second environment of the same event gets a key naming it (JSON kept only the last)', () => {
    const first = insert('a.json', '{‸}', { env: 'dev', url: DEV_URL }) as string;
    const second = insert('a.json', `${first.slice(0, -1)}‸}`);
    assert.deepEqual(JSON.parse(second as string), { [KEY]: DEV_URL, [`${KEY}Prd`]: URL });
  });
  it('refuses where there is no object, saying where to put the cursor', () => {
    assert.match(refusal(insert('a.json', '[1, ‸2]')), /inside an object/);
  });
  it('refuses a file that does not parse', () => {
    assert.match(refusal(insert('a.json', '{ "a": ‸')), /does not parse/);
  });
  it('follows the file\'s indentation (tabs)', () => {
    assert.equal(insert('a.json', '{\n\t"a": 1‸\n}'), `{\n\t"a": 1,\n\t"${KEY}": "${URL}"\n}`);
  });
});

describe('YAML', () => {
  it('a file that starts with an empty line, cursor at 0, ends (it looped forever)', () => {
    assert.equal(insert('a.yaml', '‸\na: 1\n'), `\na: 1\n${KEY}: ${URL}\n`);
    assert.equal(insert('a.yaml', '\n‸\n'), `\n\n${KEY}: ${URL}\n`);
  });
  it('into the nested mapping the cursor is in, at its indentation', () => {
    assert.equal(insert('a.yaml', 'a:\n  b: 1‸\nc: 2\n'), `a:\n  b: 1\n  ${KEY}: ${URL}\nc: 2\n`);
  });
  it('a cursor inside a key, or after an indicator, goes after the entry', () => {
    assert.equal(insert('a.yaml', 'na‸me: x\nlist:\n  - ‸\n'.replace('‸\n', '\n')), `name: x\n${KEY}: ${URL}\nlist:\n  - \n`);
  });
  it('a blank line inside a block scalar keeps the scalar', () => {
    assert.equal(insert('a.yaml', 'run: |\n  one\n‸\n  two\nnext: 1\n'), `run: |\n  one\n\n  two\n${KEY}: ${URL}\nnext: 1\n`);
  });
  it('an item of a list of mappings takes the key into that item', () => {
    assert.equal(insert('a.yaml', 'steps:\n  - name: a‸\n    run: b\n'), `steps:\n  - name: a\n    ${KEY}: ${URL}\n    run: b\n`);
  });
  it('inserting twice in a row: the second says it is there; another environment gets its own key', () => {
    const once = insert('a.yaml', 'a: 1‸\n') as string;
    assert.match(refusal(insert('a.yaml', `${once}‸`)), /already holds this link/);
    assert.equal(insert('a.yaml', `${once}‸`, { env: 'dev', url: DEV_URL }), `${once}${KEY}Dev: ${DEV_URL}\n`);
  });
  it('keys in upper snake case (a compose file\'s environment) get the variable name', () => {
    assert.equal(insert('c.yml', 'environment:\n  DB_URL: x‸\n'), `environment:\n  DB_URL: x\n  ${NAME}: ${URL}\n`);
  });
  it('the document of a multi-document file that holds the cursor', () => {
    assert.equal(insert('k.yaml', 'a: 1\n---\nb: 2‸\n---\nc: 3\n'), `a: 1\n---\nb: 2\n${KEY}: ${URL}\n---\nc: 3\n`);
  });
  it('fills the empty value of the entry the cursor is in', () => {
    assert.equal(insert('a.yaml', 'hook: ‸\nb: 1\n'), `hook: ${URL}\nb: 1\n`);
  });
});

describe('TOML', () => {
  it('urls = [‸] gets a key after the array, not a bare URL', () => {
    assert.equal(insert('a.toml', 'urls = [‸]\n'), `urls = []\n${KEY} = "${URL}"\n`);
  });
  it('into the table whose section holds the cursor, after a multi-line array', () => {
    assert.equal(
      insert('Cargo.toml', '[a]\nx = [\n  1,‸\n]\n\n[b]\ny = 2\n'),
      `[a]\nx = [\n  1,\n]\n${KEY} = "${URL}"\n\n[b]\ny = 2\n`,
    );
  });
  it('into the array-of-tables element that holds the cursor', () => {
    assert.equal(insert('p.toml', '[[bin]]\nname = "a"\n\n[[bin]]\nname = "b"‸\n'), `[[bin]]\nname = "a"\n\n[[bin]]\nname = "b"\n${KEY} = "${URL}"\n`);
  });
  it('a file starting with an empty line, cursor at 0, ends', () => {
    assert.equal(insert('a.toml', '‸\na = 1\n'), `${KEY} = "${URL}"\n\na = 1\n`);
  });
  it('keys in snake case get a snake-case key; a duplicate is never written', () => {
    const once = insert('a.toml', 'some_key = 1‸\n') as string;
    assert.equal(once, `some_key = 1\npayment_succeeded_webhook_url = "${URL}"\n`);
    assert.equal(insert('a.toml', `${once}‸`, { url: DEV_URL }), `${once}payment_succeeded_webhook_url_prd = "${DEV_URL}"\n`);
  });
  it('fills the empty string the cursor is in', () => {
    assert.equal(insert('a.toml', '[app]\nwebhook_url = "‸"\n'), `[app]\nwebhook_url = "${URL}"\n`);
  });
});

describe('blocks', () => {
  it('names never collide: payment.succeeded and payment_succeeded, dev and DEV, apps without ${APP}', () => {
    const links: InsertionLink[] = [
      { ...LINK, event: 'payment.succeeded', env: 'dev', url: `${URL}1` },
      { ...LINK, event: 'payment_succeeded', env: 'dev', url: `${URL}2` },
      { ...LINK, event: 'payment.succeeded', env: 'DEV', url: `${URL}3` },
      { ...LINK, app: 'paypal', event: 'payment.succeeded', env: 'dev', url: `${URL}4` },
    ];
    const plan = planLinksInsertion({ text: '', fileName: '.env', languageId: '' }, [{ anchor: 0, active: 0 }], links, { envNamePattern: '${EVENT}_URL' });
    const lines = applied('', plan).split('\n');
    assert.equal(new Set(lines.map((line) => line.split('=')[0])).size, 4, lines.join('\n'));
    assert.deepEqual(lines.map((line) => line.split('=')[1]).sort(), links.map((link) => link.url).sort());
  });
  it('every environment of an event into a YAML mapping', () => {
    const links = ['dev', 'prd'].map((env, i) => ({ ...LINK, env, url: `${URL}${i}` }));
    const plan = planLinksInsertion({ text: 'a: 1\n', fileName: 'a.yaml', languageId: '' }, [{ anchor: 0, active: 0 }], links);
    assert.equal(applied('a: 1\n', plan), `a: 1\n${KEY}Dev: ${URL}0\n${KEY}Prd: ${URL}1\n`);
  });
});

describe('plain files', () => {
  it('the URL at every cursor, once per place', () => {
    const plan = planLinkInsertion({ text: 'ab', fileName: 'notes.md', languageId: 'markdown' }, [
      { anchor: 0, active: 0 },
      { anchor: 2, active: 1 },
      { anchor: 0, active: 0 },
    ], LINK);
    assert.equal(applied('ab', plan), `${URL}a${URL}`);
  });
});
