/**
 * Inserting links into a file without ever breaking it. The planner finds the nearest valid
 * place for the member (see each format's planner), writes it, and a guard reads the result back
 * with the format's real parser: the edit is kept only when the file parses, every value that
 * was there is unchanged, and each new key holds exactly its URL. Otherwise nothing is written and
 * the refusal says why (and where the cursor should be). Pure: never imports `vscode`, never asks;
 * an existing key is a refusal naming it unless `options.existing` is `'replace'`.
 *
 * The BOM, the line endings and the presence of a final newline are kept: edits touch only the
 * span that changed.
 */
import { envPlanner } from './envDocument';
import { jsonPlanner } from './jsonDocument';
import { type FormatPlanner, type Member, type Place, type PlaceHint } from './placement';
import { blockNames, type NamedLink } from './linkNames';
import { type DocumentKind, eolOf, keyCaseOf, type LinkNaming, type TextFormat, textFormatOf } from './syntax';
import { tomlPlanner } from './tomlDocument';
import { yamlPlanner } from './yamlDocument';

export interface InsertionDocument extends DocumentKind {
  text: string;
}

export interface Selection {
  anchor: number;
  active: number;
}

export interface InsertionLink extends LinkNaming {
  product: string;
  url: string;
}

export interface InsertionOptions {
  /** See `envVariableName`; the default is `${APP}_${EVENT}_WEBHOOK_URL`. */
  envNamePattern?: string;
  /** What to do with a key that exists with another value (asked by the caller first). */
  existing?: 'replace';
}

/** Replace `length` characters at `offset` of the original text with `text`. */
export interface InsertionEdit {
  offset: number;
  length: number;
  text: string;
}

/** Why nothing was written, for the caller to say in its own words. */
export type RefusalReason =
  | { kind: 'syntax'; error: string }
  | { kind: 'nowhere'; hint: PlaceHint }
  | { kind: 'exists'; name: string; value: string }
  | { kind: 'present'; name: string }
  | { kind: 'unsafe'; error: string }
  /** The variable name pattern gives no legal name. */
  | { kind: 'name'; error: string };

export type InsertionPlan = { edits: InsertionEdit[] } | { refused: string; reason: RefusalReason };

const PLANNERS: Record<Exclude<TextFormat, 'plain'>, FormatPlanner> = {
  env: envPlanner,
  json: jsonPlanner,
  yaml: yamlPlanner,
  toml: tomlPlanner,
};

const BOM = '\uFEFF';

/** One link at the main cursor (at every cursor of a plain file, where it is just the URL). */
export function planLinkInsertion(
  document: InsertionDocument,
  selections: readonly Selection[],
  link: InsertionLink,
  options: InsertionOptions = {},
): InsertionPlan {
  return planLinksInsertion(document, selections, [link], options);
}

/**
 * Several links as one block at the main cursor (every environment of an event, an export):
 * their names differ (see `blockNames`); links already there with the same URL are left as they
 * are.
 */
export function planLinksInsertion(
  document: InsertionDocument,
  selections: readonly Selection[],
  links: readonly (LinkNaming & { url: string })[],
  options: InsertionOptions = {},
): InsertionPlan {
  const format = textFormatOf(document);
  if (format === 'plain') return plainEdits(selections, links);
  const planner = PLANNERS[format];
  const bom = document.text.startsWith(BOM) ? 1 : 0;
  const text = document.text.slice(bom);
  const main = selections[0] ?? { anchor: 0, active: 0 };
  const cursor = Math.max(0, Math.min(text.length, main.active - bom));
  const before = planner.parse(text);
  if ('error' in before) return refuse({ kind: 'syntax', error: before.error });
  let place: ReturnType<FormatPlanner['locate']>;
  try {
    place = planner.locate(text, cursor, eolOf(text));
  } catch (error) {
    return refuse({ kind: 'unsafe', error: (error as Error).message });
  }
  if ('nowhere' in place) return refuse({ kind: 'nowhere', hint: place.nowhere });
  const candidates = candidatesOf(planner, place, links, options);
  if ('refused' in candidates) return candidates;
  let failure = 'nothing to write';
  for (const written of candidates.texts) {
    const candidate = withFinalNewlineOf(text, written, eolOf(text));
    const problem = guard(planner, before.value, candidate, candidates.expected);
    if (!problem) return { edits: [changedSpan(text, candidate, bom)] };
    failure = problem;
  }
  return refuse({ kind: 'unsafe', error: failure });
}

function plainEdits(selections: readonly Selection[], links: readonly NamedLink[]): InsertionPlan {
  const url = links.map((link) => link.url).join('\n');
  const edits = selections.map(({ anchor, active }) => ({ offset: Math.min(anchor, active), length: Math.abs(anchor - active), text: url }));
  // Two cursors at one place write the link once.
  return { edits: [...new Map(edits.map((edit) => [`${edit.offset}:${edit.length}`, edit])).values()] };
}

