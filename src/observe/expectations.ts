/**
 * The expectation checker: measures each `ExpectationSpec` of a run over its window and scope,
 * exactly, from the signals, and judges it. It subscribes only to the signals its specs need (to
 * nothing without specs); per request or hop it does O(number of specs) cheap work.
 *
 * Windows: a request, call or hop belongs to a window by its *arrival* time (`arrivedAt`; for a
 * call `at − latencyMs`), whenever it completes; events (breaker transitions) by their time.
 * `run` is [warmupMs, end]; `range` is [fromMs, toMs); a fault's `before` is [warmupMs, start),
 * `during` [start, end) (to the run's end if it never ended), `after` [end, run end]. A fault's
 * times become known as its signals arrive; a request is classified when it completes, which is
 * never before it arrived, so nothing is buffered.
 * A metric without data in its window is measured as null and its verdict fails, saying why.
 * The messaging metrics (scope `queue` or `all`) are measured in `message-expectations.ts`.
 * `docs/en/results-format.md` ("Expectations") documents every metric, scope and unit.
 */
import type { Bus } from '../engine/bus.ts';
import type {
  BreakerStateName,
  ComparisonOp,
  ExpectationMetric,
  ExpectationScope,
  ExpectationSpec,
  ExpectationWindow,
  FailureReason,
  Outcome,
  SignalName,
  Signals,
} from '../signals.ts';
import { MESSAGING_METRICS } from '../signals.ts';
import { cleanMs, LatencyStats } from './latency-stats.ts';
import { type LiveBounds, MessageWatch } from './message-expectations.ts';
import { RECOVERY_INTERVALS } from './resilience.ts';
import type { ResultsDocument } from './results.ts';

export interface ExpectationVerdict {
  readonly name: string;
  readonly passed: boolean;
  /** In the metric's unit (ratio, ms, per second, count, instances) or a breaker state; null without data. */
  readonly measured: number | string | null;
  /** `measured` in its unit, e.g. `99.2%` (`no data` for null); more digits when a failing value would look equal to the threshold. */
  readonly measuredText: string;
  /** The expectation in words, e.g. `≥ 99%`. */
  readonly expected: string;
  /** Why there is no measurement, or something to know about it. */
  readonly detail?: string;
  readonly spec: ExpectationSpec;
}

export interface ExpectationChecker {
  /** Judges every spec, in order; call after `run.ended` with the run's results document. */
  verdicts(results: ResultsDocument): ExpectationVerdict[];
  /** Unsubscribes from the bus. */
  dispose(): void;
}

export interface ExpectationCheckerOptions {
  readonly warmupMs: number;
  /** Planned run length (ms); the actual end is taken from the results document. */
  readonly durationMs: number;
}

const OP_SYMBOL: Readonly<Record<ComparisonOp, string>> = {
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '==': '=',
  '!=': '≠',
};

const PERCENTILE: Partial<Record<ExpectationMetric, number>> = {
  latency_p50: 50,
  latency_p90: 90,
  latency_p95: 95,
  latency_p99: 99,
  latency_p999: 99.9,
};

type Unit = 'ratio' | 'ms' | 'perSec' | 'count' | 'factor' | 'instances' | 'state' | 'money';

function unitOf(metric: ExpectationMetric): Unit {
  switch (metric) {
    case 'availability':
    case 'success_rate':
      return 'ratio';
    case 'throughput':
    case 'goodput':
      return 'perSec';
    case 'errors':
    case 'fallbacks':
    case 'breaker_opened':
    case 'messages_published':
    case 'messages_processed':
    case 'messages_lost':
    case 'dead_lettered':
    case 'redeliveries':
    case 'duplicates':
    case 'backlog_max':
    case 'backlog_end':
      return 'count';
    case 'retry_amplification':
      return 'factor';
    case 'replicas':
    case 'peak_replicas':
      return 'instances';
    case 'cost':
      return 'money';
    case 'breaker_state':
      return 'state';
    default:
      return 'ms'; // latency_*, delivery_latency_*, *_ms
  }
}

/** A number with 3 significant digits (whole numbers from 100 up), without trailing zeros. */
function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 10 ** digits / 10 && digits <= 3) return String(Math.round(v));
  return String(Number(v.toPrecision(digits)));
}

