/**
 * The replications document (`kind: "replications"`): N runs of one scenario with derived seeds,
 * every metric as a mean with a 95% interval, how often each expectation held, and each run's own
 * numbers — which is what lets the runs of many machines (`--shard i/n`) be merged into exactly
 * the document one machine would have written (`microsim merge`).
 * `docs/en/experiments.md` describes every field.
 */
import { aggregateMetrics, CONFIDENCE, type Interval } from './replication-stats.ts';
import type { TheoryResults } from './results.ts';

/** What one replication measured. */
export interface ReplicationOutcome {
  /** Its index, 0 … runs − 1: replication k runs with seed `seeds[k]`. */
  readonly replication: number;
  readonly seed: number;
  /** `completed`, or why the run stopped early (then its numbers are left out of the intervals). */
  readonly endReason: string;
  readonly message?: string;
  /** Every metric of its results document, by JSON path (see `flattenMetrics`). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Whether each of the scenario's expectations held, in the file's order. */
  readonly expectations: readonly {
    readonly name: string;
    /** The name in each language, when the scenario gives both. */
    readonly names?: { readonly en: string; readonly es: string };
    readonly passed: boolean;
  }[];
}

export interface ReplicationsDocument {
  readonly schemaVersion: 1;
  readonly kind: 'replications';
  readonly scenario: {
    readonly name: string;
    /** The file as named on the command line (shards may name it differently). */
    readonly file: string;
    /** SHA-256 of the file's bytes: shards of one study ran the very same file. */
    readonly sha256: string;
    readonly baseSeed: number;
  };
  /** Scenario changes every run had (`--duration`, a sweep point), as merged into the file's data. */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** Replications of the whole study (a shard holds only some of them). */
  readonly runs: number;
  /** Present in a shard's document: it holds replications k with k mod count = index − 1. */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly confidence: number;
  /** Runs that completed; only they count in `metrics` and `expectations`. */
  readonly completed: number;
  /** Runs stopped early (unstable queue, a limit), with why. */
  readonly stopped: readonly {
    readonly replication: number;
    readonly seed: number;
    readonly message: string;
  }[];
  /** Every metric's mean and interval over the completed runs, by JSON path of the results document. */
  readonly metrics: Readonly<Record<string, Interval>>;
  /** Each expectation: in how many completed runs it held. */
  readonly expectations: readonly ExpectationCount[];
  /** The closed-form model the scenario matches, from the first run's results (absent when none). */
  readonly theory?: TheoryResults;
  /** Every replication, in index order. */
  readonly replications: readonly ReplicationOutcome[];
}

/** An expectation over runs: in how many of the completed runs it held. */
export interface ExpectationCount {
  readonly name: string;
  readonly names?: { readonly en: string; readonly es: string };
  readonly passed: number;
  readonly runs: number;
}

/** How often each expectation held over the completed runs (in the scenario's order). */
export function expectationCounts(outcomes: readonly ReplicationOutcome[]): ExpectationCount[] {
  const completed = outcomes.filter((o) => o.endReason === 'completed');
  return (completed[0]?.expectations ?? []).map((e, i) => ({
    name: e.name,
    ...(e.names === undefined ? {} : { names: e.names }),
    passed: completed.filter((o) => o.expectations[i]?.passed === true).length,
    runs: completed.length,
  }));
}

/** What a replications document says of its study, beside what its runs measured. */
export type ReplicationsMeta = Pick<
  ReplicationsDocument,
  'scenario' | 'overrides' | 'runs' | 'shard' | 'theory'
>;

/** The document for `outcomes` (in any order: they are sorted by replication index). */
export function replicationsDocument(
  meta: ReplicationsMeta,
  outcomes: readonly ReplicationOutcome[],
): ReplicationsDocument {
  const sorted = [...outcomes].sort((a, b) => a.replication - b.replication);
  const completed = sorted.filter((o) => o.endReason === 'completed');
  return {
    schemaVersion: 1,
    kind: 'replications',
    scenario: meta.scenario,
    overrides: meta.overrides,
    runs: meta.runs,
    ...(meta.shard === undefined ? {} : { shard: meta.shard }),
    confidence: CONFIDENCE,
    completed: completed.length,
    stopped: sorted
      .filter((o) => o.endReason !== 'completed')
      .map((o) => ({ replication: o.replication, seed: o.seed, message: o.message ?? o.endReason })),
    metrics: aggregateMetrics(completed.map((o) => o.metrics)),
    expectations: expectationCounts(sorted),
    ...(meta.theory === undefined ? {} : { theory: meta.theory }),
    replications: sorted,
  };
}

/** The replication indices shard `index`/`count` runs (1-based index): k ≡ index − 1 (mod count). */
export function shardReplications(runs: number, index: number, count: number): number[] {
  const out: number[] = [];
  for (let k = index - 1; k < runs; k += count) out.push(k);
  return out;
}

/** A problem merging shard documents (named by file), for a clear message. */
export class MergeError extends Error {}

/**
 * Merges the documents of shards of one study into the document of the whole study. Every shard
 * must come from the same scenario, base seed, overrides and number of runs, and each replication
 * must appear exactly once.
 */
export function mergeReplications(
  parts: readonly { readonly file: string; readonly doc: ReplicationsDocument }[],
): ReplicationsDocument {
  if (parts.length === 0) throw new MergeError('nothing to merge');
  const first = parts[0]!;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const seen = new Map<number, string>();
  for (const { file, doc } of parts) {
    for (const [label, a, b] of [
      ['scenario name', doc.scenario.name, first.doc.scenario.name],
      ['scenario file content (SHA-256)', doc.scenario.sha256, first.doc.scenario.sha256],
      ['base seed', doc.scenario.baseSeed, first.doc.scenario.baseSeed],
      ['overrides', doc.overrides, first.doc.overrides],
      ['runs', doc.runs, first.doc.runs],
    ] as const) {
      if (!same(a, b)) {
        throw new MergeError(
          `${file} is another study than ${first.file}: its ${label} is ${JSON.stringify(a)}, not ${JSON.stringify(b)}`,
        );
      }
    }
    for (const r of doc.replications) {
      const other = seen.get(r.replication);
      if (other !== undefined) {
        throw new MergeError(`replication ${r.replication} is in both ${other} and ${file}`);
      }
      seen.set(r.replication, file);
    }
  }
  const missing: number[] = [];
  for (let k = 0; k < first.doc.runs; k++) if (!seen.has(k)) missing.push(k);
  if (missing.length > 0) {
    const count = first.doc.shard?.count;
    throw new MergeError(
      `replications ${listShort(missing)} of ${first.doc.runs} are missing${count === undefined ? '' : ` (the study has ${count} shards; ${parts.length} given)`}`,
    );
  }
  // The closed-form model depends on the scenario, not the seed: every shard has the same one.
  const theory = first.doc.theory;
  return replicationsDocument(
    {
      scenario: first.doc.scenario,
      overrides: first.doc.overrides,
      runs: first.doc.runs,
      ...(theory === undefined ? {} : { theory }),
    },
    parts.flatMap((p) => p.doc.replications),
  );
}

function listShort(xs: readonly number[]): string {
  return xs.length <= 8 ? xs.join(', ') : `${xs.slice(0, 8).join(', ')} … (${xs.length} in all)`;
}
