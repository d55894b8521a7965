/**
 * One replication: load a scenario file (with overrides), run it headless with one seed, and
 * reduce its results document to the numbers a replications document keeps. Runs in a worker
 * thread (see replication-worker.mjs) or in the calling thread.
 */
import type { ReplicationOutcome } from '../observe/replication-doc.ts';
import { flattenMetrics } from '../observe/replication-stats.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { loadScenario, type ResolvedScenario, resolveScenario } from '../scenario/index.ts';
import { mergeScenario, readScenarioData, type ScenarioOverrides } from './run-scenario.ts';
import { createSession } from './session.ts';

export interface ReplicationTask {
  readonly file: string;
  /** Merged into the file's data before validation (`--duration`, a sweep point); `{}` for none. */
  readonly overrides: ScenarioOverrides;
  readonly replication: number;
  readonly seed: number;
  /** Also return the whole results document (the first run's feeds reports and theory). */
  readonly keepResults: boolean;
}

export interface ReplicationReply {
  readonly outcome: ReplicationOutcome;
  readonly results?: ResultsDocument;
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

/** Runs one replication to its end. */
export async function runReplication(task: ReplicationTask): Promise<ReplicationReply> {
  const scenario = await scenarioWithOverrides(task.file, task.overrides);
  const results = createSession({ ...scenario, seed: task.seed }).runToEnd();
  const outcome: ReplicationOutcome = {
    replication: task.replication,
    seed: task.seed,
    endReason: results.run.endReason,
    ...(results.run.message === undefined ? {} : { message: results.run.message }),
    metrics: flattenMetrics(results),
    expectations: (results.expectations ?? []).map((v) => ({ name: v.name, passed: v.passed })),
  };
  return task.keepResults ? { outcome, results } : { outcome };
}

export default runReplication;
