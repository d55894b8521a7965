/**
 * `--csv DIR`: the run's time series as `DIR/timeseries.csv`, one row per point and one column
 * per measure (the service columns named `<service>.utilization` and `<service>.ready_instances`),
 * for spreadsheets. Empty cells where a value is null (no completions, no capacity). The folder
 * is created if missing; the file is written beside its target and renamed (never half-written).
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsDocument } from '../observe/results.ts';
import { OutputError } from './commands.ts';
import { writeAtomically } from './output-file.ts';

/** The name of the time-series file inside the `--csv` folder. */
export const TIMESERIES_CSV = 'timeseries.csv';

const cell = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The time series as CSV text (a header line, then one line per point). */
export function timeSeriesCsv(results: ResultsDocument): string {
  const points = results.timeSeries.points;
  const services = Object.keys(results.services).sort();
  const header = [
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
    ...services.flatMap((s) => [`${s}.utilization`, `${s}.ready_instances`]),
  ];
  const rows = points.map((p) =>
    [
      p.at / 1000,
      p.throughputPerSec,
      p.goodputPerSec,
      p.errorsPerSec,
      p.ok,
      p.fallback,
      p.failed,
      p.availability,
      p.p50Ms,
      p.p99Ms,
      ...services.flatMap((s) => [p.services[s]?.utilization, p.services[s]?.readyInstances]),
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/** Checks (and creates) the folder before the run, so a bad path fails at once. */
export function prepareCsvFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(
      `cannot write CSV files to ${dir}: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'it is not a folder' : code}`,
    );
  }
}

export function writeCsv(dir: string, results: ResultsDocument): void {
  const target = join(dir, TIMESERIES_CSV);
  writeAtomically(target, timeSeriesCsv(results), 'the time series');
}
