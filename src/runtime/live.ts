/**
 * A live run: a session paced against the wall clock for the dashboard. Simulated time moves at
 * a chosen speed (simulated seconds per wall second) or as fast as possible; the run can be
 * paused, stepped to the next notable event, and changed by hand (faults and scaling) through the
 * same commands as the `chaos:` timeline. Commands apply at the next whole simulated
 * millisecond, before anything else at that instant, exactly as a timeline entry at that time
 * would: `timeline()` writes them as one, so a live demo can be replayed.
 *
 * `tick` is told how much wall time passed (the pace is testable without timers); the clock is
 * read only to keep each frame's work within its budget.
 */

import type { FaultAction, FaultCommand } from '../model/fault-spec.ts';
import type { ActiveFault } from '../model/faults.ts';
import type { WorldSpec } from '../model/world-spec.ts';
import {
  createDashboardObserver,
  type DashboardObserver,
  type LiveTopology,
  type LiveWorldView,
} from '../observe/dashboard.ts';
import {
  type CaptionView,
  DASHBOARD_WINDOW_MS,
  type DashboardSnapshot,
  type Lang,
  type PaceState,
  type Speed,
} from '../observe/dashboard-model.ts';
import type { ResultsDocument } from '../observe/results.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { Signals } from '../signals.ts';
import { createSession, type Session } from './session.ts';

/** A scenario a live run can run (re-exported for the dashboard, which may not import the scenario layer). */
export type LiveScenario = ResolvedScenario;

/** The speeds `faster` and `slower` step through (simulated seconds per wall second). */
export const SPEEDS: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** What the keys of the dashboard do to the selected service. */
export type LiveAction = 'kill' | 'restore' | 'latency' | 'errors' | 'scaleUp' | 'scaleDown';

/** The most wall time one frame counts for the pace (ms). */
const MAX_FRAME_MS = 250;

/** Latency added, and share of errors injected, by the dashboard's keys. */
export const KEY_LATENCY_MS = 200;
export const KEY_ERROR_RATE = 0.2;

/** A command given live, for the timeline. */
export interface RecordedCommand {
  readonly name: string;
  readonly atMs: number;
  readonly action: FaultAction;
  readonly service: string;
  /** For a kill: how many instances. */
  readonly instances?: number;
  /** When it was reverted (restore), or null while active. */
  revertedAtMs: number | null;
}

export interface LiveOptions {
  readonly lang: Lang;
  readonly speed: Speed;
  /** Keys can be read (false: narrations never wait for one). Default true. */
  readonly interactive?: boolean;
  /** Passed to the session (e.g. an event log). */
  readonly attach?: (bus: Session['bus']) => void;
}

export interface LiveRun {
  readonly session: Session;
  readonly speed: Speed;
  readonly state: PaceState;
  /** Running as fast as possible to the next notable event (see `step`). */
  readonly stepping: boolean;
  /** Moves the run on after `wallMs` of wall time (at most `budgetMs` of work when as fast as possible). */
  tick(wallMs: number, budgetMs?: number): void;
  togglePause(): void;
  faster(): void;
  slower(): void;
  /** As fast as possible (or back to the last speed). */
  toggleMax(): void;
  /** Runs as fast as possible to the next notable event (a breaker, a fault, a scaling, a crash), then pauses. */
  step(): void;
  /** Goes on after a narration that waits for a key. */
  continueNarration(): void;
  /** Selects the next (+1) or previous (−1) service or workload. */
  select(delta: number): void;
  readonly selected: string | null;
  /** Acts on the selected service; returns what it did, in words (also shown as the status). */
  act(action: LiveAction): string;
  /** The commands given so far. */
  readonly commands: readonly RecordedCommand[];
  snapshot(): DashboardSnapshot;
  readonly ended: boolean;
  finish(): ResultsDocument;
}

/**
 * The versions the instances starting or ready run: `v2`, or during a rollout the mix, `v1×9 v2×1`
 * (in the order the versions first appear).
 */
function versionMix(instances: readonly { readonly version: string; readonly state: string }[]): string {
  const counts = new Map<string, number>();
  for (const inst of instances) {
    if (inst.state === 'ready' || inst.state === 'starting')
      counts.set(inst.version, (counts.get(inst.version) ?? 0) + 1);
  }
  if (counts.size <= 1) return [...counts.keys()][0] ?? '—';
  return [...counts].map(([v, n]) => `${v}×${n}`).join(' ');
}

