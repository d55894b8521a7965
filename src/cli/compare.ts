/**
 * `microsim compare <a> <b> [--runs N]`: both variants run with the same N seeds (common random
 * numbers), and every metric they share is compared pair by pair: b − a with a 95% interval, the
 * relative change, and a verdict (better, worse, or no clear difference).
 */
import { resolve } from 'node:path';
import { comparePaired, type MetricComparison } from '../observe/comparison.ts';
import {
  type ExpectationCount,
  expectationCounts,
  type ReplicationOutcome,
} from '../observe/replication-doc.ts';
import { CONFIDENCE } from '../observe/replication-stats.ts';
import { scenarioWithOverrides } from '../runtime/replication-task.ts';
import { replicate, replicationSeed } from '../runtime/replications.ts';
import type { ScenarioOverrides } from '../runtime/run-scenario.ts';
import { EXIT_OK, EXIT_STOPPED, type Output, parseFlags, parseLang, UsageError } from './commands.ts';
import {
  expectationName,
  formatHalfWidth,
  formatMetric,
  namesIn,
  WORKLOAD_ROWS,
} from './format-intervals.ts';
import { table } from './format-summary.ts';
import { checkWritable, emitDocument } from './output-file.ts';
import { createProgress } from './progress.ts';
import { parseRuns, parseSeed, parseThreads } from './replications.ts';
import { extractJsonFlag } from './run.ts';

export interface ComparisonDocument {
  readonly schemaVersion: 1;
  readonly kind: 'comparison';
  readonly a: { readonly name: string; readonly file: string };
  readonly b: { readonly name: string; readonly file: string };
  readonly runs: number;
  /** True: run k of both variants used the same seed (common random numbers). */
  readonly commonRandomNumbers: boolean;
  readonly seeds: { readonly a: readonly number[]; readonly b: readonly number[] };
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly confidence: number;
  /** Every metric both variants have, by results-document path. */
  readonly metrics: Readonly<Record<string, MetricComparison>>;
  /** Each variant's expectations: in how many of its completed runs each held. */
  readonly expectations: {
    readonly a: readonly ExpectationCount[];
    readonly b: readonly ExpectationCount[];
  };
  readonly replications: {
    readonly a: readonly ReplicationOutcome[];
    readonly b: readonly ReplicationOutcome[];
  };
}

/** The runs of a comparison when none are asked for: enough for a usable interval. */
export const DEFAULT_COMPARE_RUNS = 10;

export async function compareCommand(args: readonly string[], io: Output): Promise<number> {
  const { json, rest } = extractJsonFlag(args);
  const { values, positionals } = parseFlags('compare', rest, {
    runs: { type: 'string' },
    seed: { type: 'string' },
    duration: { type: 'string' },
    threads: { type: 'string' },
    independent: { type: 'boolean' },
    quiet: { type: 'boolean' },
    lang: { type: 'string' },
  });
  const lang = parseLang(values.lang, io, 'compare');
  if (positionals.length !== 2) {
    throw new UsageError(
      `expected two scenario files (a and b), got ${positionals.length}${positionals.length > 0 ? `: ${positionals.join(' ')}` : ''}`,
      'compare',
    );
  }
  const [fileA, fileB] = positionals as [string, string];
  for (const f of [fileA, fileB]) {
    if (json !== null && json !== '-' && resolve(json) === resolve(f)) {
      throw new UsageError(`--json ${json} would overwrite the scenario file ${f}`, 'compare');
    }
  }
  const runs = typeof values.runs === 'string' ? parseRuns(values.runs, 'compare') : DEFAULT_COMPARE_RUNS;
  const threads = parseThreads(values.threads as string | undefined, 'compare');
  const seed = parseSeed(values.seed, 'compare');
  if (json !== null && json !== '-') checkWritable(json);
  const overrides: ScenarioOverrides =
    typeof values.duration === 'string' ? { duration: values.duration } : {};
  const [a, b] = await Promise.all([fileA, fileB].map((f) => scenarioWithOverrides(f, overrides)));
  const base = seed ?? a!.seed;
  const crn = values.independent !== true;
  const seedsA = Array.from({ length: runs }, (_, k) => replicationSeed(base, k));
  // Independent samples (for teaching what CRN buys): b's seeds are other members of the same family.
  const seedsB = crn ? seedsA : Array.from({ length: runs }, (_, k) => replicationSeed(base, runs + k));
  const progress = createProgress(io, 2 * runs, 'runs');
  let done = 0;
  const onDone = (): void => progress.update(++done);
  // One pool for both variants: a's runs, then b's, spread over the same threads.
  const both = await replicate({
    runs: [
      ...seedsA.map((seed, k) => ({ replication: k, seed, file: fileA })),
      ...seedsB.map((seed, k) => ({ replication: runs + k, seed, file: fileB })),
    ],
    overrides,
    threads,
    onDone,
  });
  const ra = { outcomes: both.outcomes.slice(0, runs) };
  const rb = {
    outcomes: both.outcomes.slice(runs).map((o) => ({ ...o, replication: o.replication - runs })),
  };
  progress.end();
  const doc: ComparisonDocument = {
    schemaVersion: 1,
    kind: 'comparison',
    a: { name: a!.name, file: fileA },
    b: { name: b!.name, file: fileB },
    runs,
    commonRandomNumbers: crn,
    seeds: { a: seedsA, b: seedsB },
    overrides,
    confidence: CONFIDENCE,
    metrics: comparePaired(ra.outcomes, rb.outcomes),
    expectations: { a: expectationCounts(ra.outcomes), b: expectationCounts(rb.outcomes) },
    replications: { a: ra.outcomes, b: rb.outcomes },
  };
  emitDocument(io, { text: () => formatComparison(doc, lang), quiet: values.quiet === true, json }, doc);
  const stopped = [...ra.outcomes, ...rb.outcomes].filter((o) => o.endReason !== 'completed');
  if (stopped.length > 0) {
    io.err(
      `microsim: ${stopped.length} run(s) stopped early and their pairs are left out: ${stopped[0]!.message ?? stopped[0]!.endReason}\n`,
    );
    return EXIT_STOPPED;
  }
  return EXIT_OK;
}

