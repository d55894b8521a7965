/**
 * Property tests over random small worlds (see world-arbitrary.ts): every run keeps the
 * invariants of `run-checked.ts` (conservation at every instant, one completion and one reason per
 * request, finite numbers, monotone time, sane latencies), and runs are reproducible: the same
 * world and seed give a byte-identical event log and results document; another seed gives another
 * log whenever the world draws random arrivals.
 *
 * fast-check picks a new seed each run and prints it with the shrunk counterexample on failure.
 * For a longer bug hunt: PROPERTY_RUNS=3000 npx vitest run test/properties
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import type { ResolvedScenario } from '../../src/scenario/resolved.ts';
import { runChecked } from './run-checked.ts';
import { scenarioArb } from './world-arbitrary.ts';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** The results document without its one non-reproducible field. */
function reproducible(doc: ResultsDocument): string {
  const { wallTimeMs: _, ...run } = doc.run;
  return JSON.stringify({ ...doc, run });
}

/** Arrivals from Poisson workloads: their times are drawn, so they depend on the seed. */
function poissonArrivals(scenario: ResolvedScenario, lines: readonly string[]): number {
  const poisson = new Set(
    scenario.world.workloads.filter((w) => w.kind === 'open' && w.arrivals === 'poisson').map((w) => w.name),
  );
  let n = 0;
  for (const line of lines) {
    const signal = JSON.parse(line) as { signal: string; workload?: string };
    if (signal.signal === 'request.arrived' && poisson.has(signal.workload ?? '')) n++;
  }
  return n;
}

describe('random small worlds', () => {
  it('keep every request accounted for, with finite numbers and monotone time', () => {
    let requests = 0;
    const reasons = new Set<string>();
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const run = runChecked(scenario);
        expect(run.violations).toEqual([]);
        requests += run.arrived;
        for (const w of Object.values(run.doc.workloads))
          for (const r of Object.keys(w.failures)) reasons.add(r);
      }),
      { numRuns: NUM_RUNS },
    );
    // The generator is not vacuous: requests flowed and several kinds of failure happened.
    expect(requests).toBeGreaterThan(NUM_RUNS);
    expect(reasons.size).toBeGreaterThanOrEqual(3);
  });

  it('are deterministic: same world and seed, byte-identical event log and results', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const a = runChecked(scenario);
        const b = runChecked(scenario);
        expect(b.lines.join('\n')).toBe(a.lines.join('\n'));
        expect(reproducible(b.doc)).toBe(reproducible(a.doc));
      }),
      { numRuns: NUM_RUNS / 3 },
    );
  });

  it('depend on the seed: another seed, another log when arrivals are random', () => {
    let compared = 0;
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const a = runChecked(scenario);
        if (poissonArrivals(scenario, a.lines) < 3) return;
        compared++;
        const c = runChecked({ ...scenario, seed: scenario.seed + 1 });
        expect(c.lines.join('\n')).not.toBe(a.lines.join('\n'));
      }),
      { numRuns: NUM_RUNS / 3 },
    );
    expect(compared).toBeGreaterThan(NUM_RUNS / 30);
  });
});
