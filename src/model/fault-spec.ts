/**
 * Faults: what can go wrong, where, and when. A `FaultSpec` is a timeline entry (`chaos:` in a
 * scenario file); a `FaultCommand` is the same fault without timing, which the runtime (or a
 * dashboard key) applies at once and may revert later.
 */

/** Which instances of a service a fault hits: all, the first `count` ready ones, or a share. */
export type InstanceSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'percent'; readonly percent: number };

export type FaultTarget =
  /** A service (optionally one endpoint of it, for `error`, `slow` and `leak`), some or all of its instances. */
  | {
      readonly kind: 'service';
      readonly service: string;
      readonly endpoint: string | null;
      readonly instances: InstanceSelector;
    }
  /** The network edge caller → callee (`client` for a workload's requests). */
  | { readonly kind: 'edge'; readonly from: string; readonly to: string }
  /** Every edge between a service of `a` and a service of `b`, both ways. */
  | { readonly kind: 'groups'; readonly a: readonly string[]; readonly b: readonly string[] };

export type FaultAction =
  /** The instances crash: in-flight work fails as `instance_crashed`. Reverting restarts them. */
  | { readonly kind: 'kill' }
  /** The instances crash and start again at once (start-up time applies). */
  | { readonly kind: 'restart' }
  /** The instances accept work and never answer it; reverting lets held work finish. */
  | { readonly kind: 'hang' }
  /** Work takes `factor` times longer. */
  | { readonly kind: 'slow'; readonly factor: number }
  /** A share of arrivals fails at once as `error_injected` (each attempt draws again). */
  | { readonly kind: 'error'; readonly rate: number }
  /** Requests over the edge(s) take `addMs` ± uniform `jitterMs` longer (one way, clamped at 0). */
  | { readonly kind: 'latency'; readonly addMs: number; readonly jitterMs: number }
  /** A share of requests over the edge(s) never arrives: the caller waits until its timeout. */
  | { readonly kind: 'loss'; readonly rate: number }
  /** Nothing crosses between the groups (every request is lost). */
  | { readonly kind: 'partition' }
  /**
   * A memory leak: while active, every request the target answers on an instance adds `perMb` to
   * that instance's leaked memory. When it reaches `limitMb` the instance is killed out of memory
   * (as a `kill`) and restarted as Kubernetes' kubelet does (`restartPolicy: Always`, with the
   * CrashLoopBackOff delays 0 s, 10 s, 20 s, 40 s… capped at 300 s, reset after 10 minutes
   * without a crash); a restarted instance has leaked nothing. Reverting stops the leak (a fix is
   * deployed): what leaked stays until the next restart. `limitMb` null: the service's memory
   * (`resources.memoryMb`, or its technology profile's).
   */
  | { readonly kind: 'leak'; readonly perMb: number; readonly limitMb: number | null }
  /**
   * Sets a service's replicas by hand, at once (as `kubectl scale`): new instances go through
   * start-up, removed ones drain. Nothing to revert; an autoscaler may change it again.
   */
  | { readonly kind: 'scale'; readonly replicas: number };

export interface FaultCommand {
  /** Shown in signals and reports (e.g. `kill payments` or the scenario's `name:`). */
  readonly name: string;
  readonly action: FaultAction;
  readonly target: FaultTarget;
}

export interface FaultSpec extends FaultCommand {
  readonly atMs: number;
  /** Reverted after this long; null = stays until the end. */
  readonly forMs: number | null;
}
