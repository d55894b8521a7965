/**
 * A service at run time: its instances (each with an xstate lifecycle actor on the simulation
 * clock), the list of ready ones that the load balancer picks from, and counters for the
 * instability guard.
 */
import { type Actor, createActor } from 'xstate';
import { createSampler } from '../engine/distributions.ts';
import type { Engine } from '../engine/engine.ts';
import type { RandomStreams } from '../engine/random.ts';
import { createLoadBalancer, type LoadBalancer } from '../patterns/load-balancer.ts';
import { OutlierDetector } from '../patterns/outlier-detector.ts';
import { RateLimiter } from '../patterns/rate-limiter.ts';
import type { InstanceState, ServiceGauges } from '../signals.ts';
import type { Hop } from './hop.ts';
import { instanceMachine } from './instance.machine.ts';
import { Instance, type InstanceHost } from './instance.ts';
import type { ServiceTopology } from './topology.ts';
import type { VersionSpec } from './world-spec.ts';

export interface ServiceRuntime {
  readonly topology: ServiceTopology;
  readonly name: string;
  readonly instances: Instance[];
  /** Ready instances, in start order: what the load balancer picks from. */
  readonly ready: Instance[];
  readonly lb: LoadBalancer<Instance>;
  /** Starts one more instance (in state `starting`), of `version` or of the current version. */
  startInstance(version?: VersionSpec): Instance;
  /** The version new instances run (the first of `versions`, or the target of the latest rollout). */
  version: VersionSpec;
  /** The service's versions by name. */
  readonly versions: ReadonlyMap<string, VersionSpec>;
  /**
   * Sets what every instance (those to come included) calls when it answers a request, for a
   * `leak` fault; null removes it.
   */
  setAnswered(hook: ((instance: Instance, hop: Hop) => void) | null): void;
  /** Crashes `instance` (its in-flight work fails, its leaked memory is freed); it stays down until `restart`. */
  crash(instance: Instance): void;
  /** Starts a crashed instance again (through start-up). */
  restart(instance: Instance): void;
  /**
   * Instances starting or ready (those that count as replicas; draining ones are on their way
   * out, crashed ones are restarted by their fault's end).
   */
  replicas(): number;
  /**
   * Scales to `n` replicas: starts new instances (through start-up: a cold start), or removes
   * some — starting ones first (they serve nothing yet), then the newest ready ones, which drain:
   * they take no new requests and stop once every request sent to them has ended.
   */
  scaleTo(n: number): void;
  /** Removes one instance: a starting one stops at once, a ready one drains, then stops. */
  remove(instance: Instance): void;
  gauges(now: number): ServiceGauges;
}

export interface ServiceDeps {
  readonly engine: Engine;
  readonly streams: RandomStreams;
  readonly host: InstanceHost;
  readonly maxQueueLength: number;
  readonly onState: (service: string, instance: string, state: InstanceState) => void;
  /** Fails every hop present on a crashed instance and empties it. */
  readonly onCrash: (instance: Instance) => void;
  readonly onEjected?: (service: string, instance: string, untilMs: number, why: string) => void;
  readonly onReturned?: (service: string, instance: string) => void;
}

