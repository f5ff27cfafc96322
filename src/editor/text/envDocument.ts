/**
 * `.env` files, read the way dotenv reads them: `NAME=value`, `export NAME=value` and dotenv's
 * `NAME: value`; values plain (up to ` #`), or quoted with `"`, `'` or `` ` ``, where a quoted
 * value may run over several lines. One linear pass; no regular expression over the whole file.
 */
import { type FormatPlanner, type Member, lineEndAt, linesAfter, spliced, statementsOf } from './placement';

export interface EnvStatement {
  kind: 'assignment' | 'blank' | 'comment' | 'other';
  /** The first line's start, and the end of the last line (before its line ending). */
  start: number;
  end: number;
  name?: string;
  value?: string;
  /** The value as written, quotes included. */
  valueStart?: number;
  valueEnd?: number;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.-]/;

export function envStatements(text: string): EnvStatement[] {
  return statementsOf(text, statementAt);
}

function statementAt(text: string, start: number): EnvStatement {
  const lineEnd = lineEndAt(text, start);
  let i = skipSpaces(text, start);
  if (i >= lineEnd) return { kind: 'blank', start, end: lineEnd };
  if (text[i] === '#') return { kind: 'comment', start, end: lineEnd };
  if (text.startsWith('export', i) && (text[i + 6] === ' ' || text[i + 6] === '\t')) i = skipSpaces(text, i + 6);
  const nameStart = i;
  if (!NAME_START.test(text[i] ?? '')) return { kind: 'other', start, end: lineEnd };
  while (i < lineEnd && NAME_CHAR.test(text[i])) i++;
  const name = text.slice(nameStart, i);
  i = skipSpaces(text, i);
  if (text[i] !== '=' && text[i] !== ':') return { kind: 'other', start, end: lineEnd };
  const valueStart = skipSpaces(text, i + 1);
  const quote = text[valueStart];
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = closingQuote(text, valueStart, quote);
    if (close >= 0) {
      const raw = text.slice(valueStart + 1, close);
      const value = quote === '"' ? unescapeDouble(raw) : raw;
      return { kind: 'assignment', start, end: lineEndAt(text, close), name, value, valueStart, valueEnd: close + 1 };
    }
  }
  const comment = text.slice(valueStart, lineEnd).search(/(^|[ \t])#/);
  const valueEnd = comment < 0 ? lineEnd : valueStart + comment;
  const value = text.slice(valueStart, valueEnd).trim();
  return { kind: 'assignment', start, end: lineEnd, name, value, valueStart, valueEnd: valueStart + text.slice(valueStart, valueEnd).trimEnd().length };
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

function closingQuote(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

const unescapeDouble = (raw: string): string =>
  raw.replace(/\\([nrt"\\])/g, (_, char: string) => ({ n: '\n', r: '\r', t: '\t' })[char] ?? char);

/** A value as a `.env` line writes it: plain when dotenv reads it back unchanged, else double-quoted. */
export function envValue(value: string): string {
  if (/^[^\s#"'`\\]*$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** Every assignment's last value by name; lines that are not assignments count by their text. */
function envValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const statement of envStatements(text)) {
    if (statement.kind === 'assignment') values[statement.name!] = statement.value!;
    else if (statement.kind === 'other') values[`\0line ${text.slice(statement.start, statement.end).trim()}`] = '';
  }
  return values;
}

export const envPlanner: FormatPlanner = {
  envNames: true,
  parse: (text) => ({ value: envValues(text) }),
  locate(text, cursor, eol) {
    const statements = envStatements(text);
    const members = new Map<string, string>();
    const last = new Map<string, EnvStatement>();
    for (const statement of statements) {
      if (statement.kind !== 'assignment') continue;
      members.set(statement.name!, statement.value!);
      last.set(statement.name!, statement);
    }
    const here = statements.find((statement) => cursor <= statement.end) ?? statements.at(-1)!;
    const lines = (added: readonly Member[]) => added.map(({ name, url }) => `${name}=${envValue(url)}`);
    const fillable = here.kind === 'assignment' && here.value === '' && cursor >= here.valueStart!;
    return {
      members,
      fill: fillable
        ? { name: here.name!, write: (url) => spliced(text, here.valueStart!, here.valueEnd! - here.valueStart!, envValue(url)) }
        : undefined,
      add(added) {
        if (here.kind === 'blank') return [spliced(text, here.start, here.end - here.start, lines(added).join(eol))];
        return [linesAfter(text, here.end, eol, lines(added))];
      },
      replace({ name, url }) {
        const statement = last.get(name);
        if (!statement) return undefined;
        return spliced(text, statement.valueStart!, statement.valueEnd! - statement.valueStart!, envValue(url));
      },
    };
  },
};
