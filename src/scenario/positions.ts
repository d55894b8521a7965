/**
 * Maps a field path (`services.api.endpoints.get.work`) back to a line and column of the parsed
 * YAML/JSON document, so that every problem points at the offending value, key or parent.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { IssueTarget, Segment } from './invalid-value.ts';

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Finds the position of `path` in a document; undefined when nothing of it is there. */
export type Locate = (path: readonly Segment[], at?: IssueTarget) => Position | undefined;

/** One step of a walk: the node reached and the key node that led to it (for map entries). */
interface Step {
  readonly value: unknown;
  readonly key: unknown;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** Walks as far along `path` as the document goes; the first step is the root. */
function walk(doc: Document, path: readonly Segment[]): Step[] {
  const steps: Step[] = [{ value: doc.contents, key: undefined }];
  let current: unknown = doc.contents;
  for (const seg of path) {
    // An alias stands for its anchor's node; follow it (at most a few times, to be safe).
    for (let i = 0; i < 8 && isAlias(current); i++) current = current.resolve(doc);
    if (isMap(current)) {
      const pair = current.items.find((p) => keyText(p.key) === String(seg));
      if (pair === undefined) break;
      current = pair.value;
      steps.push({ value: pair.value, key: pair.key });
    } else if (isSeq(current) && typeof seg === 'number' && seg < current.items.length) {
      current = current.items[seg];
      steps.push({ value: current, key: undefined });
    } else {
      break;
    }
  }
  return steps;
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (range === undefined || range === null) return undefined;
  // An empty value (`key:` with nothing after it) has an empty range: point at the key instead.
  if (isScalar(node) && node.value === null && range[0] === range[1]) return undefined;
  return range[0];
}

/** Builds the {@link Locate} function of a parsed document. */
export function createLocator(doc: Document, lineCounter: LineCounter): Locate {
  const position = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locate: Locate = (path, at = 'value') => {
    if (at === 'parent' && path.length > 0) return locate(path.slice(0, -1), 'key');
    const steps = walk(doc, path);
    const complete = steps.length === path.length + 1;
    const last = steps.at(-1)!;
    // A key that is not there (missing or unknown at a partial path) points at the deepest node reached.
    const preferKey = complete && at === 'key';
    const offset = preferKey
      ? (startOf(last.key) ?? startOf(last.value))
      : (startOf(last.value) ?? startOf(last.key));
    if (offset !== undefined) return position(offset);
    for (let i = steps.length - 2; i >= 0; i--) {
      const found = startOf(steps[i]!.value) ?? startOf(steps[i]!.key);
      if (found !== undefined) return position(found);
    }
    return undefined;
  };
  return locate;
}
