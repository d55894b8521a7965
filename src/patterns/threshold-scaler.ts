/**
 * The teaching autoscaling policy: fixed thresholds and a hold time, in the spirit of MiSim's
 * `ReactiveAutoscalingPolicy` (cambio.simulator.entities.patterns: lowerBound 0.3, upperBound
 * 0.8, holdTime 120 s). A pure calculator called once per period with the time and the metric.
 *
 *   value > upper  → current + step      (strict: exactly at `upper` nothing happens)
 *   value < lower  → current − step      (strict: exactly at `lower` nothing happens)
 *   otherwise, or without a metric (null) → no change
 *
 * The result is clamped to [minReplicas, maxReplicas]. After any change nothing changes while
 * now − lastChange ≤ holdMs (MiSim allows a change only when `presentTime − lastScaleUp >
 * holdTime`); before the first change there is no hold. A count outside [minReplicas,
 * maxReplicas] is brought back at once, hold or not, and that counts as a change.
 *
 * Deliberately simpler than MiSim, which scales by the factor value / (upper − 0.01) (up) or
 * value / lower (down), compares with ≥ and ≤, holds only scale-downs, and counts its hold from
 * time 0 before the first change. Defaults: MiSim's thresholds and hold; step 1; minReplicas 1
 * (as MiSim); maxReplicas 10 (MiSim has no maximum) and a 15 s period (Kubernetes' HPA sync
 * period) are microsim's.
 */
import type { HpaDecision, HpaInput, HpaOptions } from './hpa.ts';

export interface ThresholdSpec {
  /** Scale out when the metric is above this. */
  readonly upper: number;
  /** Scale in when the metric is below this. */
  readonly lower: number;
  /** Replicas added or removed per decision (integer ≥ 1). */
  readonly step: number;
  /** No change within this long after a change (ms). */
  readonly holdMs: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** How often the caller decides (ms). */
  readonly periodMs: number;
}

export const THRESHOLD_DEFAULTS: ThresholdSpec = {
  upper: 0.8,
  lower: 0.3,
  step: 1,
  holdMs: 120_000,
  minReplicas: 1,
  maxReplicas: 10,
  periodMs: 15_000,
};

export class ThresholdScaler {
  readonly service: string;
  readonly spec: ThresholdSpec;
  private readonly metricName: string;
  private readonly label: (v: number) => string;
  /** Time of the last change; null before the first. */
  private lastChange: number | null = null;
  private lastNow = Number.NEGATIVE_INFINITY;

  constructor(service: string, spec: ThresholdSpec = THRESHOLD_DEFAULTS, options: HpaOptions = {}) {
    validateSpec(spec);
    this.service = service;
    this.spec = spec;
    this.metricName = options.metricName ?? 'utilization';
    this.label = options.metricLabel ?? ((v) => `${Number((v * 100).toFixed(1))}%`);
  }

  decide(input: HpaInput): HpaDecision {
    const { now, currentReplicas: current, value } = input;
    if (!Number.isFinite(now))
      throw new RangeError(`threshold scaler: now must be a finite time in ms, got ${now}`);
    if (now < this.lastNow) {
      throw new RangeError(`threshold scaler: time went backwards (${now} ms after ${this.lastNow} ms)`);
    }
    if (!Number.isInteger(current) || current < 0) {
      throw new RangeError(`threshold scaler: currentReplicas must be an integer >= 0, got ${current}`);
    }
    if (value !== null && !Number.isFinite(value)) {
      throw new RangeError(`threshold scaler: value must be a finite number or null, got ${value}`);
    }
    this.lastNow = now;
    const { upper, lower, step, minReplicas: min, maxReplicas: max } = this.spec;
    const svc = this.service;

    if (current > max)
      return this.change(now, current, max, max, 'TooManyReplicas', `above maxReplicas ${max}`);
    if (current < min)
      return this.change(now, current, min, min, 'TooFewReplicas', `below minReplicas ${min}`);
    if (value === null) {
      return {
        ...noChange(current, current, null),
        why: `${svc} stays at ${current}: no ${this.metricName} metric`,
      };
    }

    const v = this.label(value);
    let recommendation = current;
    let reason: string;
    if (value > upper) {
      recommendation = current + step;
      reason = `${this.metricName} ${v} > upper ${this.label(upper)}, +${step}`;
    } else if (value < lower) {
      recommendation = current - step;
      reason = `${this.metricName} ${v} < lower ${this.label(lower)}, −${step}`;
    } else {
      const within = `${this.metricName} ${v} within [${this.label(lower)}, ${this.label(upper)}]`;
      return { ...noChange(current, current, null), why: `${svc} stays at ${current}: ${within}` };
    }

    let desired = recommendation;
    let limitedBy: string | null = null;
    if (desired > max) {
      desired = max;
      limitedBy = 'TooManyReplicas';
      reason +=
        desired === current ? `, but already at maxReplicas ${max}` : `, capped at maxReplicas ${max}`;
    } else if (desired < min) {
      desired = min;
      limitedBy = 'TooFewReplicas';
      reason +=
        desired === current ? `, but already at minReplicas ${min}` : `, floored at minReplicas ${min}`;
    }
    if (desired !== current && this.lastChange !== null && now - this.lastChange <= this.spec.holdMs) {
      const since = formatDuration(now - this.lastChange);
      return {
        ...noChange(current, recommendation, 'Hold'),
        why: `${svc} stays at ${current}: ${reason}, but held: last change ${since} ago, hold ${formatDuration(this.spec.holdMs)}`,
      };
    }
    if (desired === current)
      return {
        ...noChange(current, recommendation, limitedBy),
        why: `${svc} stays at ${current}: ${reason}`,
      };
    return this.change(now, current, desired, recommendation, limitedBy, reason);
  }

  private change(
    now: number,
    current: number,
    desired: number,
    recommendation: number,
    limitedBy: string | null,
    reason: string,
  ): HpaDecision {
    this.lastChange = now;
    return {
      desired,
      recommendation,
      ratio: null,
      limitedBy,
      why: `${this.service} ${current} → ${desired}: ${reason}`,
      changed: true,
    };
  }
}

function noChange(
  current: number,
  recommendation: number,
  limitedBy: string | null,
): Omit<HpaDecision, 'why'> {
  return { desired: current, recommendation, ratio: null, limitedBy, changed: false };
}

/** "120 s", "1.5 s", "500 ms". */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function validateSpec(spec: ThresholdSpec): void {
  const { upper, lower, step, holdMs, minReplicas: min, maxReplicas: max, periodMs } = spec;
  if (!Number.isFinite(upper) || !Number.isFinite(lower) || !(lower < upper)) {
    throw new RangeError(`threshold scaler needs finite lower < upper, got lower ${lower}, upper ${upper}`);
  }
  if (!Number.isInteger(step) || step < 1)
    throw new RangeError(`threshold scaler step must be an integer >= 1, got ${step}`);
  if (!(holdMs >= 0) || !Number.isFinite(holdMs)) {
    throw new RangeError(`threshold scaler holdMs must be a finite number >= 0, got ${holdMs}`);
  }
  if (!Number.isInteger(min) || min < 0) {
    throw new RangeError(`threshold scaler minReplicas must be an integer >= 0, got ${min}`);
  }
  if (!Number.isInteger(max) || max < Math.max(1, min)) {
    throw new RangeError(
      `threshold scaler maxReplicas must be an integer >= max(1, minReplicas ${min}), got ${max}`,
    );
  }
  if (!(periodMs > 0) || !Number.isFinite(periodMs)) {
    throw new RangeError(`threshold scaler periodMs must be a finite number > 0, got ${periodMs}`);
  }
}
