/**
 * A session: one scenario on one engine, with its world and its metrics collector. The session
 * schedules the gauge samples (warm-up end, every series interval, run end) and the run's end, and
 * runs the engine headless in chunks so that the event and wall-time limits are checked.
 */
import { performance } from 'node:perf_hooks';
import { type Bus, createBus } from '../engine/bus.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { createRandomStreams } from '../engine/random.ts';
import { brokerServiceSpec } from '../model/broker.ts';
import type { FaultCommand } from '../model/fault-spec.ts';
import type { ActiveFault } from '../model/faults.ts';
import { startRollout } from '../model/rollout.ts';
import { createWorld, type World } from '../model/world.ts';
import { createExpectationChecker } from '../observe/expectations.ts';
import { createMetricsCollector, type MetricsCollector } from '../observe/metrics.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { seriesIntervalMs } from '../observe/series.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { RunEndReason, Signals } from '../signals.ts';

/** Runs after every other event at the same instant. */
const SAMPLE_PRIORITY = 1000;
/** Faults of the timeline start (and end) before anything else at the same instant. */
const FAULT_PRIORITY = -100;
/** Events fired between two checks of the wall-time limit. */
const CHUNK = 200_000;
/** Chunks in a row without the clock moving after which the run is declared stalled. */
const STALL_CHUNKS = 5;

export interface Session {
  readonly scenario: ResolvedScenario;
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly world: World;
  readonly metrics: MetricsCollector;
  /**
   * Applies a fault now (a runtime command, e.g. from a dashboard key); `revert()` undoes it.
   * Throws an Error naming what does not exist.
   */
  applyFault(command: FaultCommand): ActiveFault;
  /** Runs to the end (or to a limit) and returns the results document. */
  runToEnd(): ResultsDocument;
}

export interface SessionOptions {
  /** Called with the bus before anything is scheduled, to attach extra listeners (event logs, UIs). */
  readonly attach?: (bus: Bus<Signals>) => void;
}

