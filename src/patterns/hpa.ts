/**
 * The decision logic of a Kubernetes HorizontalPodAutoscaler (autoscaling/v2, with `behavior`),
 * as a pure calculator: the model calls `decide` once per sync period with the time and the
 * metric; it never schedules anything. Sources: `pkg/controller/podautoscaler/horizontal.go`
 * (`reconcileAutoscaler`, `stabilizeRecommendationWithBehaviors`,
 * `convertDesiredReplicasWithBehaviorRate`, `calculateScale{Up,Down}Limit…`, `storeScaleEvent`),
 * `replica_calculator.go` (`calcPlainMetricReplicas`, `GetResourceReplicas`, `groupPods`), the
 * API defaults (`pkg/apis/autoscaling/v2/defaults.go`), the controller-manager defaults
 * (`pkg/controller/podautoscaler/config/v1alpha1/defaults.go`) and the documentation page
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/.
 *
 * One decision, in the controller's order:
 * 1. The first call records the current replica count as a recommendation
 *    (`recordInitialRecommendation`), so the scale-down window also covers the start.
 * 2. Out of range first (`reconcileAutoscaler`): 0 replicas with minReplicas > 0 disables
 *    scaling (the docs' "implicit maintenance-mode deactivation"); above maxReplicas goes to max,
 *    below minReplicas to min, at once, with no stabilization or rate limit.
 * 3. Metric recommendation (`calcPlainMetricReplicas`): ratio = value / target (float64). No
 *    metric (`value` null, or no ready pod) is an error in Kubernetes: nothing changes and no
 *    recommendation is recorded. Not-ready pods (currentReplicas − readyPods) are set aside:
 *    - unless scaling up with not-ready pods: within tolerance → current replicas, else
 *      ceil(ratio × readyPods);
 *    - scaling up (ratio > 1) with not-ready pods: they count as using 0, giving
 *      ratio' = value × ready / (ready + notReady) / target; if ratio' is within tolerance or
 *      below 1 (it would reverse the direction) → current replicas, else
 *      ceil(ratio' × (ready + notReady)) unless that is below the current count.
 *    Tolerance: no change when |1 − ratio| ≤ tolerance, computed in float64 as Kubernetes up to
 *    1.32 did (`math.Abs(1.0-usageRatio) <= c.tolerance`): 1 − 1.1 = −0.10000000000000009, so
 *    110/100 scales up, while 1 − 0.9 = 0.09999999999999998, so 90/100 does not scale down.
 *    (Since 1.33, KEP-4951's `Tolerances.isWithin` tests (1 − down) ≤ ratio ≤ (1 + up), and
 *    1 + 0.1 === 1.1, so there 110/100 no longer scales up; microsim keeps the older rule.)
 * 4. Stabilization (`stabilizeRecommendationWithBehaviors`), over the recommendations of earlier
 *    calls recorded strictly after now − window (`timestamp.After(cutoff)`), plus this one:
 *    up = the lowest in the scale-up window, down = the highest in the scale-down window; the
 *    result is the current count brought into [up, down] (raised to up, then lowered to down).
 *    So with the default 300 s scale-down window, a lower recommendation wins only once every
 *    higher one is at least 300 s old; with a 0 s scale-up window, scale-up is immediate. Then
 *    this call's (unstabilized) recommendation is recorded.
 * 5. Rate (`convertDesiredReplicasWithBehaviorRate`): scaling events strictly after
 *    now − periodMs count; per policy the period started at
 *    periodStart = current − added + removed (both directions, as the controller does). Up:
 *    `Pods` allows periodStart + value, `Percent` ceil(periodStart × (1 + value/100)). Down:
 *    `Pods` allows periodStart − value, `Percent` trunc(periodStart × (1 − value/100)) (Go's
 *    int32 conversion truncates: removing 10% of 72 leaves 64, "7.2 rounded up to 8" in the
 *    docs). selectPolicy Max takes the policy allowing the largest change, Min the smallest,
 *    Disabled allows none. A limit never goes past the current count; then maxReplicas
 *    (scale-up) or minReplicas (scale-down) applies, and the stricter of the two wins.
 * 6. A change is recorded as a scaling event (`storeScaleEvent`); the caller is assumed to apply
 *    `desired`. Events and recommendations are kept and reused exactly as the controller does
 *    (an entry older than every window is overwritten by the next one), so memory stays bounded.
 *
 * Not modelled: the non-`behavior` path (Kubernetes without `spec.behavior` caps a scale-up at
 * max(2 × current, 4) per sync and never limits scale-down; the behavior defaults allow
 * max(+100%, +4) per 15 s, the same from 4 replicas up, more below: 1 → 5 instead of 1 → 4),
 * missing metrics of single pods (the caller gives the mean over ready pods), several metrics,
 * per-direction tolerances (KEP-4951) and Kubernetes' integer utilization percentages.
 * Defaults are Kubernetes': minReplicas 1, target 80% (`DefaultCPUUtilization`), tolerance 0.1,
 * sync period 15 s, scale-down stabilization 300 s, and the `behavior` policies above. Kubernetes
 * requires maxReplicas; microsim's default is 10.
 */

