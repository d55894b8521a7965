/**
 * From a schema-checked scenario to a `ResolvedScenario`: defaults applied, cross-field rules
 * (warm-up shorter than the run, references that exist) checked, all problems reported at once.
 */
import { buildBrokers } from './brokers.ts';
import { buildChaos } from './build-chaos.ts';
import { buildNetwork } from './build-network.ts';
import { buildServices, catalogueOf } from './build-services.ts';
import { buildWorkloads } from './build-workloads.ts';
import { callGraph } from './call-graph.ts';
import { checkCertainCycles } from './certain-cycles.ts';
import { faultName } from './chaos.ts';
import { buildDeploys } from './deploys.ts';
import { buildExpectations } from './expectations.ts';
import { IssueCollector } from './invalid-value.ts';
import { buildNarration } from './narration.ts';
import type { ResolvedScenario } from './resolved.ts';
import type { ParsedScenario } from './schema.ts';
import { formatDuration } from './units.ts';

/** Defaults of the optional top-level settings. */
export const DEFAULTS = {
  seed: 1,
  warmupMs: 0,
  metricsIntervalMs: 1000,
  maxCallDepth: 32,
  maxQueueLength: 100_000,
  maxEvents: 1_000_000_000,
  wallTimeMs: 600_000,
} as const;

/** Resolves `parsed`; throws `InvalidValue` with every problem found (paths from the file root). */
export function buildScenario(parsed: ParsedScenario, source?: string): ResolvedScenario {
  const issues = new IssueCollector();
  const durationMs = parsed.duration;
  const warmupMs = parsed.warmup ?? DEFAULTS.warmupMs;
  if (warmupMs >= durationMs) {
    const [w, d] = [formatDuration(warmupMs), formatDuration(durationMs)];
    issues.add(`the warm-up (${w}) must be shorter than the duration (${d})`, ['warmup']);
  }
  const intervalMs = parsed.metrics?.interval ?? DEFAULTS.metricsIntervalMs;
  const catalogue = catalogueOf(parsed.services);
  // Brokers first: publishes and consumers of the services refer to their queues.
  const brokers = buildBrokers(parsed.brokers, [...catalogue.keys()], issues);
  const services = buildServices(parsed.services, brokers, issues);
  checkCertainCycles(services, issues, brokers);
  const brokerNames = brokers.map((b) => b.name);
  const network = buildNetwork(parsed.network, catalogue, brokerNames, issues);
  const workloads = buildWorkloads(parsed.workloads, catalogue, brokers, durationMs, issues);
  const graph = callGraph(services, workloads);
  const faults = parsed.chaos ?? [];
  const chaos = buildChaos(
    faults,
    { services, brokers, workloads: new Set(workloads.map((w) => w.name)), catalogue, graph, durationMs },
    issues,
  );
  const expectations = buildExpectations(
    parsed.expect ?? [],
    {
      services,
      brokers,
      workloads,
      catalogue,
      graph,
      durationMs,
      faults: faults.map((f) => ({ name: faultName(f), key: f.key, atMs: f.atMs, forMs: f.forMs })),
    },
    issues,
  );
  const deploys = buildDeploys(parsed.deploy ?? [], services, brokers, durationMs, issues);
  const narration = buildNarration(parsed.narration ?? [], durationMs, issues);
  issues.throwIfAny();
  const limits = parsed.limits ?? {};
  return {
    name: parsed.name,
    description: { en: parsed.description.en, es: parsed.description.es },
    seed: parsed.seed ?? DEFAULTS.seed,
    durationMs,
    warmupMs,
    world: {
      services,
      network,
      workloads,
      limits: {
        maxCallDepth: limits.maxCallDepth ?? DEFAULTS.maxCallDepth,
        maxQueueLength: limits.maxQueueLength ?? DEFAULTS.maxQueueLength,
      },
      ...(parsed.chaos === undefined ? {} : { chaos }),
      ...(deploys.length === 0 ? {} : { deploys }),
      ...(brokers.length === 0 ? {} : { brokers }),
    },
    expectations,
    ...(parsed.narration === undefined ? {} : { narration }),
    metrics: { intervalMs },
    limits: {
      maxEvents: limits.maxEvents ?? DEFAULTS.maxEvents,
      wallTimeMs: limits.wallTime ?? DEFAULTS.wallTimeMs,
    },
    ...(source === undefined ? {} : { source }),
  };
}
