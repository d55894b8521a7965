/**
 * Every shipped scenario meets its expectations with its own seed (test/scenarios.test.ts and the
 * topic tests) and also with five other seeds: a lesson must not rest on one lucky draw.
 */
import { runScenario } from 'microsim';
import { describe, expect, it } from 'vitest';
import { SHIPPED, scenarioFiles } from '../src/cli/list.ts';

const SEEDS = [101, 202, 303, 404, 505];

describe('shipped scenarios hold with five other seeds', () => {
  it.each(scenarioFiles(SHIPPED).map((f) => f.slice(SHIPPED.length)))('%s', async (file) => {
    for (const seed of SEEDS) {
      const run = await runScenario(`${SHIPPED}${file}`, { seed });
      const failed = run.expectations.filter((v) => !v.passed).map((v) => `${v.name}: ${v.measuredText}`);
      expect(failed, `seed ${seed}`).toEqual([]);
      expect(run.results.run.endReason, `seed ${seed}`).toBe('completed');
    }
  });
});