/** A ratio as a percentage with `digits` significant digits; never `100%` or `0%` for what is not exactly that. */
export function formatPercent(ratio: number, digits: number): string {
  const pct = ratio * 100;
  let d = digits;
  let text = String(Number(pct.toPrecision(d)));
  // Never show 100% (or 0%) for what is not exactly that.
  while (d < 12 && ((text === '100' && pct !== 100) || (text === '0' && pct !== 0))) {
    d++;
    text = String(Number(pct.toPrecision(d)));
  }
  return `${text}%`;
}

/**
 * A measured (or expected) value in its metric's unit: `99.2%`, `312 ms`, `41.5/s`, `3`,
 * `1.25×`, `2.5 instances`, `open`; `no data` for null. `digits` are significant digits.
 */
export function formatMeasured(
  spec: Pick<ExpectationSpec, 'metric'>,
  value: number | string | null,
  digits = 3,
): string {
  if (value === null) return 'no data';
  if (typeof value === 'string') return value;
  switch (unitOf(spec.metric)) {
    case 'ratio':
      return formatPercent(value, Math.max(digits, 4));
    case 'ms':
      return Math.abs(value) >= 1000
        ? `${formatNumber(value / 1000, digits)} s`
        : `${formatNumber(value, digits)} ms`;
    case 'perSec':
      return `${formatNumber(value, digits)}/s`;
    case 'count':
      return Number.isInteger(value) ? String(value) : formatNumber(value, digits);
    case 'factor':
      return `${formatNumber(value, digits)}×`;
    case 'money':
      return formatNumber(value, Math.max(digits, 4));
    case 'instances':
      return `${formatNumber(value, digits)} instance${value === 1 ? '' : 's'}`;
    case 'state':
      return String(value);
  }
}

/** `≥ 99%`, `≤ 300 ms`, `= open`. */
export function formatExpected(spec: ExpectationSpec, digits = 3): string {
  return `${OP_SYMBOL[spec.op]} ${formatMeasured(spec, spec.value, digits)}`;
}

export function compare(measured: number | string, op: ComparisonOp, value: number | string): boolean {
  switch (op) {
    case '<':
      return measured < value;
    case '<=':
      return measured <= value;
    case '>':
      return measured > value;
    case '>=':
      return measured >= value;
    case '==':
      return measured === value;
    case '!=':
      return measured !== value;
  }
}

/** Outcomes of requests, hops or calls in one window. */
class Tally {
  ok = 0;
  fallback = 0;
  failed = 0;
  /** Failures with the spec's `reason`. */
  reasonFailed = 0;
  /** Attempts (calls: `call.completed.attempts`; hops: 1 each). */
  attempts = 0;
  workMs = 0;
  wastedMs = 0;
  /** Latency of answered (ok and fallback) ones; only for latency metrics. */
  readonly latency: LatencyStats | null;

  constructor(
    latency: boolean,
    private readonly reason: FailureReason | undefined,
  ) {
    this.latency = latency ? new LatencyStats() : null;
  }

  add(outcome: Outcome, reason: FailureReason | undefined, latencyMs: number): void {
    if (outcome === 'failed') {
      this.failed++;
      if (reason === this.reason) this.reasonFailed++;
      return;
    }
    if (outcome === 'ok') this.ok++;
    else this.fallback++;
    this.latency?.record(latencyMs);
  }

  addCounts(other: Tally): void {
    this.ok += other.ok;
    this.fallback += other.fallback;
    this.failed += other.failed;
    this.reasonFailed += other.reasonFailed;
    this.attempts += other.attempts;
    this.workMs += other.workMs;
    this.wastedMs += other.wastedMs;
  }

  get completed(): number {
    return this.ok + this.fallback + this.failed;
  }
}

/** A window's bounds once the run is over, or why it has none. */
type Bounds = { readonly from: number; readonly to: number } | { readonly missing: string };

interface FaultTimes {
  readonly start: number;
  end: number | null;
}

interface Measurement {
  readonly value: number | string | null;
  readonly detail?: string;
}

interface Window {
  readonly from: number;
  readonly to: number;
}

/** One spec's measurement: signal handlers fed while the run goes, and the value at the end. */
interface Measure {
  readonly handlers: Partial<{ [K in SignalName]: (payload: Signals[K]) => void }>;
  /** True when the measure takes its fault from the window and needs no bounds. */
  readonly boundless?: boolean;
  /** `window` is non-empty (from < to), or the zero window for boundless measures. */
  measure(results: ResultsDocument, window: Window): Measurement;
}

