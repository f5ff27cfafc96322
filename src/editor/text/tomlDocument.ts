/**
 * TOML: a linear scan finds the statements (table headers, `key = value` over as many lines as
 * its strings, arrays and inline tables take); the member goes into the table whose section holds
 * the cursor, after the statement the cursor is in. smol-toml reads the result for the guard.
 */
import { parse } from 'smol-toml';
import { type FormatPlanner, type Located, type Member, indentAt, lineEndAt, linesAfter, spliced, statementsOf } from './placement';
import { quoted } from './syntax';

interface TomlStatement {
  kind: 'header' | 'pair' | 'blank' | 'comment';
  start: number;
  /** The end of its last line, before the line ending. */
  end: number;
  key?: string;
  valueStart?: number;
  valueEnd?: number;
}

function tomlStatements(text: string): TomlStatement[] {
  return statementsOf(text, statementAt);
}

function statementAt(text: string, start: number): TomlStatement {
  const lineEnd = lineEndAt(text, start);
  let i = start;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (i >= lineEnd) return { kind: 'blank', start, end: lineEnd };
  if (text[i] === '#') return { kind: 'comment', start, end: lineEnd };
  if (text[i] === '[') return { kind: 'header', start, end: lineEnd };
  const equals = keyEnd(text, i, lineEnd);
  if (equals < 0) return { kind: 'comment', start, end: lineEnd };
  const key = text.slice(i, equals).trim();
  let valueStart = equals + 1;
  while (text[valueStart] === ' ' || text[valueStart] === '\t') valueStart++;
  const valueEnd = valueEndFrom(text, valueStart);
  return { kind: 'pair', start, end: lineEndAt(text, Math.max(valueStart, valueEnd - 1)), key, valueStart, valueEnd };
}

/** The `=` after a key (quoted keys may hold one), or -1. */
function keyEnd(text: string, from: number, lineEnd: number): number {
  for (let i = from; i < lineEnd; i++) {
    if (text[i] === '"' || text[i] === "'") {
      const close = text.slice(i + 1, lineEnd).indexOf(text[i]);
      if (close < 0) return -1;
      i += close + 1;
    } else if (text[i] === '=') return i;
  }
  return -1;
}

/** Where a value ends: after its strings (multi-line ones too) and brackets close, before a comment. */
function valueEndFrom(text: string, from: number): number {
  let depth = 0;
  let last = from;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"' || char === "'") {
      const triple = text.startsWith(char.repeat(3), i);
      const close = triple ? text.indexOf(char.repeat(3), i + 3) : closing(text, i, char);
      if (close < 0) return text.length;
      i = triple ? close + 2 : close;
      while (triple && text[i + 1] === char) i++;
      last = i + 1;
    } else if (char === '#') {
      const newline = text.indexOf('\n', i);
      if (newline < 0 || depth === 0) return last;
      i = newline;
    } else if (char === '\n') {
      if (depth === 0) return last;
    } else if (char === '[' || char === '{') {
      depth++;
      last = i + 1;
    } else if (char === ']' || char === '}') {
      depth--;
      last = i + 1;
    } else if (char !== ' ' && char !== '\t' && char !== '\r') last = i + 1;
  }
  return last;
}

function closing(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length && text[i] !== '\n'; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

const bareKey = (key: string) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : quoted(key));

/** A simple string value as written (`"…"` or `'…'`), else the text itself. */
function valueOf(raw: string): string {
  if (/^'[^'\n]*'$/.test(raw)) return raw.slice(1, -1);
  try {
    return /^"/.test(raw) ? (JSON.parse(raw) as string) : raw;
  } catch {
    return raw;
  }
}

export const tomlPlanner: FormatPlanner = {
  parse(text) {
    try {
      return { value: parse(text) };
    } catch (error) {
      return { error: (error as Error).message.split('\n')[0] };
    }
  },
  locate(text, cursor, eol): Located {
    const statements = tomlStatements(text);
    const hereIndex = Math.max(0, statements.findIndex((statement) => cursor <= statement.end));
    let sectionStart = hereIndex;
    while (sectionStart > 0 && statements[sectionStart].kind !== 'header') sectionStart--;
    let sectionEnd = hereIndex + 1;
    while (sectionEnd < statements.length && statements[sectionEnd].kind !== 'header') sectionEnd++;
    const section = statements.slice(sectionStart, sectionEnd);
    const pairs = section.filter((statement) => statement.kind === 'pair');
    const members = new Map(pairs.map((pair) => [pair.key!.replace(/^(["'])(.*)\1$/, '$2'), valueOf(text.slice(pair.valueStart, pair.valueEnd))]));
    const here = statements[hereIndex];
    const anchors = statements.slice(sectionStart, hereIndex + 1).filter((statement) => statement.kind === 'pair' || statement.kind === 'header');
    const lines = (added: readonly Member[]) => added.map((member) => `${bareKey(member.name)} = ${quoted(member.url)}`);
    const after = (statement: TomlStatement | undefined, added: readonly Member[]) =>
      statement
        ? linesAfter(text, statement.end, eol, lines(added), statement.kind === 'pair' ? indentAt(text, statement.start) : '')
        : spliced(text, here.start, 0, lines(added).map((line) => line + eol).join(''));
    const raw = here.kind === 'pair' ? text.slice(here.valueStart, here.valueEnd) : '';
    const emptyValue = (raw === '""' || raw === "''") && cursor > here.valueStart! && cursor < here.valueEnd!;
    return {
      members,
      fill: emptyValue ? { name: here.key!, write: (url) => spliced(text, here.valueStart!, 2, quoted(url)) } : undefined,
      add: (added) => [after(anchors.at(-1), added), after(pairs.at(-1) ?? section.find((statement) => statement.kind === 'header'), added)],
      replace({ name, url }) {
        const pair = pairs.find((candidate) => candidate.key!.replace(/^(["'])(.*)\1$/, '$2') === name);
        return pair ? spliced(text, pair.valueStart!, pair.valueEnd! - pair.valueStart!, quoted(url)) : undefined;
      },
    };
  },
};