export function createSession(scenario: ResolvedScenario, options: SessionOptions = {}): Session {
  const engine = createEngine();
  const bus = createBus<Signals>();
  const streams = createRandomStreams(scenario.seed);
  const { durationMs, warmupMs } = scenario;
  const intervalMs = seriesIntervalMs(durationMs, scenario.metrics.intervalMs);
  const brokers = scenario.world.brokers ?? [];
  const metrics = createMetricsCollector(bus, {
    warmupMs,
    durationMs,
    intervalMs,
    services: [...scenario.world.services, ...brokers.map(brokerServiceSpec)].map((s) => ({
      name: s.name,
      endpoints: s.endpoints.map((e) => e.name),
      costPerHour: s.resources?.costPerHour ?? 0,
    })),
    workloads: scenario.world.workloads.map((w) => w.name),
    queues: brokers.flatMap((b) => [
      ...b.queues.map((q) => ({ broker: b.name, queue: q.name })),
      ...b.topics.flatMap((t) => t.groups.map((g) => ({ broker: b.name, queue: g.name }))),
    ]),
  });
  // Before the world exists, so that it sees the first instance states.
  const expectations = scenario.expectations ?? [];
  const checker =
    expectations.length === 0 ? null : createExpectationChecker(bus, expectations, { warmupMs, durationMs });
  options.attach?.(bus);

  let endReason: RunEndReason = 'completed';
  let endMessage: string | undefined;
  const stopEarly = (reason: RunEndReason, message: string): void => {
    if (endReason !== 'completed') return;
    endReason = reason;
    endMessage = message;
    engine.stop();
  };

  bus.emit('run.started', { at: 0, scenario: scenario.name, seed: scenario.seed });
  const world = createWorld(scenario.world, {
    engine,
    bus,
    streams,
    endMs: durationMs,
    onUnstable: (message) => stopEarly('unstable', message),
  });
  const sample = (): void =>
    bus.emit(
      'gauges.sampled',
      world.messaging === null
        ? { at: engine.now, services: world.gauges() }
        : { at: engine.now, services: world.gauges(), queues: world.queueGauges() },
    );
  // Rollouts of new versions.
  for (const deploy of scenario.world.deploys ?? []) {
    if (deploy.atMs >= durationMs) continue;
    engine.scheduleAt(
      deploy.atMs,
      () => startRollout(world.services.get(deploy.service)!, deploy, engine, bus),
      undefined,
      FAULT_PRIORITY,
    );
  }
  // The chaos timeline: each fault starts at `atMs` and, with a duration, is reverted after it.
  for (const fault of scenario.world.chaos ?? []) {
    if (fault.atMs >= durationMs) continue;
    engine.scheduleAt(
      fault.atMs,
      () => {
        const active = world.faults.apply(fault);
        if (fault.forMs !== null && fault.atMs + fault.forMs < durationMs) {
          engine.schedule(fault.forMs, () => active.revert(), undefined, FAULT_PRIORITY);
        }
      },
      undefined,
      FAULT_PRIORITY,
    );
  }
  engine.scheduleAt(
    warmupMs,
    () => {
      bus.emit('run.warmup_ended', { at: engine.now });
      sample();
    },
    undefined,
    SAMPLE_PRIORITY - 1,
  );
  // Series samples every interval from 0 until the warm-up ends (for live views), then every
  // interval from the warm-up end, so that measured points are whole intervals. Each sample
  // schedules the next, so the event queue holds one sample at a time, not thousands.
  const sampleAt = (at: number): void => {
    if (at !== warmupMs) sample();
    const next = at < warmupMs ? Math.min(at + intervalMs, warmupMs) : at + intervalMs;
    if (next < durationMs) engine.scheduleAt(next, sampleAt, next, SAMPLE_PRIORITY);
  };
  const first = Math.min(intervalMs, warmupMs > 0 ? warmupMs : intervalMs);
  if (first < durationMs) engine.scheduleAt(first, sampleAt, first, SAMPLE_PRIORITY);
  engine.scheduleAt(durationMs, sample, undefined, SAMPLE_PRIORITY);

  return {
    scenario,
    engine,
    bus,
    world,
    metrics,
    applyFault: (command) => world.faults.apply(command),
    runToEnd() {
      const started = performance.now();
      const { maxEvents, wallTimeMs } = scenario.limits;
      let stalledChunks = 0;
      while (endReason === 'completed') {
        const before = engine.now;
        const why = engine.runUntil(durationMs, Math.min(CHUNK, maxEvents - engine.eventsFired));
        if (why !== 'budget') break; // 'until': done; 'stopped': stopEarly has said why
        if (engine.eventsFired >= maxEvents) {
          stopEarly(
            'event_limit',
            `stopped after ${engine.eventsFired.toLocaleString('en')} events (limits.maxEvents)`,
          );
        } else if (performance.now() - started > wallTimeMs) {
          stopEarly(
            'wall_time_limit',
            `stopped after ${((performance.now() - started) / 1000).toFixed(1)} s of wall time (limits.wallTime) at simulated t=${(engine.now / 1000).toFixed(1)} s`,
          );
        } else if (engine.now === before && ++stalledChunks >= STALL_CHUNKS) {
          stopEarly(
            'stalled',
            `simulated time stopped advancing at t=${(engine.now / 1000).toFixed(3)} s: ` +
              `${(STALL_CHUNKS * CHUNK).toLocaleString('en')} events happened at that same instant. Usually a closed workload ` +
              'with no think time resends at once every request that fails at once (no ready instance, full ' +
              'queue); give it a think time, e.g. think: exp(1s)' +
              (brokers.length > 0
                ? '. With brokers, also messages going round a loop of publishes and consumers that take no ' +
                  'time (a consumer publishing to a queue that leads back to it): give the work or the network some time'
                : ''),
          );
        } else if (engine.now !== before) {
          stalledChunks = 0;
        }
      }
      if (endReason !== 'completed') sample();
      bus.emit('run.ended', {
        at: engine.now,
        reason: endReason,
        ...(endMessage === undefined ? {} : { message: endMessage }),
      });
      const results = metrics.results({
        scenario: { name: scenario.name, seed: scenario.seed, description: scenario.description },
        events: engine.eventsFired,
        endReason,
        ...(endMessage === undefined ? {} : { message: endMessage }),
        wallTimeMs: performance.now() - started,
        warnings: endReason === 'completed' ? world.warnings() : [],
      });
      return checker === null ? results : { ...results, expectations: checker.verdicts(results) };
    },
  };
}