const noData = (detail: string): Measurement => ({ value: null, detail });

function ms(t: number): string {
  return `${formatNumber(t, 6)} ms`;
}

function describeScope(scope: ExpectationScope, noun: 'requests' | 'hops' | 'calls'): string {
  switch (scope.kind) {
    case 'all':
      return noun === 'requests' ? 'requests' : noun === 'hops' ? 'visits to any service' : 'calls';
    case 'workload':
      return noun === 'calls' ? `calls from ${scope.workload}` : `requests of ${scope.workload}`;
    case 'service':
      return noun === 'calls' ? `calls to ${scope.service}` : `visits to ${scope.service}`;
    case 'endpoint':
      return noun === 'calls'
        ? `calls to ${scope.service}/${scope.endpoint}`
        : `visits to ${scope.service}/${scope.endpoint}`;
    case 'edge':
      return `calls from ${scope.from} to ${scope.to}`;
    case 'breaker':
      return `transitions of breaker ${scope.breaker}`;
    case 'queue':
      return `messages of queue ${scope.broker}/${scope.queue}`;
  }
}

/** The value of a tally-based metric of `spec` over a window of `lengthMs`. */
function fromTally(spec: ExpectationSpec, t: Tally, lengthMs: number, what: string): Measurement {
  const metric = spec.metric;
  const n = t.completed;
  if (n === 0) return noData(`no ${what} arrived in the window and completed`);
  const answered = t.ok + t.fallback;
  switch (metric) {
    case 'availability':
      return { value: answered / n };
    case 'success_rate':
      return { value: t.ok / n };
    case 'throughput':
      return { value: (n * 1000) / lengthMs };
    case 'goodput':
      return { value: (answered * 1000) / lengthMs };
    case 'errors':
      return { value: spec.reason === undefined ? t.failed : t.reasonFailed };
    case 'fallbacks':
      return { value: t.fallback };
    case 'retry_amplification':
      return { value: t.attempts / n };
    case 'wasted_work_ms':
      return { value: t.wastedMs };
    default: {
      const stats = t.latency;
      if (stats === null || stats.count === 0)
        return noData(`none of the ${what} in the window was answered`);
      if (metric === 'latency_mean') return { value: stats.mean() };
      if (metric === 'latency_max') return { value: stats.maxMs };
      return { value: stats.percentile(PERCENTILE[metric] ?? 50) };
    }
  }
}

/** Metrics computed from the outcomes of requests, hops or calls in the window. */
const TALLY_METRICS = new Set<ExpectationMetric>([
  'availability',
  'success_rate',
  'latency_mean',
  'latency_p50',
  'latency_p90',
  'latency_p95',
  'latency_p99',
  'latency_p999',
  'latency_max',
  'throughput',
  'goodput',
  'errors',
  'fallbacks',
]);

