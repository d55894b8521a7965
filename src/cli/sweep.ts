/**
 * `microsim sweep <file> --set <path>=<values> [--set …] [--metric PATH …] [--runs N]`: the
 * scenario run at every value of one or two parameters (a list `1,2,4` or a range
 * `50/s..95/s:10`), with chosen metrics as a table (means and 95% intervals with --runs) and a
 * chart against the first parameter — e.g. the knee of p99 against load.
 */
import { resolve } from 'node:path';
import type { ReplicationOutcome } from '../observe/replication-doc.ts';
import {
  CONFIDENCE,
  type Interval,
  interval,
  metricPaths,
  metricValues,
  zeroWhenAbsent,
} from '../observe/replication-stats.ts';
import { scenarioWithOverrides } from '../runtime/replication-task.ts';
import { replicate, replicationSeed } from '../runtime/replications.ts';
import { readScenarioData, type ScenarioOverrides } from '../runtime/run-scenario.ts';
import { didYouMean } from '../scenario/did-you-mean.ts';
import { ScenarioError } from '../scenario/scenario-error.ts';
import { EXIT_OK, EXIT_STOPPED, type Output, parseFlags, UsageError } from './commands.ts';
import { formatEstimate, formatMetric } from './format-intervals.ts';
import { table } from './format-summary.ts';
import { checkWritable, emitDocument } from './output-file.ts';
import { createProgress } from './progress.ts';
import { parseRuns, parseSeed, parseThreads } from './replications.ts';
import { checkReportPath } from './report-file.ts';
import { extractJsonFlag } from './run.ts';
import { leadingNumber, writeSweepReport } from './sweep-report.ts';
import { textChart } from './text-chart.ts';

/** One swept parameter: a path into the scenario's data and the values it takes. */
export interface Parameter {
  readonly path: string;
  readonly values: readonly (string | number)[];
}

/** The most points one sweep runs (a range with a typo should not start a week of work). */
const MAX_POINTS = 10_000;

/**
 * Parses `path=values`: a list `a,b,c`, or a range `LOW..HIGH:N` of N evenly spaced values with
 * the unit of LOW and HIGH (`50/s..95/s:10`, `1..8:8`). Plain numbers stay numbers.
 */
export function parseParameter(text: string): Parameter {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) {
    throw new UsageError(
      `--set expects path=values (e.g. workloads.users.rate=50/s..95/s:10), got "${text}"`,
      'sweep',
    );
  }
  const path = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(path)) {
    throw new UsageError(
      `--set ${text}: "${path}" is not a dotted path such as services.api.replicas`,
      'sweep',
    );
  }
  if (path === 'seed') {
    throw new UsageError(
      '--set seed: the seed is not swept; use --seed N for the base seed and --runs N for several seeds',
      'sweep',
    );
  }
  const range = /^(-?\d+(?:\.\d+)?)([^.\d:][^:]*)?\.\.(-?\d+(?:\.\d+)?)([^:]*)?:(\d+)$/.exec(spec);
  if (range !== null) {
    const [, lowText, lowUnit = '', highText, highUnit = '', countText] = range;
    const unit = lowUnit || highUnit;
    if (lowUnit !== '' && highUnit !== '' && lowUnit !== highUnit) {
      throw new UsageError(
        `--set ${text}: the range's ends have different units (${lowUnit}, ${highUnit})`,
        'sweep',
      );
    }
    const count = Number(countText);
    if (count < 2 || count > MAX_POINTS) {
      throw new UsageError(`--set ${text}: a range needs 2 to ${MAX_POINTS} points after the colon`, 'sweep');
    }
    const [low, high] = [Number(lowText), Number(highText)];
    const decimals = Math.max(
      decimalsOf(lowText!),
      decimalsOf(highText!),
      Math.ceil(-Math.log10(Math.abs(high - low) / (count - 1) || 1)) + 1,
      0,
    );
    const values = Array.from({ length: count }, (_, i) => {
      const v = Number((low + ((high - low) * i) / (count - 1)).toFixed(Math.min(decimals, 6)));
      return unit === '' ? v : `${v}${unit}`;
    });
    return { path, values };
  }
  if (spec.includes('..')) {
    throw new UsageError(`--set ${text}: a range is LOW..HIGH:N with N points, e.g. 50/s..95/s:10`, 'sweep');
  }
  const values = spec.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) {
    throw new UsageError(`--set ${text}: an empty value in the list`, 'sweep');
  }
  // Numbers with units are placed on the chart by their number: one unit for all of them.
  const units = new Set(values.map((v) => /^-?\d+(?:\.\d+)?(.*)$/.exec(v)?.[1] ?? null));
  if (!units.has(null) && units.size > 1) {
    throw new UsageError(
      `--set ${text}: the values have different units (${[...units].map((u) => u || 'none').join(', ')}); write them in one unit`,
      'sweep',
    );
  }
  return { path, values: values.map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)) };
}

