/**
 * Envoy's outlier detection, consecutive-errors kind (`consecutive_5xx`), following
 * `source/common/upstream/outlier_detection_impl.cc`. Engine-free: the caller reports results,
 * asks `isEjected` when balancing, and calls `expire` (e.g. at each ejection's `untilMs`) to learn
 * which hosts came back.
 *
 * - Ejection: the `consecutiveErrors`-th failure in a row of a host (default 5) tries to eject
 *   it. Any success resets the count, and so does every ejection attempt, allowed or not (Envoy
 *   resets the counter after `ejectHost`), so another full run of failures is needed. Results of
 *   a host while it is ejected (calls still in flight) are ignored.
 * - Max share: the ejection is allowed when 100 × (ejected + 1) ≤ maxEjectionPercent × totalHosts
 *   (Envoy: `100.0 * (ejections_active + 1) / hosts <= max_ejection_percent`), default 10%. So
 *   with fewer than 10 hosts nothing is ejected by default. Envoy's proto comment says
 *   "will eject at least one host regardless of the value", but its code does so only when
 *   `always_eject_one_host` (added in Envoy 1.31, off by default) is set: `alwaysEjectOneHost`
 *   here, default false. (Envoy's docs of 1.7–1.10 still said that a first ejection was always
 *   allowed.) A refused ejection counts in `overflows` (Envoy `ejections_overflow`).
 * - Duration: base × m, capped at maxEjectionMs, where m is the host's ejection multiplier (Envoy
 *   `ejectTimeBackoff`): raised by one at each ejection while m × base < max + base, so it stops
 *   one step above the cap (30 s, 60 s, …, 300 s, then 300 s). Defaults: base 30 s, max 300 s.
 *   No jitter (Envoy `max_ejection_time_jitter` defaults to 0).
 * - Decay: Envoy lowers m by one at each sweep (every `interval`, default 10 s) once the host has
 *   been back in service for at least an interval. Here, lazily and without a sweep grid: at the
 *   next ejection, m drops by floor(time back in service / intervalMs), not below 0. A host that
 *   keeps failing right after each return thus gets 30 s, 60 s, 90 s, …; one that stayed healthy
 *   for 10 × interval starts again at 30 s.
 * - Return: a host is ejected on [at, untilMs) and back in service from untilMs exactly; coming
 *   back resets its error count (Envoy `unejectHost`). `onResult` and `expire` both return hosts
 *   whose time is over, so the share of ejected hosts is always counted at the current time.
 */

export interface OutlierSpec {
  /** Failures in a row that eject a host (Envoy `consecutive_5xx`, default 5). */
  readonly consecutiveErrors: number;
  /** Envoy `base_ejection_time`, default 30 s. */
  readonly baseEjectionMs: number;
  /** Envoy `max_ejection_time`, default 300 s; must be ≥ baseEjectionMs (Envoy rejects less). */
  readonly maxEjectionMs: number;
  /** Envoy `max_ejection_percent`, default 10. */
  readonly maxEjectionPercent: number;
  /** Envoy `always_eject_one_host`: allow an ejection whenever none is active. Default false. */
  readonly alwaysEjectOneHost?: boolean;
  /** Envoy `interval`, default 10 s: each full interval back in service lowers the multiplier by 1. */
  readonly intervalMs?: number;
}

/** Envoy's defaults. */
export const OUTLIER_DEFAULTS: Required<OutlierSpec> = {
  consecutiveErrors: 5,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectionPercent: 10,
  alwaysEjectOneHost: false,
  intervalMs: 10_000,
};

export interface Ejection<H> {
  readonly host: H;
  /** When the ejection started (ms). */
  readonly at: number;
  /** When the host comes back (ms, absolute): ejected on [at, untilMs). */
  readonly untilMs: number;
  /** How many times this host has been ejected, this one included. */
  readonly times: number;
  /** The multiplier of the base ejection time used for this ejection. */
  readonly multiplier: number;
  readonly why: string;
}

interface HostState {
  consecutive: number;
  multiplier: number;
  times: number;
  ejection: Ejection<unknown> | undefined;
  /** When the host last came back into service (undefined: never ejected). */
  returnedAt: number | undefined;
  status: string;
}

export class OutlierDetector<H> {
  private readonly spec: Required<OutlierSpec>;
  private readonly hosts = new Map<H, HostState>();
  /** Hosts currently ejected, in ejection order. */
  private readonly ejected = new Set<H>();
  /** Hosts returned by `onResult`'s sweep, not yet reported by `expire`. */
  private readonly returnedUnreported: H[] = [];
  private overflowCount = 0;
  private why = 'nothing ejected or refused yet';

