/**
 * Per-workload, per-service and per-endpoint accumulators of the metrics collector. Each is a
 * plain mutable record updated in O(1) per signal; `*Results` turn them into document sections.
 */
import { FAILURE_REASONS, type FailureReason } from '../signals.ts';
import { LatencyStats } from './latency-stats.ts';
import type { EdgeResults, EndpointResults, FailureCounts, WorkloadResults, WorkResults } from './results.ts';

const REASON_INDEX = new Map<string, number>(FAILURE_REASONS.map((reason, i) => [reason, i]));
/** Slot for a failure signalled without a reason (a model bug, kept visible rather than dropped). */
const UNSPECIFIED = FAILURE_REASONS.length;

/** Counts failures by reason index; one slot more for `unspecified`. */
export function newFailureCounts(): Float64Array {
  return new Float64Array(FAILURE_REASONS.length + 1);
}

export function countFailure(counts: Float64Array, reason: FailureReason | undefined): void {
  const i = reason === undefined ? UNSPECIFIED : (REASON_INDEX.get(reason) ?? UNSPECIFIED);
  counts[i]! += 1;
}

/** Adds `from` into `into` (both from `newFailureCounts`). */
export function addFailureCounts(into: Float64Array, from: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
}

/** x / n, or null when n is 0. */
export function ratio(x: number, n: number): number | null {
  return n > 0 ? x / n : null;
}

/** Reasons that occurred, in `FAILURE_REASONS` order (`unspecified` last). */
export function failureCounts(counts: Float64Array): FailureCounts {
  const out: Record<string, number> = {};
  FAILURE_REASONS.forEach((reason, i) => {
    if (counts[i]! > 0) out[reason] = counts[i]!;
  });
  if (counts[UNSPECIFIED]! > 0) out.unspecified = counts[UNSPECIFIED]!;
  return out;
}

export class WorkloadAcc {
  /** Since t = 0, warm-up included (live read model; faults' before/during counts). */
  arrivedAll = 0;
  okAll = 0;
  fallbackAll = 0;
  failedAll = 0;
  /** Requests that arrived at or after the warm-up, and their outcomes. */
  requests = 0;
  ok = 0;
  fallback = 0;
  failed = 0;
  readonly failures = newFailureCounts();
  /** Failures by root cause, keyed `reason\0service\0endpoint` (few distinct keys per run). */
  readonly causes = new Map<string, number>();
  readonly latency = new LatencyStats();
  failedSumMs = 0;
  failedMaxMs = 0;
}

export function workloadResults(w: WorkloadAcc, perSec: number): WorkloadResults {
  const answered = w.ok + w.fallback;
  const done = answered + w.failed;
  return {
    requests: w.requests,
    ok: w.ok,
    fallback: w.fallback,
    failed: w.failed,
    inFlight: Math.max(0, w.requests - done),
    failures: failureCounts(w.failures),
    rootCauses: rootCauses(w.causes),
    availability: ratio(answered, done),
    successRate: ratio(w.ok, done),
    throughputPerSec: done * perSec,
    goodputPerSec: answered * perSec,
    latencyMs: w.latency.summary(),
    failedLatencyMs: {
      mean: w.failed > 0 ? w.failedSumMs / w.failed : null,
      max: w.failed > 0 ? w.failedMaxMs : null,
    },
  };
}

function rootCauses(causes: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  const sorted = [...causes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [key, n] of sorted) {
    const [reason, service, endpoint] = key.split('\0');
    out[`${reason} at ${service}/${endpoint}`] = n;
  }
  return out;
}

export class EndpointAcc {
  requests = 0;
  ok = 0;
  fallback = 0;
  failed = 0;
  readonly failures = newFailureCounts();
  /** Whole-visit latency of answered (ok and fallback) hops. */
  readonly latency = new LatencyStats();
  /** Wait for a worker, all hops. */
  readonly wait = new LatencyStats();
  waited = 0;
  residenceSumMs = 0;
}

