/**
 * One running instance of a service: its workers, its waiting queue (FIFO) or its shared CPU
 * (processor sharing), and the cumulative areas behind utilization and queue-length gauges.
 *
 * Invariants: `busy <= workers`; a worker freed while requests wait is handed to the oldest
 * waiting request at the same instant; every change of busy/queued/jobs first calls `touch`.
 */
import { Deque } from '../engine/deque.ts';
import type { Engine, EventHandle } from '../engine/engine.ts';
import { EventQueue } from '../engine/event-queue.ts';
import type { RateLimiter } from '../patterns/rate-limiter.ts';
import type { InstanceState } from '../signals.ts';
import type { Hop } from './hop.ts';
import type { TechnologyProfile } from './technology.ts';

/** What an instance calls back into. */
export interface InstanceHost {
  /** A waiting hop got a worker. */
  granted(hop: Hop): void;
  /** A hop's work finished on the shared CPU (processor sharing). */
  psDone(hop: Hop): void;
  /** An unbounded queue passed the instability limit. */
  unstable(instance: Instance): void;
}

export type AcquireResult = 'started' | 'queued' | 'full';

export class Instance {
  state: InstanceState = 'starting';
  /**
   * Work here is not taken as sampled: a fault is active, or a technology profile scales it (see
   * `workScale`). The one check on the hot path; false for a plain instance.
   */
  workAdjusted = false;
  private faultActive = false;
  /** The profile still changes work here: a work factor ≠ 1, or a warm-up not yet seen to end. */
  private tuned = false;
  private workFactor = 1;
  private warmupMs = 0;
  /** The profile's warm-up factor − 1 (0: no warm-up). */
  private warmupExtra = 0;
  /** When the instance last became ready, and when its warm-up ends (−∞: not warming up). */
  private readyAt = 0;
  private warmUntil = Number.NEGATIVE_INFINITY;
  /** The service version this instance runs. */
  version = 'v1';
  /** Errors of that version (a bug): share of arrivals failing as `error_injected`. */
  versionErrorRate = 0;
  /** Visits (not in-process) that ended here, ok and failed: what a canary analysis compares. */
  hopsOk = 0;
  hopsFailed = 0;
  /** Sum of the latencies (ms) of the visits that ended here ok. */
  okLatencySumMs = 0;
  /** Hang fault: work never finishes until the fault is reverted. */
  hung = false;
  /** Slow fault: work takes this many times longer. */
  slowFactor = 1;
  /** Error fault on the whole instance: share of arrivals that fail as `error_injected`. */
  errorRate = 0;
  /** Memory leaked by a `leak` fault (MB); a crash frees it (the process is gone). */
  leakedMb = 0;
  /**
   * Crashed, and the kubelet will start it again (a CrashLoopBackOff wait): it still counts as
   * one of the service's replicas, as a crash-looping pod does in Kubernetes.
   */
  restartPending = false;
  /**
   * Called when a hop ends here answered (not failed), while a `leak` fault is active on the
   * service; null otherwise (the one check on the hot path).
   */
  answered: ((instance: Instance, hop: Hop) => void) | null = null;
  /** Inbound token bucket (the service's `inbound.rateLimiter`), or null. */
  inboundLimiter: RateLimiter | null = null;
  /** Set while draining: called when the last hop sent here has ended (see `empty`). */
  onEmpty: (() => void) | null = null;
  /** Hops whose work is held by a hang fault. */
  readonly hungHops: Hop[] = [];
  /** First and last of the hops present here (arrived and not ended), in arrival order. */
  private firstHere: Hop | null = null;
  private lastHere: Hop | null = null;
  /** Workers busy (FIFO), or jobs on the CPU (PS). */
  busy = 0;
  /** Hops present (arrival to departure), for least-requests balancing. */
  active = 0;
  busyArea = 0;
  capacityArea = 0;
  queueArea = 0;
  inSystemArea = 0;
  readyArea = 0;
  private lastTouch = 0;
  private readonly queue = new Deque<Hop>();
  private readonly ps: boolean;
  /** PS: jobs keyed by the virtual time at which they finish. */
  private readonly psJobs = new EventQueue();
  private psVirtual = 0;
  private psLast = 0;
  private psEvent: EventHandle | null = null;

  constructor(
    readonly id: string,
    readonly workers: number,
    readonly queueCapacity: number,
    discipline: 'fifo' | 'ps',
    private readonly maxQueueLength: number,
    private readonly engine: Engine,
    private readonly host: InstanceHost,
  ) {
    this.ps = discipline === 'ps';
  }

  /**
   * Some fault is active here (check the fields below). Set by the fault injector, which
   * recomputes it from the fields; keeps `workAdjusted` on while a profile still needs it.
   */
  get faulted(): boolean {
    return this.faultActive;
  }

