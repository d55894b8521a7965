/**
 * Runs a resolved scenario through `createSession` while checking, at every signal, the
 * invariants every run must keep: conservation of requests, one completion per request, exactly
 * one failure reason with a root cause, finite numbers, non-decreasing time, sane latencies.
 * Violations are collected (a throwing listener would be swallowed by the bus) and returned.
 */
import { createEventLog } from '../../src/observe/event-log.ts';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { createSession, type Session } from '../../src/runtime/session.ts';
import type { ResolvedScenario } from '../../src/scenario/resolved.ts';
import { FAILURE_REASONS, type FailureReason, type Signals } from '../../src/signals.ts';

/** Float noise allowed when comparing sums of durations with differences of times. */
const EPS = 1e-6;
const REASONS: ReadonlySet<string> = new Set<string>(FAILURE_REASONS);

export interface CheckedRun {
  readonly violations: string[];
  readonly lines: string[];
  readonly doc: ResultsDocument;
  readonly arrived: number;
}

/** Paths of every number in `value` that is NaN or infinite. */
export function nonFiniteNumbers(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path}=${value}`];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
}

export function runChecked(scenario: ResolvedScenario): CheckedRun {
  const violations: string[] = [];
  const bad = (what: string): void => {
    if (violations.length < 20) violations.push(what);
  };
  const arrivedAt = new Map<number, number>();
  const done = new Set<number>();
  /** Counted (arrived at or after the warm-up) requests, ok and failed, per workload, from signals. */
  const counts = new Map<string, { requests: number; ok: number; fallback: number; failed: number }>();
  const countsOf = (workload: string): { requests: number; ok: number; fallback: number; failed: number } => {
    const c = counts.get(workload) ?? { requests: 0, ok: 0, fallback: 0, failed: 0 };
    counts.set(workload, c);
    return c;
  };
  const endpoints = new Set(
    scenario.world.services.flatMap((s) => s.endpoints.map((e) => `${s.name}.${e.name}`)),
  );
  let completed = 0;
  let lastAt = 0;
  let ended = 0;
  let lines: () => string[] = () => [];

  const checkReason = (where: string, outcome: string, reason?: FailureReason): void => {
    if (outcome === 'ok' && reason !== undefined) bad(`${where}: ok with reason ${reason}`);
    if (outcome === 'failed' && (reason === undefined || !REASONS.has(reason)))
      bad(`${where}: reason ${reason}`);
    if (outcome !== 'ok' && outcome !== 'failed') bad(`${where}: outcome ${outcome}`);
  };

  const onCompleted = (p: Signals['request.completed']): void => {
    const where = `request.completed ${p.id} at ${p.at}`;
    if (!arrivedAt.has(p.id)) bad(`${where}: never arrived`);
    if (done.has(p.id)) bad(`${where}: completed twice`);
    done.add(p.id);
    completed++;
    if (arrivedAt.get(p.id) !== p.arrivedAt)
      bad(`${where}: arrivedAt ${p.arrivedAt} ≠ ${arrivedAt.get(p.id)}`);
    if (!(p.latencyMs >= 0) || p.latencyMs !== p.at - p.arrivedAt) bad(`${where}: latency ${p.latencyMs}`);
    checkReason(where, p.outcome, p.reason);
    if (p.outcome === 'ok' && p.cause !== undefined) bad(`${where}: ok with a cause`);
    if (p.outcome === 'failed') {
      const c = p.cause;
      if (c === undefined) return bad(`${where}: failed without a cause`);
      if (!REASONS.has(c.reason) || c.reason === 'dependency_failed')
        bad(`${where}: cause reason ${c.reason}`);
      if (!endpoints.has(`${c.service}.${c.endpoint}`)) bad(`${where}: cause at ${c.service}.${c.endpoint}`);
      const direct = p.reason !== 'dependency_failed';
      if (direct && (c.reason !== p.reason || c.service !== p.service || c.endpoint !== p.endpoint)) {
        bad(`${where}: ${p.reason} at ${p.service}.${p.endpoint} but cause ${JSON.stringify(c)}`);
      }
    }
  };

  const onHop = (p: Signals['hop.completed']): void => {
    const where = `hop.completed ${p.requestId} ${p.service}.${p.endpoint} at ${p.at}`;
    if (!arrivedAt.has(p.requestId)) bad(`${where}: request never arrived`);
    if (done.has(p.requestId)) bad(`${where}: after its request completed (orphaned call)`);
    if (!(p.latencyMs >= 0) || !(p.waitMs >= 0)) bad(`${where}: latency ${p.latencyMs}, wait ${p.waitMs}`);
    if (p.arrivedAt < (arrivedAt.get(p.requestId) ?? 0)) bad(`${where}: arrived before its request`);
    // Checked for in-process hops too: their residence is their own worker time (0 when they run
    // on the caller's thread), so it fits in their latency as well.
    if (!(p.waitMs <= p.residenceMs + EPS && p.residenceMs <= p.latencyMs + EPS)) {
      bad(`${where}: wait ${p.waitMs} ≤ residence ${p.residenceMs} ≤ latency ${p.latencyMs} fails`);
    }
    checkReason(where, p.outcome, p.reason);
  };

  /** Conservation now, three ways: our counts, the executor's, the metrics' live read model. */
  const conserved = (at: number): void => {
    const inFlight = arrivedAt.size - completed;
    if (inFlight < 0) bad(`negative in flight at ${at}`);
    if (session === undefined) return;
    const { executor } = session.world;
    if (executor.submitted !== arrivedAt.size || executor.completed !== completed) {
      bad(
        `at ${at}: executor ${executor.submitted}/${executor.completed} ≠ signals ${arrivedAt.size}/${completed}`,
      );
    }
    let live = 0;
    for (const [name, w] of Object.entries(session.metrics.snapshot().workloads)) {
      live += w.inFlight;
      if (w.inFlight < 0 || w.arrived !== w.ok + w.failed + w.inFlight)
        bad(`at ${at}: ${name} ${JSON.stringify(w)}`);
    }
    if (live !== inFlight) bad(`at ${at}: live in flight ${live} ≠ ${inFlight}`);
  };

  let session: Session | undefined;
  session = createSession(scenario, {
    attach(bus) {
      lines = createEventLog(bus).lines;
      bus.onAny((signal, payload) => {
        const at = (payload as { at: number }).at;
        for (const path of nonFiniteNumbers(payload, signal)) bad(`non-finite ${path}`);
        if (!(at >= lastAt)) bad(`${signal} at ${at} after ${lastAt}: time went back`);
        lastAt = at;
        if (ended > 0) bad(`${signal} after run.ended`);
      });
      bus.on('request.arrived', (p) => {
        if (arrivedAt.has(p.id)) bad(`request.arrived ${p.id}: arrived twice`);
        arrivedAt.set(p.id, p.at);
        if (p.at >= scenario.warmupMs) countsOf(p.workload).requests++;
        conserved(p.at);
      });
      bus.on('request.completed', (p) => {
        onCompleted(p);
        if (p.arrivedAt >= scenario.warmupMs) countsOf(p.workload)[p.outcome]++;
        conserved(p.at);
      });
      bus.on('hop.completed', onHop);
      bus.on('run.ended', () => {
        ended++;
      });
    },
  });
  const doc = session.runToEnd();
  if (ended !== 1) bad(`run.ended emitted ${ended} times`);
  if (session.bus.failureCount > 0) bad(`listener failed: ${String(session.bus.failures[0]?.error)}`);
  conserved(doc.simulated.durationMs);
  for (const path of nonFiniteNumbers(doc, 'results')) bad(`non-finite ${path}`);
  for (const [name, w] of Object.entries(doc.workloads)) {
    if (w.requests !== w.ok + w.failed + w.inFlight || w.inFlight < 0) {
      bad(
        `workload ${name}: requests ${w.requests} ≠ ok ${w.ok} + failed ${w.failed} + in flight ${w.inFlight}`,
      );
    }
    const c = countsOf(name);
    if (c.requests !== w.requests || c.ok !== w.ok || c.failed !== w.failed) {
      bad(`workload ${name}: results ${JSON.stringify(w)} but signals count ${JSON.stringify(c)}`);
    }
  }
  for (const [name, svc] of Object.entries(doc.services)) {
    const replicas = scenario.world.services.find((x) => x.name === name)?.replicas ?? 0;
    const u = svc.utilization;
    if ((u !== null && !(u >= -EPS && u <= 1 + EPS)) || !(svc.meanQueueLength >= -EPS)) {
      bad(`service ${name}: utilization ${u}, mean queue ${svc.meanQueueLength}`);
    }
    if (!(svc.meanInSystem >= svc.meanQueueLength - EPS) || !(svc.meanReadyInstances <= replicas + EPS)) {
      bad(`service ${name}: in system ${svc.meanInSystem}, ready ${svc.meanReadyInstances} of ${replicas}`);
    }
  }
  return { violations, lines: lines(), doc, arrived: arrivedAt.size };
}