function decimalsOf(number: string): number {
  return number.includes('.') ? number.length - number.indexOf('.') - 1 : 0;
}

/** The override object that sets `path` to `value`: `a.b.c=v` is `{a: {b: {c: v}}}`. */
export function overrideAt(path: string, value: unknown): ScenarioOverrides {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as ScenarioOverrides;
}

/** Checks that every part of `path` but the last names a map of the scenario's data. */
function checkPath(data: unknown, path: string, file: string): void {
  const keys = path.split('.');
  let node = data;
  keys.slice(0, -1).forEach((key, i) => {
    const here = keys.slice(0, i).join('.') || 'the top level';
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw new UsageError(`--set ${path}: ${here} of ${file} is not a map of named entries`, 'sweep');
    }
    const map = node as Record<string, unknown>;
    if (!Object.hasOwn(map, key)) {
      throw new UsageError(
        `--set ${path}: ${file} has no "${key}" in ${here}${didYouMean(key, Object.keys(map))}`,
        'sweep',
      );
    }
    node = map[key];
  });
}

export interface SweepPoint {
  /** The parameter values of this point, in --set order. */
  readonly values: readonly (string | number)[];
  readonly metrics: Readonly<Record<string, Interval | null>>;
  readonly replications: readonly ReplicationOutcome[];
}

export interface SweepDocument {
  readonly schemaVersion: 1;
  readonly kind: 'sweep';
  readonly scenario: { readonly name: string; readonly file: string; readonly baseSeed: number };
  readonly parameters: readonly Parameter[];
  readonly metrics: readonly string[];
  /** Runs per point (each point uses the same seeds: common random numbers across points). */
  readonly runs: number;
  readonly confidence: number;
  readonly points: readonly SweepPoint[];
}

