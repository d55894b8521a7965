/**
 * The `expect:` list: assertions about a run (`{metric: p99, endpoint: api.get, during: [60s,
 * 120s], atMost: 300ms}`), read one entry at a time (metric, unit of the value, comparison),
 * then resolved against the services, brokers, workloads, call graph and faults into
 * `ExpectationSpec`s.
 */
import type { BrokerSpec, ServiceSpec, WorkloadSpec } from '../model/world-spec.ts';
import {
  type BreakerStateName,
  type ComparisonOp,
  type ExpectationMetric,
  type ExpectationScope,
  type ExpectationSpec,
  type ExpectationWindow,
  FAILURE_REASONS,
  type FailureReason,
  MESSAGING_METRICS,
} from '../signals.ts';
import { type CallGraph, calls } from './call-graph.ts';
import { type FaultActionKey, isInstant, splitArrow } from './chaos.ts';
import { closestMatch, didYouMean } from './did-you-mean.ts';
import { FieldReader, mapOf, shortDuration, textValue } from './field-reader.ts';
import type { DurationInput, RateInput, RatioInput } from './fields.ts';
import { describeValue, InvalidValue, type IssueCollector, invalid, type Segment } from './invalid-value.ts';
import { resolveQueue } from './queue-refs.ts';
import { type Catalogue, CLIENT, resolveTarget } from './targets.ts';
import { durationMs, ratePerSec, ratioValue } from './units.ts';

/** How a metric's comparison value is written, and what it resolves to. */
type Unit = 'ratio' | 'duration' | 'rate' | 'number' | 'state';

/** Every metric and the unit of its values. */
export const METRIC_UNITS: Readonly<Record<ExpectationMetric, Unit>> = {
  availability: 'ratio',
  success_rate: 'ratio',
  latency_mean: 'duration',
  latency_p50: 'duration',
  latency_p90: 'duration',
  latency_p95: 'duration',
  latency_p99: 'duration',
  latency_p999: 'duration',
  latency_max: 'duration',
  throughput: 'rate',
  goodput: 'rate',
  errors: 'number',
  fallbacks: 'number',
  retry_amplification: 'number',
  wasted_work_ms: 'duration',
  time_to_detect_ms: 'duration',
  time_to_recover_ms: 'duration',
  replicas: 'number',
  peak_replicas: 'number',
  cost: 'number',
  breaker_opened: 'number',
  breaker_state: 'state',
  messages_published: 'number',
  messages_processed: 'number',
  messages_lost: 'number',
  dead_lettered: 'number',
  redeliveries: 'number',
  duplicates: 'number',
  backlog_max: 'number',
  backlog_end: 'number',
  oldest_message_age_ms: 'duration',
  delivery_latency_p50: 'duration',
  delivery_latency_p99: 'duration',
  delivery_latency_max: 'duration',
};

const METRICS = Object.keys(METRIC_UNITS) as ExpectationMetric[];

/** Short names for the latency metrics. */
export const METRIC_ALIASES = {
  mean: 'latency_mean',
  p50: 'latency_p50',
  p90: 'latency_p90',
  p95: 'latency_p95',
  p99: 'latency_p99',
  p999: 'latency_p999',
  'p99.9': 'latency_p999',
  max: 'latency_max',
} as const satisfies Record<string, ExpectationMetric>;

/** The comparison keys, the operator each stands for, and how it reads in a name. */
export const COMPARISONS = {
  atLeast: '>=',
  atMost: '<=',
  below: '<',
  above: '>',
  equals: '==',
  notEquals: '!=',
} as const satisfies Record<string, ComparisonOp>;
type ComparisonKey = keyof typeof COMPARISONS;
const COMPARISON_KEYS = Object.keys(COMPARISONS) as ComparisonKey[];
const SYMBOLS: Readonly<Record<ComparisonOp, string>> = {
  '>=': '≥',
  '<=': '≤',
  '<': '<',
  '>': '>',
  '==': '=',
  '!=': '≠',
};

