/**
 * Memory leaks (the `leak` fault) and what Kubernetes does about them: every answer of a leaking
 * service adds to its instance's leaked memory; at the limit the instance is killed out of memory
 * (`instance.oom_killed`), and the kubelet starts it again after its CrashLoopBackOff delay (0 s,
 * then 10 s, 20 s … 300 s; reset after 10 minutes without a crash). Both are events on the
 * simulation clock, at absolute times.
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { Signals } from '../signals.ts';
import type { Executor } from './executor.ts';
import type { Hop } from './hop.ts';
import type { Instance } from './instance.ts';
import type { ServiceRuntime } from './service.ts';

/** Kubernetes' CrashLoopBackOff: the restart delay doubles from 10 s… */
export const CRASH_LOOP_FIRST_DELAY_MS = 10_000;
/** …up to 5 minutes… */
export const CRASH_LOOP_MAX_DELAY_MS = 300_000;
/** …and starts over once the container has run for 10 minutes without a crash. */
export const CRASH_LOOP_RESET_MS = 600_000;

/**
 * The kubelet's delay before restarting a container that has already crashed `before` times in a
 * row: 0 s the first time, then 10 s, 20 s, 40 s… capped at 300 s.
 */
export function crashLoopDelayMs(before: number): number {
  if (before <= 0) return 0;
  return Math.min(CRASH_LOOP_MAX_DELAY_MS, CRASH_LOOP_FIRST_DELAY_MS * 2 ** (before - 1));
}

/** A leak fault in effect on a service. */
export interface Leak {
  readonly name: string;
  /** The endpoint whose answers leak; null: every endpoint of the service. */
  readonly endpoint: string | null;
  readonly perMb: number;
  readonly limitMb: number;
}

/** An instance's crash loop, as the kubelet tracks it. */
interface CrashLoop {
  /** Out-of-memory kills in a row. */
  crashes: number;
  /** When the kubelet last started it again. */
  restartedAt: number;
}

/** Tolerance of the leaked-memory sums (0.1 MB × 10 is not exactly 1 MB). */
const MB_EPSILON = 1e-9;

/** A memory size in MB for messages: whole, or to one decimal. */
export function mbText(mb: number): string {
  return `${Math.round(mb * 10) / 10}`;
}

export interface Leaks {
  /** A leak starts on `svc`: its instances' answers leak from now on. */
  start(svc: ServiceRuntime, leak: Leak): void;
  /** The leak stops (a fix is deployed); what leaked stays until the instance restarts. */
  stop(svc: ServiceRuntime, leak: Leak): void;
}

/** The leaks of one world, their out-of-memory kills and the kubelet's restarts. */
export function createLeaks(deps: {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly executor: Executor;
}): Leaks {
  const { engine, bus, executor } = deps;
  /** Active leak faults per service (the service's instances call `leakHooks` while any is). */
  const leaks = new Map<ServiceRuntime, Leak[]>();
  const leakHooks = new Map<ServiceRuntime, (instance: Instance, hop: Hop) => void>();
  /** Instances whose out-of-memory kill is due at this instant (so it is scheduled once). */
  const oomDue = new Set<Instance>();
  const crashLoops = new Map<Instance, CrashLoop>();

  /** The kubelet starts an instance killed out of memory again (unless something else did). */
  const restartAfterOom = (arg: { svc: ServiceRuntime; inst: Instance }): void => {
    if (arg.inst.state === 'crashed') arg.svc.restart(arg.inst);
  };

  /** Kills an instance whose leaked memory reached the limit, and schedules its restart. */
  const oomKill = (arg: { svc: ServiceRuntime; inst: Instance; leak: Leak }): void => {
    const { svc, inst, leak } = arg;
    oomDue.delete(inst);
    if (inst.state === 'crashed' || inst.state === 'stopped') return;
    if (inst.leakedMb < leak.limitMb - MB_EPSILON) return;
    const now = engine.now;
    let loop = crashLoops.get(inst);
    if (loop === undefined) {
      loop = { crashes: 0, restartedAt: now };
      crashLoops.set(inst, loop);
    } else if (now - loop.restartedAt >= CRASH_LOOP_RESET_MS) loop.crashes = 0;
    const delayMs = crashLoopDelayMs(loop.crashes);
    loop.crashes++;
    // A draining instance was on its way out (scaled in): the kubelet does not bring it back.
    const comesBack = inst.state !== 'draining';
    const leaked = `${mbText(inst.leakedMb)} MB leaked (limit ${mbText(leak.limitMb)} MB)`;
    const again = loop.crashes === 1 ? '' : ` again (${loop.crashes} kills in a row)`;
    const then = !comesBack
      ? 'it was draining: not restarted'
      : delayMs === 0
        ? 'restarting at once'
        : `restarting in ${delayMs / 1000} s (CrashLoopBackOff)`;
    bus.emit('instance.oom_killed', {
      at: now,
      service: svc.name,
      instance: inst.id,
      fault: leak.name,
      leakedMb: inst.leakedMb,
      limitMb: leak.limitMb,
      crashes: loop.crashes,
      restartInMs: comesBack ? delayMs : null,
      why: `${inst.id} out of memory${again}: ${leaked}, ${then}`,
    });
    executor.watchOrphans();
    svc.crash(inst);
    if (!comesBack) return;
    inst.restartPending = true;
    loop.restartedAt = now + delayMs;
    engine.postAt(now + delayMs, restartAfterOom, { svc, inst });
  };

  /** What the instances of `svc` do on each answer while a leak is active there. */
  const leakHook =
    (svc: ServiceRuntime) =>
    (inst: Instance, hop: Hop): void => {
      for (const leak of leaks.get(svc) ?? []) {
        if (leak.endpoint !== null && hop.endpoint.name !== leak.endpoint) continue;
        inst.leakedMb += leak.perMb;
        if (inst.leakedMb >= leak.limitMb - MB_EPSILON && !oomDue.has(inst)) {
          oomDue.add(inst);
          // Not now, inside the ending hop: the kill is its own event, at this same instant.
          engine.postAt(engine.now, oomKill, { svc, inst, leak });
        }
      }
    };

  return {
    start(svc, leak) {
      const list = leaks.get(svc) ?? [];
      list.push(leak);
      leaks.set(svc, list);
      let hook = leakHooks.get(svc);
      if (hook === undefined) {
        hook = leakHook(svc);
        leakHooks.set(svc, hook);
      }
      svc.setAnswered(hook);
    },
    stop(svc, leak) {
      const list = leaks.get(svc) ?? [];
      const i = list.indexOf(leak);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) svc.setAnswered(null);
    },
  };
}
