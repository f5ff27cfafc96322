/**
 * Inserting a link at every kind of cursor position of real-shaped configuration files: each
 * call ends (a watchdog stops the worker running them when one does not), and each result is read
 * back here with the formats' own parsers: it parses, every value that was there is unchanged,
 * and the link is there once as a new value (or fills the empty value the cursor was in). The
 * BOM, the line endings and the final newline are kept. Reports the share of positions that got
 * the link; the rest must be refusals with a message.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { getNodeValue, parseTree, type ParseError } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import { envStatements } from '../../../src/editor/text/envDocument';
import type { InsertionPlan } from '../../../src/editor/text';
import { textFormatOf } from '../../../src/editor/text/syntax';
import { CORPUS_LINK, corpusFiles } from './corpusCases';

/** How long a call may take before the watchdog calls it endless (a hang detector, not a benchmark). */
const ENDLESS_MS = 20_000;

type Message = { kind: 'start'; file: string; cursor: number } | { kind: 'plan'; file: string; cursor: number; plan: InsertionPlan } | { kind: 'done' };

function plansOffThread(): Promise<Array<{ file: string; cursor: number; plan: InsertionPlan }>> {
  const worker = new Worker(path.join(__dirname, 'corpusWorker.js'));
  const plans: Array<{ file: string; cursor: number; plan: InsertionPlan }> = [];
  return new Promise((resolve, reject) => {
    let current = '';
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`the planner did not end: ${current}`));
      }, ENDLESS_MS);
    };
    arm();
    worker.on('message', (message: Message) => {
      arm();
      if (message.kind === 'start') current = `${message.file} at offset ${message.cursor}`;
      else if (message.kind === 'plan') plans.push(message);
      else {
        clearTimeout(watchdog);
        resolve(plans);
      }
    });
    worker.on('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
  });
}

/** The file's values as its own parser reads them (every YAML document; `.env` assignments). */
function valuesOf(name: string, text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  switch (textFormatOf({ fileName: name, languageId: '' })) {
    case 'json': {
      const errors: ParseError[] = [];
      const root = parseTree(body, errors, { allowTrailingComma: true });
      assert.deepEqual(errors, [], 'parses as JSON');
      return root ? getNodeValue(root) : {};
    }
    case 'yaml': {
      const documents = parseAllDocuments(body);
      assert.deepEqual([...documents].flatMap((document) => document.errors.map((error) => error.message)), [], 'parses as YAML');
      const values = [...documents].map((document): unknown => document.toJS() ?? {});
      return values.length ? values : [{}];
    }
    case 'toml':
      return parseToml(body);
    default:
      return Object.fromEntries(
        envStatements(body).flatMap((statement) => (statement.kind === 'assignment' ? [[statement.name, statement.value]] : [])),
      );
  }
}

/** Leaves by path: `a.b.0` → value. */
function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value);
    if (!entries.length) out.set(prefix, Array.isArray(value) ? '[]' : '{}');
    for (const [key, child] of entries) leaves(child, prefix ? `${prefix}\u0000${key}` : key, out);
  } else out.set(prefix, value instanceof Date ? value.toISOString() : value);
  return out;
}

/** Why the edited file is not the old one plus the link, or undefined. */
function problemWith(name: string, before: string, after: string): string | undefined {
  let old: Map<string, unknown>;
  let now: Map<string, unknown>;
  try {
    old = leaves(valuesOf(name, before));
    now = leaves(valuesOf(name, after));
  } catch (error) {
    return `broken: ${(error as Error).message.split('\n')[0]}`;
  }
  const added = [...now].filter(([key, value]) => !old.has(key) || (old.get(key) !== value && (old.get(key) === '' || old.get(key) === null)));
  for (const [key, value] of old) {
    const kept = now.get(key);
    const filled = (value === '' || value === null || value === '{}') && kept !== value;
    if (kept !== value && !filled && !(value === '{}' && [...now.keys()].some((path) => path.startsWith(`${key}\u0000`)))) {
      return `changed: ${key.replaceAll('\u0000', '.')}`;
    }
  }
  if (added.length !== 1 || added[0][1] !== CORPUS_LINK.url) return `the link is not one new value (${added.length} new values)`;
  if (before.startsWith('\uFEFF') !== after.startsWith('\uFEFF')) return 'the BOM changed';
  if (before.includes('\r\n') && /(^|[^\r])\n/.test(after)) return 'a line ending changed';
  if (/\n$/.test(before) !== /\n$/.test(after)) return 'the final newline changed';
  return undefined;
}

it('inserts a link at every cursor position of the corpus without breaking or changing a file', async () => {
  const texts = new Map(corpusFiles().map((file) => [file.name, file.text]));
  assert.ok(texts.size >= 30, `a corpus of at least 30 files (${texts.size})`);
  const plans = await plansOffThread();
  const byFormat = new Map<string, { cases: number; inserted: number }>();
  const failures: string[] = [];
  let inserted = 0;
  for (const { file, cursor, plan } of plans) {
    const format = textFormatOf({ fileName: file, languageId: '' });
    const tally = byFormat.get(format) ?? { cases: 0, inserted: 0 };
    byFormat.set(format, tally);
    tally.cases++;
    if ('refused' in plan) {
      if (!plan.refused) failures.push(`${file} at ${cursor}: a refusal without a message`);
      continue;
    }
    const before = texts.get(file)!;
    const after = [...plan.edits]
      .sort((a, b) => b.offset - a.offset)
      .reduce((text, edit) => text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + edit.length), before);
    const problem = problemWith(file, before, after);
    if (problem) failures.push(`${file} at ${cursor}: ${problem}`);
    inserted++;
    tally.inserted++;
  }
  const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
  console.log(
    `corpus: ${texts.size} files, ${plans.length} cursor positions, ${inserted} inserted (${share(inserted, plans.length)}), ` +
      `${plans.length - inserted} refused with a message, ${failures.length} broken or changed files`,
  );
  for (const [format, tally] of byFormat) console.log(`  ${format}: ${tally.inserted} of ${tally.cases} inserted (${share(tally.inserted, tally.cases)})`);
  assert.deepEqual(failures, [], 'no broken or changed file');
  assert.ok(inserted / plans.length >= 0.8, `at least 80 % of positions get the link (${share(inserted, plans.length)})`);
});
