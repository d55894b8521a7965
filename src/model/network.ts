/**
 * One-way network latency between callers and services: a default distribution, overridden per
 * edge. A call pays the latency of its edge on the way there and again on the way back. Each
 * edge draws from its own stream (`network/from->to`), so adding an edge leaves the others alone.
 */
import { createSampler, type Distribution } from '../engine/distributions.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { NetworkSpec } from './world-spec.ts';

export interface EdgeLatency {
  /** True when the latency is always exactly 0: the hop is delivered in the same instant, unscheduled. */
  readonly zero: boolean;
  readonly sample: () => number;
}

export interface Network {
  /** The latency of the edge from `from` (a service name or `client`) to service `to`. */
  edge(from: string, to: string): EdgeLatency;
}

export function createNetwork(spec: NetworkSpec, streams: RandomStreams): Network {
  const edges = new Map<string, EdgeLatency>();
  const overrides = new Map<string, Distribution>();
  for (const e of spec.edges) overrides.set(`${e.from}->${e.to}`, e.latency);
  return {
    edge(from, to) {
      const key = `${from}->${to}`;
      let edge = edges.get(key);
      if (edge === undefined) {
        const dist = overrides.get(key) ?? spec.defaultLatency;
        edge = {
          zero: dist.kind === 'constant' && dist.value === 0,
          sample: createSampler(dist, streams.stream(`network/${key}`)),
        };
        edges.set(key, edge);
      }
      return edge;
    },
  };
}
