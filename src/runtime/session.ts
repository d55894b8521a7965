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
import {
  createMetricsCollector,
  type MetricsCollector,
  type MetricsCollectorOptions,
} from '../observe/metrics.ts';
import type { ResultsDocument } from '../observe/results.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { RunEndReason, Signals } from '../signals.ts';
import { theoryResults } from './theory-model.ts';

/** Runs after every other event at the same instant. */
const SAMPLE_PRIORITY = 1000;
/** Faults of the timeline start (and end) before anything else at the same instant. */
const FAULT_PRIORITY = -100;
/**
 * Faults end before any starts at the same instant, whenever each was scheduled: a live run (which
 * schedules a revert when a key asks for it) and its replay from a timeline (which schedules it
 * when the fault starts) then do the same.
 */
const REVERT_PRIORITY = FAULT_PRIORITY - 1;
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
  /**
   * Runs until simulated time `untilMs` (at most the duration), or until a limit stops the run,
   * or until `engine.stop()` is called by a listener (a dashboard stepping to the next notable
   * event). True once the run is over (its duration reached, or stopped early by a limit).
   */
  advance(untilMs: number): boolean;
  /** True once the run is over. */
  readonly ended: boolean;
  /** Ends the run (once over, or at once) and returns the results document. */
  finish(): ResultsDocument;
  /**
   * Applies `command` at the next whole millisecond of simulated time, before anything else at
   * that instant — as a `chaos:` timeline entry at that time would, so that a run driven by
   * commands can be replayed from a timeline. Returns the time it will apply at; `onApplied`
   * receives the active fault (to revert it later through `revertLater`).
   */
  command(command: FaultCommand, onApplied?: (fault: ActiveFault) => void): number;
  /** Reverts `fault` at the next whole millisecond, before anything else at that instant. */
  revertLater(fault: ActiveFault): number;
}

export interface SessionOptions {
  /** Called with the bus before anything is scheduled, to attach extra listeners (event logs, UIs). */
  readonly attach?: (bus: Bus<Signals>) => void;
}

/** What the metrics collector of a session of `scenario` is told about it. */
export function metricsOptions(scenario: ResolvedScenario): MetricsCollectorOptions {
  const brokers = scenario.world.brokers ?? [];
  return {
    warmupMs: scenario.warmupMs,
    durationMs: scenario.durationMs,
    intervalMs: scenario.metrics.intervalMs,
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
  };
}

export function createSession(scenario: ResolvedScenario, options: SessionOptions = {}): Session {
  const engine = createEngine();
  const bus = createBus<Signals>();
  const streams = createRandomStreams(scenario.seed);
  const { durationMs, warmupMs } = scenario;
  const brokers = scenario.world.brokers ?? [];
  const metrics = createMetricsCollector(bus, metricsOptions(scenario));
  /** The effective interval of the time series (the collector applies the cap on points). */
  const intervalMs = metrics.intervalMs;
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
    hopSink: metrics.hopSink,
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
          engine.schedule(fault.forMs, () => active.revert(), undefined, REVERT_PRIORITY);
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

  /** Wall time spent running events so far (pauses of a live run excluded). */
  let busyBefore = 0;
  let over = false;
  let finished: ResultsDocument | null = null;
  /** A fault was applied by a command (a dashboard key): the scenario's theory no longer holds. */
  let commanded = false;
  /** The next whole millisecond strictly after now: nothing there has fired yet. */
  const nextMillisecond = (): number => Math.floor(engine.now) + 1;
  const session: Session = {
    scenario,
    engine,
    bus,
    world,
    metrics,
    applyFault: (command) => {
      commanded = true;
      return world.faults.apply(command);
    },
    runToEnd() {
      session.advance(durationMs);
      return session.finish();
    },
    get ended() {
      return over;
    },
    command(command, onApplied) {
      commanded = true;
      const at = nextMillisecond();
      engine.scheduleAt(at, () => onApplied?.(world.faults.apply(command)), undefined, FAULT_PRIORITY);
      return at;
    },
    revertLater(fault) {
      const at = nextMillisecond();
      engine.scheduleAt(at, () => fault.revert(), undefined, REVERT_PRIORITY);
      return at;
    },
    advance(untilMs) {
      if (over) return true;
      const started = performance.now();
      const { maxEvents, wallTimeMs } = scenario.limits;
      const until = Math.min(untilMs, durationMs);
      let stalledChunks = 0;
      while (endReason === 'completed') {
        const before = engine.now;
        const why = engine.runUntil(until, Math.min(CHUNK, maxEvents - engine.eventsFired));
        if (why !== 'budget') break; // 'until': there; 'stopped': a listener or stopEarly
        const busyMs = busyBefore + performance.now() - started;
        if (engine.eventsFired >= maxEvents) {
          stopEarly(
            'event_limit',
            `stopped after ${engine.eventsFired.toLocaleString('en')} events (limits.maxEvents)`,
          );
        } else if (busyMs > wallTimeMs) {
          stopEarly(
            'wall_time_limit',
            `stopped after ${(busyMs / 1000).toFixed(1)} s of wall time (limits.wallTime) at simulated t=${(engine.now / 1000).toFixed(1)} s`,
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
      busyBefore += performance.now() - started;
      over = endReason !== 'completed' || (engine.now >= durationMs && until >= durationMs);
      return over;
    },
    finish() {
      if (finished !== null) return finished;
      if (!over)
        stopEarly(
          'interrupted',
          `stopped by the user at simulated t=${(engine.now / 1000).toFixed(1)} s, before the end`,
        );
      over = true;
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
        wallTimeMs: busyBefore,
        warnings: endReason === 'completed' ? world.warnings() : [],
      });
      const theory: ResultsDocument['theory'] = commanded
        ? { model: null, reason: 'faults were applied during the run (live commands)' }
        : theoryResults(scenario);
      const verdicts = checker === null ? {} : { expectations: checker.verdicts(results) };
      finished = { ...results, ...verdicts, theory };
      return finished;
    },
  };
  return session;
}
