/**
 * `microsim run <file> --runs N [--threads T] [--shard i/n]`: N replications with derived seeds on
 * worker threads, every metric as a mean with a 95% interval; and `microsim merge`, which joins
 * the documents of a study's shards into the document of the whole study.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  MergeError,
  mergeReplications,
  type ReplicationsDocument,
  replicationsDocument,
  shardReplications,
} from '../observe/replication-doc.ts';
import type { ReportInterval } from '../observe/report/intervals.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { defaultThreads, replicate, replicationSeed } from '../runtime/replications.ts';
import type { ScenarioOverrides } from '../runtime/run-scenario.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import {
  EXIT_EXPECTATIONS,
  EXIT_OK,
  EXIT_STOPPED,
  type Output,
  OutputError,
  parseFlags,
  parseLang,
  UsageError,
} from './commands.ts';
import { expectationName, formatReplications, keyMetrics, theoryValues, unitOf } from './format-intervals.ts';
import { checkWritable, emitDocument } from './output-file.ts';
import { createProgress } from './progress.ts';

/** The largest study one command runs (a typo like --runs 1e9 should not start a week of work). */
export const MAX_RUNS = 100_000;

/** `--runs N`: a whole number from 1 to MAX_RUNS. */
export function parseRuns(text: string, command: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_RUNS) {
    throw new UsageError(`--runs expects a whole number from 1 to ${MAX_RUNS}, got "${text}"`, command);
  }
  return n;
}