const STATES: readonly BreakerStateName[] = [
  'closed',
  'open',
  'half_open',
  'disabled',
  'forced_open',
  'metrics_only',
];

/** The keys that scope an expectation (at most one). */
export const SCOPE_KEYS = ['workload', 'service', 'endpoint', 'edge', 'breaker', 'queue'] as const;
type ScopeKey = (typeof SCOPE_KEYS)[number];
const PHASES = ['before', 'during', 'after'] as const;
const RUN: WrittenWindow = { kind: 'run' };

type ExpectValue = string | number;

/** An expectation as written in a scenario. */
export interface ExpectationInput {
  name?: string;
  metric: ExpectationMetric | keyof typeof METRIC_ALIASES;
  workload?: string;
  service?: string;
  endpoint?: string;
  edge?: string;
  breaker?: string;
  /** A broker's queue, `broker.queue` (or a topic's group `broker.topic/group`). */
  queue?: string;
  reason?: FailureReason;
  /** `[from, to]`, `{before|during|after: <fault>}`, or a fault's name (= `{during: <fault>}`). */
  during?:
    | [DurationInput, DurationInput]
    | string
    | { before: string }
    | { during: string }
    | { after: string };
  atLeast?: ExpectValue | RatioInput | RateInput;
  atMost?: ExpectValue;
  below?: ExpectValue;
  above?: ExpectValue;
  equals?: ExpectValue;
  notEquals?: ExpectValue;
}

type WrittenWindow =
  | { readonly kind: 'run' }
  | { readonly kind: 'range'; readonly fromMs: number; readonly toMs: number }
  | { readonly kind: 'fault'; readonly fault: string; readonly phase: 'before' | 'during' | 'after' };

/** An expectation read from the file, its references not yet checked. */
export interface UnresolvedExpectation {
  readonly name: string | undefined;
  /** Both languages, when the name was written as {en, es}. */
  readonly names: { readonly en: string; readonly es: string } | undefined;
  /** The metric as written (an alias stays an alias), for generated names. */
  readonly written: string;
  readonly metric: ExpectationMetric;
  readonly reason: FailureReason | undefined;
  readonly scope: { readonly key: ScopeKey; readonly text: string } | undefined;
  readonly window: WrittenWindow;
  readonly comparison: ComparisonKey;
  readonly value: number | string;
  /** The value as written, for generated names. */
  readonly valueText: string;
}

function metricOf(raw: unknown): ExpectationMetric {
  const text = textValue(raw, 'a metric such as availability or p99');
  if ((METRICS as string[]).includes(text)) return text as ExpectationMetric;
  if (Object.hasOwn(METRIC_ALIASES, text)) return METRIC_ALIASES[text as keyof typeof METRIC_ALIASES];
  const match = closestMatch(text, [...METRICS, ...Object.keys(METRIC_ALIASES)]);
  const hint = match === undefined ? '' : ` (did you mean "${match}"?)`;
  throw invalid(
    `unknown metric "${text}"${hint}; the metrics are ${METRICS.join(', ')} (or p50, p90, p95, p99, p999, mean, max)`,
  );
}