export async function sweepCommand(args: readonly string[], io: Output): Promise<number> {
  const { json, rest } = extractJsonFlag(args);
  const { values, positionals } = parseFlags('sweep', rest, {
    set: { type: 'string', multiple: true },
    metric: { type: 'string', multiple: true },
    runs: { type: 'string' },
    seed: { type: 'string' },
    duration: { type: 'string' },
    threads: { type: 'string' },
    quiet: { type: 'boolean' },
    report: { type: 'string' },
  });
  const v = values as Record<string, unknown>;
  if (positionals.length !== 1) {
    throw new UsageError(`expected one scenario file, got ${positionals.length}`, 'sweep');
  }
  const file = positionals[0]!;
  if (json !== null && json !== '-' && resolve(json) === resolve(file)) {
    throw new UsageError(`--json ${json} would overwrite the scenario file itself`, 'sweep');
  }
  const report = typeof v.report === 'string' ? v.report : null;
  if (report !== null) {
    checkReportPath(report, {
      scenario: file,
      outputs: { '--json': json === '-' ? null : json },
      command: 'sweep',
    });
  }
  const sets = (v.set as string[] | undefined) ?? [];
  if (sets.length === 0 || sets.length > 2) {
    throw new UsageError(`give one or two --set path=values (got ${sets.length})`, 'sweep');
  }
  const parameters = sets.map(parseParameter);
  if (parameters.length === 2 && parameters[0]!.path === parameters[1]!.path) {
    throw new UsageError(`--set names ${parameters[0]!.path} twice`, 'sweep');
  }
  const runs = typeof v.runs === 'string' ? parseRuns(v.runs, 'sweep') : 1;
  const threads = parseThreads(v.threads as string | undefined, 'sweep');
  const seed = parseSeed(v.seed, 'sweep');
  if (json !== null && json !== '-') checkWritable(json);
  const base: ScenarioOverrides = typeof v.duration === 'string' ? { duration: v.duration } : {};
  const scenario = await scenarioWithOverrides(file, base);
  const data = await readScenarioData(file);
  for (const p of parameters) checkPath(data, p.path, file);
  const grid = gridOf(parameters);
  if (grid.length * runs > 1_000_000) {
    throw new UsageError(
      `${grid.length} points × ${runs} runs is too large a sweep (at most 1,000,000 runs)`,
      'sweep',
    );
  }
  const overridesOf = (point: readonly (string | number)[]): ScenarioOverrides =>
    parameters.reduce<ScenarioOverrides>(
      (acc, p, i) => deepMerge(acc, overrideAt(p.path, point[i])),
      structuredClone(base),
    );
  // Every point must be a valid scenario before anything runs.
  for (const point of grid) {
    try {
      await scenarioWithOverrides(file, overridesOf(point));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      const where = parameters.map((p, i) => `${p.path}=${point[i]}`).join(', ');
      throw new UsageError(`at ${where}:\n${error.message}`, 'sweep');
    }
  }
  const baseSeed = seed ?? scenario.seed;
  const seeds = Array.from({ length: runs }, (_, k) => replicationSeed(baseSeed, k));
  const progress = createProgress(io, grid.length * runs, 'runs');
  const all = grid.flatMap((point, i) =>
    seeds.map((seed, k) => ({ replication: i * runs + k, seed, file, overrides: overridesOf(point) })),
  );
  // The first run alone first: a --metric that is not in its results is refused at once.
  const first = await replicate({ overrides: base, runs: all.slice(0, 1), threads: 1, keepResultsOf: 0 });
  const metrics = chooseMetrics((v.metric as string[] | undefined) ?? [], metricPaths(first.results!));
  progress.update(1);
  const others = await replicate({
    overrides: base,
    runs: all.slice(1),
    threads,
    onDone: (_, done) => progress.update(done + 1),
  });
  const outcomes = [...first.outcomes, ...others.outcomes];
  progress.end();
  const doc: SweepDocument = {
    schemaVersion: 1,
    kind: 'sweep',
    scenario: { name: scenario.name, file, baseSeed },
    parameters,
    metrics,
    runs,
    confidence: CONFIDENCE,
    points: grid.map((point, i) => {
      const mine = outcomes.slice(i * runs, (i + 1) * runs);
      const completed = mine.filter((o) => o.endReason === 'completed');
      return {
        values: point,
        metrics: Object.fromEntries(
          metrics.map((m) => [
            m,
            interval(
              metricValues(
                completed.map((o) => o.metrics),
                m,
              ),
            ),
          ]),
        ),
        replications: mine,
      };
    }),
  };
  emitDocument(io, { text: () => formatSweep(doc), quiet: v.quiet === true, json }, doc);
  if (report !== null) await writeSweepReport(report, doc);
  const stopped = outcomes.filter((o) => o.endReason !== 'completed');
  if (stopped.length > 0) {
    io.err(
      `microsim: ${stopped.length} of ${outcomes.length} runs stopped early (left out of their points): ${stopped[0]!.message ?? stopped[0]!.endReason}\n`,
    );
    return EXIT_STOPPED;
  }
  return EXIT_OK;
}