  constructor(
    spec: OutlierSpec = OUTLIER_DEFAULTS,
    private readonly hostName: (h: H) => string = String,
  ) {
    this.spec = {
      ...spec,
      alwaysEjectOneHost: spec.alwaysEjectOneHost ?? OUTLIER_DEFAULTS.alwaysEjectOneHost,
      intervalMs: spec.intervalMs ?? OUTLIER_DEFAULTS.intervalMs,
    };
    const s = this.spec;
    if (!Number.isInteger(s.consecutiveErrors) || s.consecutiveErrors < 1) {
      throw new RangeError(`consecutiveErrors must be an integer >= 1, got ${s.consecutiveErrors}`);
    }
    if (!(s.baseEjectionMs > 0)) throw new RangeError(`baseEjectionMs must be > 0, got ${s.baseEjectionMs}`);
    if (!(s.maxEjectionMs >= s.baseEjectionMs)) {
      throw new RangeError(
        `maxEjectionMs (${s.maxEjectionMs}) must be >= baseEjectionMs (${s.baseEjectionMs})`,
      );
    }
    if (!(s.maxEjectionPercent >= 0 && s.maxEjectionPercent <= 100)) {
      throw new RangeError(`maxEjectionPercent must be in [0, 100], got ${s.maxEjectionPercent}`);
    }
    if (!(s.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${s.intervalMs}`);
  }

  /** Hosts ejected now (as of the last `onResult` or `expire`). */
  get ejectedCount(): number {
    return this.ejected.size;
  }

  /** Ejections refused because of maxEjectionPercent. */
  get overflows(): number {
    return this.overflowCount;
  }

  /**
   * Records a call result for `host` at `now`; `totalHosts` is the size of the host set (ejected
   * ones included). Returns the Ejection when this result ejects the host.
   */
  onResult(host: H, failed: boolean, now: number, totalHosts: number): Ejection<H> | undefined {
    this.sweep(now, this.returnedUnreported);
    const st = this.state(host);
    if (st.ejection !== undefined) return undefined;
    if (!failed) {
      st.consecutive = 0;
      return undefined;
    }
    st.consecutive++;
    if (st.consecutive < this.spec.consecutiveErrors) return undefined;
    st.consecutive = 0;
    return this.tryEject(host, st, now, totalHosts);
  }

  /** True while `host` is ejected: on [at, untilMs) of its current ejection. */
  isEjected(host: H, now: number): boolean {
    const e = this.hosts.get(host)?.ejection;
    return e !== undefined && now < e.untilMs;
  }

  /**
   * Returns to service the hosts whose ejection ended by `now` (untilMs ≤ now), and returns them
   * in the order their ejections ended, with those already returned by `onResult` first; see
   * `describe` for each one's why.
   */
  expire(now: number): H[] {
    const out = this.returnedUnreported.splice(0);
    this.sweep(now, out);
    return out;
  }

  /** Plain status of `host`: ejected until when and why, or back in service since when. */
  describe(host: H): string {
    return this.hosts.get(host)?.status ?? `${this.hostName(host)} has no recorded results`;
  }

  /** Plain why of the last ejection or refused ejection. */
  lastWhy(): string {
    return this.why;
  }

  private state(host: H): HostState {
    let st = this.hosts.get(host);
    if (st === undefined) {
      st = {
        consecutive: 0,
        multiplier: 0,
        times: 0,
        ejection: undefined,
        returnedAt: undefined,
        status: '',
      };
      st.status = `${this.hostName(host)} in service`;
      this.hosts.set(host, st);
    }
    return st;
  }

  private sweep(now: number, out: H[]): void {
    const ended: { host: H; until: number }[] = [];
    for (const host of this.ejected) {
      const st = this.hosts.get(host)!;
      const e = st.ejection!;
      if (e.untilMs <= now) ended.push({ host, until: e.untilMs });
    }
    ended.sort((a, b) => a.until - b.until); // stable: equal ends keep ejection order
    for (const { host, until } of ended) {
      const st = this.hosts.get(host)!;
      const e = st.ejection!;
      st.ejection = undefined;
      st.consecutive = 0;
      st.returnedAt = until;
      st.status =
        `${this.hostName(host)} back in service at ${fmtS(until)} after a ${fmtS(until - e.at)} ejection ` +
        `(ejection ${e.times})`;
      this.ejected.delete(host);
      out.push(host);
    }
  }

  private tryEject(host: H, st: HostState, now: number, totalHosts: number): Ejection<H> | undefined {
    const s = this.spec;
    const name = this.hostName(host);
    const active = this.ejected.size;
    const withinShare = 100 * (active + 1) <= s.maxEjectionPercent * totalHosts;
    if (!withinShare && !(s.alwaysEjectOneHost && active === 0)) {
      this.overflowCount++;
      this.why =
        `${name} not ejected at ${fmtS(now)}: ${s.consecutiveErrors} consecutive errors, but ` +
        `${active + 1} of ${totalHosts} hosts ejected would exceed max ${s.maxEjectionPercent}%`;
      return undefined;
    }
    if (st.returnedAt !== undefined) {
      const decay = Math.floor((now - st.returnedAt) / s.intervalMs);
      st.multiplier = Math.max(0, st.multiplier - decay);
    }
    if (st.multiplier * s.baseEjectionMs < s.maxEjectionMs + s.baseEjectionMs) st.multiplier++;
    st.times++;
    const duration = Math.min(s.baseEjectionMs * st.multiplier, s.maxEjectionMs);
    const capped = s.baseEjectionMs * st.multiplier > s.maxEjectionMs;
    const how =
      st.multiplier === 1 && st.times === 1
        ? `ejection ${st.times}`
        : `ejection ${st.times}, ${st.multiplier} × base ${fmtS(s.baseEjectionMs)}` +
          (capped ? ` capped at ${fmtS(s.maxEjectionMs)}` : '');
    const why = `${name} ejected at ${fmtS(now)} for ${fmtS(duration)}: ${s.consecutiveErrors} consecutive errors (${how})`;
    const ejection: Ejection<H> = {
      host,
      at: now,
      untilMs: now + duration,
      times: st.times,
      multiplier: st.multiplier,
      why,
    };
    st.ejection = ejection;
    st.status = `${why}; back at ${fmtS(ejection.untilMs)}`;
    this.ejected.add(host);
    this.why = why;
    return ejection;
  }
}

/** Ms as seconds for messages: "31.2 s", "30 s". */
function fmtS(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
