/**
 * The corpus of configuration files (test/fixtures/configs) and the cursor positions tried in
 * each: every line's start, middle and end, its first character (a key), the character after
 * its first `:` or `=` (a value), and its `#` (a comment). Shared by the corpus test and its
 * worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CORPUS_DIR = path.resolve(__dirname, '../../../../test/fixtures/configs');

export const CORPUS_LINK = {
  product: 'shop',
  app: 'stripe-pay',
  event: 'payment.succeeded',
  env: 'prd',
  url: 'https://webhooks.ductape.app/webhooks/v1/process/0b6f2c1e-55aa-4e0c-9c3e-5f1d2a7b8c90',
};

export interface CorpusFile {
  name: string;
  text: string;
}

export function corpusFiles(): CorpusFile[] {
  return readdirSync(CORPUS_DIR)
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(CORPUS_DIR, name), 'utf8') }));
}

export function cursorPositions(text: string): number[] {
  const positions = new Set<number>();
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline - (text[newline - 1] === '\r' ? 1 : 0);
    const line = text.slice(start, end);
    positions.add(start).add(end).add(start + Math.floor(line.length / 2));
    const first = line.search(/\S/);
    if (first >= 0) positions.add(start + first);
    const indicator = line.search(/[:=]/);
    if (indicator >= 0) positions.add(start + indicator + 1);
    const comment = line.search(/(#|\/\/|\/\*)/);
    if (comment >= 0) positions.add(start + comment + 1);
    if (newline < 0) break;
    start = newline + 1;
  }
  return [...positions].sort((a, b) => a - b);
}
