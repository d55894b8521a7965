/**
 * Instances over time and what they cost, from `instance.state` signals. An instance is billed
 * from its start until it stops or crashes (starting, ready and draining all count, as a cloud
 * bills a VM or a pod's node share whether or not it serves); replicas are the ready instances.
 * Everything is integrated exactly over the measured window (warm-up end to run end).
 */
import type { InstanceState } from '../signals.ts';

/** A decision of an autoscaler that changed the replica count. */
export interface ScaleChange {
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly why: string;
}

/** At most this many scale changes are listed per service (the count is always exact). */
export const MAX_SCALE_CHANGES = 200;

export interface CapacityResults {
  /** ∫ billed instances dt over the measured window, in instance-seconds. */
  readonly instanceSeconds: number;
  /** Most ready instances at any moment of the measured window. */
  readonly peakReplicas: number;
  /** instanceSeconds / 3600 × costPerHour (the scenario's currency units). */
  readonly cost: number;
  readonly costPerHour: number;
  /** Autoscaler decisions that changed the replica count, over the whole run, in order. */
  readonly scaleChanges: number;
  readonly scaling: readonly ScaleChange[];
}

const BILLED: ReadonlySet<InstanceState> = new Set(['starting', 'ready', 'draining']);

class ServiceCapacity {
  billed = 0;
  ready = 0;
  area = 0;
  peak = 0;
  last = 0;
  changes = 0;
  readonly scaling: ScaleChange[] = [];
  constructor(readonly costPerHour: number) {}
}

export class CapacityTracker {
  private readonly services = new Map<string, ServiceCapacity>();
  private readonly states = new Map<string, InstanceState>();

  constructor(
    services: readonly { readonly name: string; readonly costPerHour?: number }[],
    private readonly warmupMs: number,
  ) {
    for (const s of services) this.services.set(s.name, new ServiceCapacity(s.costPerHour ?? 0));
  }

  private service(name: string): ServiceCapacity {
    let s = this.services.get(name);
    if (s === undefined) {
      s = new ServiceCapacity(0);
      this.services.set(name, s);
    }
    return s;
  }

  /** Brings the billed area up to `at` (only the part after the warm-up counts). */
  private advance(s: ServiceCapacity, at: number): void {
    const from = Math.max(s.last, this.warmupMs);
    if (at > from) s.area += s.billed * (at - from);
    s.last = Math.max(s.last, at);
  }

  instanceState(at: number, service: string, instance: string, state: InstanceState): void {
    const s = this.service(service);
    this.advance(s, at);
    const before = this.states.get(instance);
    this.states.set(instance, state);
    if (before !== undefined && BILLED.has(before)) s.billed--;
    if (BILLED.has(state)) s.billed++;
    if (before === 'ready') s.ready--;
    if (state === 'ready') s.ready++;
    if (at >= this.warmupMs) s.peak = Math.max(s.peak, s.ready);
  }

  /** An autoscaler decided; decisions that change the count are kept. */
  scaleDecided(at: number, service: string, from: number, to: number, why: string): void {
    if (from === to) return;
    const s = this.service(service);
    s.changes++;
    if (s.scaling.length < MAX_SCALE_CHANGES) s.scaling.push({ at, from, to, why });
  }

  /** The warm-up ended: the peak counts from the replicas ready now. */
  warmupEnded(at: number): void {
    for (const s of this.services.values()) {
      this.advance(s, at);
      s.peak = s.ready;
    }
  }

  results(endAt: number): Map<string, CapacityResults> {
    const out = new Map<string, CapacityResults>();
    for (const [name, s] of this.services) {
      this.advance(s, endAt);
      const instanceSeconds = s.area / 1000;
      out.set(name, {
        instanceSeconds,
        peakReplicas: Math.max(s.peak, endAt >= this.warmupMs ? s.ready : 0),
        cost: (instanceSeconds / 3600) * s.costPerHour,
        costPerHour: s.costPerHour,
        scaleChanges: s.changes,
        scaling: s.scaling.slice(),
      });
    }
    return out;
  }
}
