/**
 * Fuzzing the scenario reader: mangled YAML/JSON files and arbitrary data must either resolve or
 * fail with a ScenarioError — never any other exception — and quickly.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  parseScenarioText,
  type ResolvedScenario,
  resolveScenario,
  ScenarioError,
} from '../../src/scenario/index.ts';
import { INTERNAL_ERROR } from '../../src/scenario/resolve.ts';
import { applyMutation, mutation, NUMBERS, replaceNthLeaf, VALUES } from './fixtures/text-mutations.ts';

const SHOP = readFileSync(new URL('./fixtures/shop.yaml', import.meta.url), 'utf8');
const TINY_JSON = readFileSync(new URL('./fixtures/tiny.json', import.meta.url), 'utf8');
/** The shop fixture as plain data, for edits of single values. */
const SHOP_DATA = parse(SHOP) as Record<string, unknown>;

/** Every number in a resolved scenario is a number (Infinity is allowed: unbounded queues). */
function assertNoNaN(value: unknown, path = ''): void {
  if (typeof value === 'number') expect(Number.isNaN(value), `NaN at ${path}`).toBe(false);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${path}.${k}`);
  }
}

/**
 * Runs `read`; returns 'ok' or 'error', and fails on any exception that is not a ScenarioError.
 * `located`: every issue must carry a line and column (true for text files).
 */
function outcome(read: () => ResolvedScenario, located = false): 'ok' | 'error' {
  try {
    assertNoNaN(read());
    return 'ok';
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.message.length).toBeGreaterThan(0);
      // Every failure is an anticipated one, not a bug caught by the last-resort guard.
      expect(issue.message).not.toContain(INTERNAL_ERROR);
      if (located) expect(issue.line, issue.message).toBeGreaterThan(0);
    }
    return 'error';
  }
}

describe('fuzz: mangled scenario files', () => {
  it('a mangled YAML file resolves or fails with a ScenarioError', () => {
    const seen = { ok: 0, error: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 5 }), (mutations) => {
        const text = mutations.reduce(applyMutation, SHOP);
        seen[outcome(() => parseScenarioText(text, 'fuzz.yaml'), true)]++;
      }),
      { numRuns: 300 },
    );
    // Both outcomes occur: the property is not vacuous.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('a mangled JSON file resolves or fails with a ScenarioError', () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), (mutations) => {
        const text = mutations.reduce(applyMutation, TINY_JSON);
        outcome(() => parseScenarioText(text, 'fuzz.json'), true);
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary data resolves or fails with a ScenarioError', () => {
    const keys = fc.constantFrom(
      'name',
      'services',
      'endpoints',
      'work',
      'calls',
      'dist',
      'to',
      '__proto__',
      'x',
    );
    const data = fc.anything({ key: fc.oneof(keys, fc.string()), maxDepth: 4, withNullPrototype: true });
    fc.assert(
      fc.property(data, (raw) => {
        outcome(() => resolveScenario(raw, 'fuzz'));
      }),
      { numRuns: 200 },
    );
  });

  it('values swapped into a valid scenario object resolve or fail with a ScenarioError', () => {
    const leaf = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom(...VALUES, ...NUMBERS));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), leaf), { maxLength: 3 }), (edits) => {
        const raw = structuredClone(SHOP_DATA);
        for (const [n, value] of edits) replaceNthLeaf(raw, n, value);
        outcome(() => resolveScenario(raw, 'fuzz'));
      }),
      { numRuns: 200 },
    );
  });
});