/** `+2.8% ± 0.4%`-style text of the relative change. */
function formatChange(c: MetricComparison): string {
  if (c.relative === null) return '-';
  const sign = c.relative.mean >= 0 ? '+' : '−';
  const pct = (x: number): string => `${Math.abs(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;
  const half = c.relative.high === null ? null : c.relative.high - c.relative.mean;
  return `${sign}${pct(c.relative.mean)}${half === null ? '' : ` ± ${pct(half)}`}`;
}

/** The verdict table `microsim compare` prints. */
export function formatComparison(doc: ComparisonDocument, lang: 'en' | 'es' = 'en'): string {
  const out: string[] = [
    `microsim compare: a = ${doc.a.name} (${doc.a.file}), b = ${doc.b.name} (${doc.b.file})`,
    `  ${doc.runs} ${doc.commonRandomNumbers ? 'paired runs with common random numbers (run k of a and b share a seed)' : 'runs per variant with independent seeds (--independent)'}; ${Math.round(doc.confidence * 100)}% intervals of b − a (Student t)`,
  ];
  const rows: string[][] = [];
  const add = (name: string, label: string, path: string): boolean => {
    const c = doc.metrics[path];
    if (c === undefined) return false;
    const diffSign = c.diff.mean >= 0 ? '+' : '−';
    rows.push([
      name,
      label,
      formatMetric(path, c.a.mean),
      formatMetric(path, c.b.mean),
      `${diffSign}${formatMetric(path, Math.abs(c.diff.mean))} ${formatHalfWidth(path, c.diff)}`,
      formatChange(c),
      c.verdict,
    ]);
    return true;
  };
  for (const w of namesIn(doc.metrics, 'workloads')) {
    let first = true;
    for (const [label, key] of WORKLOAD_ROWS)
      if (add(first ? w : '', label, `workloads.${w}.${key}`)) first = false;
  }
  const cost = doc.metrics['cost.total'];
  if (cost !== undefined && (cost.a.mean !== 0 || cost.b.mean !== 0)) add('cost', 'total', 'cost.total');
  out.push(
    '',
    ...table(['workload', 'metric', 'a', 'b', 'b − a (95%)', 'change', 'verdict'], rows, (s) => s, 2),
  );
  for (const side of ['a', 'b'] as const) {
    for (const e of doc.expectations[side]) {
      if (e.passed < e.runs)
        out.push(`  ${side}: ${expectationName(e, lang)}: held in ${e.passed} of ${e.runs} runs`);
    }
  }
  out.push('', 'Every metric the two share, with its paired interval, is in --json.');
  return `${out.map((l) => l.trimEnd()).join('\n')}\n`;
}
