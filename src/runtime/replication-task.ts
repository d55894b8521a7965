/**
 * One replication: load a scenario file (with overrides), run it headless with one seed, and
 * reduce its results document to the numbers a replications document keeps. Runs in a worker
 * thread (see replication-worker.mjs) or in the calling thread.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ReplicationOutcome } from '../observe/replication-doc.ts';
import { flattenMetrics } from '../observe/replication-stats.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { loadScenario, type ResolvedScenario, resolveScenario, ScenarioError } from '../scenario/index.ts';
import { mergeScenario, readScenarioData, type ScenarioOverrides } from './run-scenario.ts';
import { createSession } from './session.ts';

export interface ReplicationTask {
  readonly file: string;
  /** SHA-256 of the file's bytes when the study began: a file edited since is refused. */
  readonly sha256: string;
  /** Merged into the file's data before validation (`--duration`, a sweep point); `{}` for none. */
  readonly overrides: ScenarioOverrides;
  readonly replication: number;
  readonly seed: number;
  /** Also return the whole results document (the first run's feeds reports and theory). */
  readonly keepResults: boolean;
}

export type ReplicationReply =
  | { readonly outcome: ReplicationOutcome; readonly results?: ResultsDocument; readonly problem?: undefined }
  /** The input was refused (the file changed, or it does not validate with these overrides). */
  | { readonly problem: string };

/** SHA-256 (hex) of a file's bytes. */
export function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Scenarios already loaded by this thread, by file and overrides (a pool thread runs many tasks). */
const loaded = new Map<string, Promise<ResolvedScenario>>();

/** The scenario of `file` with `overrides` merged in, validated (cached per thread). */
export function scenarioWithOverrides(file: string, overrides: ScenarioOverrides): Promise<ResolvedScenario> {
  const key = `${file}\n${JSON.stringify(overrides)}`;
  let found = loaded.get(key);
  if (found === undefined) {
    found =
      Object.keys(overrides).length === 0
        ? loadScenario(file)
        : readScenarioData(file).then((data) => resolveScenario(mergeScenario(data, overrides), file));
    loaded.set(key, found);
  }
  return found;
}

/** Runs one replication to its end; a refused input comes back as `problem`, not thrown. */
export async function runReplication(task: ReplicationTask): Promise<ReplicationReply> {
  let scenario: ResolvedScenario;
  try {
    if (fileHash(task.file) !== task.sha256) {
      return {
        problem: `${task.file} changed while the study ran (its runs would mix two scenarios): run the study again`,
      };
    }
    scenario = await scenarioWithOverrides(task.file, task.overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return { problem: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) return { problem: `cannot read ${task.file} (${code})` };
    throw error;
  }
  const results = createSession({ ...scenario, seed: task.seed }).runToEnd();
  const outcome: ReplicationOutcome = {
    replication: task.replication,
    seed: task.seed,
    endReason: results.run.endReason,
    ...(results.run.message === undefined ? {} : { message: results.run.message }),
    metrics: flattenMetrics(results),
    expectations: (results.expectations ?? []).map((v) => ({
      name: v.name,
      ...(v.spec.names === undefined ? {} : { names: v.spec.names }),
      passed: v.passed,
    })),
  };
  return task.keepResults ? { outcome, results } : { outcome };
}

export default runReplication;
