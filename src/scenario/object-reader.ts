/**
 * Small checks for maps and lists read by hand (distribution objects, call steps): own keys
 * only, unknown keys reported with a suggestion, missing keys reported at their parent.
 */
import { unknownKeyMessage } from './did-you-mean.ts';
import { describeValue, type IssueCollector, invalid, isPlainObject } from './invalid-value.ts';

/** The value of an own key of `map`, or undefined (inherited properties never count). */
export function ownValue(map: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** The value of `key`; throws "missing required key" (pointing at the parent) when absent. */
export function requiredValue(map: Record<string, unknown>, key: string): unknown {
  if (!Object.hasOwn(map, key) || map[key] === undefined) {
    throw invalid(`missing required key "${key}"`, [], 'parent');
  }
  return map[key];
}

/** Records an "unknown key" issue (pointing at the key) for each key of `map` not in `allowed`. */
export function checkKnownKeys(
  map: Record<string, unknown>,
  allowed: readonly string[],
  issues: IssueCollector,
): void {
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key)) issues.add(unknownKeyMessage(key, allowed), [key], 'key');
  }
}

/** `raw` as a map, or throws "expected <what>, got …". */
export function expectMap(raw: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(raw)) throw invalid(`expected ${what}, got ${describeValue(raw)}`);
  return raw;
}

/** `raw` as a list, or throws "expected <what>, got …". */
export function expectList(raw: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(raw)) throw invalid(`expected ${what}, got ${describeValue(raw)}`);
  return raw;
}
