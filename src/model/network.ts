/**
 * One-way network latency between callers and services: a default distribution, overridden per
 * edge. A call pays the latency of its edge on the way there and again on the way back. Each
 * edge draws from its own stream (`network/from->to`), so adding an edge leaves the others alone.
 */
import { createSampler, type Distribution } from '../engine/distributions.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { NetworkSpec } from './world-spec.ts';

export interface EdgeLatency {
  readonly from: string;
  readonly to: string;
  /** True when the latency is always exactly 0 and no fault is active: delivered in the same instant. */
  zero: boolean;
  /** A network fault is active: check `lost()` before sending. */
  faulted: boolean;
  /** One-way latency of a request (faults included). */
  readonly sample: () => number;
  /** One-way latency of an answer (latency faults apply to requests only). */
  readonly back: () => number;
  /** Draws whether this request is lost (loss or partition faults). */
  lost(): boolean;
}

/** What network faults do to one edge while active (set by the fault injector). */
export interface EdgeFault {
  addMs: number;
  jitterMs: number;
  lossRate: number;
  partitioned: number;
}

export interface Network {
  /** The latency of the edge from `from` (a service name or `client`) to service `to`. */
  edge(from: string, to: string): EdgeLatency;
  /** Every edge created so far. */
  edges(): EdgeLatency[];
  /** The fault state of `edge` (created on first use); call `refresh(edge)` after changing it. */
  fault(edge: EdgeLatency): EdgeFault;
  refresh(edge: EdgeLatency): void;
}

export function createNetwork(spec: NetworkSpec, streams: RandomStreams): Network {
  const edges = new Map<string, EdgeLatency>();
  const overrides = new Map<string, Distribution>();
  const faults = new Map<EdgeLatency, EdgeFault>();
  const baseZero = new Map<EdgeLatency, boolean>();
  for (const e of spec.edges) overrides.set(`${e.from}->${e.to}`, e.latency);
  return {
    edge(from, to) {
      const key = `${from}->${to}`;
      let edge = edges.get(key);
      if (edge === undefined) {
        const dist = overrides.get(key) ?? spec.defaultLatency;
        const base = createSampler(dist, streams.stream(`network/${key}`));
        const faultRng = streams.stream(`network-faults/${key}`);
        const state: EdgeFault = { addMs: 0, jitterMs: 0, lossRate: 0, partitioned: 0 };
        const created: EdgeLatency = {
          from,
          to,
          zero: dist.kind === 'constant' && dist.value === 0,
          faulted: false,
          sample: () => {
            if (!created.faulted || (state.addMs === 0 && state.jitterMs === 0)) return base();
            const jitter = state.jitterMs === 0 ? 0 : (2 * faultRng() - 1) * state.jitterMs;
            return Math.max(0, base() + state.addMs + jitter);
          },
          back: base,
          lost: () => state.partitioned > 0 || (state.lossRate > 0 && faultRng() < state.lossRate),
        };
        edge = created;
        edges.set(key, edge);
        faults.set(edge, state);
        baseZero.set(edge, edge.zero);
      }
      return edge;
    },
    edges: () => [...edges.values()],
    fault: (edge) => faults.get(edge)!,
    refresh(edge) {
      const f = faults.get(edge)!;
      edge.faulted = f.addMs !== 0 || f.jitterMs !== 0 || f.lossRate > 0 || f.partitioned > 0;
      edge.zero = baseZero.get(edge)! && !(f.addMs !== 0 || f.jitterMs !== 0);
    },
  };
}
