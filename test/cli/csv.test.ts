/** `microsim run --csv DIR`: the time series as CSV, equal to the JSON results' points. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './harness.ts';

const FILE = 'scenarios/06-fault-tolerance/cascade-contained.yaml';

describe('--csv', () => {
  it('writes timeseries.csv, one row per point, the same numbers as the JSON results', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'microsim-csv-')), 'out'); // created if missing
    const json = join(dir, '..', 'results.json');
    expect((await cli(['run', FILE, '--no-ui', '--quiet', '--csv', dir, '--json', json])).code).toBe(0);
    expect(readdirSync(dir)).toEqual(['timeseries.csv']);
    const [header, ...rows] = readFileSync(join(dir, 'timeseries.csv'), 'utf8').trimEnd().split('\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 10)).toEqual([
      'at_s',
      'throughput_per_s',
      'goodput_per_s',
      'errors_per_s',
      'ok',
      'fallback',
      'failed',
      'availability',
      'p50_ms',
      'p99_ms',
    ]);
    expect(columns).toContain('payments.utilization');
    const results = JSON.parse(readFileSync(json, 'utf8'));
    const points = results.timeSeries.points;
    expect(rows).toHaveLength(points.length);
    rows.forEach((row, i) => {
      const cells = row.split(',');
      expect(cells).toHaveLength(columns.length);
      expect(Number(cells[0])).toBe(points[i].at / 1000);
      expect(Number(cells[1])).toBe(points[i].throughputPerSec);
      const util = cells[columns.indexOf('payments.utilization')]!;
      const expected = points[i].services.payments?.utilization ?? null;
      expect(util === '' ? null : Number(util)).toBe(expected);
    });
  });

  it('refuses a path that is a file, before running', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'microsim-csv-')), 'plain');
    writeFileSync(file, 'x');
    expect(await cli(['run', FILE, '--no-ui', '--csv', file])).toMatchObject({
      code: 2,
      err: expect.stringContaining(`cannot write CSV files to ${file}: it is not a folder`),
    });
  });
});
