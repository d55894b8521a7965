/** `microsim compare a b`: paired runs with common random numbers, differences and verdicts. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directionOf } from '../../src/observe/comparison.ts';
import { replicationSeed } from '../../src/runtime/replications.ts';
import { cli } from './harness.ts';

const A = 'scenarios/mm1.yaml';

/** mm1 with a faster server (exp(80 ms) instead of exp(100 ms)), written to a temp folder. */
function fasterVariant(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'microsim-compare-'));
  const file = join(dir, 'mm1-fast.yaml');
  writeFileSync(
    file,
    readFileSync(A, 'utf8').replace('name: mm1', 'name: mm1-fast').replace('exp(100ms)', 'exp(80ms)'),
  );
  return { dir, file };
}

describe('compare', () => {
  it('pairs runs by seed and says which variant is better, with intervals', async () => {
    const { dir, file } = fasterVariant();
    const json = join(dir, 'cmp.json');
    const r = await cli([
      'compare',
      A,
      file,
      '--runs',
      '5',
      '--duration',
      '10m',
      '--threads',
      '1',
      '--json',
      json,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('a = mm1 (scenarios/mm1.yaml), b = mm1-fast');
    expect(r.out).toContain('5 paired runs with common random numbers');
    // W = 1/(μ − λ): 500 ms against 1/(12.5 − 8) = 222 ms, a 56% drop.
    expect(r.out).toMatch(/mean\s+[\d.]+ ms\s+[\d.]+ ms\s+−[\d.]+ ms ± [\d.]+ ms\s+−\d+% ± \d+%\s+better/);
    // Throughput is the arrival rate in both (a slower server only leaves a few more in flight).
    expect(r.out).toMatch(/thru\/s\s+7\.\d+\/s\s+7\.\d+\/s/);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc).toMatchObject({ kind: 'comparison', runs: 5, commonRandomNumbers: true });
    expect(doc.seeds.a).toEqual(doc.seeds.b);
    expect(doc.seeds.a).toEqual([0, 1, 2, 3, 4].map((k) => replicationSeed(1, k)));
    const mean = doc.metrics['workloads.arrivals.latencyMs.mean'];
    const diffs = doc.replications.b.map(
      (o: { metrics: Record<string, number> }, k: number) =>
        o.metrics['workloads.arrivals.latencyMs.mean']! -
        doc.replications.a[k].metrics['workloads.arrivals.latencyMs.mean'],
    );
    expect(mean.diff.mean).toBeCloseTo(diffs.reduce((s: number, d: number) => s + d, 0) / 5, 9);
    expect(mean.verdict).toBe('better');
    expect(Math.abs(doc.metrics['workloads.arrivals.throughputPerSec'].relative.mean)).toBeLessThan(0.005);
    expect(mean.relative.mean).toBeCloseTo(mean.diff.mean / mean.a.mean, 12);
    // The arrivals are identical run by run: the same requests arrive in a and b.
    expect(doc.metrics['workloads.arrivals.requests'].diff.sd).toBe(0);
  });

  it('counts a failure reason only one variant has as 0 in the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microsim-compare-'));
    const bounded = join(dir, 'mm1-bounded.yaml');
    writeFileSync(
      bounded,
      readFileSync(A, 'utf8')
        .replace('      serve:', '    queue: 3\n    endpoints:\n      serve:')
        .replace('    endpoints:\n    queue', '    queue'),
    );
    const r = await cli([
      'compare',
      A,
      bounded,
      '--runs',
      '3',
      '--duration',
      '3m',
      '--threads',
      '1',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const full = JSON.parse(r.out).metrics['workloads.arrivals.failures.queue_full'];
    expect(full.a.mean).toBe(0);
    expect(full.a.n).toBe(3);
    expect(full.b.mean).toBeGreaterThan(0);
    expect(full.verdict).toBe('worse');
  });

  it('draws independent seeds for b with --independent', async () => {
    const { file } = fasterVariant();
    const r = await cli([
      'compare',
      A,
      file,
      '--runs',
      '3',
      '--duration',
      '3m',
      '--threads',
      '1',
      '--independent',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.commonRandomNumbers).toBe(false);
    expect(doc.seeds.b).toEqual([3, 4, 5].map((k) => replicationSeed(1, k)));
    expect(r.err).toContain('runs per variant with independent seeds');
  });

  it.each([
    [[A], 'expected two scenario files (a and b), got 1'],
    [[A, A, A], 'expected two scenario files (a and b), got 3'],
    [[A, A, '--runs', 'many'], '--runs expects a whole number'],
    [[A, A, '--seed', 'abc'], '--seed expects a non-negative integer, got "abc"'],
    [[A, A, `--json=${A}`], 'would overwrite the scenario file'],
  ])('refuses %j', async (args, message) => {
    const r = await cli(['compare', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('knows which way is better', () => {
    expect(directionOf('workloads.w.availability')).toBe('higher');
    expect(directionOf('workloads.w.latencyMs.p99')).toBe('lower');
    expect(directionOf('workloads.w.failures.timeout')).toBe('lower');
    expect(directionOf('services.s.utilization')).toBe('neutral');
    expect(directionOf('cost.total')).toBe('lower');
  });
});
