/**
 * Plain data for requests in flight: a `RequestRecord` per user request, a `Hop` per visit of a
 * request to a service endpoint. Never actors: these are on the per-request hot path.
 */
import type { FailureCause, FailureReason } from '../signals.ts';
import type { Delivery, Publication } from './broker.ts';
import type { Instance } from './instance.ts';
import type { EdgeLatency } from './network.ts';
import type { PolicyCall } from './policy-call.ts';
import type { EndpointRuntime } from './topology.ts';

/** One user request, from its workload's client to the answer. */
export interface RequestRecord {
  /** 1, 2, 3… in arrival order: a number, because formatting a string per request is costly. */
  readonly id: number;
  readonly workload: string;
  readonly arrivedAt: number;
  /** Called once when the request ends (the workload's bookkeeping, e.g. a closed-loop user). */
  readonly onDone: ((req: RequestRecord) => void) | null;
  /** Hops of this request created so far: each hop's `span` is the next number (1, 2, 3…). */
  spans: number;
}

/** What a hop does when it is granted a worker it waited for. */
export const GRANT_RUN = 1;
export const GRANT_WORK = 2;

/** One visit of a request to a service endpoint (a class for V8's sake: many are alive at once). */
export class Hop {
  instance: Instance | null;
  /** When it reached its instance; -1 until then (a hop can fail before it gets there). */
  arrivedAt: number;
  /** Index of the next op of the endpoint's program. */
  pc: number;
  /** Calls of the current step still outstanding. */
  pending: number;
  /** True while `run` is on the stack for this hop (so a synchronous child answer does not re-enter). */
  running: boolean;
  /** Set when a hard call failed (the hop fails once the step's calls are all back), and kept as
   * the root cause when the hop itself fails. */
  failedCause: FailureCause | null;
  /** The hop's own failure reason, once it has failed. */
  reason: FailureReason | null;
  /** Work (ms) drawn for a non-blocking hop waiting for a worker. */
  pendingWorkMs: number;
  holding: boolean;
  grant: number;
  /** When it began waiting for its worker, or holding it (one field: a hop does one at a time). */
  since: number;
  waitMs: number;
  residenceMs: number;
  /** Counted against a processor-sharing instance's admission limit. */
  admitted: boolean;
  ended: boolean;
  /** The logical call this hop is an attempt of (a call with policies), else null. */
  call: PolicyCall | null;
  /** Its caller stopped waiting for it (a timeout): its answer, and its work, are wasted. */
  abandoned: boolean;
  /** Some hard call on the way failed and a fallback answered instead (a degraded answer). */
  degraded: boolean;
  /** With deadline propagation: the time after which its work is dropped (else Infinity). */
  deadlineAt: number;
  /** Own work done (ms), for the wasted-work account. */
  workMs: number;
  /** Neighbours in its instance's list of hops present (for crashes). */
  prevHere: Hop | null;
  nextHere: Hop | null;
  /** The message it carries: a publish to a broker, or a delivery to a consumer (else null). */
  message: Publication | Delivery | null;
  /** This visit's number within its request (1, 2, 3…): a trace's span id. */
  readonly span: number;

  // Fields are assigned in the constructor, not as class fields: V8 initializes these faster,
  // and one hop is created per visit on the hot path.
  constructor(
    readonly request: RequestRecord,
    /** The network edge the call travels (null when in-process). */
    readonly edge: EdgeLatency | null,
    readonly endpoint: EndpointRuntime,
    readonly parent: Hop | null,
    readonly depth: number,
    readonly soft: boolean,
    readonly inProcess: boolean,
  ) {
    this.instance = null;
    this.arrivedAt = -1;
    this.pc = 0;
    this.pending = 0;
    this.running = false;
    this.failedCause = null;
    this.reason = null;
    this.pendingWorkMs = 0;
    this.holding = false;
    this.grant = 0;
    this.since = 0;
    this.waitMs = 0;
    this.residenceMs = 0;
    this.admitted = false;
    this.ended = false;
    this.call = null;
    this.abandoned = false;
    this.degraded = false;
    this.deadlineAt = parent === null ? Number.POSITIVE_INFINITY : parent.deadlineAt;
    this.workMs = 0;
    this.prevHere = null;
    this.nextHere = null;
    this.message = null;
    this.span = ++request.spans;
  }

  /** True when no waiting caller will receive its answer (it, or a caller above it, was abandoned or ended). */
  get orphaned(): boolean {
    for (let h: Hop | null = this; h !== null; h = h.parent) {
      if (h.abandoned) return true;
      if (h !== this && h.ended) return true;
    }
    return false;
  }
}