export interface HpaPolicy {
  /** `Pods`: at most `value` pods per period; `Percent`: at most `value`% of the count at the period's start. */
  readonly type: 'Pods' | 'Percent';
  /** The change the policy permits (Kubernetes `value`, an integer > 0). */
  readonly value: number;
  /** How far back the policy looks (Kubernetes `periodSeconds`, 1 s to 30 min). */
  readonly periodMs: number;
}

export interface HpaRules {
  /** Earlier recommendations considered (Kubernetes `stabilizationWindowSeconds`, 0 to 1 h). */
  readonly stabilizationWindowMs: number;
  /** Max: the policy allowing the largest change; Min: the smallest; Disabled: no scaling this way. */
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly HpaPolicy[];
}

export interface HpaSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target value of the metric per ready pod (e.g. 0.5 for 50% utilization, or 10 in-flight requests). */
  readonly target: number;
  /** No change while |1 − value/target| ≤ tolerance. */
  readonly tolerance: number;
  /** How often the caller decides (`--horizontal-pod-autoscaler-sync-period`). */
  readonly syncPeriodMs: number;
  readonly scaleUp: HpaRules;
  readonly scaleDown: HpaRules;
}

/**
 * Kubernetes' defaults: `HorizontalPodAutoscalerSyncPeriod` 15 s, `HorizontalPodAutoscalerTolerance`
 * 0.1 and `…DownscaleStabilizationWindow` 5 min (controller-manager config); minReplicas 1 and
 * 80% CPU utilization (API defaults); `defaultHPAScaleUpRules` (no stabilization, Max of 100% and
 * 4 pods per 15 s) and `defaultHPAScaleDownRules` (100% per 15 s). maxReplicas has no Kubernetes
 * default (it is required); 10 is microsim's.
 */
export const HPA_DEFAULTS: HpaSpec = {
  minReplicas: 1,
  maxReplicas: 10,
  target: 0.8,
  tolerance: 0.1,
  syncPeriodMs: 15_000,
  scaleUp: {
    stabilizationWindowMs: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodMs: 15_000 },
      { type: 'Pods', value: 4, periodMs: 15_000 },
    ],
  },
  scaleDown: {
    stabilizationWindowMs: 300_000,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodMs: 15_000 }],
  },
};

export interface HpaOptions {
  /** What the metric is called in `why` (default `utilization`). */
  readonly metricName?: string;
  /** How a metric value (and the target) reads in `why` (default a percentage: 0.92 → "92%"). */
  readonly metricLabel?: (v: number) => string;
}

export interface HpaInput {
  /** Simulated time, ms; never goes backwards. */
  readonly now: number;
  /** The replica count of the target (its spec, not-ready pods included). */
  readonly currentReplicas: number;
  /** Metric per ready pod (mean); null when there is no metric. */
  readonly value: number | null;
  /** Pods ready to serve; the others (currentReplicas − readyPods) are set aside as not ready. */
  readonly readyPods: number;
}

