/**
 * The V8 tuning of the microsim command changes how fast a run goes, never what it computes: the
 * same scenario gives the same results document (wall time aside) with and without it. Each run is
 * a fresh process, since V8 flags are process-wide; 30,000 user requests, so that the hot path is
 * optimized (with the tuned budgets) in the tuned run.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { V8_TUNING_FLAGS } from '../../src/runtime/v8-tuning.ts';

const CHILD = fileURLToPath(new URL('./v8-tuning-child.ts', import.meta.url));
const SCENARIO = fileURLToPath(new URL('../../bench/scenarios/shop-11.yaml', import.meta.url));

function run(mode: 'tuned' | 'plain'): string {
  return execFileSync(process.execPath, ['--import', 'tsx', CHILD, SCENARIO, mode], { encoding: 'utf8' });
}

describe('V8 tuning', () => {
  it('names only inlining budgets', () => {
    for (const flag of V8_TUNING_FLAGS)
      expect(flag).toMatch(/^--max-inlined-bytecode-size(-cumulative)?=\d+$/);
  });

  it('leaves the results of a run byte-identical', () => {
    const tuned = run('tuned');
    const plain = run('plain');
    expect(JSON.parse(tuned).workloads.users.requests).toBeGreaterThan(29_000);
    expect(tuned).toBe(plain);
  }, 60_000);
});