export function endpointResults(e: EndpointAcc): EndpointResults {
  return {
    requests: e.requests,
    ok: e.ok,
    fallback: e.fallback,
    failed: e.failed,
    failures: failureCounts(e.failures),
    latencyMs: e.latency.summary(),
    waitMs: { mean: e.wait.mean(), p99: e.wait.percentile(99) },
    waitedFraction: e.requests > 0 ? e.waited / e.requests : null,
    residenceMs: { mean: e.requests > 0 ? e.residenceSumMs / e.requests : null },
  };
}

export class ServiceAcc {
  readonly endpoints = new Map<string, EndpointAcc>();
  /** Counted hops that took a place in this service's queues (not in-process). */
  hops = 0;
  residenceSumMs = 0;
  /** Hop outcomes by completion since t = 0, warm-up included (faults' before/during counts). */
  okAll = 0;
  fallbackAll = 0;
  failedAll = 0;
  /** Own work of counted hops, and the wasted part (ms). */
  workMs = 0;
  wastedMs = 0;
  /** Edges into this service, by caller, in order of first appearance. */
  readonly callers = new Map<string, EdgeAcc>();
  private lastCaller = '';
  private lastEdge: EdgeAcc | undefined;

  constructor(endpoints: readonly string[] = []) {
    for (const name of endpoints) this.endpoints.set(name, new EndpointAcc());
  }

  endpoint(name: string): EndpointAcc {
    let e = this.endpoints.get(name);
    if (e === undefined) {
      e = new EndpointAcc();
      this.endpoints.set(name, e);
    }
    return e;
  }

  /** The edge from `caller` into this service (a one-entry cache first: callers repeat). */
  edgeFrom(caller: string): EdgeAcc {
    if (caller === this.lastCaller && this.lastEdge !== undefined) return this.lastEdge;
    let e = this.callers.get(caller);
    if (e === undefined) {
      e = new EdgeAcc();
      this.callers.set(caller, e);
    }
    this.lastCaller = caller;
    this.lastEdge = e;
    return e;
  }
}

export function workResults(workMs: number, wastedMs: number): WorkResults {
  return { totalMs: workMs, wastedMs, wastedShare: workMs > 0 ? wastedMs / workMs : null };
}

/** Calls from one caller to one service (see `EdgeResults`). */
export class EdgeAcc {
  /** Some `call.completed` (warm-up included) came over this edge: it has policies. */
  policy = false;
  /** Counted hops (attempts that reached the service) and their outcomes. */
  hops = 0;
  hopOk = 0;
  hopFallback = 0;
  hopFailed = 0;
  readonly hopFailures = newFailureCounts();
  /** Counted `call.completed` and their outcomes. */
  calls = 0;
  callOk = 0;
  callFallback = 0;
  callFailed = 0;
  attempts = 0;
  readonly callFailures = newFailureCounts();
  retries = 0;
  retriesDenied = 0;
  readonly rejections = newFailureCounts();
}

export function edgeResults(caller: string, service: string, e: EdgeAcc): EdgeResults {
  const p = e.policy;
  const calls = p ? e.calls : e.hops;
  const ok = p ? e.callOk : e.hopOk;
  const fallback = p ? e.callFallback : e.hopFallback;
  const attempts = p ? e.attempts : e.hops;
  return {
    caller,
    service,
    policy: p,
    calls,
    ok,
    fallback,
    failed: p ? e.callFailed : e.hopFailed,
    failures: failureCounts(p ? e.callFailures : e.hopFailures),
    availability: ratio(ok + fallback, calls),
    successRate: ratio(ok, calls),
    attempts,
    retryAmplification: ratio(attempts, calls),
    hops: e.hops,
    retries: e.retries,
    retriesDenied: e.retriesDenied,
    rejections: failureCounts(e.rejections),
  };
}