export interface HpaDecision {
  /** The replica count to set (equal to currentReplicas when nothing changes). */
  readonly desired: number;
  /** What the metric asked for, before stabilization and limits (currentReplicas without a metric). */
  readonly recommendation: number;
  /** value / target; null without a metric. */
  readonly ratio: number | null;
  /**
   * What held `desired` away from `recommendation`, named as Kubernetes' conditions:
   * `ScaleUpStabilized`, `ScaleDownStabilized`, `ScaleUpLimit`, `ScaleDownLimit`,
   * `TooManyReplicas`, `TooFewReplicas`; `Hold` for the threshold policy; null when nothing did.
   */
  readonly limitedBy: string | null;
  /** e.g. "checkout 3 → 7: utilization 300% vs target 50%, ratio 6; wants 18 = …; scale-up limited to +4 by …". */
  readonly why: string;
  /** desired !== currentReplicas. */
  readonly changed: boolean;
}

interface Recommendation {
  t: number;
  replicas: number;
}

interface ScaleEvent {
  t: number;
  /** Pods added (scale-up list) or removed (scale-down list), ≥ 0. */
  change: number;
  outdated: boolean;
}

/** The metric's recommendation and how it came about (for `why`). */
interface MetricResult {
  readonly replicas: number;
  readonly ratio: number;
  readonly clause: string;
}

export class Hpa {
  readonly service: string;
  readonly spec: HpaSpec;
  private readonly metricName: string;
  private readonly label: (v: number) => string;
  /** Unstabilized recommendations; null until the first decision. */
  private recommendations: Recommendation[] | null = null;
  private readonly upEvents: ScaleEvent[] = [];
  private readonly downEvents: ScaleEvent[] = [];
  private lastNow = Number.NEGATIVE_INFINITY;

  constructor(service: string, spec: HpaSpec = HPA_DEFAULTS, options: HpaOptions = {}) {
    validateSpec(spec);
    this.service = service;
    this.spec = spec;
    this.metricName = options.metricName ?? 'utilization';
    this.label = options.metricLabel ?? percent;
  }

  decide(input: HpaInput): HpaDecision {
    const { now, currentReplicas: current, value, readyPods } = input;
    if (!Number.isFinite(now)) throw new RangeError(`hpa: now must be a finite time in ms, got ${now}`);
    if (now < this.lastNow) {
      throw new RangeError(`hpa: time went backwards (${now} ms after ${this.lastNow} ms)`);
    }
    if (!Number.isInteger(current) || current < 0) {
      throw new RangeError(`hpa: currentReplicas must be an integer >= 0, got ${current}`);
    }
    if (!Number.isInteger(readyPods) || readyPods < 0) {
      throw new RangeError(`hpa: readyPods must be an integer >= 0, got ${readyPods}`);
    }
    if (value !== null && !Number.isFinite(value)) {
      throw new RangeError(`hpa: value must be a finite number or null, got ${value}`);
    }
    this.lastNow = now;
    if (this.recommendations === null) this.recommendations = [{ t: now, replicas: current }];

    const { minReplicas: min, maxReplicas: max } = this.spec;
    const svc = this.service;
    if (current === 0 && min !== 0) {
      return keep(current, `${svc} stays at 0: scaling is disabled while the target has 0 replicas`);
    }
    if (current > max) {
      this.storeScaleEvent(now, current, max);
      return scaled(current, max, 'TooManyReplicas', `${svc} ${current} → ${max}: above maxReplicas ${max}`);
    }
    if (current < min) {
      this.storeScaleEvent(now, current, min);
      return scaled(current, min, 'TooFewReplicas', `${svc} ${current} → ${min}: below minReplicas ${min}`);
    }

    const metric = value === null || readyPods === 0 ? null : this.recommend(current, value, readyPods);
    if (metric === null) {
      const what =
        value === null ? `no ${this.metricName} metric` : `no ready pod to read ${this.metricName} from`;
      return keep(current, `${svc} stays at ${current}: ${what}`);
    }

    const stable = this.stabilize(now, current, metric.replicas);
    const limited = this.limitRate(now, current, stable.replicas);
    const desired = limited.replicas;
    if (desired !== current) this.storeScaleEvent(now, current, desired);
    const head = desired !== current ? `${svc} ${current} → ${desired}` : `${svc} stays at ${current}`;
    const clauses = [metric.clause, stable.clause, limited.clause].filter((c) => c !== '');
    return {
      desired,
      recommendation: metric.replicas,
      ratio: metric.ratio,
      limitedBy: limited.limitedBy ?? stable.limitedBy,
      why: `${head}: ${clauses.join('; ')}`,
      changed: desired !== current,
    };
  }