function gridOf(parameters: readonly Parameter[]): (string | number)[][] {
  const [first, second] = parameters;
  if (second === undefined) return first!.values.map((x) => [x]);
  return second.values.flatMap((y) => first!.values.map((x) => [x, y]));
}

function deepMerge(a: ScenarioOverrides, b: ScenarioOverrides): ScenarioOverrides {
  const out: ScenarioOverrides = { ...a };
  for (const [k, value] of Object.entries(b)) {
    const here = out[k];
    out[k] =
      typeof here === 'object' && here !== null && typeof value === 'object' && value !== null
        ? deepMerge(here as ScenarioOverrides, value as ScenarioOverrides)
        : value;
  }
  return out;
}

/** The metrics asked for (each must exist in some run), or each workload's p99 and availability. */
/** The metrics asked for (each must be a path of the first run's results), or each workload's p99 and availability. */
function chooseMetrics(asked: readonly string[], known: ReadonlySet<string>): string[] {
  if (asked.length === 0) {
    const workloads = [...known].filter((p) => /^workloads\.[^.]+\.latencyMs\.p99$/.test(p));
    return workloads.flatMap((p) => [p, p.replace(/latencyMs\.p99$/, 'availability')]);
  }
  for (const m of asked) {
    if (!known.has(m) && !zeroWhenAbsent(m)) {
      throw new UsageError(
        `--metric ${m} is not a metric of this scenario's results${didYouMean(m, [...known])} (paths as in the results document, e.g. workloads.<name>.latencyMs.p99)`,
        'sweep',
      );
    }
  }
  return [...asked];
}

/** The table and the charts `microsim sweep` prints. */
export function formatSweep(doc: SweepDocument): string {
  const out: string[] = [
    `microsim sweep: ${doc.scenario.name} (${doc.scenario.file}), ${doc.points.length} points × ${doc.runs} run${doc.runs === 1 ? '' : 's'}${doc.runs > 1 ? `, means with ${Math.round(doc.confidence * 100)}% intervals` : ''}`,
    '',
  ];
  const head = [
    ...doc.parameters.map((p) => p.path.split('.').slice(-2).join('.')),
    ...doc.metrics.map(shortName),
  ];
  const rows = doc.points.map((point) => [
    ...point.values.map(String),
    ...doc.metrics.map((m) => formatEstimate(m, point.metrics[m], doc.runs > 1)),
  ]);
  out.push(...table(head, rows, (s) => s, doc.parameters.length));
  const xParam = doc.parameters[0]!;
  const numeric = xParam.values.every((x) => Number.isFinite(leadingNumber(x)));
  const xOf = (x: string | number): number => (numeric ? leadingNumber(x) : xParam.values.indexOf(x));
  for (const m of doc.metrics) {
    const groups = doc.parameters.length === 2 ? doc.parameters[1]!.values : [''];
    const series = groups.map((g) => ({
      name: doc.parameters.length === 2 ? `${doc.parameters[1]!.path.split('.').pop()}=${g}` : '',
      points: doc.points
        .filter((p) => doc.parameters.length === 1 || p.values[1] === g)
        .flatMap((p) => {
          const stat = p.metrics[m];
          return stat === null || stat === undefined ? [] : [[xOf(p.values[0]!), stat.mean] as const];
        }),
    }));
    out.push(
      '',
      ...textChart({
        title: `${m} against ${xParam.path}`,
        series,
        formatY: (y) => formatMetric(m, y),
        formatX: (x) =>
          numeric
            ? String(xParam.values.find((v) => leadingNumber(v) === x) ?? x)
            : String(xParam.values[x] ?? x),
        xLabel: xParam.path.split('.').pop()!,
      }),
    );
  }
  return `${out.map((l) => l.trimEnd()).join('\n')}\n`;
}

function shortName(path: string): string {
  const parts = path.split('.');
  return parts.length <= 3 ? path : `${parts[1]} ${parts.slice(2).join('.')}`;
}
