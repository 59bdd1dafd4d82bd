/**
 * Where a key or a value sits in a YAML (or JSON) text, so a refused preset or schedule file says
 * `file:line:column`, the way compilers and editors point at a place.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** The position of the value at `path` (or, with `at: 'key'`, of its key); undefined when the path is not in the text. */
export type Locate = (path: readonly PropertyKey[], at?: 'key' | 'value') => SourcePosition | undefined;

/** Parses `text` keeping positions; `errors` holds the YAML syntax errors with theirs. */
export function parseWithPositions(text: string): { value: unknown; locate: Locate; errors: { message: string; position?: SourcePosition }[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const position = (offset: number | undefined): SourcePosition | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const errors = doc.errors.map((error) => {
    const at = position(error.pos[0]);
    return { message: error.message.split('\n')[0] ?? error.message, ...(at ? { position: at } : {}) };
  });
  return { value: errors.length > 0 ? undefined : doc.toJS(), errors, locate: (path, at = 'value') => position(offsetOf(doc, path, at)) };
}

/** `file:line:column`, or the file alone when the position is unknown. */
export function formatPosition(file: string, position: SourcePosition | undefined): string {
  return position ? `${file}:${position.line}:${position.column}` : file;
}

function offsetOf(doc: Document, path: readonly PropertyKey[], at: 'key' | 'value'): number | undefined {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return rangeStart(node);
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return rangeStart(node);
      node = item;
    } else {
      return rangeStart(node);
    }
  }
  return at === 'key' && keyNode ? rangeStart(keyNode) : (rangeStart(node) ?? rangeStart(keyNode));
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