/** Converts a comparison value to the metric's unit; throws a message naming what was expected. */
function comparisonValue(
  metric: ExpectationMetric,
  raw: unknown,
  comparison: ComparisonKey,
): number | string {
  switch (METRIC_UNITS[metric]) {
    case 'ratio':
      try {
        return ratioValue(raw);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        throw invalid(
          `expected a percentage such as 99% (${metric} is a share of requests), got ${describeValue(raw)}`,
        );
      }
    case 'duration':
      // The name of a `*_ms` metric gives the unit: a plain number is milliseconds there.
      if (metric.endsWith('_ms') && typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) return raw;
      return durationMs(raw, { example: '300ms' });
    case 'rate':
      return ratePerSec(raw);
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
        const what = MESSAGING_METRICS.has(metric)
          ? `a plain number such as 10 (a count of ${metric === 'redeliveries' || metric === 'duplicates' ? 'deliveries' : 'messages'})`
          : metric === 'retry_amplification'
            ? 'a plain number such as 1.5 (attempts per call)'
            : metric === 'replicas' || metric === 'peak_replicas'
              ? 'a plain number such as 3 (ready instances)'
              : metric === 'cost'
                ? 'a plain number such as 0.25 (in the currency of costPerHour)'
                : `a plain number such as 10 (a count of ${metric === 'breaker_opened' ? 'openings' : metric})`;
        throw invalid(`expected ${what}, got ${describeValue(raw)}`);
      }
      return raw;
    }
    case 'state': {
      if (comparison !== 'equals' && comparison !== 'notEquals') {
        throw invalid('breaker_state is a state: compare it with equals or notEquals', [], 'key');
      }
      const text = typeof raw === 'string' ? raw.trim().replace(/-/g, '_') : raw;
      if (typeof text === 'string' && (STATES as readonly string[]).includes(text)) return text;
      const hint = typeof text === 'string' ? didYouMean(text, STATES) : '';
      throw invalid(`expected a breaker state (${STATES.join(', ')}), got ${describeValue(raw)}${hint}`);
    }
  }
}

function rangeOf(raw: unknown): WrittenWindow {
  const usage = 'a window [from, to] such as [60s, 120s], or the name of a fault';
  if (!Array.isArray(raw) || raw.length !== 2) throw invalid(`expected ${usage}, got ${describeValue(raw)}`);
  const fromMs = durationMs(raw[0], { example: '60s' });
  const toMs = durationMs(raw[1], { example: '120s' });
  if (!(fromMs < toMs))
    throw invalid(
      `a window [from, to] needs from < to, got [${shortDuration(fromMs)}, ${shortDuration(toMs)}]`,
    );
  return { kind: 'range', fromMs, toMs };
}

/** `[from, to]`, `{before|during|after: <fault>}`, or a fault's name. */
function windowOf(raw: unknown): WrittenWindow {
  if (typeof raw === 'string') return { kind: 'fault', fault: textValue(raw), phase: 'during' };
  if (Array.isArray(raw)) return rangeOf(raw);
  const usage = 'a window: [from, to] such as [60s, 120s], or {before|during|after: <fault name>}';
  const r = new FieldReader(mapOf(raw, usage), PHASES);
  const present = PHASES.filter((p) => r.has(p));
  if (present.length === 0 && r.issues.issues.length === 0) r.add(`expected ${usage}, got an empty map`);
  if (present.length > 1) {
    r.add(
      `give one of before, during or after; this window has ${present.join(' and ')}`,
      [present[1]!],
      'key',
    );
  }
  const phase = present[0];
  const fault =
    phase === undefined ? undefined : r.optional(phase, (v) => textValue(v, 'the name of a fault'));
  r.done();
  return { kind: 'fault', fault: fault!, phase: phase! };
}

