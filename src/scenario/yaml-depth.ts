/**
 * A guard run before composing a YAML document: the nesting depth of its collections, measured
 * on yaml's concrete syntax tree without recursion. yaml composes documents recursively, and a
 * file of a few hundred thousand nested brackets exhausts the stack (in V8 this can abort the
 * whole process rather than throw), so deep files are refused before that step.
 */
import { type CST, Parser } from 'yaml';

/** Deepest nesting of maps and lists accepted; real scenarios stay well under 20. */
export const MAX_NESTING_DEPTH = 64;

/** The first collection nested deeper than `limit`: its depth and source offset, or undefined. */
export function findExcessiveNesting(
  text: string,
  limit = MAX_NESTING_DEPTH,
): { offset: number } | undefined {
  const pending: [CST.Token | undefined, number][] = [];
  for (const token of new Parser().parse(text)) {
    if (token.type === 'document') pending.push([token.value, 0]);
  }
  while (pending.length > 0) {
    const [token, depth] = pending.pop()!;
    if (token === undefined) continue;
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > limit) return { offset: token.offset };
      for (const item of token.items) {
        pending.push(['key' in item ? (item.key ?? undefined) : undefined, depth + 1]);
        pending.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}
