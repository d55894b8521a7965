/**
 * A service's `autoscale:` (Kubernetes HPA or the teaching threshold policy) and `resources:`
 * (cores, memory, cost per instance-hour) as written, read into the model's specs. The queue of
 * the `backlog` metric is checked against the service's consumers by consumers.ts.
 */

import type { AutoscaleMetric, AutoscaleSpec, ResourcesSpec } from '../model/world-spec.ts';
import type { HpaPolicy, HpaRules, HpaSpec } from '../patterns/hpa.ts';
import { HPA_DEFAULTS } from '../patterns/hpa.ts';
import { THRESHOLD_DEFAULTS, type ThresholdSpec } from '../patterns/threshold-scaler.ts';
import { choiceValue, FieldReader, mapOf, percentValue, textValue } from './field-reader.ts';
import { describeValue, IssueCollector, invalid } from './invalid-value.ts';
import { durationMs, integerValue } from './units.ts';

/** At most this many instances per service (each is a lifecycle actor). */
export const MAX_REPLICAS = 10_000;

export interface ScalingPolicyInput {
  type: 'Pods' | 'Percent';
  value: number;
  period: string | number;
}

export interface ScalingRulesInput {
  stabilizationWindow?: string | number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: ScalingPolicyInput[];
}

export interface AutoscaleInput {
  policy?: 'hpa' | 'threshold';
  metric?: AutoscaleMetric;
  /** For `metric: backlog`: the queue read, `broker.queue` (or `broker.topic/group`). */
  queue?: string;
  min?: number;
  max?: number;
  target?: string | number;
  tolerance?: string | number;
  syncPeriod?: string | number;
  scaleUp?: ScalingRulesInput;
  scaleDown?: ScalingRulesInput;
  upper?: string | number;
  lower?: string | number;
  step?: number;
  hold?: string | number;
  period?: string | number;
}

export interface ResourcesInput {
  cores?: number;
  memoryMb?: number;
  costPerHour?: number;
}

const METRICS = ['utilization', 'inflight', 'queue', 'backlog'] as const;

/** A metric level: a percentage for utilization, a positive number (requests, messages) otherwise. */
function level(metric: AutoscaleMetric, raw: unknown): number {
  if (metric === 'utilization') return percentValue(raw, { example: '50%' }) / 100;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) return raw;
  const what = metric === 'backlog' ? 'messages per instance such as 20' : 'requests per instance such as 10';
  throw invalid(`expected a positive number of ${what}, got ${describeValue(raw)}`);
}

/** `queue:` of the backlog metric: `broker.queue`, split at the first dot (checked later). */
function backlogQueue(raw: unknown): { broker: string; queue: string } {
  const usage =
    "a queue such as mq.notifications (broker.queue), or a topic's group such as mq.orders/billing";
  const text = textValue(raw, usage);
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) throw invalid(`expected ${usage}, got "${text}"`);
  return { broker: text.slice(0, dot), queue: text.slice(dot + 1) };
}

function rules(raw: unknown, defaults: HpaRules): HpaRules {
  const r = new FieldReader(
    mapOf(raw, 'a map {stabilizationWindow: 300s, selectPolicy: Max, policies: […]}'),
    ['stabilizationWindow', 'selectPolicy', 'policies'],
  );
  const window = r.optional('stabilizationWindow', (v) => durationMs(v, { example: '300s' }));
  const select = r.optional('selectPolicy', (v) => choiceValue(v, ['Max', 'Min', 'Disabled'] as const));
  const policies = r.optional('policies', (v): HpaPolicy[] => {
    if (!Array.isArray(v) || v.length === 0) {
      throw invalid(
        `expected a list such as [{type: Percent, value: 100, period: 15s}], got ${describeValue(v)}`,
      );
    }
    const issues = new IssueCollector();
    const list = v.map((item, i) =>
      issues.attempt([i], (): HpaPolicy => {
        const p = new FieldReader(mapOf(item, 'a policy {type: Pods|Percent, value: 4, period: 15s}'), [
          'type',
          'value',
          'period',
        ]);
        const type = p.required('type', 'Pods or Percent', (t) =>
          choiceValue(t, ['Pods', 'Percent'] as const),
        );
        const value = p.required('value', 'an integer ≥ 1', (x) => integerValue(x, 1));
        const periodMs = p.required('period', 'a duration such as 15s', (x) =>
          durationMs(x, { positive: true, example: '15s' }),
        );
        p.done();
        return { type: type!, value: value!, periodMs: periodMs! };
      }),
    );
    issues.throwIfAny();
    return list as HpaPolicy[];
  });
  r.done();
  return {
    stabilizationWindowMs: window ?? defaults.stabilizationWindowMs,
    selectPolicy: select ?? defaults.selectPolicy,
    policies: policies ?? defaults.policies,
  };
}

