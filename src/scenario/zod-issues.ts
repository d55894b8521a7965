/**
 * Turns zod's issues into scenario problems with friendly messages: "expected a list, got
 * "x"", "missing required key", "unknown key (did you mean …?)", "expected one of …".
 */
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.ts';
import { MISSING } from './fields.ts';
import {
  describeValue,
  type IssueTarget,
  isPlainObject,
  type RawIssue,
  type Segment,
} from './invalid-value.ts';

/** How zod's `expected` types read in messages. */
const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map (key: value)',
  record: 'a map of names to definitions',
  array: 'a list',
};

/** The own value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let current = root;
  for (const seg of path) {
    if (Array.isArray(current) && typeof seg === 'number') current = current[seg];
    else if (isPlainObject(current) && Object.hasOwn(current, String(seg))) current = current[String(seg)];
    else return undefined;
  }
  return current;
}

function segmentsOf(path: readonly PropertyKey[]): Segment[] {
  return path.map((seg) => (typeof seg === 'number' ? seg : String(seg)));
}

function isMissing(input: unknown, path: readonly Segment[]): boolean {
  return (
    path.length > 0 && valueAt(input, path) === undefined && isPlainObject(valueAt(input, path.slice(0, -1)))
  );
}

function missing(path: readonly Segment[], expected: string): RawIssue {
  return {
    path,
    message: `missing required key "${String(path.at(-1))}": expected ${expected}`,
    at: 'parent',
  };
}

function convert(issue: z.core.$ZodIssue, input: unknown): RawIssue[] {
  const path = segmentsOf(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const lines = issue.message.split('\n');
      return issue.keys.map((key, i) => ({
        path: [...path, key],
        message: lines.length === issue.keys.length ? lines[i]! : `unknown key "${key}"`,
        at: 'key' as const,
      }));
    }
    case 'custom': {
      if (issue.params?.reason === MISSING) return [missing(path, issue.message.replace(/^expected /, ''))];
      const at = issue.params?.at as IssueTarget | undefined;
      return [at === undefined ? { path, message: issue.message } : { path, message: issue.message, at }];
    }
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (isMissing(input, path)) return [missing(path, expected)];
      return [{ path, message: `expected ${expected}, got ${describeValue(valueAt(input, path))}` }];
    }
    case 'invalid_value': {
      const value = valueAt(input, path);
      if (isMissing(input, path)) return [missing(path, `one of ${issue.values.join(', ')}`)];
      const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      return [{ path, message: `expected one of ${options}, got ${describeValue(value)}${hint}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

/** Converts zod issues for `input` into problems with paths relative to `input`. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], input: unknown): RawIssue[] {
  return issues.flatMap((issue) => convert(issue, input));
}