  set faulted(active: boolean) {
    this.faultActive = active;
    this.workAdjusted = active || this.tuned;
  }

  /**
   * Applies a technology profile's work factor and warm-up, before the instance first becomes
   * ready (its start-up time and memory are the service's `startup` and `resources`).
   */
  applyTechnology(profile: TechnologyProfile): void {
    this.workFactor = profile.workFactor;
    this.warmupMs = profile.warmupMs;
    this.warmupExtra = profile.warmupMs > 0 ? profile.warmupFactor - 1 : 0;
    this.setTuned(this.workFactor !== 1);
  }

  /** Runs `version`: its work factor multiplies the profile's; its error rate applies at arrival. */
  applyVersion(name: string, workFactor: number, errorRate: number): void {
    this.version = name;
    this.versionErrorRate = errorRate;
    this.workFactor *= workFactor;
    this.setTuned(this.tuned || this.workFactor !== 1);
  }

  /**
   * What the work sampled now is multiplied by: the work factor, the warm-up factor (decaying
   * linearly from `warmupFactor` at ready to 1 after `warmupMs`) and the slow faults. Called only
   * while `workAdjusted`; once the warm-up is over (and nothing else applies) it turns that off.
   */
  workScale(now: number): number {
    let scale = this.workFactor;
    if (now < this.warmUntil) scale *= 1 + this.warmupExtra * (1 - (now - this.readyAt) / this.warmupMs);
    else if (this.tuned && this.workFactor === 1) this.setTuned(false);
    return scale * this.slowFactor;
  }

  private setTuned(tuned: boolean): void {
    this.tuned = tuned;
    this.workAdjusted = this.faultActive || tuned;
  }

  /** Every time the instance becomes ready (a restart included), it warms up again. */
  private startWarmup(now: number): void {
    if (this.warmupExtra === 0) return;
    this.readyAt = now;
    this.warmUntil = now + this.warmupMs;
    this.setTuned(true);
  }

  get queued(): number {
    return this.ps ? 0 : this.queue.length;
  }

  get busyWorkers(): number {
    return this.ps ? Math.min(this.psJobs.size, this.workers) : this.busy;
  }

  get inSystem(): number {
    return this.ps ? this.psJobs.size : this.busy + this.queue.length;
  }

  /**
   * The busy and capacity areas as they will be at `now`, without bringing them up to date:
   * reading them from outside (a live view) must not change how the sums are rounded, or the run
   * would differ from one that nobody watched.
   */
  areasAt(now: number): { busy: number; capacity: number } {
    const dt = Math.max(0, now - this.lastTouch);
    return {
      busy: this.busyArea + this.busyWorkers * dt,
      capacity: this.capacityArea + (this.state === 'ready' ? this.workers * dt : 0),
    };
  }

  /** Brings the cumulative areas up to `now`. */
  touch(now: number): void {
    const dt = now - this.lastTouch;
    if (dt <= 0) return;
    this.lastTouch = now;
    // The getters' arithmetic, written out: this runs twice per request on the hot path.
    if (this.ps) {
      const jobs = this.psJobs.size;
      this.busyArea += Math.min(jobs, this.workers) * dt;
      this.inSystemArea += jobs * dt;
    } else {
      const busy = this.busy;
      const queued = this.queue.length;
      this.busyArea += busy * dt;
      this.queueArea += queued * dt;
      this.inSystemArea += (busy + queued) * dt;
    }
    if (this.state === 'ready') {
      this.capacityArea += this.workers * dt;
      this.readyArea += dt;
    }
  }

  setState(state: InstanceState): void {
    this.touch(this.engine.now);
    if (state === 'ready' && this.state !== 'ready') this.startWarmup(this.engine.now);
    this.state = state;
  }

  /** Adds `hop` to the hops present (on arrival). */
  enter(hop: Hop): void {
    hop.prevHere = this.lastHere;
    hop.nextHere = null;
    if (this.lastHere === null) this.firstHere = hop;
    else this.lastHere.nextHere = hop;
    this.lastHere = hop;
  }

  /** Removes `hop` from the hops present (when it ends); an answered one feeds an active leak. */
  leave(hop: Hop): void {
    const { prevHere, nextHere } = hop;
    if (prevHere === null) {
      if (this.firstHere !== hop) return; // not listed here
      this.firstHere = nextHere;
    } else prevHere.nextHere = nextHere;
    if (nextHere === null) this.lastHere = prevHere;
    else nextHere.prevHere = prevHere;
    hop.prevHere = null;
    hop.nextHere = null;
    if (this.answered !== null && hop.reason === null) this.answered(this, hop);
  }

  /** The hops present, in arrival order (a copy). */
  present(): Hop[] {
    const hops: Hop[] = [];
    for (let h = this.firstHere; h !== null; h = h.nextHere) hops.push(h);
    return hops;
  }