  /** Step 3: the replica count the metric asks for (`calcPlainMetricReplicas`). */
  private recommend(current: number, value: number, ready: number): MetricResult {
    const { target, tolerance } = this.spec;
    const ratio = value / target;
    const notReady = Math.max(0, current - ready);
    const head = `${this.metricName} ${this.label(value)} vs target ${this.label(target)}, ratio ${fmt(ratio)}`;
    if (!(notReady > 0 && ratio > 1)) {
      if (withinTolerance(ratio, tolerance)) {
        return {
          replicas: current,
          ratio,
          clause: `${head}, within tolerance (${toleranceText(ratio, tolerance)})`,
        };
      }
      const replicas = Math.ceil(ratio * ready);
      const aside = notReady > 0 ? `, ${notReady} not ready set aside` : '';
      const edge =
        Math.abs(Math.abs(1 - ratio) - tolerance) < 1e-9 ? ` (${toleranceText(ratio, tolerance)})` : '';
      return {
        replicas,
        ratio,
        clause: `${head}${edge}; wants ${replicas} = ceil(${fmt(ratio)} × ${ready} ready${aside})`,
      };
    }
    // Scaling up with not-ready pods: they count as using 0 of the metric.
    const total = ready + notReady;
    const damped = (value * ready) / total / target;
    const counted = `${head}; with ${notReady} not-ready ${notReady === 1 ? 'pod' : 'pods'} counted at 0, ratio ${fmt(damped)}`;
    if (withinTolerance(damped, tolerance)) {
      return {
        replicas: current,
        ratio,
        clause: `${counted}, within tolerance (${toleranceText(damped, tolerance)})`,
      };
    }
    if (damped < 1) return { replicas: current, ratio, clause: `${counted} < 1: no scale-up` };
    const replicas = Math.ceil(damped * total);
    if (replicas < current) return { replicas: current, ratio, clause: `${counted}: no scale-up` };
    return {
      replicas,
      ratio,
      clause: `${counted}; wants ${replicas} = ceil(${fmt(damped)} × ${total} pods)`,
    };
  }