export function createServiceRuntime(topology: ServiceTopology, deps: ServiceDeps): ServiceRuntime {
  const { spec } = topology;
  const sampleStartup = createSampler(spec.startup, deps.streams.stream(`startup/${spec.name}`));
  const versionSamplers = new Map<string, () => number>();
  /** Start-up time of an instance of a version with its own technology profile. */
  const versionStartup = (version: VersionSpec): number => {
    let sample = versionSamplers.get(version.name);
    if (sample === undefined) {
      sample = createSampler(
        version.technology!.startup,
        deps.streams.stream(`startup/${spec.name}@${version.name}`),
      );
      versionSamplers.set(version.name, sample);
    }
    return sample();
  };
  let started = 0;
  let answered: ((instance: Instance, hop: Hop) => void) | null = null;
  const actors = new Map<Instance, Actor<typeof instanceMachine>>();
  const inboundLimiter = spec.inbound?.rateLimiter ?? null;
  const technology = spec.technology?.profile ?? null;
  const versionList: readonly VersionSpec[] = spec.versions ?? [{ name: 'v1', workFactor: 1, errorRate: 0 }];
  // Arrivals go through error injection when some version has errors of its own.
  if (versionList.some((v) => v.errorRate > 0)) topology.guarded = true;
  const svc: ServiceRuntime = {
    version: versionList[0]!,
    versions: new Map(versionList.map((v) => [v.name, v])),
    topology,
    name: spec.name,
    instances: [],
    ready: [],
    lb: createLoadBalancer<Instance>(
      spec.loadBalancing,
      deps.streams.stream(`lb/${spec.name}`),
      (i) => i.active,
    ),
    startInstance(version = svc.version) {
      const inst = new Instance(
        `${spec.name}#${++started}`,
        spec.workers,
        spec.queueCapacity,
        spec.discipline,
        deps.maxQueueLength,
        deps.engine,
        deps.host,
      );
      svc.instances.push(inst);
      inst.answered = answered;
      if (inboundLimiter !== null) inst.inboundLimiter = new RateLimiter(inboundLimiter);
      // A version on a technology of its own (a rewrite) uses that profile instead.
      const profile = version.technology ?? technology;
      if (profile !== null) inst.applyTechnology(profile);
      inst.applyVersion(version.name, version.workFactor, version.errorRate);
      const actor = createActor(instanceMachine, {
        clock: deps.engine.clock,
        input: { startupMs: version.technology === undefined ? sampleStartup() : versionStartup(version) },
      });
      let last: InstanceState | undefined;
      actor.subscribe((snapshot) => {
        const state = snapshot.value as InstanceState;
        if (state === last) return;
        last = state;
        inst.setState(state);
        const i = svc.ready.indexOf(inst);
        if (state === 'ready' && i < 0) svc.ready.push(inst);
        if (state !== 'ready' && i >= 0) svc.ready.splice(i, 1);
        deps.onState(spec.name, inst.id, state);
      });
      actor.start();
      actors.set(inst, actor);
      return inst;
    },
    setAnswered(hook) {
      answered = hook;
      for (const inst of svc.instances) inst.answered = hook;
    },
    crash(inst) {
      if (inst.state === 'crashed' || inst.state === 'stopped') return;
      inst.onEmpty = null; // a crash ends a drain: the restarted instance serves again
      actors.get(inst)!.send({ type: 'crash' });
      deps.onCrash(inst);
      inst.leakedMb = 0; // the process is gone, and its memory with it
    },
    restart(inst) {
      if (inst.state !== 'crashed') return;
      inst.restartPending = false;
      // A new process: its inbound limiter starts full again.
      if (inboundLimiter !== null) inst.inboundLimiter = new RateLimiter(inboundLimiter);
      actors.get(inst)!.send({ type: 'restart', startupMs: sampleStartup() });
    },
    replicas() {
      let n = 0;
      for (const inst of svc.instances) {
        if (
          inst.state === 'starting' ||
          inst.state === 'ready' ||
          (inst.state === 'crashed' && inst.restartPending)
        )
          n++;
      }
      return n;
    },
    scaleTo(n) {
      let current = svc.replicas();
      while (current < n) {
        svc.startInstance();
        current++;
      }
      if (current <= n) return;
      const starting = svc.instances.filter((i) => i.state === 'starting').reverse();
      const ready = svc.instances.filter((i) => i.state === 'ready').reverse();
      for (const inst of [...starting, ...ready]) {
        if (current <= n) break;
        current--;
        svc.remove(inst);
      }
    },
    remove(inst) {
      const actor = actors.get(inst)!;
      if (inst.state === 'starting') {
        actor.send({ type: 'stop' });
        return;
      }
      if (inst.state !== 'ready') return;
      actor.send({ type: 'drain' });
      const drained = (): void => {
        inst.onEmpty = null;
        actor.send({ type: 'drained' });
      };
      if (inst.empty) drained();
      else inst.onEmpty = drained;
    },
    gauges(now) {
      let readyInstances = 0;
      let workers = 0;
      let busy = 0;
      let queued = 0;
      let inSystem = 0;
      let busyArea = 0;
      let capacityArea = 0;
      let queueArea = 0;
      let inSystemArea = 0;
      let readyArea = 0;
      for (const inst of svc.instances) {
        inst.touch(now);
        if (inst.state === 'ready') {
          readyInstances++;
          workers += inst.workers;
        }
        busy += inst.busyWorkers;
        queued += inst.queued;
        inSystem += inst.inSystem;
        busyArea += inst.busyArea;
        capacityArea += inst.capacityArea;
        queueArea += inst.queueArea;
        inSystemArea += inst.inSystemArea;
        readyArea += inst.readyArea;
      }
      return {
        service: spec.name,
        readyInstances,
        workers,
        busy,
        queued,
        inSystem,
        busyArea,
        capacityArea,
        queueArea,
        inSystemArea,
        readyArea,
        instances: instanceAreas(svc.instances),
      };
    },
  };
  const outlierSpec = spec.outlierDetection ?? null;
  if (outlierSpec === null) {
    topology.pick = () => svc.lb.pick(svc.ready);
  } else {
    const detector = new OutlierDetector<Instance>(outlierSpec, (i) => i.id);
    const routable: Instance[] = [];
    topology.outlier = (inst, failed) => {
      const ejection = detector.onResult(inst, failed, deps.engine.now, svc.ready.length);
      if (ejection !== undefined) deps.onEjected?.(spec.name, inst.id, ejection.untilMs, ejection.why);
    };
    topology.pick = () => {
      const now = deps.engine.now;
      if (detector.ejectedCount > 0) {
        for (const back of detector.expire(now)) deps.onReturned?.(spec.name, back.id);
      }
      if (detector.ejectedCount === 0) return svc.lb.pick(svc.ready);
      routable.length = 0;
      for (const inst of svc.ready) if (!detector.isEjected(inst, now)) routable.push(inst);
      // Envoy's panic threshold: with fewer than 50% of hosts healthy, balance over all of them.
      return svc.lb.pick(routable.length * 2 < svc.ready.length ? svc.ready : routable);
    };
  }
  return svc;
}

/** The busy and capacity areas of the instances not stopped, for per-instance utilization. */
function instanceAreas(
  instances: readonly Instance[],
): { id: string; busyArea: number; capacityArea: number }[] {
  const out: { id: string; busyArea: number; capacityArea: number }[] = [];
  for (const i of instances) {
    if (i.state !== 'stopped') out.push({ id: i.id, busyArea: i.busyArea, capacityArea: i.capacityArea });
  }
  return out;
}