export function createExpectationChecker(
  bus: Bus<Signals>,
  specs: readonly ExpectationSpec[],
  options: ExpectationCheckerOptions,
): ExpectationChecker {
  const { warmupMs } = options;
  const faults = new Map<string, FaultTimes>();
  /** Edges (`caller\0service`) over which some `call.completed` came: they have policies. */
  const policyEdges = new Set<string>();

  /** Live membership of a time in a window (fault times known so far; see the header). */
  const member = (w: ExpectationWindow): ((t: number) => boolean) => {
    switch (w.kind) {
      case 'run':
        return (t) => t >= warmupMs;
      case 'range':
        return (t) => t >= w.fromMs && t < w.toMs;
      case 'fault':
        if (w.phase === 'before') {
          return (t) => {
            const f = faults.get(w.fault);
            return t >= warmupMs && (f === undefined || t < f.start);
          };
        }
        if (w.phase === 'during') {
          return (t) => {
            const f = faults.get(w.fault);
            return f !== undefined && t >= f.start && (f.end === null || t < f.end);
          };
        }
        return (t) => {
          const f = faults.get(w.fault);
          return f !== undefined && f.end !== null && t >= f.end;
        };
    }
  };

  const boundsOf = (w: ExpectationWindow, endMs: number): Bounds => {
    switch (w.kind) {
      case 'run':
        return { from: warmupMs, to: endMs };
      case 'range':
        return { from: w.fromMs, to: Math.min(w.toMs, endMs) };
      case 'fault': {
        const f = faults.get(w.fault);
        if (f === undefined) return { missing: `the fault ${w.fault} never started` };
        if (w.phase === 'before') return { from: warmupMs, to: f.start };
        if (w.phase === 'during') return { from: f.start, to: f.end ?? endMs };
        if (f.end === null) return { missing: `the fault ${w.fault} never ended` };
        return { from: f.end, to: endMs };
      }
    }
  };

  /** A window's bounds as known now (Infinity for what has not happened yet), for levels over time. */
  const liveBounds = (w: ExpectationWindow): LiveBounds => {
    switch (w.kind) {
      case 'run':
        return { from: warmupMs, to: Number.POSITIVE_INFINITY };
      case 'range':
        return { from: w.fromMs, to: w.toMs };
      case 'fault': {
        const f = faults.get(w.fault);
        const start = f?.start ?? Number.POSITIVE_INFINITY;
        const end = f?.end ?? Number.POSITIVE_INFINITY;
        if (w.phase === 'before') return { from: warmupMs, to: start };
        if (w.phase === 'during') return { from: start, to: end };
        return { from: end, to: Number.POSITIVE_INFINITY };
      }
    }
  };
  // One ledger for every messaging measure, made only when some spec needs it.
  let watch: MessageWatch | undefined;
  const messages = (): MessageWatch => {
    watch ??= new MessageWatch();
    return watch;
  };

  const measures = specs.map((spec) =>
    buildMeasure(spec, member(spec.window), policyEdges, () =>
      messages().add(spec, member(spec.window), () => liveBounds(spec.window)),
    ),
  );

  // One listener per needed signal, dispatching to the measures that asked for it.
  const needed = new Map<SignalName, ((payload: never) => void)[]>();
  for (const m of measures) {
    for (const [signal, handler] of Object.entries(m.handlers)) {
      const list = needed.get(signal as SignalName) ?? [];
      list.push(handler as (payload: never) => void);
      needed.set(signal as SignalName, list);
    }
  }
  if (measures.some((m) => m.handlers['call.completed'] !== undefined)) {
    const list = needed.get('call.completed')!;
    list.unshift(((c: Signals['call.completed']) => {
      policyEdges.add(`${c.caller}\0${c.service}`);
    }) as (payload: never) => void);
  }
  if (specs.some((s) => s.window.kind === 'fault')) {
    needed.set('fault.started', [
      ((f: Signals['fault.started']) => {
        if (!faults.has(f.fault)) faults.set(f.fault, { start: f.at, end: null });
      }) as (payload: never) => void,
    ]);
    needed.set('fault.ended', [
      ((f: Signals['fault.ended']) => {
        const times = faults.get(f.fault);
        if (times !== undefined && times.end === null) times.end = f.at;
      }) as (payload: never) => void,
    ]);
  }
  const unsubscribe: (() => void)[] = watch === undefined ? [] : watch.subscribe(bus);
  for (const [signal, list] of needed) {
    const listener =
      list.length === 1
        ? list[0]!
        : (payload: never) => {
            for (const h of list) h(payload);
          };
    unsubscribe.push(bus.on(signal, listener as (payload: Signals[typeof signal]) => void));
  }

  return {
    verdicts(results) {
      const endMs = results.simulated.durationMs;
      return specs.map((spec, i) => {
        const bounds = boundsOf(spec.window, endMs);
        const measure = measures[i]!;
        let m: Measurement;
        const problem = specProblem(spec);
        if (problem !== null) m = noData(problem);
        else if (measure.boundless) m = measure.measure(results, { from: 0, to: 0 });
        else if ('missing' in bounds) m = noData(bounds.missing);
        else if (!(bounds.to > bounds.from)) {
          m = noData(`the window [${ms(bounds.from)}, ${ms(bounds.to)}) is empty`);
        } else m = measure.measure(results, bounds);
        return verdict(spec, m);
      });
    },
    dispose() {
      for (const off of unsubscribe) off();
      unsubscribe.length = 0;
    },
  };
}

