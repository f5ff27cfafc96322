/**
 * "Insert a link in the file's own syntax": given a document, a cursor and a link, the plan of
 * what to write. Pure text (offsets into `text`); the caller applies the edits, all relative to
 * the original text, in one undoable step.
 *
 * Rules, by the document's syntax (see `textFormatOf`):
 * - env: `NAME=URL` on the cursor's line when it is empty, else on a new line after it. When the
 *   file already assigns NAME, the plan is `existing` (the caller asks: replace or keep).
 *   Choice: right after `OTHER=` with nothing behind the cursor, the URL alone (the user is
 *   filling in their own variable).
 * - json: inside a string, the escaped characters; on an empty line of an object, a member
 *   `"key": "URL"` (of an array, an element `"URL"`), with a comma added after the previous
 *   entry and behind the new one when another follows; in a comment, the URL; elsewhere, the
 *   URL as a JSON string (on the empty line after `"key":` too).
 * - yaml: inside a quoted string, the escaped characters; after `key:` or `-`, the scalar; on an
 *   empty line, `key: URL` (Choice: `- URL` where the neighbouring entries are plain list items);
 *   elsewhere, the URL.
 * - toml: inside a "basic" string, the escaped characters; after `key =`, the quoted string; on
 *   an empty line, `key = "URL"`; elsewhere (a 'literal' string too, which cannot escape), the URL.
 * - plain: the URL.
 * An empty line keeps its own whitespace as indentation; a line with none takes that of its
 * neighbours. New lines use the file's line ending, and nothing is added at the end of the file.
 * Choice: duplicate keys are looked for in env files only; elsewhere the user chose the place.
 */
import {
  configKey,
  type DocumentKind,
  envVariableName,
  eolOf,
  insideQuotes,
  type LinkNaming,
  quoted,
  textFormatOf,
  yamlScalar,
} from './syntax';

export interface TextDocumentLike extends DocumentKind {
  text: string;
}

export interface WebhookLink extends LinkNaming {
  product: string;
  url: string;
}

/** Replace `text.slice(start, end)` with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export type InsertPlan =
  | { kind: 'edit'; edits: TextEdit[] }
  /** The env file already has `name` (its last assignment, which is the one that counts). */
  | { kind: 'existing'; name: string; existingValue: string; replace: TextEdit };

export interface InsertOptions {
  /** See `envVariableName`; the default is `${APP}_${EVENT}_WEBHOOK_URL`. */
  envNamePattern?: string;
}

/** Where the edit goes: a cursor offset, or a selection that the inserted text replaces. */
export type Cursor = number | { start: number; end: number };

export function planLinkInsertion(
  document: TextDocumentLike,
  cursor: Cursor,
  link: WebhookLink,
  options: InsertOptions = {},
): InsertPlan {
  const at = placeOf(document.text, cursor);
  switch (textFormatOf(document)) {
    case 'env':
      return planEnv(at, envVariableName(link, options.envNamePattern), link.url);
    case 'json':
      return planJson(at, configKey(link), link.url);
    case 'yaml':
      return planYaml(at, configKey(link), link.url);
    case 'toml':
      return planToml(at, configKey(link), link.url);
    case 'plain':
      return replaceSelection(at, link.url);
  }
}

/** The text with the edits (sorted, not overlapping) applied. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((out, edit) => out.slice(0, edit.start) + edit.text + out.slice(edit.end), text);
}

// ---------------------------------------------------------------------------------------------
// The cursor's place

interface Place {
  text: string;
  start: number;
  end: number;
  /** The start's line, up to its line ending. */
  lineStart: number;
  lineEnd: number;
  /** The start's line before the cursor, the end's line after the selection. */
  before: string;
  after: string;
  emptyLine: boolean;
}

const isBlank = (line: string) => /^\s*$/.test(line);
const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

function placeOf(text: string, cursor: Cursor): Place {
  const clamp = (offset: number) => Math.max(0, Math.min(text.length, offset));
  const { start: from, end: to } = typeof cursor === 'number' ? { start: cursor, end: cursor } : cursor;
  const [start, end] = [clamp(from), clamp(to)].sort((a, b) => a - b);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = lineEndAt(text, end);
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  return { text, start, end, lineStart, lineEnd, before, after, emptyLine: isBlank(before) && isBlank(after) };
}

function lineEndAt(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' && newline - 1 >= offset ? newline - 1 : newline;
}

function* linesBefore(text: string, lineStart: number): Generator<string> {
  for (let end = lineStart - 1; end >= 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    yield text.slice(start, end).replace(/\r$/, '');
    end = start - 1;
  }
}