/** `autoscale:` of a service; `replicas` is its starting count, which must lie in [min, max]. */
export function autoscaleValue(raw: unknown): AutoscaleSpec {
  const map = mapOf(raw, 'a map {metric: utilization, target: 50%, min: 1, max: 10}');
  const kind = Object.hasOwn(map, 'policy') ? map.policy : 'hpa';
  const hpaKeys = ['tolerance', 'syncPeriod', 'scaleUp', 'scaleDown', 'target'];
  const thresholdKeys = ['upper', 'lower', 'step', 'hold', 'period'];
  const backlog = map.metric === 'backlog';
  const r = new FieldReader(
    map,
    [
      'policy',
      'metric',
      'min',
      'max',
      ...(backlog ? ['queue'] : []),
      ...(kind === 'threshold' ? thresholdKeys : hpaKeys),
    ],
    {
      queue: `"queue" names the broker queue of metric backlog; it does not apply to metric ${typeof map.metric === 'string' ? map.metric : 'utilization'}`,
    },
  );
  r.optional('policy', (v) => choiceValue(v, ['hpa', 'threshold'] as const));
  const metric = r.optional('metric', (v) => choiceValue(v, METRICS)) ?? 'utilization';
  const queue = backlog
    ? r.required('queue', 'the queue whose backlog is read, such as mq.notifications', backlogQueue)
    : undefined;
  const read = queue === undefined ? {} : { queue };
  const min = r.optional('min', (v) => integerValue(v, 1));
  const max = r.optional('max', (v) => integerValue(v, 1, MAX_REPLICAS));
  if (kind === 'threshold') {
    const upper = r.optional('upper', (v) => level(metric, v));
    const lower = r.optional('lower', (v) => level(metric, v));
    const step = r.optional('step', (v) => integerValue(v, 1));
    const hold = r.optional('hold', (v) => durationMs(v, { example: '120s' }));
    const period = r.optional('period', (v) => durationMs(v, { positive: true, example: '15s' }));
    const spec: ThresholdSpec = {
      ...THRESHOLD_DEFAULTS,
      upper: upper ?? (metric === 'utilization' ? THRESHOLD_DEFAULTS.upper : Number.NaN),
      lower: lower ?? (metric === 'utilization' ? THRESHOLD_DEFAULTS.lower : Number.NaN),
      step: step ?? THRESHOLD_DEFAULTS.step,
      holdMs: hold ?? THRESHOLD_DEFAULTS.holdMs,
      periodMs: period ?? THRESHOLD_DEFAULTS.periodMs,
      minReplicas: min ?? THRESHOLD_DEFAULTS.minReplicas,
      maxReplicas: max ?? THRESHOLD_DEFAULTS.maxReplicas,
    };
    if (Number.isNaN(spec.upper))
      r.add(`give upper: the level of ${metric} above which to scale out`, [], 'value');
    if (Number.isNaN(spec.lower))
      r.add(`give lower: the level of ${metric} below which to scale in`, [], 'value');
    if (spec.lower >= spec.upper) r.add('lower must be below upper', ['lower']);
    if (spec.minReplicas > spec.maxReplicas) r.add('min must not exceed max', ['min']);
    r.done();
    return { metric, ...read, policy: { kind: 'threshold', spec } };
  }
  const target = r.optional('target', (v) => level(metric, v));
  const tolerance = r.optional('tolerance', (v) => percentValue(v, { zero: true, example: '10%' }) / 100);
  const sync = r.optional('syncPeriod', (v) => durationMs(v, { positive: true, example: '15s' }));
  const up = r.optional('scaleUp', (v) => rules(v, HPA_DEFAULTS.scaleUp));
  const down = r.optional('scaleDown', (v) => rules(v, HPA_DEFAULTS.scaleDown));
  if (target === undefined && metric !== 'utilization' && !r.has('target')) {
    const what = metric === 'backlog' ? 'backlog (messages)' : metric;
    r.add(`give target: the ${what} per instance the autoscaler aims for`, [], 'value');
  }
  const spec: HpaSpec = {
    ...HPA_DEFAULTS,
    target: target ?? HPA_DEFAULTS.target,
    tolerance: tolerance ?? HPA_DEFAULTS.tolerance,
    syncPeriodMs: sync ?? HPA_DEFAULTS.syncPeriodMs,
    scaleUp: up ?? HPA_DEFAULTS.scaleUp,
    scaleDown: down ?? HPA_DEFAULTS.scaleDown,
    minReplicas: min ?? HPA_DEFAULTS.minReplicas,
    maxReplicas: max ?? HPA_DEFAULTS.maxReplicas,
  };
  if (spec.minReplicas > spec.maxReplicas) r.add('min must not exceed max', ['min']);
  r.done();
  return { metric, ...read, policy: { kind: 'hpa', spec } };
}

/** `resources:` of a service: what one instance has and costs. */
export function resourcesValue(raw: unknown): ResourcesSpec {
  const r = new FieldReader(mapOf(raw, 'a map {cores: 1, memoryMb: 512, costPerHour: 0.05}'), [
    'cores',
    'memoryMb',
    'costPerHour',
  ]);
  const positiveNumber = (what: string) => (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
    throw invalid(`expected ${what}, got ${describeValue(v)}`);
  };
  const cores = r.optional('cores', positiveNumber('a number of CPU cores above 0 such as 0.5 or 2'));
  const memoryMb = r.optional('memoryMb', positiveNumber('a memory size in MB above 0 such as 512'));
  const cost = r.optional('costPerHour', (v) => {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
    throw invalid(`expected a cost per instance-hour ≥ 0 such as 0.05, got ${describeValue(v)}`);
  });
  r.done();
  return { cores: cores ?? 1, memoryMb: memoryMb ?? 512, costPerHour: cost ?? 0 };
}