/** `--seed N`: a non-negative safe integer; undefined when not given. */
export function parseSeed(text: unknown, command: string): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed expects a non-negative integer, got "${String(text)}"`, command);
  }
  return Number(text);
}

/** `--threads N`: worker threads, 1 to 256 (default: one per core). */
export function parseThreads(text: string | undefined, command: string): number {
  if (text === undefined) return defaultThreads();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 256) {
    throw new UsageError(`--threads expects a whole number from 1 to 256, got "${text}"`, command);
  }
  return n;
}

/** `--shard i/n`: this machine's part of a study split in n (1 ≤ i ≤ n ≤ runs). */
export function parseShard(text: string, runs: number, command: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || index < 1 || count < 1 || index > count) {
    throw new UsageError(`--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/8), got "${text}"`, command);
  }
  if (count > runs) {
    throw new UsageError(
      `--shard ${text}: ${count} shards for ${runs} runs leaves some shards empty`,
      command,
    );
  }
  return { index, count };
}

export interface ReplicationsRequest {
  readonly file: string;
  /** The scenario as validated (with --seed and --duration applied): its seed is the base seed. */
  readonly scenario: ResolvedScenario;
  /** What every run merges into the file's data (`--duration`). */
  readonly overrides: ScenarioOverrides;
  readonly runs: number;
  readonly threads: number;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly quiet: boolean;
  /** Where the JSON goes: a file, `-` for standard output, or null. */
  readonly json: string | null;
  /** Language of the expectation names. */
  readonly lang: 'en' | 'es';
}

/** Runs the study (or this shard of it), prints its table and writes its document. */
export async function runReplicationsCommand(
  request: ReplicationsRequest,
  io: Output,
): Promise<{ code: number; doc: ReplicationsDocument; first?: ResultsDocument }> {
  const { runs, shard, scenario } = request;
  const indices =
    shard === undefined
      ? Array.from({ length: runs }, (_, k) => k)
      : shardReplications(runs, shard.index, shard.count);
  const progress = createProgress(io, indices.length, 'runs');
  const { outcomes, results, sha256 } = await replicate({
    file: request.file,
    overrides: request.overrides,
    runs: indices.map((k) => ({ replication: k, seed: replicationSeed(scenario.seed, k) })),
    threads: request.threads,
    keepResultsOf: indices[0]!,
    onDone: (_, done) => progress.update(done),
  });
  progress.end();
  const doc = replicationsDocument(
    {
      scenario: {
        name: scenario.name,
        file: request.file,
        sha256: sha256[request.file]!,
        baseSeed: scenario.seed,
      },
      overrides: request.overrides,
      runs,
      ...(shard === undefined ? {} : { shard }),
      ...(results?.theory === undefined ? {} : { theory: results.theory }),
    },
    outcomes,
  );
  return { code: report(doc, request, io), doc, ...(results === undefined ? {} : { first: results }) };
}

function report(
  doc: ReplicationsDocument,
  output: {
    readonly quiet: boolean;
    readonly json: string | null;
    readonly lang: 'en' | 'es';
  },
  io: Output,
): number {
  emitDocument(
    io,
    { text: () => formatReplications(doc, output.lang), quiet: output.quiet, json: output.json },
    doc,
  );
  if (doc.stopped.length > 0) {
    io.err(`microsim: ${doc.stopped.length} of ${doc.replications.length} runs stopped early\n`);
    return EXIT_STOPPED;
  }
  const failed = doc.expectations.filter((e) => e.passed < e.runs);
  if (failed.length > 0) {
    io.err(
      `microsim: expectations failed in some runs: ${failed.map((e) => `${expectationName(e, output.lang)} (held in ${e.passed} of ${e.runs})`).join('; ')}\n`,
    );
    return EXIT_EXPECTATIONS;
  }
  return EXIT_OK;
}

/**
 * The intervals an HTML report draws for a study: the metrics of the printed table, in their
 * display units (shares as percentages), with the theory value where the model gives one.
 */
export function reportIntervals(doc: ReplicationsDocument, lang: 'en' | 'es' = 'en'): ReportInterval[] {
  const theory = theoryValues(doc);
  return keyMetrics(doc, lang).flatMap(({ path, label }) => {
    const stat = doc.metrics[path];
    if (stat === undefined || stat.low === null || stat.high === null) return [];
    const unit = unitOf(path);
    const scale = unit === 'share' ? 100 : 1;
    const expected = theory.get(path);
    return [
      {
        label,
        unit: unit === 'share' ? '%' : unit === 'ms' ? 'ms' : unit === 'rate' ? '/s' : '',
        mean: stat.mean * scale,
        low: stat.low * scale,
        high: stat.high * scale,
        n: stat.n,
        ...(expected === undefined ? {} : { theory: expected * scale }),
      },
    ];
  });
}

/** `microsim merge <shard.json>... [--json [FILE]] [--quiet]`. */
export async function mergeCommand(
  args: readonly string[],
  io: Output,
  json: string | null,
): Promise<number> {
  const { values, positionals } = parseFlags('merge', args, {
    quiet: { type: 'boolean' },
    lang: { type: 'string' },
  });
  const lang = parseLang(values.lang, io, 'merge');
  if (positionals.length === 0) throw new UsageError('missing the shard files to merge', 'merge');
  if (json !== null && json !== '-') {
    if (positionals.some((f) => resolve(f) === resolve(json))) {
      throw new UsageError(`--json ${json} would overwrite a shard being merged`, 'merge');
    }
    checkWritable(json);
  }
  const parts = positionals.map((file) => ({ file, doc: readShard(file) }));
  let doc: ReplicationsDocument;
  try {
    doc = mergeReplications(parts);
  } catch (error) {
    if (error instanceof MergeError) throw new OutputError(`cannot merge: ${error.message}`);
    throw error;
  }
  return report(doc, { quiet: values.quiet === true, json, lang }, io);
}

function readShard(file: string): ReplicationsDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(`cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new OutputError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const d = doc as Partial<ReplicationsDocument> | null;
  if (d === null || typeof d !== 'object' || d.kind !== 'replications' || d.schemaVersion !== 1) {
    throw new OutputError(
      `${file} is not a replications document (schemaVersion 1, kind "replications"): write one with microsim run --runs N --json FILE`,
    );
  }
  if (!Array.isArray(d.replications) || typeof d.runs !== 'number' || typeof d.scenario !== 'object') {
    throw new OutputError(`${file}: a replications document needs scenario, runs and replications`);
  }
  return d as ReplicationsDocument;
}