/** A reason the spec cannot be judged whatever happened, or null. */
function specProblem(spec: ExpectationSpec): string | null {
  if (spec.metric === 'breaker_state') {
    if (typeof spec.value !== 'string') return 'breaker_state compares with a state name, e.g. open';
    if (spec.op !== '==' && spec.op !== '!=') return 'breaker_state compares with == or !=';
  } else if (typeof spec.value !== 'number' || !Number.isFinite(spec.value)) {
    return `${spec.metric} compares with a number, got ${JSON.stringify(spec.value)}`;
  }
  return null;
}

function verdict(spec: ExpectationSpec, m: Measurement): ExpectationVerdict {
  const passed = m.value !== null && compare(m.value, spec.op, spec.value);
  // A failing measurement that would look equal to its threshold is shown with more digits.
  let digits = 3;
  while (
    !passed &&
    digits < 12 &&
    typeof m.value === 'number' &&
    formatMeasured(spec, m.value, digits) === formatMeasured(spec, spec.value, digits)
  ) {
    digits++;
  }
  return {
    name: spec.name,
    passed,
    measured: m.value,
    measuredText: formatMeasured(spec, m.value, digits),
    expected: formatExpected(spec, digits),
    ...(m.detail === undefined ? {} : { detail: m.detail }),
    spec,
  };
}

const unsupported = (spec: ExpectationSpec, why: string): Measure => ({
  handlers: {},
  measure: () => noData(`${spec.metric} cannot be measured for a ${spec.scope.kind} scope: ${why}`),
});

function buildMeasure(
  spec: ExpectationSpec,
  inWindow: (t: number) => boolean,
  policyEdges: ReadonlySet<string>,
  messageMeasure: () => (window: Window) => Measurement,
): Measure {
  const { metric, scope } = spec;
  if (MESSAGING_METRICS.has(metric)) {
    if (scope.kind !== 'queue' && scope.kind !== 'all') return unsupported(spec, 'use a queue (or no scope)');
    const value = messageMeasure();
    return { handlers: {}, measure: (_, window) => value(window) };
  }
  if (scope.kind === 'queue') {
    return unsupported(spec, 'a queue takes the messaging metrics (messages_published, backlog_max, …)');
  }
  if (TALLY_METRICS.has(metric)) {
    switch (scope.kind) {
      case 'all':
      case 'workload':
        return requestMeasure(spec, inWindow);
      case 'service':
      case 'endpoint':
        return hopMeasure(spec, inWindow);
      case 'edge':
        return edgeMeasure(spec, inWindow, policyEdges);
      case 'breaker':
        return unsupported(spec, 'use a workload, service, endpoint or edge');
    }
  }
  switch (metric) {
    case 'retry_amplification':
      if (scope.kind === 'breaker') return unsupported(spec, 'use an edge');
      return edgeMeasure(spec, inWindow, policyEdges);
    case 'wasted_work_ms':
      if (scope.kind === 'workload' || scope.kind === 'breaker') {
        return unsupported(spec, 'work is measured per service, endpoint or edge (or all)');
      }
      return hopMeasure(spec, inWindow);
    case 'time_to_detect_ms':
    case 'time_to_recover_ms':
      if (scope.kind !== 'all') return unsupported(spec, 'it is measured over every workload (scope all)');
      return faultMeasure(spec);
    case 'replicas':
    case 'peak_replicas':
      if (scope.kind !== 'service') return unsupported(spec, 'use a service');
      return replicasMeasure(scope.service, metric === 'peak_replicas');
    case 'cost':
      if (scope.kind !== 'all' && scope.kind !== 'service')
        return unsupported(spec, 'use a service or no scope');
      return costMeasure(spec, scope.kind === 'service' ? scope.service : null);
    case 'breaker_opened':
    case 'breaker_state':
      if (scope.kind !== 'breaker') return unsupported(spec, 'use a breaker');
      return breakerMeasure(spec, scope.breaker);
    default:
      return unsupported(spec, 'unknown metric');
  }
}

const isLatency = (metric: ExpectationMetric): boolean => metric.startsWith('latency_');

/** Scopes all and workload: user requests, from `request.completed`. */
function requestMeasure(spec: ExpectationSpec, inWindow: (t: number) => boolean): Measure {
  const tally = new Tally(isLatency(spec.metric), spec.reason);
  const workload = spec.scope.kind === 'workload' ? spec.scope.workload : null;
  const what = describeScope(spec.scope, 'requests');
  return {
    handlers: {
      'request.completed': (r) => {
        if ((workload === null || r.workload === workload) && inWindow(r.arrivedAt)) {
          tally.add(r.outcome, r.reason, r.latencyMs);
        }
      },
    },
    measure: (_, w) => fromTally(spec, tally, w.to - w.from, what),
  };
}

