/**
 * Request traces: a collector that listens to the bus, keeps a sample of the requests whole (a
 * root span per request and a span per visit), and turns them into plain `Trace`s for the
 * encoders (`trace-otlp.ts`, `trace-chrome.ts`).
 *
 * Sampling is head-based and deterministic: a request is traced when a hash of the run's seed and
 * its id falls below the rate (`traceSampled`). It draws from no random stream, so tracing never
 * changes a run. At most `maxTraces` requests are kept (memory stays bounded); later sampled
 * requests are counted in `skipped`.
 *
 * Times are simulated milliseconds; the encoders put simulated time 0 at the Unix epoch.
 */
import type { Bus } from '../engine/bus.ts';
import type { Signals } from '../signals.ts';

/** Default share of requests traced (1%). */
export const DEFAULT_TRACE_SAMPLE = 0.01;
/** Default cap on the traces kept in memory. */
export const MAX_TRACES = 10_000;

/** OpenTelemetry's span kinds (lower case). */
export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A typed attribute value (OTLP distinguishes integers from doubles). */
export type AttributeValue =
  | { readonly string: string }
  | { readonly int: number }
  | { readonly double: number }
  | { readonly bool: boolean };

export interface Attribute {
  readonly key: string;
  readonly value: AttributeValue;
}

/** A timed annotation of a span (a retry, the end of a call with policies). */
export interface SpanEvent {
  readonly name: string;
  readonly atMs: number;
  readonly attributes: readonly Attribute[];
}

export interface Span {
  /** 0 for the root (the workload's call), else the visit's `span` number within its request. */
  readonly span: number;
  /** The parent's `span`; null for the root. */
  readonly parent: number | null;
  /** `service/endpoint`. */
  readonly name: string;
  /** Who did it: the service visited, or the workload for the root. */
  readonly service: string;
  readonly kind: SpanKind;
  readonly startMs: number;
  readonly endMs: number;
  /** `ok` (answered, fallback included), `error` (failed), `unset` (unfinished when the run ended). */
  readonly status: 'ok' | 'error' | 'unset';
  /** The failure, for `error`. */
  readonly statusMessage?: string;
  readonly attributes: readonly Attribute[];
  readonly events: readonly SpanEvent[];
}

/** One sampled request: its spans, root first, then by span number. */
export interface Trace {
  readonly requestId: number;
  readonly workload: string;
  readonly spans: readonly Span[];
}

/** What the collector kept, ready for the encoders. */
export interface TraceSet {
  readonly scenario: string;
  readonly seed: number;
  readonly sampleRate: number;
  /** When the run ended (simulated ms): unfinished spans end here. */
  readonly endMs: number;
  /** Requests sampled but not kept because the cap was reached. */
  readonly skipped: number;
  readonly maxTraces: number;
  readonly traces: readonly Trace[];
}

export interface TraceCollectorOptions {
  /** Share of requests traced, in (0, 1]. */
  readonly rate: number;
  /** Most traces kept (default `MAX_TRACES`). */
  readonly maxTraces?: number;
}

export interface TraceCollector {
  /** The traces kept so far, built from the signals seen (call after the run). */
  result(): TraceSet;
}

type Arrived = Signals['request.arrived'];
type Completed = Signals['request.completed'];
type HopDone = Signals['hop.completed'];
type CallEvent =
  | { readonly kind: 'retried'; readonly signal: Signals['call.retried'] }
  | { readonly kind: 'completed'; readonly signal: Signals['call.completed'] };

interface Pending {
  readonly arrived: Arrived;
  completed: Completed | null;
  readonly hops: HopDone[];
  readonly calls: CallEvent[];
}

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_32 = 2 ** 32;

/** A number in [0, 1) that depends only on the seed and the request id (uniform over ids). */
function sampleFraction(seed: number, requestId: number): number {
  const seedKey = mix32(mix32(seed >>> 0) ^ Math.floor(seed / TWO_32) ^ 0x9e3779b9);
  const h = mix32(Math.imul(mix32((requestId >>> 0) ^ seedKey), 0x27d4eb2d) ^ Math.floor(requestId / TWO_32));
  return h / TWO_32;
}

