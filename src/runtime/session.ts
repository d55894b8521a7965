/**
 * A session: one scenario on one engine, with its world and its metrics collector. The session
 * schedules the gauge samples (warm-up end, every series interval, run end) and the run's end, and
 * runs the engine headless in chunks so that the event and wall-time limits are checked.
 */
import { performance } from 'node:perf_hooks';
import { type Bus, createBus } from '../engine/bus.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { createRandomStreams } from '../engine/random.ts';
import { createWorld, type World } from '../model/world.ts';
import { createMetricsCollector, type MetricsCollector } from '../observe/metrics.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { seriesIntervalMs } from '../observe/series.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { RunEndReason, Signals } from '../signals.ts';

/** Runs after every other event at the same instant. */
const SAMPLE_PRIORITY = 1000;
/** Events fired between two checks of the wall-time limit. */
const CHUNK = 200_000;

export interface Session {
  readonly scenario: ResolvedScenario;
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly world: World;
  readonly metrics: MetricsCollector;
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
  const metrics = createMetricsCollector(bus, {
    warmupMs,
    durationMs,
    intervalMs,
    services: scenario.world.services.map((s) => ({
      name: s.name,
      endpoints: s.endpoints.map((e) => e.name),
    })),
    workloads: scenario.world.workloads.map((w) => w.name),
  });
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
  const sample = (): void => bus.emit('gauges.sampled', { at: engine.now, services: world.gauges() });
  engine.scheduleAt(
    warmupMs,
    () => {
      bus.emit('run.warmup_ended', { at: engine.now });
      sample();
    },
    undefined,
    SAMPLE_PRIORITY - 1,
  );
  // Series points on the grid k·interval (warm-up included, for live views), plus warm-up end.
  // Each sample schedules the next, so the event queue holds one sample at a time, not thousands.
  const sampleOnGrid = (k: number): void => {
    if (k * intervalMs !== warmupMs) sample();
    if ((k + 1) * intervalMs < durationMs)
      engine.scheduleAt((k + 1) * intervalMs, sampleOnGrid, k + 1, SAMPLE_PRIORITY);
  };
  if (intervalMs < durationMs) engine.scheduleAt(intervalMs, sampleOnGrid, 1, SAMPLE_PRIORITY);
  engine.scheduleAt(durationMs, sample, undefined, SAMPLE_PRIORITY);

  return {
    scenario,
    engine,
    bus,
    world,
    metrics,
    runToEnd() {
      const started = performance.now();
      const { maxEvents, wallTimeMs } = scenario.limits;
      while (endReason === 'completed') {
        const budget = Math.min(CHUNK, maxEvents - engine.eventsFired);
        if (budget <= 0) {
          stopEarly('event_limit', `stopped after ${engine.eventsFired} events (limits.maxEvents)`);
          break;
        }
        const why = engine.runUntil(durationMs, budget);
        if (why === 'until') break;
        if (why === 'budget' && performance.now() - started > wallTimeMs) {
          stopEarly(
            'wall_time_limit',
            `stopped after ${((performance.now() - started) / 1000).toFixed(1)} s of wall time (limits.wallTime) at simulated t=${(engine.now / 1000).toFixed(1)} s`,
          );
        }
      }
      if (endReason !== 'completed') sample();
      bus.emit('run.ended', {
        at: engine.now,
        reason: endReason,
        ...(endMessage === undefined ? {} : { message: endMessage }),
      });
      return metrics.results({
        scenario: { name: scenario.name, seed: scenario.seed },
        events: engine.eventsFired,
        endReason,
        ...(endMessage === undefined ? {} : { message: endMessage }),
        wallTimeMs: performance.now() - started,
      });
    },
  };
}
