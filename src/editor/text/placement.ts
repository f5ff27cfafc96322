/**
 * What each format's planner gives the insertion planner (linkInsertion.ts): the parsed values
 * (for the guard), and the place near the cursor where members go. Pure text, linear routines.
 */

/** The values a file holds, or why it does not parse. */
export type Parsed = { value: unknown } | { error: string };

/** A member to write: its key and its value (the link). */
export interface Member {
  name: string;
  url: string;
}

/** The object or table (or `.env` file) that takes the new members, near the cursor. */
export interface Place {
  /** The keys already there, with their values (a link there is known by its value). */
  members: ReadonlyMap<string, unknown>;
  /** When the cursor is in an empty value: its key, and the text with the link written into it. */
  fill?: { name: string; write: (url: string) => string };
  /** The text with the members added, for each candidate spot, nearest first. */
  add(members: readonly Member[]): string[];
  /** The text with an existing member's value replaced. */
  replace(member: Member): string | undefined;
}

/** Where the cursor should be when there is no place near it. */
export type PlaceHint = 'object' | 'mapping';

/** A place, or the hint where the cursor should be. */
export type Located = Place | { nowhere: PlaceHint };

export interface FormatPlanner {
  parse(text: string): Parsed;
  locate(text: string, cursor: number, eol: string): Located;
  /** Whether keys of this file are environment variables (names kept in the pattern's form). */
  readonly envNames?: boolean;
}

/** The start of the line holding `offset` (0 at or before the start; never loops). */
export function lineStartAt(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', Math.min(offset, text.length) - 1) + 1;
}

/** The end of the line holding `offset`, before its `\r\n` or `\n`. */
export function lineEndAt(text: string, offset: number): number {
  const newline = text.indexOf('\n', Math.max(0, offset));
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' && newline - 1 >= offset ? newline - 1 : newline;
}

/** `text` with `insert` at `offset`, replacing `length` characters. */
export const spliced = (text: string, offset: number, length: number, insert: string): string =>
  text.slice(0, offset) + insert + text.slice(offset + length);

/** Members written as new lines after the line ending at `lineEnd`, each with `indent`. */
export function linesAfter(text: string, lineEnd: number, eol: string, lines: readonly string[], indent = ''): string {
  return spliced(text, lineEnd, 0, lines.map((line) => eol + indent + line).join(''));
}

/** The leading spaces and tabs of the line that holds `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start, lineEndAt(text, start)))![0];
}

/** The statements of a text, each read by `readAt` from a line start to the end of its last line. */
export function statementsOf<T extends { end: number }>(text: string, readAt: (text: string, start: number) => T): T[] {
  const statements: T[] = [];
  for (let start = 0; ; ) {
    const statement = readAt(text, start);
    statements.push(statement);
    const newline = text.indexOf('\n', statement.end);
    if (newline < 0) return statements;
    start = newline + 1;
  }
}
