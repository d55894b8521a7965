/** `microsim sweep`: parameters as lists and ranges, a table and charts, and clear errors. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { overrideAt, parseParameter } from '../../src/cli/sweep.ts';
import { textChart } from '../../src/cli/text-chart.ts';
import { cli } from './harness.ts';

const FILE = 'scenarios/mm1.yaml';

describe('--set path=values', () => {
  it.each([
    ['workloads.arrivals.rate=5/s..9/s:5', ['5/s', '6/s', '7/s', '8/s', '9/s']],
    ['workloads.arrivals.rate=5..9/s:3', ['5/s', '7/s', '9/s']],
    ['services.server.replicas=1..4:4', [1, 2, 3, 4]],
    ['services.server.replicas=1,2,4', [1, 2, 4]],
    ['x.y=0.5..0.6:3', [0.5, 0.55, 0.6]],
    ['services.server.endpoints.serve.work=exp(100ms), const(100ms)', ['exp(100ms)', 'const(100ms)']],
  ])('%s', (text, values) => {
    expect(parseParameter(text).values).toEqual(values);
  });
  it.each([
    ['rate', '--set expects path=values'],
    ['=1,2', '--set expects path=values'],
    ['a b=1', 'is not a dotted path'],
    ['a.b=1/s..2ms:3', 'different units'],
    ['a.b=1..2:1', 'a range needs 2 to 10000 points'],
    ['a.b=1..2', 'a range is LOW..HIGH:N'],
    ['a.b=1,,2', 'an empty value'],
  ])('refuses %s', (text, message) => {
    expect(() => parseParameter(text)).toThrow(message);
  });
  it('builds the override of a dotted path', () => {
    expect(overrideAt('services.api.replicas', 3)).toEqual({ services: { api: { replicas: 3 } } });
  });
});

describe('sweep', () => {
  it('runs every point and shows the table and a chart of the metrics against the parameter', async () => {
    const r = await cli([
      'sweep',
      FILE,
      '--set',
      'workloads.arrivals.rate=4/s..9/s:6',
      '--duration',
      '10m',
      '--metric',
      'services.server.utilization',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ kind: 'sweep', runs: 1, metrics: ['services.server.utilization'] });
    expect(doc.points.map((p: { values: unknown[] }) => p.values[0])).toEqual([
      '4/s',
      '5/s',
      '6/s',
      '7/s',
      '8/s',
      '9/s',
    ]);
    // Utilization is λ/μ: 0.4 … 0.9, within a few percent over 9 minutes.
    doc.points.forEach((p: { metrics: Record<string, { mean: number }> }, i: number) => {
      expect(p.metrics['services.server.utilization']!.mean).toBeCloseTo((4 + i) / 10, 1);
    });
    expect(r.err).toMatch(/rate\s+services\.server\.utilization\n\s+4\/s\s+[\d.]+%/);
    expect(r.err).toContain('services.server.utilization against workloads.arrivals.rate');
    expect(r.err).toMatch(/4\/s\s+9\/s {2}rate/);
  });

  it('sweeps two parameters as a grid, with intervals when --runs is given', async () => {
    const r = await cli([
      'sweep',
      FILE,
      '--set',
      'workloads.arrivals.rate=4/s,6/s',
      '--set',
      'services.server.workers=1,2',
      '--duration',
      '3m',
      '--runs',
      '2',
      '--threads',
      '1',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('4 points × 2 runs, means with 95% intervals');
    expect(r.out).toMatch(/4\/s\s+1\s+[\d.]+ ms ± /);
    expect(r.out).toMatch(/6\/s\s+2\s+/);
    expect(r.out).toContain('○ workers=2');
    // Default metrics: each workload's p99 and availability.
    expect(r.out).toContain('workloads.arrivals.latencyMs.p99 against workloads.arrivals.rate');
  });

  it('writes an HTML page with a chart per metric (--report)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microsim-sweep-'));
    const report = join(dir, 'sweep.html');
    const args = ['sweep', FILE, '--set', 'workloads.arrivals.rate=4/s,6/s', '--duration', '3m', '--quiet'];
    expect((await cli([...args, '--report', report])).code).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).not.toContain('<script');
    expect(html).toContain('<title>microsim sweep: mm1</title>');
    expect(readFileSync(report, 'utf8')).toBe(html);
    const again = await cli([...args, '--report', FILE]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('would overwrite the scenario file itself');
  });

  it.each([
    [['--set', 'workloads.arrivls.rate=1/s,2/s'], 'has no "arrivls" in workloads (did you mean "arrivals"?)'],
    [['--set', 'services.server.workers=1,-2'], 'at services.server.workers=-2:'],
    [
      ['--set', 'workloads.arrivals.rate=1/s', '--metric', 'workloads.arrivals.latencyMs.p98'],
      'is not a metric of this scenario',
    ],
    [[], 'give one or two --set path=values (got 0)'],
    [['--set', 'workloads.arrivals.rate=300/min,5/s'], 'the values have different units (/min, /s)'],
    [['--set', 'seed=1,2,3'], '--set seed: the seed is not swept; use --seed N'],
    [
      ['--set', 'workloads.arrivals.rate=1/s', '--seed', '99999999999999999999'],
      '--seed expects a non-negative integer',
    ],
    [
      ['--set', 'workloads.arrivals.rate=1/s', '--json', '/nonexistent/sweep.json'],
      'its folder does not exist',
    ],
    [['--set', 'a.b=1', '--set', 'a.b=2'], '--set names a.b twice'],
  ])('refuses %j', async (args, message) => {
    const r = await cli(['sweep', FILE, '--duration', '2m', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('textChart', () => {
  it('places each point at its x and y, with axis labels', () => {
    const lines = textChart({
      title: 'y against x',
      series: [
        {
          name: '',
          points: [
            [0, 0],
            [5, 5],
            [10, 10],
          ],
        },
      ],
      formatY: (y) => `${y}`,
      formatX: (x) => `${x}`,
      xLabel: 'x',
      width: 11,
      height: 3,
    });
    // Points at columns 0, 5 and 10 (of 11), dots between them; the right x label ends under column 10.
    expect(lines).toEqual([
      'y against x',
      '10 ┤        ··●',
      ' 5 ┤   ··●··',
      ' 0 ┤●··',
      '   └───────────',
      '    0        10  x',
    ]);
  });
});