/** Reads one entry of `expect:`; throws `InvalidValue` with paths within the entry. */
export function readExpectation(raw: unknown): UnresolvedExpectation {
  const map = mapOf(raw, 'an expectation such as {metric: availability, atLeast: 99%}');
  const r = new FieldReader(map, ['name', 'metric', 'reason', ...SCOPE_KEYS, 'during', ...COMPARISON_KEYS]);
  // A name is text, or {en, es} for classroom use (the summary shows the one of --lang).
  const named = r.optional('name', (v): string | { en: string; es: string } => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const m = v as Record<string, unknown>;
      const extra = Object.keys(m).filter((k) => k !== 'en' && k !== 'es');
      if (
        extra.length > 0 ||
        typeof m.en !== 'string' ||
        typeof m.es !== 'string' ||
        !m.en.trim() ||
        !m.es.trim()
      ) {
        throw invalid(
          `expected a name as text, or as {en: …, es: …} with both languages, got ${describeValue(v)}`,
        );
      }
      return { en: m.en.trim(), es: m.es.trim() };
    }
    return textValue(v, 'a name for the expectation (text, or {en: …, es: …})');
  });
  const name = typeof named === 'object' ? named.en : named;
  const names = typeof named === 'object' ? named : undefined;
  const metric = r.required('metric', 'a metric such as availability or p99', metricOf);
  const written = typeof map.metric === 'string' ? map.metric.trim() : String(map.metric);

  const scopes = SCOPE_KEYS.filter((k) => r.has(k));
  if (scopes.length > 1) {
    r.add(
      `give at most one scope (workload, service, endpoint, edge, breaker or queue); this one has ${scopes.join(' and ')}`,
      [scopes[1]!],
      'key',
    );
  }
  const scopeKey = scopes[0];
  const scopeText =
    scopeKey === undefined ? undefined : r.optional(scopeKey, (v) => textValue(v, `a ${scopeKey} name`));
  const breakerMetric = metric === 'breaker_state' || metric === 'breaker_opened';
  const messagingMetric = metric !== undefined && MESSAGING_METRICS.has(metric);
  // With two scopes the entry is already wrong: which one would apply is anyone's guess.
  if (metric !== undefined && scopes.length <= 1) {
    if (messagingMetric && scopeKey !== undefined && scopeKey !== 'queue') {
      r.add(
        `${metric} is measured on broker queues: scope it with queue: <broker>.<queue>, or leave the scope out for all queues`,
        [scopeKey],
        'key',
      );
    } else if (!messagingMetric && scopeKey === 'queue') {
      r.add(
        `"queue" applies to the messaging metrics only (${[...MESSAGING_METRICS].join(', ')}), not to ${metric}`,
        ['queue'],
        'key',
      );
    } else if (breakerMetric && scopeKey !== 'breaker') {
      r.add(`${metric} needs a breaker: add breaker: <caller>-><service>`, ['breaker'], 'parent');
    } else if (!breakerMetric && scopeKey === 'breaker') {
      r.add('"breaker" applies to breaker_state and breaker_opened only', ['breaker'], 'key');
    } else if ((metric === 'replicas' || metric === 'peak_replicas') && scopeKey !== 'service') {
      r.add(`${metric} needs a service: add service: <name>`, ['service'], 'parent');
    } else if (metric === 'cost' && scopeKey !== undefined && scopeKey !== 'service') {
      r.add('cost is measured per service, or for all services without a scope', [scopeKey], 'key');
    }
  }

  const reason = r.optional('reason', (v) => {
    if (metric !== undefined && metric !== 'errors')
      throw invalid(`"reason" applies to the metric errors only, not to ${metric}`, [], 'key');
    if (typeof v === 'string' && (FAILURE_REASONS as readonly string[]).includes(v))
      return v as FailureReason;
    const hint = typeof v === 'string' ? didYouMean(v, FAILURE_REASONS) : '';
    throw invalid(
      `expected a failure reason (${FAILURE_REASONS.join(', ')}), got ${describeValue(v)}${hint}`,
    );
  });

  const window = r.has('during') ? r.optional('during', windowOf) : RUN;
  if ((metric === 'time_to_detect_ms' || metric === 'time_to_recover_ms') && window?.kind !== 'fault') {
    const phase = metric === 'time_to_detect_ms' ? 'during' : 'after';
    const message = `${metric} is measured from a fault: add during: {${phase}: <fault name>}`;
    if (!r.has('during')) r.add(message, ['during'], 'parent');
    else if (window !== undefined) r.add(message, ['during']);
  }

  const comparisons = COMPARISON_KEYS.filter((k) => r.has(k));
  if (comparisons.length > 1) {
    r.add(`give exactly one comparison; this one has ${comparisons.join(' and ')}`, [comparisons[1]!], 'key');
  } else if (comparisons.length === 0) {
    r.add(`missing a comparison: one of ${COMPARISON_KEYS.join(', ')}`, [], 'value');
  }
  const comparison = comparisons[0];
  const value =
    comparison === undefined || metric === undefined
      ? undefined
      : r.optional(comparison, (v) => comparisonValue(metric, v, comparison));
  r.done();
  const rawValue = map[comparison!];
  return {
    name,
    names,
    written,
    metric: metric!,
    reason,
    scope: scopeKey === undefined ? undefined : { key: scopeKey, text: scopeText! },
    window: window!,
    comparison: comparison!,
    value: value!,
    valueText: typeof rawValue === 'string' ? rawValue.trim() : String(rawValue),
  };
}

