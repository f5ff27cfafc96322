/**
 * YAML through the `yaml` package: its documents and node ranges say which block mapping
 * encloses the cursor and where its entries end; the new entry is written as one line at the
 * mapping's indentation, so nothing else of the file is rewritten.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, parseAllDocuments, type YAMLMap } from 'yaml';
import { type FormatPlanner, type Located, type Member, indentAt, lineEndAt, lineStartAt, spliced } from './placement';
import { yamlScalar } from './syntax';

type Parsed = Document.Parsed;

const documentsOf = (text: string): Parsed[] => [...parseAllDocuments(text)];

/** Every block mapping in a node (flow mappings `{…}` take no new lines). */
function* blockMaps(node: unknown): Generator<YAMLMap<Node, Node>> {
  if (isMap(node)) {
    if (!node.flow) yield node as YAMLMap<Node, Node>;
    for (const pair of node.items) yield* blockMaps(pair.value);
  } else if (isSeq(node)) {
    for (const item of node.items) yield* blockMaps(item);
  }
}

const rangeOf = (node: unknown): [number, number, number] | undefined => (node as Node | null)?.range ?? undefined;

/** Where a pair's text ends: its value's end, else its key's. */
const pairEnd = (pair: Pair<Node, Node>) => rangeOf(pair.value)?.[1] ?? rangeOf(pair.key)?.[1] ?? 0;

const keyText = (pair: Pair<Node, Node>) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

const entryLine = (member: Member) => `${plainKey(member.name)}: ${yamlScalar(member.url)}`;

/** A key as YAML reads back the same string: plain when it is a word, else double-quoted. */
const plainKey = (key: string) => (/^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u.test(key) ? key : JSON.stringify(key));

/** The text with lines inserted after the line where `end` is (or at `end` when a line starts there). */
function insertLines(text: string, end: number, eol: string, lines: string[]): string {
  if (end > 0 && text[end - 1] === '\n') return spliced(text, end, 0, lines.map((line) => line + eol).join(''));
  const lineEnd = lineEndAt(text, end);
  return spliced(text, lineEnd, 0, lines.map((line) => eol + line).join(''));
}

/** The index of the entry whose lines hold the cursor (the first, before them). */
function pairIndexAt(text: string, map: YAMLMap<Node, Node>, cursor: number): number {
  const starts = map.items.map((pair) => lineStartAt(text, rangeOf(pair.key)?.[0] ?? 0));
  return Math.max(0, starts.filter((start) => start <= cursor).length - 1);
}

/** The indentation of a mapping's keys (the column of its first key: `- name:` counts the dash). */
function padOf(text: string, map: YAMLMap<Node, Node>): string {
  const first = rangeOf(map.items[0].key)![0];
  const indent = indentAt(text, first);
  const column = first - lineStartAt(text, first);
  return indent.length === column ? indent : ' '.repeat(column);
}

export const yamlPlanner: FormatPlanner = {
  parse(text) {
    const documents = documentsOf(text);
    const error = documents.flatMap((document) => document.errors)[0];
    if (error) return { error: error.message.split('\n')[0] };
    // A file with no document yet reads as one empty mapping, so that its first key is an addition.
    const values = documents.map((document): unknown => document.toJS({ maxAliasCount: -1 }) ?? {});
    return { value: values.length ? values : [{}] };
  },
  locate(text, cursor, eol): Located {
    const documents = documentsOf(text);
    const document = documents.filter((candidate) => candidate.range[0] <= cursor).at(-1) ?? documents[0];
    if (!document?.contents) {
      const end = document ? document.range[2] : text.length;
      return {
        members: new Map(),
        add: (added) => [
          end > 0 && text[end - 1] !== '\n'
            ? spliced(text, end, 0, added.map((member) => eol + entryLine(member)).join(''))
            : spliced(text, end, 0, added.map((member) => entryLine(member) + eol).join('')),
        ],
        replace: () => undefined,
      };
    }
    const around = [...blockMaps(document.contents)].filter((map) => {
      const range = rangeOf(map);
      return range && lineStartAt(text, range[0]) <= cursor && cursor <= lineEndAt(text, Math.max(range[0], range[1] - 1));
    });
    const root = isMap(document.contents) && !document.contents.flow ? (document.contents as YAMLMap<Node, Node>) : undefined;
    const chain = around.length ? around : root ? [root] : [];
    const map = chain.at(-1);
    if (!map?.items.length) return { nowhere: 'mapping' };
    const pairs = map.items;
    const here = pairIndexAt(text, map, cursor);
    const members = new Map(pairs.map((pair) => [keyText(pair), isScalar(pair.value) ? pair.value.value : pair.value?.toJSON()]));
    const pair = pairs[here];
    const value = pair.value;
    const keyEnd = rangeOf(pair.key)?.[1] ?? 0;
    const emptyValue =
      cursor > keyEnd &&
      cursor <= lineEndAt(text, keyEnd) &&
      (!value || (isScalar(value) && ((value.value === null && value.range![0] === value.range![1]) || value.value === '')));
    const colon = text.indexOf(':', keyEnd);
    return {
      members,
      fill: emptyValue
        ? {
            name: keyText(pair),
            write: (url) =>
              value && isScalar(value) && value.value === ''
                ? spliced(text, value.range![0], value.range![1] - value.range![0], yamlScalar(url))
                : spliced(text, colon + 1, /^[ \t]*/.exec(text.slice(colon + 1, lineEndAt(text, colon)))![0].length, ` ${yamlScalar(url)}`),
          }
        : undefined,
      // Nearest first: this mapping, then the ones around it (a mapping reused through an anchor cannot take it).
      add: (added) =>
        [...chain].reverse().flatMap((outer) => {
          const entries = outer.items;
          const lines = added.map((member) => padOf(text, outer) + entryLine(member));
          const after = [pairEnd(entries[pairIndexAt(text, outer, cursor)]), pairEnd(entries.at(-1)!)];
          return after.map((end) => insertLines(text, end, eol, lines));
        }),
      replace({ name, url }) {
        const existing = pairs.find((candidate) => isPair(candidate) && keyText(candidate) === name);
        const range = rangeOf(existing?.value);
        if (!existing || !range) return undefined;
        return spliced(text, range[0], range[1] - range[0], yamlScalar(url));
      },
    };
  },
};