/** Scopes service and endpoint (and wasted work anywhere): hops, server view, in-process ones included. */
function hopMeasure(spec: ExpectationSpec, inWindow: (t: number) => boolean): Measure {
  const tally = new Tally(isLatency(spec.metric), spec.reason);
  const scope = spec.scope;
  const matches = (h: Signals['hop.completed']): boolean => {
    switch (scope.kind) {
      case 'service':
        return h.service === scope.service;
      case 'endpoint':
        return h.service === scope.service && h.endpoint === scope.endpoint;
      case 'edge':
        return h.caller === scope.from && h.service === scope.to;
      default:
        return true;
    }
  };
  const what = describeScope(scope, 'hops');
  return {
    handlers: {
      'hop.completed': (h) => {
        if (!matches(h) || !inWindow(h.arrivedAt)) return;
        tally.add(h.outcome, h.reason, h.latencyMs);
        tally.attempts++;
        const workMs = cleanMs(h.workMs);
        tally.workMs += workMs;
        if (h.wasted) tally.wastedMs += workMs;
      },
    },
    measure: (_, w) => fromTally(spec, tally, w.to - w.from, what),
  };
}

/**
 * Scope edge (and retry amplification anywhere): logical calls. On an edge with policies (some
 * `call.completed` came over it) they are its `call.completed`; on a plain edge, its hops.
 */
function edgeMeasure(
  spec: ExpectationSpec,
  inWindow: (t: number) => boolean,
  policyEdges: ReadonlySet<string>,
): Measure {
  const latency = isLatency(spec.metric);
  const scope = spec.scope;
  const edges = new Map<string, { calls: Tally; hops: Tally }>();
  const edge = (caller: string, service: string): { calls: Tally; hops: Tally } => {
    const key = `${caller}\0${service}`;
    let e = edges.get(key);
    if (e === undefined) {
      e = { calls: new Tally(latency, spec.reason), hops: new Tally(latency, spec.reason) };
      edges.set(key, e);
    }
    return e;
  };
  const matches = (caller: string, service: string, endpoint: string): boolean => {
    switch (scope.kind) {
      case 'edge':
        return caller === scope.from && service === scope.to;
      case 'workload':
        return caller === scope.workload;
      case 'service':
        return service === scope.service;
      case 'endpoint':
        return service === scope.service && endpoint === scope.endpoint;
      default:
        return true;
    }
  };
  const what = describeScope(scope, 'calls');
  return {
    handlers: {
      'call.completed': (c) => {
        if (!matches(c.caller, c.service, c.endpoint) || !inWindow(c.at - c.latencyMs)) return;
        const t = edge(c.caller, c.service).calls;
        t.add(c.outcome, c.reason, c.latencyMs);
        t.attempts += c.attempts;
      },
      'hop.completed': (h) => {
        if (!matches(h.caller, h.service, h.endpoint) || !inWindow(h.arrivedAt)) return;
        const t = edge(h.caller, h.service).hops;
        t.add(h.outcome, h.reason, h.latencyMs);
        t.attempts++;
      },
    },
    measure: (_, w) => {
      const lengthMs = w.to - w.from;
      const pick = (key: string, e: { calls: Tally; hops: Tally }): Tally =>
        policyEdges.has(key) ? e.calls : e.hops;
      if (scope.kind === 'edge') {
        const key = `${scope.from}\0${scope.to}`;
        const e = edges.get(key);
        const t = e === undefined ? new Tally(false, spec.reason) : pick(key, e);
        return fromTally(spec, t, lengthMs, what);
      }
      const sum = new Tally(false, spec.reason);
      for (const [key, e] of edges) sum.addCounts(pick(key, e));
      return fromTally(spec, sum, lengthMs, what);
    },
  };
}