  /** Step 4 (`stabilizeRecommendationWithBehaviors`); records `recommendation`. */
  private stabilize(
    now: number,
    current: number,
    recommendation: number,
  ): { replicas: number; limitedBy: string | null; clause: string } {
    const recs = this.recommendations!;
    const upWindow = this.spec.scaleUp.stabilizationWindowMs;
    const downWindow = this.spec.scaleDown.stabilizationWindowMs;
    const upCutoff = now - upWindow;
    const downCutoff = now - downWindow;
    let up = recommendation;
    let down = recommendation;
    let oldIndex = -1;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i]!;
      if (r.t > upCutoff) up = Math.min(r.replicas, up);
      if (r.t > downCutoff) down = Math.max(r.replicas, down);
      if (r.t < upCutoff && r.t < downCutoff) oldIndex = i;
    }
    let replicas = current;
    if (replicas < up) replicas = up;
    if (replicas > down) replicas = down;
    if (oldIndex >= 0) recs[oldIndex] = { t: now, replicas: recommendation };
    else recs.push({ t: now, replicas: recommendation });

    if (replicas === recommendation) return { replicas, limitedBy: null, clause: '' };
    if (recommendation >= current) {
      return {
        replicas,
        limitedBy: 'ScaleUpStabilized',
        clause: `scale-up stabilized at ${replicas}: lowest recommendation of the last ${formatDuration(upWindow)} is ${up}`,
      };
    }
    return {
      replicas,
      limitedBy: 'ScaleDownStabilized',
      clause: `scale-down stabilized at ${replicas}: highest recommendation of the last ${formatDuration(downWindow)} is ${down}`,
    };
  }

  /** Step 5 (`convertDesiredReplicasWithBehaviorRate`). */
  private limitRate(
    now: number,
    current: number,
    stabilized: number,
  ): { replicas: number; limitedBy: string | null; clause: string } {
    const { minReplicas: min, maxReplicas: max, scaleUp, scaleDown } = this.spec;
    if (stabilized > current) {
      const limit = Math.max(current, this.scaleUpLimit(now, current));
      if (max > limit) {
        if (stabilized > limit) {
          const clause =
            scaleUp.selectPolicy === 'Disabled'
              ? 'scale-up disabled (selectPolicy Disabled)'
              : `scale-up limited to +${limit - current} by ${describeRules(scaleUp)}`;
          return { replicas: limit, limitedBy: 'ScaleUpLimit', clause };
        }
      } else if (stabilized > max) {
        return { replicas: max, limitedBy: 'TooManyReplicas', clause: `capped at maxReplicas ${max}` };
      }
    } else if (stabilized < current) {
      const limit = Math.min(current, this.scaleDownLimit(now, current));
      if (min < limit) {
        if (stabilized < limit) {
          const clause =
            scaleDown.selectPolicy === 'Disabled'
              ? 'scale-down disabled (selectPolicy Disabled)'
              : `scale-down limited to −${current - limit} by ${describeRules(scaleDown)}`;
          return { replicas: limit, limitedBy: 'ScaleDownLimit', clause };
        }
      } else if (stabilized < min) {
        return { replicas: min, limitedBy: 'TooFewReplicas', clause: `floored at minReplicas ${min}` };
      }
    }
    return { replicas: stabilized, limitedBy: null, clause: '' };
  }

  /** `calculateScaleUpLimitWithScalingRules`. */
  private scaleUpLimit(now: number, current: number): number {
    const rules = this.spec.scaleUp;
    if (rules.selectPolicy === 'Disabled') return current;
    const pickMin = rules.selectPolicy === 'Min';
    let result = pickMin ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (const p of rules.policies) {
      const start = this.periodStart(now, current, p.periodMs);
      const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  /** `calculateScaleDownLimitWithBehaviors`. */
  private scaleDownLimit(now: number, current: number): number {
    const rules = this.spec.scaleDown;
    if (rules.selectPolicy === 'Disabled') return current;
    // The smallest change down is the highest count left.
    const pickMax = rules.selectPolicy === 'Min';
    let result = pickMax ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    for (const p of rules.policies) {
      const start = this.periodStart(now, current, p.periodMs);
      const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = pickMax ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** The replica count when the period began: current − added + removed since now − periodMs. */
  private periodStart(now: number, current: number, periodMs: number): number {
    return (
      current - changeInPeriod(this.upEvents, now, periodMs) + changeInPeriod(this.downEvents, now, periodMs)
    );
  }

  /** `storeScaleEvent`: reuses the last slot older than the longest policy period of that direction. */
  private storeScaleEvent(now: number, from: number, to: number): void {
    const up = to > from;
    const events = up ? this.upEvents : this.downEvents;
    const rules = up ? this.spec.scaleUp : this.spec.scaleDown;
    const cutoff = now - Math.max(0, ...rules.policies.map((p) => p.periodMs));
    let oldIndex = -1;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.t < cutoff) e.outdated = true;
      if (e.outdated) oldIndex = i;
    }
    const event = { t: now, change: Math.abs(to - from), outdated: false };
    if (oldIndex >= 0) events[oldIndex] = event;
    else events.push(event);
  }
}

/** `getReplicasChangePerPeriod`: events strictly after now − periodMs (outdated ones too). */
function changeInPeriod(events: readonly ScaleEvent[], now: number, periodMs: number): number {
  const cutoff = now - periodMs;
  let sum = 0;
  for (const e of events) if (e.t > cutoff) sum += e.change;
  return sum;
}

/** Kubernetes ≤ 1.32: `math.Abs(1.0-usageRatio) <= c.tolerance`, in float64. */
function withinTolerance(ratio: number, tolerance: number): boolean {
  return Math.abs(1 - ratio) <= tolerance;
}

/** "|1 − ratio| = 0.09999999999999998 ≤ 0.1": as many decimals as needed to tell them apart. */
function toleranceText(ratio: number, tolerance: number): string {
  const d = Math.abs(1 - ratio);
  let shown = String(d);
  for (let digits = 2; digits <= 6; digits++) {
    const rounded = Number(d.toFixed(digits));
    if (d === tolerance || rounded !== Number(tolerance.toFixed(digits))) {
      shown = String(rounded);
      break;
    }
  }
  return `|1 − ratio| = ${shown} ${d <= tolerance ? '≤' : '>'} ${tolerance}`;
}

/** No change and no metric. */
function keep(current: number, why: string): HpaDecision {
  return { desired: current, recommendation: current, ratio: null, limitedBy: null, why, changed: false };
}

/** Back into [minReplicas, maxReplicas] at once, before any metric is read. */
function scaled(current: number, desired: number, limitedBy: string, why: string): HpaDecision {
  return { desired, recommendation: desired, ratio: null, limitedBy, why, changed: desired !== current };
}

/** "100% per 15 s or 4 pods per 15 s, whichever allows more". */
function describeRules(rules: HpaRules): string {
  const each = rules.policies.map((p) =>
    p.type === 'Percent'
      ? `${p.value}% per ${formatDuration(p.periodMs)}`
      : `${p.value} ${p.value === 1 ? 'pod' : 'pods'} per ${formatDuration(p.periodMs)}`,
  );
  if (each.length === 1) return each[0]!;
  return `${each.join(' or ')}, whichever allows ${rules.selectPolicy === 'Max' ? 'more' : 'less'}`;
}

/** 0.92 → "92%", 0.445 → "44.5%". */
function percent(v: number): string {
  return `${fmt(v * 100, 1)}%`;
}

/** At most `decimals` decimals, no trailing zeros. */
function fmt(x: number, decimals = 3): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(decimals))) : String(x);
}

