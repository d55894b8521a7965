/**
 * Reading hand-parsed maps key by key (client policies, faults, expectations): unknown keys
 * reported with a suggestion, each value parsed on its own so that every problem is reported,
 * and small value parsers shared by those readers (booleans, fixed choices, percentages).
 */
import { closestMatch } from './did-you-mean.ts';
import {
  describeValue,
  InvalidValue,
  IssueCollector,
  invalid,
  isPlainObject,
  type Segment,
} from './invalid-value.ts';
import { checkKnownKeys, ownValue } from './object-reader.ts';
import { plainNumberFromText } from './units.ts';

/**
 * Reads one map: `optional`/`required` parse a key's value (recording problems under the key),
 * `done` throws everything found. Values come back undefined when absent or invalid.
 */
export class FieldReader {
  readonly issues = new IssueCollector();

  /**
   * `explained`: keys that are not allowed here for a reason worth saying (reported with that
   * message at the key instead of the generic "unknown key").
   */
  constructor(
    readonly map: Record<string, unknown>,
    allowed: readonly string[],
    explained: Readonly<Record<string, string>> = {},
  ) {
    const known = Object.keys(map).filter((k) => !Object.hasOwn(explained, k) || allowed.includes(k));
    checkKnownKeys(Object.fromEntries(known.map((k) => [k, map[k]])), allowed, this.issues);
    for (const key of Object.keys(map)) {
      if (Object.hasOwn(explained, key) && !allowed.includes(key))
        this.issues.add(explained[key]!, [key], 'key');
    }
  }

  /** True when `key` is present (with any value, null included). */
  has(key: string): boolean {
    return Object.hasOwn(this.map, key) && this.map[key] !== undefined;
  }

  optional<T>(key: string, parse: (raw: unknown) => T): T | undefined {
    if (!this.has(key)) return undefined;
    const raw = ownValue(this.map, key);
    return this.issues.attempt([key], () => parse(raw));
  }

  required<T>(key: string, expected: string, parse: (raw: unknown) => T): T | undefined {
    if (!this.has(key)) {
      this.issues.add(`missing required key "${key}": expected ${expected}`, [key], 'parent');
      return undefined;
    }
    return this.optional(key, parse);
  }

  /** Records a problem at `path` (relative to this map). */
  add(message: string, path: readonly Segment[] = [], at?: 'value' | 'key' | 'parent'): void {
    this.issues.add(message, path, at);
  }

  /** Throws the problems found (call it after recording at least one). */
  fail(): never {
    this.issues.throwIfAny();
    throw new InvalidValue([{ path: [], message: 'invalid value' }]);
  }

  /** Throws the problems found, if any. */
  done(): void {
    this.issues.throwIfAny();
  }
}

/** `raw` as a map, or throws "expected <what>, got …". */
export function mapOf(raw: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(raw)) throw invalid(`expected ${what}, got ${describeValue(raw)}`);
  return raw;
}

/** `true` or `false`. */
export function booleanValue(raw: unknown): boolean {
  if (typeof raw !== 'boolean') throw invalid(`expected true or false, got ${describeValue(raw)}`);
  return raw;
}

/** Non-empty text, trimmed. */
export function textValue(raw: unknown, what = 'some text'): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw invalid(`expected ${what}, got ${describeValue(raw)}`);
  return raw.trim();
}

/** One of `options` (exact text), with a suggestion for a near miss. */
export function choiceValue<T extends string>(raw: unknown, options: readonly T[]): T {
  if (typeof raw === 'string' && (options as readonly string[]).includes(raw)) return raw as T;
  const listed = options.map((o) => JSON.stringify(o)).join(', ');
  const match = typeof raw === 'string' ? closestMatch(raw, options) : undefined;
  const hint = match === undefined ? '' : ` (did you mean "${match}"?)`;
  throw invalid(`expected one of ${listed}, got ${describeValue(raw)}${hint}`);
}

/** Rounds away the binary noise of fraction × 100 (0.07 × 100 = 7.000000000000001). */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * A percentage as written, `50%` or a fraction `0.5`, returned in percent (50). `zero` allows 0%;
 * otherwise it must be above 0. At most 100%.
 */
export function percentValue(raw: unknown, options: { zero?: boolean; example?: string } = {}): number {
  const range = options.zero ? 'from 0% to 100%' : 'above 0% and at most 100%';
  const expected = `a percentage ${range} such as ${options.example ?? '50%'}`;
  let percent: number | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) percent = tidy(raw * 100);
  else if (typeof raw === 'string') {
    const text = raw.trim();
    try {
      percent = text.endsWith('%')
        ? plainNumberFromText(text.slice(0, -1), 'a percentage')
        : tidy(plainNumberFromText(text, 'a fraction') * 100);
    } catch {
      percent = undefined;
    }
  }
  if (percent === undefined || percent > 100 || percent < 0 || (!options.zero && percent === 0)) {
    const hint =
      typeof raw === 'number' && raw > 1 && raw <= 100 ? ` (a bare number is a fraction: write ${raw}%)` : '';
    throw invalid(`expected ${expected}, got ${describeValue(raw)}${hint}`);
  }
  return percent;
}

/** Formats a duration in ms for names and messages: `60s`, `1.5s`, `250ms`. */
export function shortDuration(ms: number): string {
  if (ms === 0 || ms >= 1000) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${Number(ms.toFixed(3))}ms`;
}