/** A fault as expectations see it: its name and when it is active. */
export interface FaultWindow {
  readonly name: string;
  readonly key: FaultActionKey;
  readonly atMs: number;
  readonly forMs: number | null;
}

export interface ExpectationContext {
  readonly services: readonly ServiceSpec[];
  readonly brokers: readonly BrokerSpec[];
  readonly workloads: readonly WorkloadSpec[];
  readonly catalogue: Catalogue;
  readonly graph: CallGraph;
  readonly durationMs: number;
  readonly faults: readonly FaultWindow[];
}

/** `a→b` for names and matching (`->` accepted everywhere). */
function normalizeArrows(text: string): string {
  return text.replace(/\s*(?:->|→)\s*/g, '→');
}

function unknownName(what: string, name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known);
  const list = hint === '' && known.length > 0 && known.length <= 12 ? `; known: ${known.join(', ')}` : '';
  return `unknown ${what} "${name}"${hint}${list}`;
}

function breakerScope(text: string, ctx: ExpectationContext): ExpectationScope {
  const usage = 'a breaker such as checkout->payments (caller->service), or checkout#1->payments';
  const edge = splitArrow(text);
  if (edge === undefined || edge.from === '' || edge.to === '')
    throw invalid(`expected ${usage}, got "${text}"`);
  const instance = /^(.*)#(\d+)$/.exec(edge.from);
  const caller = instance === null ? edge.from : instance[1]!;
  const name = `${edge.from}→${edge.to}`;
  const service = ctx.services.find((s) => s.name === caller);
  const workload = ctx.workloads.find((w) => w.name === caller);
  if (service === undefined && workload === undefined) {
    const callers = [...ctx.services.map((s) => s.name), ...ctx.workloads.map((w) => w.name)];
    throw invalid(`${unknownName('caller', caller, callers)}: a breaker is named <caller>-><service>`);
  }
  if (service !== undefined) {
    const policy = service.clients?.get(edge.to);
    if (policy === undefined) {
      const targets = [...(service.clients?.keys() ?? [])];
      const hint = didYouMean(edge.to, targets);
      throw invalid(
        `"${caller}" has no client policy for "${edge.to}"${hint}, so no breaker ${caller}→${edge.to} (add one under services.${caller}.clients.${edge.to})`,
      );
    }
    if (policy.breaker === null)
      throw invalid(`the client policy of ${caller} for ${edge.to} has no breaker`);
    const instances = `${caller}#1→${edge.to}${service.replicas > 1 ? ` to ${caller}#${service.replicas}→${edge.to}` : ''}`;
    if (instance === null && policy.scope === 'instance') {
      throw invalid(
        `with scope instance each instance of ${caller} has its own breaker (${instances}): name one, e.g. ${caller}#1->${edge.to}`,
      );
    }
    if (instance !== null) {
      if (policy.scope !== 'instance') {
        throw invalid(`the breaker of ${caller}→${edge.to} has scope service: name it ${caller}->${edge.to}`);
      }
      const n = Number(instance[2]);
      if (n < 1 || n > service.replicas) {
        throw invalid(
          `${caller} has ${service.replicas} instance${service.replicas === 1 ? '' : 's'}: its breakers are ${instances}`,
        );
      }
    }
    return { kind: 'breaker', breaker: name };
  }
  const w = workload!;
  const target = w.entries[0]?.service;
  if (w.client === undefined || w.client === null || w.client.breaker === null) {
    throw invalid(`workload "${caller}" has no client breaker (add workloads.${caller}.client.breaker)`);
  }
  if (instance !== null)
    throw invalid(`a workload's client is one process: name its breaker ${caller}->${target}`);
  if (edge.to !== target) {
    throw invalid(
      `the client breaker of workload "${caller}" is named ${caller}->${target} (after its first entry's service)`,
    );
  }
  return { kind: 'breaker', breaker: name };
}