/** "300 s", "1.5 s", "500 ms". */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function validateSpec(spec: HpaSpec): void {
  const { minReplicas: min, maxReplicas: max, target, tolerance, syncPeriodMs } = spec;
  if (!Number.isInteger(min) || min < 0)
    throw new RangeError(`hpa minReplicas must be an integer >= 0, got ${min}`);
  if (!Number.isInteger(max) || max < Math.max(1, min)) {
    throw new RangeError(`hpa maxReplicas must be an integer >= max(1, minReplicas ${min}), got ${max}`);
  }
  if (!(target > 0) || !Number.isFinite(target))
    throw new RangeError(`hpa target must be a finite number > 0, got ${target}`);
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new RangeError(`hpa tolerance must be a finite number >= 0, got ${tolerance}`);
  }
  if (!(syncPeriodMs > 0) || !Number.isFinite(syncPeriodMs)) {
    throw new RangeError(`hpa syncPeriodMs must be a finite number > 0, got ${syncPeriodMs}`);
  }
  validateRules(spec.scaleUp, 'scaleUp');
  validateRules(spec.scaleDown, 'scaleDown');
}

/** Kubernetes' validation: window 0–3600 s, at least one policy, value > 0, period 1–1800 s. */
function validateRules(rules: HpaRules, where: string): void {
  const w = rules.stabilizationWindowMs;
  if (!(w >= 0 && w <= 3_600_000)) {
    throw new RangeError(`hpa ${where}.stabilizationWindowMs must be within [0, 3600000], got ${w}`);
  }
  if (!['Max', 'Min', 'Disabled'].includes(rules.selectPolicy)) {
    throw new RangeError(
      `hpa ${where}.selectPolicy must be Max, Min or Disabled, got ${String(rules.selectPolicy)}`,
    );
  }
  if (rules.policies.length === 0 && rules.selectPolicy !== 'Disabled') {
    throw new RangeError(`hpa ${where} needs at least one policy`);
  }
  for (const p of rules.policies) {
    if (p.type !== 'Pods' && p.type !== 'Percent') {
      throw new RangeError(`hpa ${where} policy type must be Pods or Percent, got ${String(p.type)}`);
    }
    if (!Number.isInteger(p.value) || p.value <= 0) {
      throw new RangeError(`hpa ${where} policy value must be an integer > 0, got ${p.value}`);
    }
    if (!(p.periodMs > 0 && p.periodMs <= 1_800_000)) {
      throw new RangeError(`hpa ${where} policy periodMs must be within (0, 1800000], got ${p.periodMs}`);
    }
  }
}
