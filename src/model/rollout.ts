/**
 * Rollouts of new versions, on the simulation clock: a controller per rollout checks the
 * service's instances every second and moves it towards the target version by its strategy
 * (see `DeployStrategy`), draining old instances gracefully. Every change is a
 * `deploy.progressed` signal with the version mix and the reason.
 *
 * Rolling update follows Kubernetes' Deployment controller: with `n` replicas, at most
 * `n + ceil(maxSurge × n)` instances exist and at least `n − floor(maxUnavailable × n)` are
 * ready; when both round to 0, the surge is 1. A canary's traffic share is its share of the
 * instances (round robin, no weighted routing).
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { Signals } from '../signals.ts';
import type { Instance } from './instance.ts';
import type { ServiceRuntime } from './service.ts';
import type { DeploySpec, VersionSpec } from './world-spec.ts';

const TICK_MS = 1000;

const serving = (i: Instance): boolean => i.state === 'starting' || i.state === 'ready';

/** Starts the rollout now; it runs until it completes or rolls back. */
export function startRollout(
  svc: ServiceRuntime,
  deploy: DeploySpec,
  engine: Engine,
  bus: Bus<Signals>,
): void {
  const target = svc.versions.get(deploy.to);
  if (target === undefined) throw new Error(`service ${svc.name} has no version "${deploy.to}"`);
  const previous = svc.version;
  const n = svc.replicas();
  const strategy = deploy.strategy;
  bus.emit('deploy.started', {
    at: engine.now,
    service: svc.name,
    from: previous.name,
    to: target.name,
    strategy: strategy.kind,
  });
  if (strategy.kind !== 'canary') svc.version = target;

  const mix = (): Record<string, number> => {
    const m: Record<string, number> = {};
    for (const i of svc.ready) m[i.version] = (m[i.version] ?? 0) + 1;
    return m;
  };
  const progressed = (why: string): void =>
    bus.emit('deploy.progressed', { at: engine.now, service: svc.name, mix: mix(), why });
  const ended = (outcome: 'completed' | 'rolled_back', why: string): void =>
    bus.emit('deploy.ended', { at: engine.now, service: svc.name, outcome, why });

  /** Removes up to `k` instances of other versions than `keep`: starting ones first, then ready ones (drained). */
  const removeOld = (keep: VersionSpec, k: number): number => {
    const starting = svc.instances.filter((i) => i.state === 'starting' && i.version !== keep.name);
    const ready = svc.instances.filter((i) => i.state === 'ready' && i.version !== keep.name);
    let removed = 0;
    for (const inst of [...starting, ...ready]) {
      if (removed >= k) break;
      svc.remove(inst);
      removed++;
    }
    return removed;
  };
  const count = (version: string, ready: boolean): number =>
    svc.instances.filter((i) => i.version === version && (ready ? i.state === 'ready' : serving(i))).length;

  let tick: () => void;
  if (strategy.kind === 'rolling') {
    let surge = Math.ceil(strategy.maxSurge * n);
    const unavailable = Math.floor(strategy.maxUnavailable * n);
    if (surge === 0 && unavailable === 0) surge = 1;
    tick = () => {
      const fresh = count(target.name, false);
      const total = svc.instances.filter(serving).length;
      const start = Math.min(n - fresh, n + surge - total);
      for (let k = 0; k < start; k++) svc.startInstance(target);
      const available = svc.ready.length;
      const old = total - fresh;
      const removed = removeOld(target, Math.min(old, available - (n - unavailable)));
      if (start > 0 || removed > 0) {
        progressed(
          `rolling update: started ${Math.max(0, start)} of ${target.name}, draining ${removed} of the old (surge ${surge}, unavailable ${unavailable})`,
        );
      }
      if (count(target.name, true) >= n && svc.instances.filter(serving).length === n) {
        ended('completed', `${svc.name} runs ${target.name} on all ${n} instances`);
        return;
      }
      engine.schedule(TICK_MS, tick, undefined);
    };
  } else if (strategy.kind === 'blue-green') {
    for (let k = 0; k < n; k++) svc.startInstance(target);
    progressed(
      `blue/green: started ${n} instances of ${target.name} next to the ${n} running ${previous.name}`,
    );
    tick = () => {
      if (count(target.name, true) < n) {
        engine.schedule(TICK_MS, tick, undefined);
        return;
      }
      const removed = removeOld(target, Number.POSITIVE_INFINITY);
      progressed(
        `blue/green: all ${n} instances of ${target.name} ready; switched, draining ${removed} of ${previous.name}`,
      );
      ended('completed', `${svc.name} switched to ${target.name}`);
    };
  } else {
    let step = -1;
    let stepEndsAt = engine.now;
    const base = new Map<Instance, { ok: number; failed: number; latency: number }>();
    const rate = (version: string): { calls: number; failed: number; meanMs: number } => {
      let calls = 0;
      let failed = 0;
      let ok = 0;
      let latency = 0;
      for (const i of svc.instances) {
        if (i.version !== version) continue;
        const b = base.get(i) ?? { ok: 0, failed: 0, latency: 0 };
        calls += i.hopsOk - b.ok + (i.hopsFailed - b.failed);
        failed += i.hopsFailed - b.failed;
        ok += i.hopsOk - b.ok;
        latency += i.okLatencySumMs - b.latency;
      }
      return { calls, failed, meanMs: ok > 0 ? latency / ok : 0 };
    };
    const snapshot = (): void => {
      for (const i of svc.instances)
        base.set(i, { ok: i.hopsOk, failed: i.hopsFailed, latency: i.okLatencySumMs });
    };
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    tick = () => {
      if (engine.now >= stepEndsAt) {
        if (step >= 0) {
          const canary = rate(target.name);
          const old = rate(previous.name);
          const canaryRate = canary.calls > 0 ? canary.failed / canary.calls : 0;
          const oldRate = old.calls > 0 ? old.failed / old.calls : 0;
          const evidence = `canary ${target.name} failed ${canary.failed} of ${canary.calls} (${pct(canaryRate)}), ${previous.name} ${old.failed} of ${old.calls} (${pct(oldRate)})`;
          const slower =
            old.meanMs > 0 && canary.meanMs > old.meanMs * (1 + strategy.maxLatencyIncrease)
              ? `; mean latency ${canary.meanMs.toFixed(1)} ms vs ${old.meanMs.toFixed(1)} ms, more than ${pct(strategy.maxLatencyIncrease)} slower`
              : '';
          const worse = canaryRate > oldRate + strategy.maxErrorIncrease;
          if (canary.calls >= strategy.minCalls && (worse || slower !== '')) {
            svc.version = previous;
            const removed = removeOld(previous, Number.POSITIVE_INFINITY);
            const back = n - count(previous.name, false);
            for (let k = 0; k < back; k++) svc.startInstance(previous);
            progressed(
              `canary: rolled back, draining ${removed} of ${target.name}, starting ${back} of ${previous.name}`,
            );
            const errorsWhy = worse ? `, more than ${pct(strategy.maxErrorIncrease)} above` : '';
            ended('rolled_back', `${svc.name} rolled back ${target.name}: ${evidence}${errorsWhy}${slower}`);
            return;
          }
          if (step === strategy.steps.length - 1) {
            svc.version = target;
            progressed(`canary: promoted, ${target.name} on every instance`);
            ended('completed', `${svc.name} runs ${target.name}: ${evidence}`);
            return;
          }
          progressed(`canary step ${step + 1} passed: ${evidence}`);
        }
        step++;
        stepEndsAt = engine.now + strategy.stepMs;
        snapshot();
      }
      // Bring the mix to this step's share: start canaries, then drain old ones as canaries get ready.
      const want = Math.min(n, Math.ceil(strategy.steps[step]! * n));
      const canaries = count(target.name, false);
      for (let k = canaries; k < want; k++) svc.startInstance(target);
      const readyCanaries = count(target.name, true);
      const oldServing = count(previous.name, false);
      const excess = oldServing - (n - Math.min(readyCanaries, want));
      if (excess > 0) removeOld(target, excess);
      engine.schedule(TICK_MS, tick, undefined);
    };
  }
  tick();
}