/** The head-based sampling decision for a request: deterministic, no random stream drawn. */
export function traceSampled(seed: number, requestId: number, rate: number): boolean {
  return rate >= 1 || sampleFraction(seed, requestId) < rate;
}

const hex = (n: bigint, digits: number): string => n.toString(16).padStart(digits, '0');
const MASK_64 = (1n << 64n) - 1n;

/** 32 lowercase hex digits: the seed (16), then the request id (16). Never all zeros (ids start at 1). */
export function traceIdOf(seed: number, requestId: number): string {
  return hex(BigInt(seed) & MASK_64, 16) + hex(BigInt(requestId) & MASK_64, 16);
}

/** 16 lowercase hex digits: request id × 2^24 + span number (unique for spans < 2^24). */
export function spanIdOf(requestId: number, span: number): string {
  return hex(((BigInt(requestId) << 24n) + BigInt(span)) & MASK_64, 16);
}

export function createTraceCollector(bus: Bus<Signals>, options: TraceCollectorOptions): TraceCollector {
  const { rate } = options;
  const maxTraces = options.maxTraces ?? MAX_TRACES;
  const records = new Map<number, Pending>();
  const brokers = new Set<string>();
  let scenario = '';
  let seed = 0;
  let skipped = 0;
  let lastAt = 0;
  let endMs: number | null = null;

  bus.on('run.started', (s) => {
    scenario = s.scenario;
    seed = s.seed;
  });
  bus.on('run.ended', (s) => {
    endMs = s.at;
  });
  bus.on('gauges.sampled', (g) => {
    lastAt = g.at;
    if (brokers.size === 0) for (const q of g.queues ?? []) brokers.add(q.broker);
  });
  bus.on('request.arrived', (a) => {
    lastAt = a.at;
    if (!traceSampled(seed, a.id, rate)) return;
    if (records.size >= maxTraces) {
      skipped++;
      return;
    }
    records.set(a.id, { arrived: a, completed: null, hops: [], calls: [] });
  });
  bus.on('request.completed', (c) => {
    lastAt = c.at;
    const r = records.get(c.id);
    if (r !== undefined) r.completed = c;
  });
  bus.on('hop.completed', (h) => {
    records.get(h.requestId)?.hops.push(h);
  });
  bus.on('call.retried', (signal) => {
    records.get(signal.requestId)?.calls.push({ kind: 'retried', signal });
  });
  bus.on('call.completed', (signal) => {
    records.get(signal.requestId)?.calls.push({ kind: 'completed', signal });
  });

  return {
    result() {
      const end = endMs ?? lastAt;
      const traces = [...records.values()].map((r) => buildTrace(r, brokers, end));
      return { scenario, seed, sampleRate: rate, endMs: end, skipped, maxTraces, traces };
    },
  };
}

const str = (key: string, value: string): Attribute => ({ key, value: { string: value } });
const int = (key: string, value: number): Attribute => ({ key, value: { int: value } });
const dbl = (key: string, value: number): Attribute => ({ key, value: { double: value } });
const bool = (key: string, value: boolean): Attribute => ({ key, value: { bool: value } });

interface Draft {
  span: number;
  parent: number | null;
  name: string;
  service: string;
  kind: SpanKind;
  startMs: number;
  endMs: number;
  status: Span['status'];
  statusMessage?: string;
  attributes: Attribute[];
  events: SpanEvent[];
}

