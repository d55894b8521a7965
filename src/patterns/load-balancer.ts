/**
 * Client-side load balancing over a service's ready instances.
 * - `round-robin` (default): each pick takes the next instance in order.
 * - `random`: uniform choice.
 * - `least-requests`: two random choices, the one with fewer active requests wins; ties go to the
 *   first drawn (Envoy's LEAST_REQUEST with choice_count 2, "power of two choices").
 */
import type { RandomStream } from '../engine/random.ts';

export type LoadBalancerKind = 'round-robin' | 'random' | 'least-requests';

export interface LoadBalancer<T> {
  /** Picks one of `candidates`, or undefined when there are none. */
  pick(candidates: readonly T[]): T | undefined;
}

/** `activeRequests` tells least-requests how loaded a candidate is. */
export function createLoadBalancer<T>(
  kind: LoadBalancerKind,
  rng: RandomStream,
  activeRequests: (candidate: T) => number,
): LoadBalancer<T> {
  switch (kind) {
    case 'round-robin': {
      let next = 0;
      return {
        pick(candidates) {
          const n = candidates.length;
          if (n === 0) return undefined;
          if (next >= n) next = 0;
          return candidates[next++];
        },
      };
    }
    case 'random':
      return {
        pick(candidates) {
          const n = candidates.length;
          if (n === 0) return undefined;
          return candidates[Math.floor(rng() * n)];
        },
      };
    case 'least-requests':
      return {
        pick(candidates) {
          const n = candidates.length;
          if (n <= 1) return candidates[0];
          const a = candidates[Math.floor(rng() * n)]!;
          const b = candidates[Math.floor(rng() * n)]!;
          return activeRequests(b) < activeRequests(a) ? b : a;
        },
      };
  }
}