function edgeScope(text: string, ctx: ExpectationContext): ExpectationScope {
  const edge = splitArrow(text);
  if (edge === undefined || edge.from === '' || edge.to === '') {
    throw invalid(
      `expected an edge such as checkout->payments (a service or workload, then a service), got "${text}"`,
    );
  }
  const workloads = ctx.workloads.map((w) => w.name);
  if (edge.from === CLIENT) {
    throw invalid(
      `"client" stands for every workload: name the workload, e.g. ${workloads[0] ?? 'shoppers'}->${edge.to}`,
    );
  }
  for (const end of [edge.from, edge.to]) {
    if (isBroker(end, ctx)) {
      throw invalid(
        `"${end}" is a broker: an edge is a call, and a broker is published to; measure the broker with service: ${end}, or its queues with queue: ${end}.<queue>`,
      );
    }
  }
  if (!ctx.catalogue.has(edge.from) && !workloads.includes(edge.from)) {
    throw invalid(unknownName('service or workload', edge.from, [...ctx.catalogue.keys(), ...workloads]));
  }
  if (!ctx.catalogue.has(edge.to)) throw invalid(unknownName('service', edge.to, [...ctx.catalogue.keys()]));
  if (!calls(ctx.graph, edge.from, edge.to))
    throw invalid(`"${edge.from}" never calls "${edge.to}": there is no such edge`);
  return { kind: 'edge', from: edge.from, to: edge.to };
}

function isBroker(name: string, ctx: ExpectationContext): boolean {
  return ctx.brokers.some((b) => b.name === name);
}

function resolveScope(e: UnresolvedExpectation, ctx: ExpectationContext): ExpectationScope {
  if (e.scope === undefined) {
    if (MESSAGING_METRICS.has(e.metric) && ctx.brokers.length === 0) {
      throw invalid(`${e.metric} is measured on broker queues, and the scenario has no brokers`);
    }
    return { kind: 'all' };
  }
  const { key, text } = e.scope;
  switch (key) {
    case 'workload': {
      const names = ctx.workloads.map((w) => w.name);
      if (!names.includes(text)) throw invalid(unknownName('workload', text, names));
      return { kind: 'workload', workload: text };
    }
    case 'service': {
      // A broker is measured like a service (its publish endpoint's requests, its instances).
      if (ctx.catalogue.has(text) || isBroker(text, ctx)) return { kind: 'service', service: text };
      const names = [...ctx.catalogue.keys(), ...ctx.brokers.map((b) => b.name)];
      throw invalid(unknownName(ctx.brokers.length === 0 ? 'service' : 'service or broker', text, names));
    }
    case 'endpoint': {
      const dot = text.indexOf('.');
      if (dot > 0 && isBroker(text.slice(0, dot), ctx)) {
        const name = text.slice(0, dot);
        throw invalid(
          `"${name}" is a broker, with no endpoints to measure: use service: ${name} for the broker, or queue: ${text} for a queue`,
        );
      }
      const ref = resolveTarget(text, undefined, ctx.catalogue, 'endpoint');
      return { kind: 'endpoint', service: ref.service, endpoint: ref.endpoint };
    }
    case 'queue': {
      const services = [...ctx.catalogue.keys()];
      const ref = resolveQueue(text, { brokers: ctx.brokers, services }, 'name');
      return { kind: 'queue', broker: ref.broker, queue: ref.queue };
    }
    case 'edge':
      return edgeScope(text, ctx);
    case 'breaker':
      return breakerScope(text, ctx);
  }
}

