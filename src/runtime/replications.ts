/**
 * Replications: the same scenario run with N seeds derived from one base seed, in parallel on a
 * pool of worker threads (piscina), each thread running whole runs (a run is single-threaded and
 * deterministic, so the results do not depend on how runs are spread over threads).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ReplicationOutcome } from '../observe/replication-doc.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { ReplicationInputError } from './replication-error.ts';
import { fileHash, type ReplicationReply, type ReplicationTask, runReplication } from './replication-task.ts';
import type { ScenarioOverrides } from './run-scenario.ts';

/**
 * The seed of replication `k` of a study with base seed `base`: the base seed itself for k = 0
 * (so run 1 of `--runs N` is the run `microsim run` makes), then a 32-bit hash of (base, k)
 * (splitmix-style mixing), the same on every machine and for every N.
 */
export function replicationSeed(base: number, k: number): number {
  if (k === 0) return base;
  let h = Math.imul((base % 0x100000000) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.floor(base / 0x100000000);
  h = Math.imul(h ^ (h >>> 16) ^ Math.imul(k, 0x27d4eb2f), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seeds of replications 0 … n − 1. */
export function replicationSeeds(base: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => replicationSeed(base, k));
}

/** Threads to use by default: one per core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** One run of a study: its index and seed, and its file and overrides when not the study's own. */
export interface RunSpec {
  readonly replication: number;
  readonly seed: number;
  readonly file?: string;
  readonly overrides?: ScenarioOverrides;
}

export interface ReplicateOptions {
  /** The scenario file of runs that do not name their own. */
  readonly file?: string;
  /** Merged into the file's data for runs that do not carry their own (`{}` for none). */
  readonly overrides: ScenarioOverrides;
  /** Runs to make (their `replication` indices must differ). */
  readonly runs: readonly RunSpec[];
  /** Worker threads; 1 runs every replication in this thread, one after another. */
  readonly threads: number;
  /** Keep the whole results document of this replication (for reports and theory). */
  readonly keepResultsOf?: number;
  /** Called as each replication ends, in the order they end. */
  readonly onDone?: (outcome: ReplicationOutcome, done: number) => void;
}

export interface ReplicateResult {
  /** In replication order. */
  readonly outcomes: readonly ReplicationOutcome[];
  /** The results document of `keepResultsOf`, when it was among the runs. */
  readonly results?: ResultsDocument;
  /** SHA-256 of each scenario file's bytes when the study began. */
  readonly sha256: Readonly<Record<string, string>>;
}

function fileOf(run: RunSpec, file: string | undefined): string {
  const found = run.file ?? file;
  if (found === undefined) throw new Error(`run ${run.replication} has no scenario file`);
  return found;
}

/** Runs the replications, on worker threads when `threads` > 1 and there is more than one run. */
export async function replicate(options: ReplicateOptions): Promise<ReplicateResult> {
  // Each file's bytes as the study begins: a worker finding them changed refuses to run.
  const hashes: Record<string, string> = {};
  const hashOf = (file: string): string => {
    hashes[file] ??= fileHash(file);
    return hashes[file];
  };
  const tasks: ReplicationTask[] = options.runs.map((r) => {
    const file = fileOf(r, options.file);
    return {
      file,
      sha256: hashOf(file),
      overrides: r.overrides ?? options.overrides,
      replication: r.replication,
      seed: r.seed,
      keepResults: r.replication === options.keepResultsOf,
    };
  });
  const threads = Math.max(1, Math.min(options.threads, tasks.length));
  const replies: Done[] = [];
  let done = 0;
  const finished = (reply: ReplicationReply): void => {
    if (reply.problem !== undefined) throw new ReplicationInputError(reply.problem);
    replies.push(reply);
    options.onDone?.(reply.outcome, ++done);
  };
  if (threads === 1) {
    for (const task of tasks) {
      finished(await runReplication(task));
      // Let the event loop breathe between runs (a progress bar, a Ctrl-C).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } else {
    const pool = new Piscina<ReplicationTask, ReplicationReply>({
      filename: new URL('./replication-worker.mjs', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 0,
    });
    try {
      await Promise.all(tasks.map((task) => pool.run(task).then(finished)));
    } finally {
      await pool.destroy();
    }
  }
  replies.sort((a, b) => a.outcome.replication - b.outcome.replication);
  const kept = replies.find((r) => r.results !== undefined)?.results;
  return {
    outcomes: replies.map((r) => r.outcome),
    sha256: hashes,
    ...(kept === undefined ? {} : { results: kept }),
  };
}

type Done = Extract<ReplicationReply, { outcome: unknown }>;
