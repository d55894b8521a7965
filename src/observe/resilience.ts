/**
 * The resilience sections of the results document: breaker timelines, ejections and faults with
 * their time to detect, time to recover and blast radius. Fed by the metrics collector from
 * signals that only occur with policies or faults, so its work per signal may be moderate
 * (a loop over the faults, a copy of the outcome counters at a fault's start and end).
 * `docs/en/results-format.md` gives the definitions and the reasons for them.
 */
import type { BreakerStateName, Signals } from '../signals.ts';
import type {
  BlastRadiusEntry,
  BreakerResults,
  BreakerTransition,
  EjectionRecord,
  FaultResults,
  SeriesPoint,
} from './results.ts';

/** Transitions kept per breaker and ejections kept per run (the rest are counted, not listed). */
export const MAX_LISTED = 1000;
/** Recovery needs this many consecutive non-empty series intervals within the band. */
export const RECOVERY_INTERVALS = 5;
/** The band is never narrower than this many availability points (1 percentage point). */
export const BAND_MIN_WIDTH = 0.01;
/** ... nor than this many binomial standard errors of the compared availability. */
export const BAND_STANDARD_ERRORS = 3;
/** A workload or service with no completion during a fault is in its blast radius when at
 * least this many were expected from its pre-fault rate. */
export const BLAST_MIN_EXPECTED = 5;

export interface OutcomeCounts {
  readonly ok: number;
  readonly fallback: number;
  readonly failed: number;
}

/** Cumulative outcome counts (by completion, since t = 0) of every workload and service at `at`. */
export interface CountsSnapshot {
  readonly at: number;
  readonly workloads: ReadonlyMap<string, OutcomeCounts>;
  readonly services: ReadonlyMap<string, OutcomeCounts>;
}

const ZERO: OutcomeCounts = { ok: 0, fallback: 0, failed: 0 };

/**
 * The lowest availability still "within the pre-fault band": the baseline `a0` minus the larger
 * of 1 percentage point and 3 binomial standard errors of an availability measured over `n`
 * completions, sqrt(a0·(1 − a0) / n). The standard error makes a small sample's noise no dip;
 * the 1-point floor keeps a perfect baseline (a0 = 1, no spread) from flagging a single failure.
 */
export function bandFloor(a0: number, n: number): number {
  const se = n > 0 ? Math.sqrt((a0 * (1 - a0)) / n) : Number.POSITIVE_INFINITY;
  return a0 - Math.max(BAND_MIN_WIDTH, BAND_STANDARD_ERRORS * se);
}

/**
 * Time (ms) from `endedAt` until availability (per series interval, every workload) is back in
 * the band of baseline `a0`: the start of the first interval, among those reaching past the end,
 * from which `RECOVERY_INTERVALS` consecutive non-empty intervals (or all that remain before the
 * run ends, if fewer) are within the band; 0 when the interval holding the end already is.
 * Intervals without completions are skipped. Null when that never happens.
 */
export function timeToRecoverMs(points: readonly SeriesPoint[], endedAt: number, a0: number): number | null {
  const intervals: { start: number; inBand: boolean }[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!(p.at > endedAt)) continue;
    const answered = (p.ok ?? 0) + (p.fallback ?? 0);
    const n = answered + (p.failed ?? 0);
    if (n === 0) continue;
    intervals.push({ start: i === 0 ? 0 : points[i - 1]!.at, inBand: answered / n >= bandFloor(a0, n) });
  }
  for (let j = 0; j < intervals.length; j++) {
    const need = Math.min(RECOVERY_INTERVALS, intervals.length - j);
    let ok = true;
    for (let k = j; k < j + need && ok; k++) ok = intervals[k]!.inBand;
    if (ok) return Math.max(0, intervals[j]!.start - endedAt);
  }
  return null;
}

interface BreakerAcc {
  readonly caller: string;
  readonly service: string;
  readonly transitions: BreakerTransition[];
  omitted: number;
  opened: number;
  openMs: number;
  state: BreakerStateName;
  since: number;
}

interface FaultAcc {
  readonly name: string;
  readonly kind: string;
  readonly target: string;
  readonly startedAt: number;
  readonly atStart: CountsSnapshot;
  endedAt: number | null;
  atEnd: CountsSnapshot | null;
  /** The first breaker opening or ejection at or after the start (bounded by recovery later). */
  detection: { readonly at: number; readonly by: string } | null;
}

interface EjectionAcc {
  readonly at: number;
  readonly service: string;
  readonly instance: string;
  readonly untilMs: number;
  readonly why: string;
  returnedAt: number | null;
}