function resolveWindow(w: WrittenWindow, ctx: ExpectationContext): ExpectationWindow {
  if (w.kind === 'run') return w;
  const end = shortDuration(ctx.durationMs);
  if (w.kind === 'range') {
    if (w.toMs > ctx.durationMs) {
      throw invalid(
        `the window [${shortDuration(w.fromMs)}, ${shortDuration(w.toMs)}] ends after the run (duration ${end})`,
      );
    }
    return w;
  }
  const wanted = normalizeArrows(w.fault);
  const fault = ctx.faults.find((f) => normalizeArrows(f.name) === wanted);
  if (fault === undefined) {
    const names = [...new Set(ctx.faults.map((f) => f.name))];
    const known = names.length === 0 ? ' (the scenario has no chaos: faults)' : '';
    throw invalid(`${unknownName('fault', w.fault, names)}${known}`);
  }
  // A restart or a scale is a moment: "after" it starts when it happens.
  const instant = isInstant(fault.key);
  const endMs = instant ? fault.atMs : fault.forMs === null ? null : fault.atMs + fault.forMs;
  if (w.phase === 'before' && fault.atMs === 0) {
    throw invalid(`nothing comes before fault "${fault.name}": it starts at 0s`);
  }
  if (w.phase === 'during' && instant) {
    throw invalid(
      `a ${fault.key} happens at once: nothing lasts during it; use {after: ${fault.name}} (or before)`,
    );
  }
  if (w.phase === 'after') {
    if (endMs === null) {
      throw invalid(
        `fault "${fault.name}" lasts until the end of the run (it has no "for"): nothing comes after it`,
      );
    }
    if (endMs >= ctx.durationMs) {
      throw invalid(
        `fault "${fault.name}" ends at ${shortDuration(endMs)}, at or after the end of the run (${end})`,
      );
    }
  }
  return { kind: 'fault', fault: fault.name, phase: w.phase };
}

function scopeText(scope: ExpectationScope, metric: ExpectationMetric): string {
  switch (scope.kind) {
    case 'all':
      return MESSAGING_METRICS.has(metric) ? 'all queues' : 'all requests';
    case 'workload':
      return `workload ${scope.workload}`;
    case 'service':
      return `service ${scope.service}`;
    case 'endpoint':
      return `endpoint ${scope.service}.${scope.endpoint}`;
    case 'edge':
      return `calls ${scope.from}→${scope.to}`;
    case 'breaker':
      return `breaker ${scope.breaker}`;
    case 'queue':
      return `queue ${scope.broker}.${scope.queue}`;
  }
}

function windowText(w: ExpectationWindow): string {
  if (w.kind === 'run') return '';
  if (w.kind === 'range') return ` during ${shortDuration(w.fromMs)}–${shortDuration(w.toMs)}`;
  return ` ${w.phase} ${w.fault}`;
}

/** Resolves every expectation; problems go to `issues` (paths from the file root). */
export function buildExpectations(
  entries: readonly UnresolvedExpectation[],
  ctx: ExpectationContext,
  issues: IssueCollector,
): ExpectationSpec[] {
  const out: ExpectationSpec[] = [];
  entries.forEach((e, i) => {
    const path: Segment[] = ['expect', i];
    const scope = issues.attempt(e.scope === undefined ? path : [...path, e.scope.key], () =>
      resolveScope(e, ctx),
    );
    const window = issues.attempt(e.window.kind === 'run' ? path : [...path, 'during'], () =>
      resolveWindow(e.window, ctx),
    );
    if (scope === undefined || window === undefined) return;
    const op = COMPARISONS[e.comparison];
    const metric = `${e.written}${e.reason === undefined ? '' : ` (${e.reason})`}`;
    const name =
      e.name ??
      `${metric} of ${scopeText(scope, e.metric)}${windowText(window)} ${SYMBOLS[op]} ${e.valueText}`;
    out.push({
      name,
      ...(e.names === undefined ? {} : { names: e.names }),
      metric: e.metric,
      ...(e.reason === undefined ? {} : { reason: e.reason }),
      scope,
      window,
      op,
      value: e.value,
    });
  });
  return out;
}