function buildTrace(r: Pending, brokers: ReadonlySet<string>, runEndMs: number): Trace {
  const a = r.arrived;
  const c = r.completed;
  const entry = `${a.service}/${a.endpoint}`;
  const root: Draft = {
    span: 0,
    parent: null,
    name: entry,
    service: a.workload,
    kind: 'client',
    startMs: a.at,
    endMs: c?.at ?? runEndMs,
    status: c === null ? 'unset' : c.outcome === 'failed' ? 'error' : 'ok',
    attributes: [
      int('microsim.request_id', a.id),
      str('microsim.workload', a.workload),
      str('microsim.entry', entry),
    ],
    events: [],
  };
  if (c === null) root.attributes.push(bool('microsim.unfinished', true));
  else {
    root.attributes.push(str('microsim.outcome', c.outcome), dbl('microsim.latency_ms', c.latencyMs));
    if (c.reason !== undefined) {
      root.attributes.push(str('microsim.reason', c.reason));
      root.statusMessage = c.reason;
    }
    if (c.cause !== undefined) {
      const cause = `${c.cause.reason} at ${c.cause.service}/${c.cause.endpoint}`;
      root.attributes.push(str('microsim.root_cause', cause));
      if (c.cause.reason !== c.reason) root.statusMessage = `${c.reason} (${cause})`;
    }
  }
  const hops = [...r.hops].sort((x, y) => x.span - y.span);
  const present = new Set(hops.map((h) => h.span));
  const drafts: Draft[] = [root];
  for (const h of hops) drafts.push(hopDraft(h, a.workload, brokers, present));
  for (const call of r.calls) attachCallEvent(call, a.workload, drafts);
  return { requestId: a.id, workload: a.workload, spans: drafts };
}

function hopDraft(
  h: HopDone,
  workload: string,
  brokers: ReadonlySet<string>,
  present: ReadonlySet<number>,
): Draft {
  const attributes = [
    str('microsim.endpoint', h.endpoint),
    str('microsim.instance', h.instance),
    str('microsim.caller', h.caller),
    dbl('microsim.wait_ms', h.waitMs),
    dbl('microsim.work_ms', h.workMs),
    dbl('microsim.residence_ms', h.residenceMs),
    str('microsim.outcome', h.outcome),
    bool('microsim.wasted', h.wasted),
  ];
  if (h.reason !== undefined) attributes.push(str('microsim.reason', h.reason));
  let kind: SpanKind = h.inProcess ? 'internal' : 'server';
  let parent = h.parentSpan;
  if (parent === 0 && h.caller !== workload) {
    // A broker's delivery, or a publish to a broker: no visit waits for it, it hangs under the root.
    const delivery = brokers.has(h.caller);
    if (delivery) kind = 'consumer';
    attributes.push(str('microsim.message', delivery ? 'delivery' : 'publish'));
  } else if (parent !== 0 && !present.has(parent)) {
    // Its caller's visit had not ended when the run did: no span for it, so hang this under the root.
    attributes.push(int('microsim.unfinished_parent', parent));
    parent = 0;
  }
  return {
    span: h.span,
    parent,
    name: `${h.service}/${h.endpoint}`,
    service: h.service,
    kind,
    startMs: h.arrivedAt,
    endMs: h.at,
    status: h.outcome === 'failed' ? 'error' : 'ok',
    ...(h.reason === undefined ? {} : { statusMessage: h.reason }),
    attributes,
    events: [],
  };
}

/**
 * Puts a retry or a call's end on the calling visit: the one span of the caller's service in
 * progress at that moment (preferring one that called the target); on the root when the caller is
 * the workload or the visit cannot be told apart.
 */
function attachCallEvent(call: CallEvent, workload: string, drafts: Draft[]): void {
  const s = call.signal;
  const target = `${s.service}/${s.endpoint}`;
  const attributes: Attribute[] = [str('microsim.caller', s.caller), str('microsim.target', target)];
  if (call.kind === 'retried') {
    const r = call.signal;
    attributes.push(
      int('microsim.retry', r.retry),
      dbl('microsim.delay_ms', r.delayMs),
      str('microsim.after', r.after),
    );
  } else {
    const d = call.signal;
    attributes.push(
      int('microsim.attempts', d.attempts),
      dbl('microsim.latency_ms', d.latencyMs),
      str('microsim.outcome', d.outcome),
    );
    if (d.reason !== undefined) attributes.push(str('microsim.reason', d.reason));
  }
  let owner = drafts[0]!;
  if (s.caller !== workload) {
    const open = drafts.filter(
      (d) => d.span !== 0 && d.service === s.caller && d.startMs <= s.at && s.at <= d.endMs,
    );
    const calling = open.filter((d) => drafts.some((x) => x.parent === d.span && x.name === target));
    const pick = calling.length > 0 ? calling : open;
    if (pick.length === 1) owner = pick[0]!;
  }
  owner.events.push({ name: `call.${call.kind}`, atMs: s.at, attributes });
}