function* linesAfter(text: string, lineEnd: number): Generator<string> {
  for (let start = text.indexOf('\n', lineEnd) + 1; start > 0; ) {
    const end = text.indexOf('\n', start);
    yield text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
    start = end + 1;
  }
}

/** The first line that is neither blank nor a `#` comment. */
function contentLine(lines: Iterable<string>): string | undefined {
  for (const line of lines) if (!isBlank(line) && !/^\s*#/.test(line)) return line;
  return undefined;
}

/** One level of the file's indentation: its first indented line's, else two spaces. */
const indentUnit = (text: string) => /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';

const edit = (...edits: TextEdit[]): InsertPlan => ({ kind: 'edit', edits });
const replaceSelection = (at: Place, text: string) => edit({ start: at.start, end: at.end, text });
/** The empty line's content becomes `indent + entry`; its own whitespace wins over `indent`. */
const fillLine = (at: Place, indent: string, entry: string): TextEdit => ({
  start: at.lineStart,
  end: at.lineEnd,
  text: (at.before + at.after || indent) + entry,
});

/** The quote a line leaves open before the cursor, if any (a `#` outside quotes ends the search). */
function openQuote(before: string): '"' | "'" | undefined {
  let open: '"' | "'" | undefined;
  for (let i = 0; i < before.length; i++) {
    const char = before[i];
    if (open === '"' && char === '\\') i++;
    else if (char === open) open = undefined;
    else if (!open && (char === '"' || char === "'")) open = char;
    else if (!open && char === '#') return undefined;
  }
  return open;
}

// ---------------------------------------------------------------------------------------------
// env

const ASSIGNMENT_WITHOUT_VALUE = /^\s*(?:export\s+)?[A-Za-z_]\w*\s*=\s*$/;

function planEnv(at: Place, name: string, url: string): InsertPlan {
  if (ASSIGNMENT_WITHOUT_VALUE.test(at.before) && isBlank(at.after)) return replaceSelection(at, url);
  const existing = lastAssignment(at.text, name);
  if (existing) {
    const { value, start, end } = existing;
    return { kind: 'existing', name, existingValue: value, replace: { start, end, text: url } };
  }
  if (at.emptyLine) return edit(fillLine(at, '', `${name}=${url}`));
  return edit({ start: at.lineEnd, end: at.lineEnd, text: `${eolOf(at.text)}${name}=${url}` });
}

/** The value of the last `NAME=value` line (quotes and a trailing `# comment` left out). */
function lastAssignment(text: string, name: string): { value: string; start: number; end: number } | undefined {
  const assignment = new RegExp(
    String.raw`^[ \t]*(?:export[ \t]+)?${name}[ \t]*=[ \t]*("[^"\r\n]*"|'[^'\r\n]*'|[^#\r\n]*?)[ \t]*(?:#[^\r\n]*)?\r?$`,
    'gmd',
  );
  const match = [...text.matchAll(assignment)].at(-1);
  if (!match?.indices) return undefined;
  let [start, end] = match.indices[1];
  if (/^(["']).*\1$/.test(match[1])) [start, end] = [start + 1, end - 1];
  return { value: text.slice(start, end), start, end };
}

// ---------------------------------------------------------------------------------------------
// JSON and JSONC

interface JsonScan {
  where: 'code' | 'string' | 'comment';
  /** The innermost open `{` or `[`. */
  container?: string;
  /** The offset of the last character before the cursor that is not space, comment or string inside. */
  last: number;
}

/** Reads JSON (with comments) up to `until`. */
function scanJson(text: string, until: number): JsonScan {
  const containers: string[] = [];
  let last = -1;
  for (let i = 0; i < until; i++) {
    const char = text[i];
    const skipTo = char === '"' ? stringEnd(text, i) : commentEnd(text, i);
    if (skipTo !== undefined) {
      if (skipTo >= until) return { where: char === '"' ? 'string' : 'comment', last };
      if (char === '"') last = skipTo;
      i = skipTo;
    } else if (!/\s/.test(char)) {
      if (char === '{' || char === '[') containers.push(char);
      if (char === '}' || char === ']') containers.pop();
      last = i;
    }
  }
  return { where: 'code', container: containers.at(-1), last };
}

/** The offset of the closing quote (or of the line's end, for a string left open). */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"' || text[i] === '\n') return i;
  }
  return text.length;
}

/** For a comment starting at `at`, where it ends: its line's `\n`, or the slash that closes it. */
function commentEnd(text: string, at: number): number | undefined {
  if (text[at] !== '/' || (text[at + 1] !== '/' && text[at + 1] !== '*')) return undefined;
  const close = text[at + 1] === '/' ? text.indexOf('\n', at) : text.indexOf('*/', at + 2) + 1;
  return close > at ? close : text.length;
}

/** The first character from `from` on that is not space or comment. */
function nextToken(text: string, from: number): string | undefined {
  for (let i = from; i < text.length; i++) {
    const skipTo = commentEnd(text, i);
    if (skipTo !== undefined) i = skipTo;
    else if (!/\s/.test(text[i])) return text[i];
  }
  return undefined;
}

function planJson(at: Place, key: string, url: string): InsertPlan {
  const scan = scanJson(at.text, at.start);
  if (scan.where === 'string') return replaceSelection(at, insideQuotes(url, '"'));
  if (scan.where === 'comment') return replaceSelection(at, url);
  const previous = at.text[scan.last];
  if (!at.emptyLine || !scan.container || previous === ':') return replaceSelection(at, quoted(url));
  const entry = scan.container === '{' ? `${quoted(key)}: ${quoted(url)}` : quoted(url);
  const following = nextToken(at.text, at.end);
  const trailingComma = following !== undefined && !'}],'.includes(following) ? ',' : '';
  const lineOfPrevious = at.text.slice(at.text.lastIndexOf('\n', scan.last) + 1);
  const indent = indentOf(lineOfPrevious) + (previous === scan.container ? indentUnit(at.text) : '');
  const line = fillLine(at, indent, entry + trailingComma);
  return '{[,'.includes(previous) ? edit(line) : edit({ start: scan.last + 1, end: scan.last + 1, text: ',' }, line);
}

// ---------------------------------------------------------------------------------------------
// YAML

/** A YAML line's entry: its indentation, whether it is a list item of a plain value, whether it opens a block. */
function yamlEntry(line: string): { indent: string; item: boolean; opens: boolean } {
  const [, indent, dash, rest] = /^(\s*)(-\s+)?(.*)$/.exec(line)!;
  const isKey = /^[^#'"]*:(\s|$)/.test(rest) || /^("[^"]*"|'[^']*'):(\s|$)/.test(rest);
  return {
    indent: dash && isKey ? indent + ' '.repeat(dash.length) : indent,
    item: Boolean(dash) && !isKey,
    opens: /:\s*(#.*)?$/.test(rest),
  };
}

/** How an entry on an empty line looks like its neighbours. */
function yamlSibling(at: Place): { indent: string; item: boolean } {
  const previous = contentLine(linesBefore(at.text, at.lineStart));
  const next = contentLine(linesAfter(at.text, at.lineEnd));
  if (previous === undefined) return next === undefined ? { indent: '', item: false } : yamlEntry(next);
  const above = yamlEntry(previous);
  if (!above.opens) return above;
  // `key:` opens a block: the next line shows its children when it is deeper (or a list at its level).
  const below = next === undefined ? undefined : yamlEntry(next);
  if (below && (below.indent.length > above.indent.length || (below.item && below.indent === above.indent))) return below;
  return { indent: above.indent + indentUnit(at.text), item: false };
}

function planYaml(at: Place, key: string, url: string): InsertPlan {
  const quote = openQuote(at.before);
  if (quote) return replaceSelection(at, insideQuotes(url, quote));
  if (at.emptyLine) {
    const sibling = yamlSibling(at);
    return edit(fillLine(at, sibling.indent, sibling.item ? `- ${yamlScalar(url)}` : `${key}: ${yamlScalar(url)}`));
  }
  const afterKeyOrDash = /^(?:[^#]*:|\s*-)$/.test(at.before.trimEnd()) && isBlank(at.after);
  if (afterKeyOrDash) return replaceSelection(at, spaced(at, yamlScalar(url)));
  return replaceSelection(at, url);
}

/** A value written right after an indicator (`key:`, `-`, `key =`) is separated by one space. */
const spaced = (at: Place, value: string) => (/\s$/.test(at.before) ? value : ` ${value}`);

// ---------------------------------------------------------------------------------------------
// TOML

function planToml(at: Place, key: string, url: string): InsertPlan {
  const quote = openQuote(at.before);
  if (quote === '"') return replaceSelection(at, insideQuotes(url, '"'));
  if (quote) return replaceSelection(at, url);
  if (at.emptyLine) {
    const previous = contentLine(linesBefore(at.text, at.lineStart));
    return edit(fillLine(at, indentOf(previous ?? ''), `${key} = ${quoted(url)}`));
  }
  if (/=\s*$/.test(at.before) && isBlank(at.after)) return replaceSelection(at, spaced(at, quoted(url)));
  return replaceSelection(at, url);
}