export class ResilienceTracker {
  private readonly breakerAccs = new Map<string, BreakerAcc>();
  private readonly ejectionList: EjectionAcc[] = [];
  private ejectionsOmitted = 0;
  /** Ejections not yet returned, by instance. */
  private readonly ejected = new Map<string, EjectionAcc>();
  private readonly faultAccs: FaultAcc[] = [];
  private atWarmup: CountsSnapshot | undefined;

  constructor(
    private readonly warmupMs: number,
    /** The collector's cumulative counts now. */
    private readonly countsNow: (at: number) => CountsSnapshot,
  ) {}

  warmupEnded(at: number): void {
    this.atWarmup = this.countsNow(at);
  }

  breakerTransition(t: Signals['breaker.transition']): void {
    let b = this.breakerAccs.get(t.breaker);
    if (b === undefined) {
      b = {
        caller: t.caller,
        service: t.service,
        transitions: [],
        omitted: 0,
        opened: 0,
        openMs: 0,
        state: t.from,
        since: 0,
      };
      this.breakerAccs.set(t.breaker, b);
    }
    if (b.state === 'open') b.openMs += this.measured(b.since, t.at);
    b.state = t.to;
    b.since = t.at;
    if (b.transitions.length < MAX_LISTED)
      b.transitions.push({ at: t.at, from: t.from, to: t.to, why: t.why });
    else b.omitted++;
    if (t.to === 'open') {
      if (t.at >= this.warmupMs) b.opened++;
      this.detected(t.at, `breaker ${t.breaker} opened`);
    }
  }

  instanceEjected(e: Signals['instance.ejected']): void {
    this.detected(e.at, `${e.instance} ejected`);
    if (this.ejectionList.length >= MAX_LISTED) {
      this.ejectionsOmitted++;
      return;
    }
    const record: EjectionAcc = {
      at: e.at,
      service: e.service,
      instance: e.instance,
      untilMs: e.untilMs,
      why: e.why,
      returnedAt: null,
    };
    this.ejectionList.push(record);
    this.ejected.set(e.instance, record);
  }

  instanceReturned(r: Signals['instance.returned']): void {
    const record = this.ejected.get(r.instance);
    if (record === undefined) return;
    record.returnedAt = r.at;
    this.ejected.delete(r.instance);
  }

  faultStarted(f: Signals['fault.started']): void {
    this.faultAccs.push({
      name: f.fault,
      kind: f.kind,
      target: f.target,
      startedAt: f.at,
      atStart: this.countsNow(f.at),
      endedAt: null,
      atEnd: null,
      detection: null,
    });
  }

  faultEnded(f: Signals['fault.ended']): void {
    for (let i = this.faultAccs.length - 1; i >= 0; i--) {
      const acc = this.faultAccs[i]!;
      if (acc.name !== f.fault || acc.endedAt !== null) continue;
      acc.endedAt = f.at;
      acc.atEnd = this.countsNow(f.at);
      return;
    }
  }

  breakers(endMs: number): Record<string, BreakerResults> {
    const out: Record<string, BreakerResults> = {};
    for (const [name, b] of this.breakerAccs) {
      out[name] = {
        caller: b.caller,
        service: b.service,
        transitions: b.transitions.slice(),
        opened: b.opened,
        openMs: b.openMs + (b.state === 'open' ? this.measured(b.since, endMs) : 0),
        finalState: b.state,
      };
    }
    return out;
  }

  ejections(): EjectionRecord[] {
    return this.ejectionList.map((e) => ({ ...e }));
  }

  warnings(): string[] {
    const out: string[] = [];
    for (const [name, b] of this.breakerAccs) {
      if (b.omitted > 0) {
        out.push(
          `breaker ${name} changed state ${b.transitions.length + b.omitted} times; the results list the first ${MAX_LISTED}`,
        );
      }
    }
    if (this.ejectionsOmitted > 0) {
      out.push(
        `${this.ejectionList.length + this.ejectionsOmitted} ejections happened; the results list the first ${MAX_LISTED}`,
      );
    }
    return out;
  }

