/**
 * A guard for the one key that plain-object code cannot handle: `__proto__`. YAML, JSON and
 * modules can all produce it as an own key; zod's records silently skip it, so a service or
 * workload named `__proto__` would vanish without a word. It is reported instead, wherever it is.
 */
import { isPlainObject, type RawIssue, type Segment } from './invalid-value.ts';

const FORBIDDEN = '__proto__';

/** Problems for every own `__proto__` key in `root` (cycles, as in module objects, are visited once). */
export function forbiddenKeyIssues(root: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  const seen = new Set<object>();
  const pending: [unknown, Segment[]][] = [[root, []]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        pending.push([item, [...path, i]]);
      });
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        if (key === FORBIDDEN)
          issues.push({ path: [...path, key], message: `"${FORBIDDEN}" is not allowed as a key`, at: 'key' });
        else pending.push([value[key], [...path, key]]);
      }
    }
  }
  return issues;
}