/** Breaker scope: its transitions, kept (they are few) and read at the end. */
function breakerMeasure(spec: ExpectationSpec, breaker: string): Measure {
  const transitions: { at: number; from: BreakerStateName; to: BreakerStateName }[] = [];
  return {
    handlers: {
      'breaker.transition': (t) => {
        if (t.breaker === breaker) transitions.push({ at: t.at, from: t.from, to: t.to });
      },
    },
    measure: (results, bounds) => {
      const endMs = results.simulated.durationMs;
      const note =
        transitions.length === 0
          ? `breaker ${breaker} never changed state (breakers start closed)`
          : undefined;
      const withNote = (value: number | string): Measurement =>
        note === undefined ? { value } : { value, detail: note };
      // A window ending at the run's end includes it.
      const inside = (at: number): boolean => at >= bounds.from && (at < bounds.to || bounds.to >= endMs);
      if (spec.metric === 'breaker_opened') {
        return withNote(transitions.filter((t) => t.to === 'open' && inside(t.at)).length);
      }
      let state: BreakerStateName = transitions[0]?.from ?? 'closed';
      for (const t of transitions)
        if (t.at < bounds.to || (bounds.to >= endMs && t.at <= endMs)) state = t.to;
      return withNote(state);
    },
  };
}

/** Cost of the measured run, from the results document (windows other than the run are refused). */
function costMeasure(spec: ExpectationSpec, service: string | null): Measure {
  return {
    handlers: {},
    boundless: true,
    measure: (results) => {
      if (spec.window.kind !== 'run') return noData('cost is measured over the whole run: leave out during');
      if (service === null)
        return results.cost === undefined ? noData('no cost in the results') : { value: results.cost.total };
      const c = results.services[service]?.capacity;
      return c === undefined ? noData(`no capacity measured for ${service}`) : { value: c.cost };
    },
  };
}

/**
 * Service scope: ready instances from `instance.state`, averaged exactly over the window (or,
 * with `peak`, the most ready at any moment of it).
 */
function replicasMeasure(service: string, peak = false): Measure {
  const states = new Map<string, string>();
  let ready = 0;
  const steps: { at: number; ready: number }[] = [];
  return {
    handlers: {
      'instance.state': (i) => {
        if (i.service !== service) return;
        const was = states.get(i.instance) === 'ready';
        states.set(i.instance, i.state);
        const is = i.state === 'ready';
        if (was === is) return;
        ready += is ? 1 : -1;
        steps.push({ at: i.at, ready });
      },
    },
    measure: (_, bounds) => {
      if (states.size === 0) return noData(`no instance of ${service} was seen`);
      let area = 0;
      let level = 0;
      let t = bounds.from;
      for (const s of steps) {
        if (s.at <= bounds.from) {
          level = s.ready;
          continue;
        }
        if (s.at >= bounds.to) break;
        area += level * (s.at - t);
        t = s.at;
        level = s.ready;
      }
      area += level * (bounds.to - t);
      if (peak) {
        let most = 0;
        let current = 0;
        for (const s of steps) {
          if (s.at <= bounds.from) current = s.ready;
          else if (s.at < bounds.to) most = Math.max(most, s.ready);
        }
        return { value: Math.max(most, current) };
      }
      return { value: area / (bounds.to - bounds.from) };
    },
  };
}

/** Time to detect / recover: from the results document's fault section. */
function faultMeasure(spec: ExpectationSpec): Measure {
  return {
    handlers: {},
    boundless: true,
    measure: (results) => {
      const w = spec.window;
      if (w.kind !== 'fault')
        return noData(`${spec.metric} needs a fault window (before/during/after a fault)`);
      const f = results.faults?.find((x) => x.name === w.fault);
      if (f === undefined) return noData(`the fault ${w.fault} never started`);
      if (spec.metric === 'time_to_detect_ms') {
        if (f.timeToDetectMs !== null)
          return { value: f.timeToDetectMs, detail: `detected by ${f.detectedBy}` };
        return noData(
          `no breaker opened and no instance was ejected after ${w.fault} started, before recovery`,
        );
      }
      if (f.timeToRecoverMs !== null) return { value: f.timeToRecoverMs };
      if (f.endedAt === null) return noData(`the fault ${w.fault} never ended`);
      if (f.baseline.availability === null) {
        return noData(`no request completed before ${w.fault} started, so there is no pre-fault band`);
      }
      return noData(
        `availability did not return to the band of its pre-fault ${formatPercent(f.baseline.availability, 4)} ` +
          `for ${RECOVERY_INTERVALS} intervals in a row before the run ended`,
      );
    },
  };
}