  /** Every fault of the run with its detection, recovery and blast radius (see the docs). */
  faults(endMs: number, points: readonly SeriesPoint[]): FaultResults[] {
    const now = this.countsNow(endMs);
    return this.faultAccs.map((f) => {
      // The baseline starts at the warm-up end, or at the latest end of another fault before this start.
      let from = this.warmupMs;
      let atFrom = this.atWarmup ?? { at: this.warmupMs, workloads: new Map(), services: new Map() };
      for (const g of this.faultAccs) {
        if (
          g !== f &&
          g.endedAt !== null &&
          g.atEnd !== null &&
          g.endedAt <= f.startedAt &&
          g.endedAt > from
        ) {
          from = g.endedAt;
          atFrom = g.atEnd;
        }
      }
      const hasBaseline = f.startedAt > from;
      const atEnd = f.atEnd ?? now;
      const beforeMs = f.startedAt - from;
      const duringMs = (f.endedAt ?? endMs) - f.startedAt;
      const before = hasBaseline ? total(diff(f.atStart.workloads, atFrom.workloads)) : ZERO;
      const during = total(diff(atEnd.workloads, f.atStart.workloads));
      const a0 = availability(before);
      const timeToRecover = f.endedAt === null || a0 === null ? null : timeToRecoverMs(points, f.endedAt, a0);
      const detectBy =
        f.endedAt === null || timeToRecover === null ? Number.POSITIVE_INFINITY : f.endedAt + timeToRecover;
      const detection = f.detection !== null && f.detection.at <= detectBy ? f.detection : null;
      const blastRadius: BlastRadiusEntry[] = [];
      if (hasBaseline) {
        const add = (
          kind: BlastRadiusEntry['kind'],
          start: CountsSnapshot['workloads'],
          base: typeof start,
          end: typeof start,
        ) => {
          for (const [name, atStart] of start) {
            const b = minus(atStart, base.get(name) ?? ZERO);
            const d = minus(end.get(name) ?? atStart, atStart);
            const entry = affected(kind, name, b, d, beforeMs, duringMs);
            if (entry !== null) blastRadius.push(entry);
          }
        };
        add('workload', f.atStart.workloads, atFrom.workloads, atEnd.workloads);
        add('service', f.atStart.services, atFrom.services, atEnd.services);
      }
      return {
        name: f.name,
        kind: f.kind,
        target: f.target,
        startedAt: f.startedAt,
        endedAt: f.endedAt,
        timeToDetectMs: detection === null ? null : detection.at - f.startedAt,
        detectedBy: detection === null ? null : detection.by,
        timeToRecoverMs: timeToRecover,
        baseline: {
          fromMs: from,
          toMs: Math.max(from, f.startedAt),
          completed: completed(before),
          availability: a0,
        },
        during: { completed: completed(during), availability: availability(during) },
        blastRadius,
      };
    });
  }

  /** A breaker opened or an instance was ejected at `at`: the first detection of started faults. */
  private detected(at: number, by: string): void {
    for (const f of this.faultAccs) {
      if (f.detection === null && f.startedAt <= at) f.detection = { at, by };
    }
  }

  /** Length of [from, to] inside the measured window (from the warm-up end). */
  private measured(from: number, to: number): number {
    return Math.max(0, to - Math.max(from, this.warmupMs));
  }
}

function minus(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return { ok: a.ok - b.ok, fallback: a.fallback - b.fallback, failed: a.failed - b.failed };
}

function diff(
  a: ReadonlyMap<string, OutcomeCounts>,
  b: ReadonlyMap<string, OutcomeCounts>,
): Map<string, OutcomeCounts> {
  const out = new Map<string, OutcomeCounts>();
  for (const [name, c] of a) out.set(name, minus(c, b.get(name) ?? ZERO));
  return out;
}

function total(counts: ReadonlyMap<string, OutcomeCounts>): OutcomeCounts {
  let ok = 0;
  let fallback = 0;
  let failed = 0;
  for (const c of counts.values()) {
    ok += c.ok;
    fallback += c.fallback;
    failed += c.failed;
  }
  return { ok, fallback, failed };
}

function completed(c: OutcomeCounts): number {
  return c.ok + c.fallback + c.failed;
}

function availability(c: OutcomeCounts): number | null {
  const n = completed(c);
  return n > 0 ? (c.ok + c.fallback) / n : null;
}

/** The blast-radius entry of one workload or service, or null when it was not affected. */
function affected(
  kind: BlastRadiusEntry['kind'],
  name: string,
  before: OutcomeCounts,
  during: OutcomeCounts,
  beforeMs: number,
  duringMs: number,
): BlastRadiusEntry | null {
  const a0 = availability(before);
  if (a0 === null) return null;
  const nd = completed(during);
  if (nd === 0) {
    const expected = beforeMs > 0 ? (completed(before) * duringMs) / beforeMs : 0;
    return expected >= BLAST_MIN_EXPECTED ? { kind, name, before: a0, during: null } : null;
  }
  const ad = availability(during)!;
  return ad < bandFloor(a0, nd) ? { kind, name, before: a0, during: ad } : null;
}