  /** Nothing present and nothing on its way here: a draining instance may stop. */
  get empty(): boolean {
    return this.firstHere === null && this.active <= 0;
  }

  /** Whether requests may arrive here (ready, or draining what it holds). */
  get alive(): boolean {
    return this.state === 'ready' || this.state === 'draining';
  }

  /**
   * After a crash has failed every hop present: empties the queue, the CPU and the workers, so a
   * restart begins clean. Areas are brought up to now first.
   */
  clearAfterCrash(): void {
    this.touch(this.engine.now);
    while (this.queue.shift() !== undefined) {}
    this.busy = 0;
    this.psAdmitted = 0;
    while (this.psJobs.pop() !== undefined) {}
    if (this.psEvent !== null) this.engine.cancel(this.psEvent);
    this.psEvent = null;
    this.psVirtual = 0;
    this.hungHops.length = 0;
    this.firstHere = null;
    this.lastHere = null;
  }

  /** Waiting hops now (FIFO queue length). */
  get waiting(): number {
    return this.queue.length;
  }

  /** FIFO: takes a worker for `hop`, or queues it, or refuses it when the queue is full. */
  acquire(hop: Hop): AcquireResult {
    const now = this.engine.now;
    this.touch(now);
    if (this.busy < this.workers) {
      this.busy++;
      hop.holding = true;
      hop.since = now;
      return 'started';
    }
    if (this.queue.length >= this.queueCapacity) return 'full';
    hop.since = now;
    this.queue.push(hop);
    if (this.queue.length > this.maxQueueLength) this.host.unstable(this);
    return 'queued';
  }

  /** FIFO: frees `hop`'s worker and hands it to the oldest waiting hop, if any. */
  release(hop: Hop): void {
    const now = this.engine.now;
    this.touch(now);
    hop.holding = false;
    hop.residenceMs += now - hop.since;
    const next = this.state === 'crashed' ? undefined : this.queue.shift();
    if (next === undefined) {
      this.busy--;
      return;
    }
    next.waitMs += now - next.since;
    next.residenceMs += now - next.since;
    next.holding = true;
    next.since = now;
    this.host.granted(next);
  }

  /** PS: requests admitted and not yet answered (working, or waiting on their calls). */
  psAdmitted = 0;

  /** PS: whether one more request fits (those beyond `workers` count against the queue capacity). */
  psAdmits(): boolean {
    return this.psAdmitted < this.workers + this.queueCapacity;
  }

  /** PS: puts `workMs` of work for `hop` on the shared CPU. */
  psAdd(hop: Hop, workMs: number): void {
    this.psAdvance();
    hop.since = this.engine.now;
    this.psJobs.push(this.psVirtual + workMs, 0, noop, hop);
    if (this.psJobs.size > this.workers + this.maxQueueLength) this.host.unstable(this);
    this.psReschedule();
  }

  /** Advances virtual time (service each job has received) to now. */
  private psAdvance(): void {
    const now = this.engine.now;
    const dt = now - this.psLast;
    const n = this.psJobs.size;
    if (n > 0 && dt > 0) this.psVirtual += dt * (n <= this.workers ? 1 : this.workers / n);
    this.psLast = now;
    this.touch(now);
  }

  private psReschedule(): void {
    if (this.psEvent !== null) this.engine.cancel(this.psEvent);
    this.psEvent = null;
    const next = this.psJobs.peek();
    if (next === undefined) return;
    const n = this.psJobs.size;
    const rate = n <= this.workers ? 1 : this.workers / n;
    const delay = Math.max(0, (next.at - this.psVirtual) / rate);
    this.psEvent = this.engine.schedule(delay, psFire, this);
  }

  /** PS: the next job(s) finished. */
  firePs(): void {
    this.psEvent = null;
    this.psAdvance();
    // The event was scheduled for the head job: it is done. Jobs due at the same virtual time
    // (within float rounding of it) finish with it.
    const head = this.psJobs.pop()!;
    const done: Hop[] = [head.arg as Hop];
    const limit = head.at + 1e-12 * Math.max(1, head.at);
    for (;;) {
      const next = this.psJobs.peek();
      if (next === undefined || next.at > limit) break;
      this.psJobs.pop();
      done.push(next.arg as Hop);
    }
    // Restart virtual time when the CPU empties, so its magnitude (and rounding) stays bounded.
    if (this.psJobs.size === 0) this.psVirtual = 0;
    this.psReschedule();
    const now = this.engine.now;
    for (const hop of done) {
      hop.residenceMs += now - hop.since;
      this.host.psDone(hop);
    }
  }
}

function noop(): void {}

function psFire(instance: Instance): void {
  instance.firePs();
}
