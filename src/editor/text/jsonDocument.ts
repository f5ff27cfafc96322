/**
 * JSON and JSONC through jsonc-parser: the member goes into the object that encloses the cursor,
 * after the member the cursor is in, written by `modify` (which keeps comments and formatting).
 */
import {
  type FormattingOptions,
  type Node,
  applyEdits,
  findNodeAtOffset,
  getNodePath,
  getNodeValue,
  modify,
  parseTree,
  type ParseError,
  printParseErrorCode,
} from 'jsonc-parser';
import { type FormatPlanner, type Located, type Member, indentAt, lineEndAt, lineStartAt, spliced } from './placement';

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false };

function tree(text: string): { root?: Node; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, PARSE_OPTIONS);
  return { root, errors };
}

/** The file's indentation: its first indented line's (a tab, or so many spaces), else two spaces. */
function formattingOf(text: string, eol: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol };
}

const inside = (node: Node, offset: number) => offset > node.offset && offset < node.offset + node.length;

/** The object around the cursor, and the index its new members take (after the cursor's member). */
function targetOf(root: Node, cursor: number): { object: Node; index: number } | undefined {
  let node = findNodeAtOffset(root, cursor, true);
  let from: Node | undefined;
  while (node && !(node.type === 'object' && inside(node, cursor))) {
    if (node.type === 'property') from = node;
    node = node.parent;
  }
  if (node) {
    const members = node.children ?? [];
    const index = from ? members.indexOf(from) + 1 : members.filter((member) => member.offset + member.length <= cursor).length;
    return { object: node, index };
  }
  if (root.type !== 'object') return undefined;
  return { object: root, index: cursor <= root.offset ? 0 : (root.children?.length ?? 0) };
}

/**
 * The members on their own lines after the line where member `index - 1` ends (after its comma
 * and a comment there, which stays with it), when that member is alone on its lines.
 */
function lineAfter(text: string, object: Node, index: number, added: readonly Member[], eol: string): string[] {
  const previous = object.children?.[index - 1];
  if (!previous || lineStartAt(text, previous.offset) <= object.offset) return [];
  const end = previous.offset + previous.length;
  const lineEnd = lineEndAt(text, end);
  const rest = text.slice(end, lineEnd);
  if (!/^\s*,?\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(rest)) return [];
  const comma = /^\s*,/.test(rest);
  const last = index === object.children.length;
  // After a last member with a comma (JSONC's trailing comma), the new last one keeps the style.
  const lines = added.map((member, i) => `${JSON.stringify(member.name)}: ${JSON.stringify(member.url)}${i < added.length - 1 || !last || comma ? ',' : ''}`);
  const withLines = spliced(text, lineEnd, 0, lines.map((line) => eol + indentAt(text, previous.offset) + line).join(''));
  return [comma || !last ? withLines : spliced(withLines, end, 0, ',')];
}

export const jsonPlanner: FormatPlanner = {
  parse(text) {
    const { root, errors } = tree(text);
    if (errors.length) return { error: `${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}` };
    return { value: root ? getNodeValue(root) : undefined };
  },
  locate(text, cursor, eol): Located {
    const { root } = tree(text);
    const formattingOptions = formattingOf(text, eol);
    const write = (path: (string | number)[], value: string, at?: number, from = text) =>
      applyEdits(from, modify(from, path, value, { formattingOptions, getInsertionIndex: at === undefined ? undefined : () => at }));
    if (!root) {
      return {
        members: new Map(),
        add: (added) => [added.reduce((out, member) => write([member.name], member.url, undefined, out), text)],
        replace: () => undefined,
      };
    }
    const found = targetOf(root, cursor);
    if (!found) return { nowhere: 'object' };
    const { object, index } = found;
    const path = getNodePath(object);
    const members = new Map((object.children ?? []).map((member) => [String(member.children![0].value), getNodeValue(member.children![1] ?? member)]));
    const at = findNodeAtOffset(root, cursor, false);
    const emptyValue = at?.type === 'string' && at.value === '' && inside(at, cursor) && at.parent?.type === 'property' && at.parent.children![1] === at;
    const addAt = (added: readonly Member[], first: number) =>
      added.reduce((out, member, i) => write([...path, member.name], member.url, first + i, out), text);
    return {
      members,
      fill: emptyValue
        ? { name: String(at.parent.children![0].value), write: (url) => write(getNodePath(at), url) }
        : undefined,
      add: (added) => [
        ...lineAfter(text, object, index, added, eol),
        addAt(added, index),
        addAt(added, object.children?.length ?? 0),
      ],
      replace: ({ name, url }) => (members.has(name) ? write([...path, name], url) : undefined),
    };
  },
};
