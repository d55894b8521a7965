/**
 * A scripted run with one fault, emitted in time order on a bus, for the resilience and
 * expectation tests. Every number below follows from the script:
 *
 * - warm-up 1 s, run 20 s, gauge samples (series points) every second;
 * - workload `web` sends a request to `front` every 100 ms (t = 0, 100, …, 19 900), answered
 *   10 ms later; `front` calls `db` (a plain call, always ok). Front's hop does 4 ms of work,
 *   db's 2 ms; front's hop is wasted when it failed;
 * - fault `kill-front` (kind `kill`) from 5 s to 8 s: requests arriving in [5 s, 8 s) fail with
 *   `timeout`; those arriving in [8 s, 10 s) fail every other one (t/100 even); then all are ok;
 * - `front#1` is ejected at 5.3 s and returns at 9.3 s; breaker `web→front` opens at 5.6 s,
 *   goes half-open at 6.6 s and opens again at once, half-open at 7.6 s, closed at 8.5 s;
 * - `front#2` crashes at 5 s, starts at 8 s and is ready at 9 s (`front#1` ready all along).
 */
import type { Bus } from '../../src/engine/bus.ts';
import type { Signals } from '../../src/signals.ts';
import { arrive, complete, hop, type RequestSpec } from './fixture.ts';

export const WARMUP_MS = 1000;
export const DURATION_MS = 20_000;
export const FAULT_START = 5000;
export const FAULT_END = 8000;

interface Scheduled {
  readonly at: number;
  /** Within one instant: lower first (samples run after everything else, as in the session). */
  readonly order: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Collects emissions and fires them in (time, order, insertion) order. */
export class Script {
  private readonly events: Scheduled[] = [];
  constructor(readonly bus: Bus<Signals>) {}

  at(at: number, fire: () => void, order = 0): void {
    this.events.push({ at, order, seq: this.events.length, fire });
  }

  emit<K extends keyof Signals & string>(signal: K, payload: Signals[K], order = 0): void {
    this.at(payload.at, () => this.bus.emit(signal, payload), order);
  }

  run(): void {
    const sorted = this.events.slice().sort((a, b) => a.at - b.at || a.order - b.order || a.seq - b.seq);
    for (const e of sorted) e.fire();
  }
}

/** Outcome of the request arriving at `t` in the scripted run. */
export function scriptedOutcome(t: number): 'ok' | 'failed' {
  if (t >= FAULT_START && t < FAULT_END) return 'failed';
  if (t >= FAULT_END && t < 10_000 && (t / 100) % 2 === 0) return 'failed';
  return 'ok';
}

/** Schedules the whole scripted run on `script` (call `script.run()` to emit it). */
export function scriptFaultRun(script: Script): void {
  const bus = script.bus;
  let n = 0;
  for (let t = 0; t < DURATION_MS; t += 100) {
    const outcome = scriptedOutcome(t);
    const r: RequestSpec = {
      id: `f${n++}`,
      arrivedAt: t,
      at: t + 10,
      outcome,
      ...(outcome === 'failed' ? { reason: 'timeout' as const } : {}),
    };
    script.at(t, () => arrive(bus, r));
    script.at(t + 10, () => {
      hop(bus, { service: 'db', endpoint: 'get', caller: 'front', arrivedAt: t + 2, at: t + 5, workMs: 2 });
      hop(bus, {
        service: 'front',
        endpoint: 'home',
        caller: 'web',
        arrivedAt: t,
        at: t + 10,
        workMs: 4,
        wasted: outcome === 'failed',
        outcome,
        ...(outcome === 'failed' ? { reason: 'timeout' as const } : {}),
      });
      complete(bus, r);
    });
  }
  const fault = { fault: 'kill-front', kind: 'kill', target: 'front (1 of 2 instances: front#2)' };
  script.emit('fault.started', { at: FAULT_START, ...fault }, -1);
  script.emit('fault.ended', { at: FAULT_END, ...fault }, -1);
  const state = (at: number, instance: string, s: Signals['instance.state']['state']) =>
    script.emit('instance.state', { at, service: 'front', instance, state: s }, -2);
  state(0, 'front#1', 'starting');
  state(0, 'front#1', 'ready');
  state(0, 'front#2', 'starting');
  state(0, 'front#2', 'ready');
  state(FAULT_START, 'front#2', 'crashed');
  state(FAULT_END, 'front#2', 'starting');
  state(9000, 'front#2', 'ready');
  script.emit('instance.ejected', {
    at: 5300,
    service: 'front',
    instance: 'front#1',
    untilMs: 35_300,
    why: 'front#1: 5 consecutive failures',
  });
  script.emit('instance.returned', { at: 9300, service: 'front', instance: 'front#1' });
  const breaker = (at: number, from: string, to: string) =>
    script.emit('breaker.transition', {
      at,
      breaker: 'web→front',
      caller: 'web',
      service: 'front',
      from: from as Signals['breaker.transition']['from'],
      to: to as Signals['breaker.transition']['to'],
      why: `${from} → ${to}`,
    });
  breaker(5600, 'closed', 'open');
  breaker(6600, 'open', 'half_open');
  breaker(6600, 'half_open', 'open');
  breaker(7600, 'open', 'half_open');
  breaker(8500, 'half_open', 'closed');
  script.at(WARMUP_MS, () => bus.emit('run.warmup_ended', { at: WARMUP_MS }), 999);
  for (let t = 1000; t <= DURATION_MS; t += 1000) {
    script.at(t, () => bus.emit('gauges.sampled', { at: t, services: [] }), 1000);
  }
  script.emit('run.ended', { at: DURATION_MS, reason: 'completed' }, 2000);
}