/** A fault started by a key, until it is restored. */
interface KeyFault {
  fault: ActiveFault | null;
  readonly record: RecordedCommand;
  restoreOnApply: boolean;
}

/** A simulated time as the scenario format writes it (whole milliseconds, or seconds when round). */
function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * The commands given live as `chaos:` entries of the scenario format, in the order given: replayed
 * as a timeline (after the scenario's own entries), they do exactly what the keys did.
 */
export function timelineEntries(commands: readonly RecordedCommand[]): Record<string, unknown>[] {
  return commands.map((c) => {
    const entry: Record<string, unknown> = { name: c.name, at: durationText(c.atMs) };
    if (c.revertedAtMs !== null) entry.for = durationText(c.revertedAtMs - c.atMs);
    switch (c.action.kind) {
      case 'kill':
        entry.kill = c.service;
        if (c.instances !== undefined) entry.instances = c.instances;
        break;
      case 'latency':
        entry.latency = c.service;
        entry.add = durationText(c.action.addMs);
        break;
      case 'error':
        entry.error = c.service;
        entry.rate = `${Math.round(c.action.rate * 1000) / 10}%`;
        break;
      case 'scale':
        entry.scale = c.service;
        entry.replicas = c.action.replicas;
        break;
      default:
        throw new Error(`no timeline form for a ${c.action.kind} command`);
    }
    return entry;
  });
}

const NOTABLE = [
  'breaker.transition',
  'fault.started',
  'fault.ended',
  'deploy.started',
  'deploy.ended',
  'instance.ejected',
  'scale.decided',
  'instance.state',
] as const;

/** Signals after which `step` pauses. */
function isNotable<K extends keyof Signals>(name: K, payload: Signals[K]): boolean {
  switch (name) {
    case 'breaker.transition':
    case 'fault.started':
    case 'fault.ended':
    case 'deploy.started':
    case 'deploy.ended':
    case 'instance.ejected':
      return true;
    case 'scale.decided': {
      const d = payload as Signals['scale.decided'];
      return d.to !== d.from;
    }
    case 'instance.state':
      return (payload as Signals['instance.state']).state === 'crashed';
    default:
      return false;
  }
}

/** Depths and edges of the world: entry services at depth 1, each call one deeper. */
export function liveTopology(world: WorldSpec): LiveTopology {
  const edges: LiveTopology['edges'][number][] = [];
  const seen = new Set<string>();
  const edge = (from: string, to: string, kind: 'call' | 'publish' | 'deliver'): void => {
    const key = `${from}→${to}:${kind}`;
    if (from === to || seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };
  const consumersOf = new Map<string, string[]>();
  for (const svc of world.services) {
    for (const sub of svc.subscriptions ?? []) {
      consumersOf.set(sub.broker, [...(consumersOf.get(sub.broker) ?? []), svc.name]);
    }
  }
  for (const svc of world.services) {
    for (const ep of svc.endpoints) {
      for (const step of ep.calls) {
        if (step.kind === 'call') edge(svc.name, step.call.service, 'call');
        else if (step.kind === 'parallel') for (const c of step.calls) edge(svc.name, c.service, 'call');
        else if (step.kind === 'choice')
          for (const b of step.branches) edge(svc.name, b.call.service, 'call');
        else edge(svc.name, step.publish.broker, 'publish');
      }
    }
  }
  for (const [broker, consumers] of consumersOf) for (const c of consumers) edge(broker, c, 'deliver');
  const names = [...world.services.map((s) => s.name), ...(world.brokers ?? []).map((b) => b.name)];
  const depths = new Map<string, number>();
  const queue: string[] = [];
  for (const w of world.workloads) {
    for (const e of w.entries) {
      if (!depths.has(e.service)) {
        depths.set(e.service, 1);
        queue.push(e.service);
      }
    }
  }
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const e of edges) {
      if (e.from !== from || depths.has(e.to)) continue;
      depths.set(e.to, depths.get(from)! + 1);
      queue.push(e.to);
    }
  }
  const deepest = Math.max(1, ...depths.values());
  for (const name of names) if (!depths.has(name)) depths.set(name, deepest + 1);
  // In the order of the file (services, then brokers), so that ties keep the author's order.
  const ordered = new Map(names.map((n) => [n, depths.get(n)!]));
  return { depths: ordered, edges, workloads: world.workloads.map((w) => w.name) };
}