/** The texts to try, and the values each new key must hold. */
function candidatesOf(
  planner: FormatPlanner,
  place: Place,
  links: readonly NamedLink[],
  options: InsertionOptions,
): { texts: string[]; expected: Expected } | Extract<InsertionPlan, { refused: string }> {
  if (links.length === 1 && place.fill) {
    const { name, write } = place.fill;
    return { texts: [write(links[0].url)], expected: new Map([[name, { url: links[0].url, was: place.members.get(name) }]]) };
  }
  const keyCase = planner.envNames ? 'upper' : keyCaseOf(place.members.keys());
  let names: string[];
  try {
    // Keys in upper snake case are environment variables (a compose file's `environment:`): named as in `.env`.
    names = blockNames(links, { envNames: keyCase === 'upper', keyCase, envNamePattern: options.envNamePattern, taken: place.members });
  } catch (error) {
    return refuse({ kind: 'name', error: (error as Error).message });
  }
  const added: Member[] = [];
  const replaced: Member[] = [];
  const expected: Expected = new Map();
  for (const [index, link] of links.entries()) {
    const name = names[index];
    if (expected.has(name)) continue;
    if (!place.members.has(name)) {
      added.push({ name, url: link.url });
      expected.set(name, { url: link.url, was: undefined });
      continue;
    }
    const was = place.members.get(name);
    if (was === link.url) continue;
    if (options.existing !== 'replace') return refuse({ kind: 'exists', name, value: describe(was) });
    replaced.push({ name, url: link.url });
    expected.set(name, { url: link.url, was });
  }
  if (!added.length && !replaced.length) return refuse({ kind: 'present', name: names.join(', ') });
  // A replacement rewrites a value by the original's offsets: alone, one at a time.
  if (replaced.length && (added.length || replaced.length > 1)) {
    return refuse({ kind: 'exists', name: replaced[0].name, value: describe(place.members.get(replaced[0].name)) });
  }
  const texts = replaced.length ? [place.replace(replaced[0])] : place.add(added);
  return { texts: texts.filter((text): text is string => text !== undefined), expected };
}

const describe = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

// ---------------------------------------------------------------------------------------------
// The guard

type Expected = Map<string, { url: string; was: unknown }>;

/** Why `after` may not replace the file, or undefined when it may. */
function guard(planner: FormatPlanner, before: unknown, after: string, expected: Expected): string | undefined {
  const parsed = planner.parse(after);
  if ('error' in parsed) return `the result would not parse (${parsed.error})`;
  const changes: Change[] = [];
  differences(before ?? {}, parsed.value, [], changes);
  const seen = new Set<string>();
  for (const change of changes) {
    const name = String(change.path.at(-1));
    const wanted = expected.get(name);
    if (!wanted || seen.has(name) || change.after !== wanted.url || !same(change.before, wanted.was)) {
      return `${change.path.join('.') || 'the file'} would change`;
    }
    seen.add(name);
  }
  if (seen.size !== expected.size) return 'the link would not be read back as a value';
  return undefined;
}

interface Change {
  path: (string | number)[];
  before: unknown;
  after: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Every difference between two parsed values, by path (linear in their size). */
function differences(before: unknown, after: unknown, path: (string | number)[], out: Change[]): void {
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!(key in before)) out.push({ path: [...path, key], before: undefined, after: after[key] });
      else differences(before[key], after[key], [...path, key], out);
    }
  } else if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, index) => differences(item, after[index], [...path, index], out));
  } else if (!same(before, after)) {
    out.push({ path, before, after });
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return String(a) === String(b) && a.getTime() === b.getTime();
  if (Object.is(a, b)) return true;
  if ((a === '' || a === null) && (b === '' || b === null || b === undefined)) return true;
  return typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** `after` ending in a line ending exactly when `before` does. */
function withFinalNewlineOf(before: string, after: string, eol: string): string {
  const ends = (text: string) => text.endsWith('\n');
  if (ends(before) === ends(after)) return after;
  return ends(before) ? after + eol : after.slice(0, after.endsWith('\r\n') ? -2 : -1);
}

/** One edit for the span where `before` and `after` differ. */
function changedSpan(before: string, after: string, shift: number): InsertionEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start + shift, length: before.length - start - end, text: after.slice(start, after.length - end) };
}

const MESSAGES: Record<RefusalReason['kind'], (reason: never) => string> = {
  syntax: (reason: { error: string }) => `The file does not parse (${reason.error}); fix it first, then insert the link.`,
  nowhere: (reason: { hint: PlaceHint }) =>
    `There is no place for a link here: put the cursor ${reason.hint === 'object' ? 'inside an object ({ … })' : 'on a line of a mapping (key: value)'}.`,
  exists: (reason: { name: string; value: string }) => `${reason.name} is already set (${reason.value || '""'}); nothing was written.`,
  present: (reason: { name: string }) => `${reason.name} already holds this link.`,
  name: (reason: { error: string }) => reason.error,
  unsafe: (reason: { error: string }) =>
    `The link was not inserted: ${reason.error}. Put the cursor on a line of the object or table that should hold it.`,
};

function refuse(reason: RefusalReason): Extract<InsertionPlan, { refused: string }> {
  return { refused: (MESSAGES[reason.kind] as (reason: RefusalReason) => string)(reason), reason };
}
