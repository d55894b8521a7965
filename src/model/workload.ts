/**
 * Workload generators: the clients that send user requests into the world.
 * - Open loop: arrivals at a rate regardless of answers (Poisson or evenly spaced), with an
 *   optional rate profile of steps and ramps.
 * - Closed loop: N users, each thinking, sending one request, waiting for its answer, thinking again.
 * Requests are sent only before the run's end; each workload draws from its own streams.
 */
import { createSampler } from '../engine/distributions.ts';
import type { Engine } from '../engine/engine.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { Executor } from './executor.ts';
import type { RequestRecord } from './hop.ts';
import type { EdgeLatency } from './network.ts';
import type { ClientRuntime } from './policy-call.ts';
import { createRateCurve } from './rate-curve.ts';
import type { EndpointRuntime } from './topology.ts';
import type { WorkloadSpec } from './world-spec.ts';

export interface WorkloadDeps {
  readonly engine: Engine;
  readonly streams: RandomStreams;
  readonly executor: Executor;
  /** The workload's entry endpoints, in the order of `spec.entries`. */
  readonly entries: readonly EndpointRuntime[];
  /** The client → entry-service network edge of each entry. */
  readonly edges: readonly EdgeLatency[];
  /** No request is sent at or after this time. */
  readonly endMs: number;
  /** The workload's client policies, or null. */
  readonly client?: ClientRuntime | null;
}

/** Schedules the workload's first requests; later ones follow from their own events. */
export function startWorkload(spec: WorkloadSpec, deps: WorkloadDeps): void {
  const { engine, executor, endMs } = deps;
  const client = deps.client ?? null;
  const pickEntry = createEntryPicker(spec, deps);
  if (spec.kind === 'open') {
    const rng = deps.streams.stream(`arrivals/${spec.name}`);
    const poisson = spec.arrivals === 'poisson';
    const unit = (): number => (poisson ? -Math.log(1 - rng()) : 1);
    let nextAt: () => number;
    if (spec.profile.length === 0) {
      const meanGap = spec.ratePerSec > 0 ? 1000 / spec.ratePerSec : Number.POSITIVE_INFINITY;
      nextAt = () => engine.now + unit() * meanGap;
    } else {
      const curve = createRateCurve(spec.ratePerSec, spec.profile);
      let level = 0;
      nextAt = () => {
        level += unit();
        const at = curve.timeOf(level);
        if (Number.isNaN(at)) throw new Error(`workload ${spec.name}: arrival time is NaN at level ${level}`);
        return at;
      };
    }
    const arrive = (): void => {
      const i = pickEntry();
      executor.submit(spec.name, deps.entries[i]!, deps.edges[i]!, null, client);
      const at = nextAt();
      if (at < endMs) engine.postAt(at, arrive, undefined);
    };
    const first = nextAt();
    if (first < endMs) engine.scheduleAt(first, arrive, undefined);
    return;
  }
  const think = createSampler(spec.think, deps.streams.stream(`think/${spec.name}`));
  const send = (): void => {
    const i = pickEntry();
    executor.submit(spec.name, deps.entries[i]!, deps.edges[i]!, onAnswer, client);
  };
  const onAnswer = (_req: RequestRecord): void => {
    const delay = think();
    if (engine.now + delay < endMs) engine.post(delay, send, undefined);
  };
  for (let u = 0; u < spec.users; u++) {
    const delay = think();
    if (delay < endMs) engine.schedule(delay, send, undefined);
  }
}

/** Returns a function that picks the index of the next request's entry. */
function createEntryPicker(spec: WorkloadSpec, deps: WorkloadDeps): () => number {
  const entries = deps.entries;
  if (entries.length === 1) return () => 0;
  const rng = deps.streams.stream(`mix/${spec.name}`);
  const total = spec.entries.reduce((s, e) => s + e.weight, 0);
  let acc = 0;
  const cumulative = spec.entries.map((e) => {
    acc += e.weight / total;
    return acc;
  });
  const last = entries.length - 1;
  return () => {
    const u = rng();
    for (let i = 0; i < last; i++) if (u < cumulative[i]!) return i;
    return last;
  };
}