export function createLiveRun(scenario: ResolvedScenario, options: LiveOptions): LiveRun {
  let stepping = false;
  let observer: DashboardObserver | undefined;
  const topology = liveTopology(scenario.world);
  const session = createSession(scenario, {
    attach(bus) {
      observer = createDashboardObserver(bus, topology);
      for (const name of NOTABLE) {
        bus.on(name, (payload) => {
          if (stepping && isNotable(name, payload)) {
            stepping = false;
            state = 'paused';
            session.engine.stop();
          }
        });
      }
      options.attach?.(bus);
    },
  });
  const dash = observer!;
  const { world, engine } = session;
  const brokers = new Set((scenario.world.brokers ?? []).map((b) => b.name));
  const narration = scenario.narration ?? [];
  let nextNarration = 0;
  let caption: CaptionView | null = null;
  let state: PaceState = 'running';
  let speed: Speed = options.speed;
  let lastSpeed = typeof options.speed === 'number' ? options.speed : 1;
  /** Simulated ms per wall ms actually achieved when behind the chosen speed, else null. */
  let lagging: number | null = null;
  /** Replicas asked for by keys and not applied yet, per service. */
  const pendingReplicas = new Map<string, number>();
  const subjects = dash.subjects();
  let selectedIndex = subjects.length > 0 ? 0 : -1;
  const commands: RecordedCommand[] = [];
  /** Faults started by keys and still active, per service. */
  const byKeys = new Map<string, KeyFault[]>();
  let counter = 0;

  const lang = options.lang;
  const says = (en: string, es: string): string => (lang === 'es' ? es : en);

  /** Runs to `untilMs`, stopping at narrations; false when a narration now waits for a key. */
  function runTo(untilMs: number): boolean {
    while (nextNarration < narration.length && narration[nextNarration]!.atMs <= untilMs) {
      const n = narration[nextNarration]!;
      if (n.atMs > engine.now) session.advance(n.atMs);
      if (session.ended || state === 'paused') return true;
      nextNarration++;
      const waits = n.pause && options.interactive !== false;
      caption = { at: n.atMs, text: n.text[lang], waitingForKey: waits };
      dash.note(n.atMs, 'narration', n.text[lang]);
      if (waits) {
        state = 'narration';
        return false;
      }
    }
    session.advance(untilMs);
    return true;
  }

  function afterRun(): void {
    if (session.ended) state = 'ended';
  }

  /** Subjects are the services (and brokers) first, then the workloads, which may share a name. */
  const serviceCount = world.services.size;
  const serviceName = (): string | null =>
    selectedIndex >= 0 && selectedIndex < serviceCount ? (subjects[selectedIndex] ?? null) : null;

  /**
   * Each service's cumulative busy and capacity areas at recent frames, so that utilization is an
   * average over the last `DASHBOARD_WINDOW_MS` (as the rates are), not a noisy instant.
   */
  const areaSamples = new Map<string, { at: number; busy: number; capacity: number }[]>();
  function utilization(name: string, busy: number, capacity: number): number | null {
    let samples = areaSamples.get(name);
    if (samples === undefined) {
      samples = [];
      areaSamples.set(name, samples);
    }
    const now = engine.now;
    if (samples.length === 0 || samples.at(-1)!.at < now) samples.push({ at: now, busy, capacity });
    while (samples.length > 2 && samples[1]!.at <= now - DASHBOARD_WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const dCapacity = capacity - first.capacity;
    return dCapacity > 0 ? (busy - first.busy) / dCapacity : null;
  }

  function liveWorld(): LiveWorldView {
    const services = [...world.services.values()].map((svc) => {
      let busyArea = 0;
      let capacityArea = 0;
      let queued = 0;
      for (const inst of svc.instances) {
        const areas = inst.areasAt(engine.now);
        queued += inst.queued;
        busyArea += areas.busy;
        capacityArea += areas.capacity;
      }
      return {
        name: svc.name,
        kind: brokers.has(svc.name) ? ('broker' as const) : ('service' as const),
        instances: svc.instances
          .filter((i) => i.state !== 'stopped')
          .map((i) => ({ id: i.id, state: i.hung && i.state === 'ready' ? ('hung' as const) : i.state })),
        replicas: svc.replicas(),
        version: svc.versions.size > 1 ? versionMix(svc.instances) : null,
        utilization: utilization(svc.name, busyArea, capacityArea),
        queued,
      };
    });
    const counts = world.messaging?.counts();
    const queues = world.queueGauges().map((q) => ({
      broker: q.broker,
      queue: q.queue,
      waiting: q.ready,
      inFlight: q.inFlight,
      oldestAgeMs: q.oldestAgeMs,
      deadLettered: counts?.get(`${q.broker}/${q.queue}`)?.deadLettered ?? 0,
    }));
    return { services, queues };
  }

  function record(
    action: FaultAction,
    service: string,
    instances?: number,
    onApplied?: () => void,
  ): RecordedCommand {
    const name = `key-${++counter}-${action.kind}-${service}`;
    const command: FaultCommand = {
      name,
      action,
      target: {
        kind: 'service',
        service,
        endpoint: null,
        instances: instances === undefined ? { kind: 'all' } : { kind: 'count', count: instances },
      },
    };
    const rec: RecordedCommand = {
      name,
      atMs: 0,
      action,
      service,
      ...(instances === undefined ? {} : { instances }),
      revertedAtMs: null,
    };
    const entry: KeyFault = { fault: null, record: rec, restoreOnApply: false };
    const at = session.command(command, (fault) => {
      onApplied?.();
      entry.fault = fault;
      // Restored before it had even applied (within the same millisecond): revert it next.
      if (entry.restoreOnApply) rec.revertedAtMs = session.revertLater(fault);
    });
    (rec as { atMs: number }).atMs = at;
    commands.push(rec);
    if (action.kind !== 'scale') byKeys.set(service, [...(byKeys.get(service) ?? []), entry]);
    dash.note(at, 'command', `${name}: ${describe(action, service, instances)}`);
    return rec;
  }

  function describe(action: FaultAction, service: string, instances?: number): string {
    switch (action.kind) {
      case 'kill':
        return says(
          `crash ${instances ?? 'all'} instance(s) of ${service}`,
          `tirar ${instances ?? 'todas las'} instancia(s) de ${service}`,
        );
      case 'latency':
        return says(
          `+${action.addMs} ms on calls to ${service}`,
          `+${action.addMs} ms en las llamadas a ${service}`,
        );
      case 'error':
        return says(
          `${Math.round(action.rate * 100)}% errors at ${service}`,
          `${Math.round(action.rate * 100)}% de errores en ${service}`,
        );
      case 'scale':
        return says(`scale ${service} to ${action.replicas}`, `escalar ${service} a ${action.replicas}`);
      default:
        return `${action.kind} ${service}`;
    }
  }

  const run: LiveRun = {
    session,
    get speed() {
      return speed;
    },
    get state() {
      return state;
    },
    get stepping() {
      return stepping;
    },
    get selected() {
      return subjects[selectedIndex] ?? null;
    },
    get commands() {
      return commands;
    },
    get ended() {
      return session.ended;
    },
    tick(wallMs, budgetMs = 80) {
      if (state === 'ended' || state === 'paused' || state === 'narration') return;
      // Where the pace wants simulated time to be (a long frame counts as at most MAX_FRAME_MS,
      // so a slow machine never asks for ever longer frames); as fast as possible: no limit.
      const fromMs = engine.now;
      const target =
        speed === 'max' || stepping
          ? Number.POSITIVE_INFINITY
          : fromMs + speed * Math.min(wallMs, MAX_FRAME_MS);
      // Within the frame's work budget, in slices sized from the measured pace so that the
      // budget is not overshot by much: keys and frames keep coming whatever the speed.
      const started = performance.now();
      let slice = Math.min(50, target - fromMs);
      for (;;) {
        const before = performance.now();
        const from = engine.now;
        if (!runTo(Math.min(engine.now + slice, target))) break;
        if (session.ended || state !== 'running' || engine.now >= target) break;
        const left = budgetMs - (performance.now() - started);
        if (left <= 0) break;
        const rate = (engine.now - from) / Math.max(0.01, performance.now() - before);
        slice = Math.max(1, Math.min(rate * left, slice * 4));
      }
      // Behind a chosen speed: say how fast it really goes.
      lagging =
        Number.isFinite(target) && engine.now < target && !session.ended && state === 'running'
          ? (engine.now - fromMs) / Math.max(1, Math.min(wallMs, MAX_FRAME_MS))
          : null;
      afterRun();
    },
    togglePause() {
      if (state === 'running') state = 'paused';
      else if (state === 'paused') state = 'running';
      stepping = false;
    },
    faster() {
      const current = speed === 'max' ? lastSpeed : speed;
      speed = SPEEDS.find((s) => s > current) ?? SPEEDS.at(-1)!;
      lastSpeed = speed;
    },
    slower() {
      const current = speed === 'max' ? lastSpeed : speed;
      speed = [...SPEEDS].reverse().find((s) => s < current) ?? SPEEDS[0]!;
      lastSpeed = speed;
    },
    toggleMax() {
      speed = speed === 'max' ? lastSpeed : 'max';
    },
    step() {
      if (state === 'ended') return;
      stepping = true;
      if (state === 'narration' && caption !== null) caption = { ...caption, waitingForKey: false };
      state = 'running';
    },
    continueNarration() {
      if (state !== 'narration') return;
      state = 'running';
      if (caption !== null) caption = { ...caption, waitingForKey: false };
    },
    select(delta) {
      if (subjects.length === 0) return;
      selectedIndex = (selectedIndex + delta + subjects.length) % subjects.length;
    },
    act(action) {
      const service = serviceName();
      if (service === null) return says('select a service first (tab)', 'primero elige un servicio (tab)');
      if (session.ended) return says('the run is over', 'la ejecución ha terminado');
      const svc = world.services.get(service)!;
      /** The replicas the service will have once the scalings already asked for apply. */
      const planned = pendingReplicas.get(service) ?? svc.replicas();
      const scale = (replicas: number): void => {
        pendingReplicas.set(service, replicas);
        record({ kind: 'scale', replicas }, service, undefined, () => {
          if (pendingReplicas.get(service) === replicas) pendingReplicas.delete(service);
        });
      };
      switch (action) {
        case 'kill':
          record({ kind: 'kill' }, service, 1);
          break;
        case 'latency':
          record({ kind: 'latency', addMs: KEY_LATENCY_MS, jitterMs: 0 }, service);
          break;
        case 'errors':
          record({ kind: 'error', rate: KEY_ERROR_RATE }, service);
          break;
        case 'scaleUp':
        case 'scaleDown':
          if (brokers.has(service)) {
            return says(
              `${service} is a broker: brokers are not scaled`,
              `${service} es un broker: no se escala`,
            );
          }
          if (action === 'scaleDown' && planned === 0) {
            return says(`${service} has no replicas left`, `${service} ya no tiene réplicas`);
          }
          scale(planned + (action === 'scaleUp' ? 1 : -1));
          break;
        case 'restore': {
          const active = byKeys.get(service) ?? [];
          byKeys.delete(service);
          if (active.length === 0) {
            return says(
              `no fault started by keys on ${service}`,
              `no hay fallos puestos con teclas en ${service}`,
            );
          }
          for (const entry of active) {
            if (entry.fault !== null) entry.record.revertedAtMs = session.revertLater(entry.fault);
            else entry.restoreOnApply = true;
          }
          dash.note(engine.now, 'command', says(`restore ${service}`, `restaurar ${service}`));
          return says(`restoring ${service}`, `restaurando ${service}`);
        }
      }
      const last = commands.at(-1)!;
      return describe(last.action, service, last.instances);
    },
    snapshot() {
      return dash.snapshot(engine.now, liveWorld(), {
        scenario: { name: scenario.name, seed: scenario.seed },
        lang,
        clock: { nowMs: engine.now, durationMs: scenario.durationMs, warmupMs: scenario.warmupMs },
        pacing: { speed, state },
        caption,
        status:
          lagging === null
            ? null
            : says(
                `this machine keeps up with ×${lagging.toPrecision(2)} only`,
                `esta máquina solo llega a ×${lagging.toPrecision(2)}`,
              ),
        selected: subjects[selectedIndex] ?? null,
        selectedKind: selectedIndex < serviceCount ? 'service' : 'workload',
      });
    },
    finish() {
      state = 'ended';
      return session.finish();
    },
  };
  return run;
}
