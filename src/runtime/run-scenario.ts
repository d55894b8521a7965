/**
 * The testing API: run a scenario (a file, or a scenario object) headless and get typed results
 * with helpers, from any vitest test:
 *
 *   const run = await runScenario('scenarios/06-fault-tolerance/cascade-contained.yaml', { seed: 7 });
 *   expect(run.workload('shoppers').availability).toBeGreaterThan(0.99);
 *   expect(run.passed).toBe(true); // every `expect:` of the file held
 *
 * `overrides` changes the scenario before it is validated (a partial scenario, merged into it:
 * maps merge key by key, lists and values replace), so a test can vary one thing of a file.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Bus } from '../engine/bus.ts';
import type { ExpectationVerdict } from '../observe/expectations.ts';
import type { QueueResults } from '../observe/messaging.ts';
import type { BreakerResults, EdgeResults, FaultResults, ResultsDocument } from '../observe/results.ts';
import {
  loadScenario,
  type ResolvedScenario,
  resolveScenario,
  type ScenarioInput,
} from '../scenario/index.ts';
import type { Signals } from '../signals.ts';
import { createSession } from './session.ts';

/** A partial scenario: any subset of a scenario's fields, at any depth. */
export type ScenarioOverrides = { [key: string]: unknown };

export interface RunScenarioOptions {
  /** Replaces the scenario's seed. */
  readonly seed?: number;
  /** Merged into the scenario before validation, e.g. `{ duration: '30s', services: { db: { replicas: 3 } } }`. */
  readonly overrides?: ScenarioOverrides;
  /** Attaches extra listeners to the bus before the run (e.g. to collect signals). */
  readonly attach?: (bus: Bus<Signals>) => void;
}

type Results = ResultsDocument;
type WorkloadResult = Results['workloads'][string];
type ServiceResult = Results['services'][string];
type EndpointResult = ServiceResult['endpoints'][string];

export interface ScenarioRun {
  readonly scenario: ResolvedScenario;
  /** The whole results document (see docs/en/results-format.md). */
  readonly results: Results;
  /** A workload's results; throws naming the known workloads if there is none by that name. */
  workload(name: string): WorkloadResult;
  /** A service's results; throws naming the known services if there is none by that name. */
  service(name: string): ServiceResult;
  /** An endpoint's results, by `service.endpoint`. */
  endpoint(name: string): EndpointResult;
  /** Calls from `from` (a service or workload) to service `to`. */
  edge(from: string, to: string): EdgeResults;
  /** A circuit breaker that changed state, by name (`web#1→checkout`; `->` is accepted too). */
  breaker(name: string): BreakerResults;
  /** A fault of the run, by name. */
  fault(name: string): FaultResults;
  /** A broker queue's results, by `broker.queue` (a topic's group: `broker.topic/group`). */
  queue(name: string): QueueResults;
  /** The verdicts of the scenario's `expect:` entries, in order. */
  readonly expectations: readonly ExpectationVerdict[];
  /** True when every expectation held (and the run was not stopped early). */
  readonly passed: boolean;
}

function pick<T>(kind: string, map: Readonly<Record<string, T>>, name: string): T {
  const found = Object.hasOwn(map, name) ? map[name] : undefined;
  if (found === undefined) {
    const known = Object.keys(map);
    throw new Error(
      `no ${kind} named "${name}" in the results (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
    );
  }
  return found;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `base` with `over` merged in: maps key by key, everything else replaced. */
export function mergeScenario(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    merged[key] = Object.hasOwn(base, key) ? mergeScenario(base[key], value) : value;
  }
  return merged;
}

/** The scenario data of a file, before validation (used only to apply overrides). */
export async function readScenarioData(path: string): Promise<unknown> {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return JSON.parse(await readFile(path, 'utf8'));
  if (extension === '.yaml' || extension === '.yml') return parseYaml(await readFile(path, 'utf8'));
  const module = (await import(pathToFileURL(resolvePath(path)).href)) as Record<string, unknown>;
  return module.default ?? module.scenario;
}

async function resolveInput(
  scenario: string | ScenarioInput | ResolvedScenario,
  options: RunScenarioOptions,
): Promise<ResolvedScenario> {
  let resolved: ResolvedScenario;
  if (typeof scenario === 'string') {
    // Load as is first: a broken file gets its located messages before any override is applied.
    resolved = await loadScenario(scenario);
    if (options.overrides !== undefined) {
      resolved = resolveScenario(
        mergeScenario(await readScenarioData(scenario), options.overrides),
        scenario,
      );
    }
  } else if ('world' in scenario && 'durationMs' in scenario) {
    if (options.overrides !== undefined) {
      throw new Error(
        'overrides apply to scenario files and scenario objects, not to an already resolved scenario',
      );
    }
    resolved = scenario as ResolvedScenario;
  } else {
    resolved = resolveScenario(mergeScenario(scenario, options.overrides ?? {}));
  }
  return options.seed === undefined ? resolved : { ...resolved, seed: options.seed };
}

/**
 * Runs `scenario` (a file path, a scenario object as written, or a resolved scenario) to its end.
 * Invalid scenarios throw `ScenarioError` with located messages.
 */
export async function runScenario(
  scenario: string | ScenarioInput | ResolvedScenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioRun> {
  if (options.seed !== undefined && !(Number.isSafeInteger(options.seed) && options.seed >= 0)) {
    throw new RangeError(`seed must be a non-negative integer, got ${options.seed}`);
  }
  const resolved = await resolveInput(scenario, options);
  const session = createSession(resolved, options.attach === undefined ? {} : { attach: options.attach });
  const results = session.runToEnd();
  const service = (name: string): ServiceResult => pick('service', results.services, name);
  const expectations = results.expectations ?? [];
  const arrow = (name: string): string => name.replace('->', '→');
  return {
    scenario: resolved,
    results,
    expectations,
    passed: results.run.endReason === 'completed' && expectations.every((v) => v.passed),
    workload: (name) => pick('workload', results.workloads, name),
    service,
    edge: (from, to) => pick('edge', results.edges ?? {}, `${from}→${to}`),
    breaker: (name) => pick('breaker (that changed state)', results.breakers ?? {}, arrow(name)),
    queue(name) {
      const dot = name.indexOf('.');
      if (dot < 0) throw new Error(`a queue is named "broker.queue", got "${name}"`);
      const key = `${name.slice(0, dot)}/${name.slice(dot + 1)}`;
      return pick('queue', results.messaging?.queues ?? {}, key);
    },
    fault(name) {
      const byName = Object.fromEntries((results.faults ?? []).map((f) => [f.name, f]));
      return pick('fault', byName, name);
    },
    endpoint(name) {
      const dot = name.indexOf('.');
      if (dot < 0) throw new Error(`an endpoint is named "service.endpoint", got "${name}"`);
      return pick(
        `endpoint of ${name.slice(0, dot)}`,
        service(name.slice(0, dot)).endpoints,
        name.slice(dot + 1),
      );
    },
  };
}
