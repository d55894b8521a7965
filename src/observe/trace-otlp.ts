/**
 * Traces as an OTLP/JSON `ExportTraceServiceRequest` (what an OTLP/HTTP exporter POSTs to
 * `/v1/traces`, and what the OpenTelemetry Collector's file exporter writes), following the
 * OTLP/JSON rules: lowerCamelCase keys, trace and span ids as lowercase hex (not base64), enums as
 * integers, 64-bit integers (`startTimeUnixNano`, `intValue`) as decimal strings.
 *
 * One `resourceSpans` per service (and per workload, for the root spans), so that trace viewers
 * show each span under its service's name. Simulated time 0 is the Unix epoch (1970-01-01).
 */
import {
  type Attribute,
  type Span,
  type SpanEvent,
  type SpanKind,
  spanIdOf,
  type TraceSet,
  traceIdOf,
} from './traces.ts';

/** OTLP `AnyValue`, the kinds used here. */
export type OtlpAnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events?: { timeUnixNano: string; name: string; attributes: OtlpKeyValue[] }[];
  status: { code: number; message?: string };
}

export interface OtlpTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[];
  }[];
}

/** `SpanKind` ordinals of opentelemetry/proto/trace/v1/trace.proto. */
const KIND: Record<SpanKind, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
/** `Status.StatusCode` ordinals: UNSET 0, OK 1, ERROR 2. */
const STATUS: Record<Span['status'], number> = { unset: 0, ok: 1, error: 2 };

/**
 * Simulated milliseconds as Unix nanoseconds, a decimal string (exact past 2^53 ns, and monotone:
 * a ≤ b gives unixNano(a) ≤ unixNano(b), so nesting survives the rounding).
 */
export function unixNano(ms: number): string {
  const whole = Math.floor(ms);
  return (BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6))).toString();
}

function anyValue(a: Attribute): OtlpKeyValue {
  const v = a.value;
  const value: OtlpAnyValue =
    'string' in v
      ? { stringValue: v.string }
      : 'int' in v
        ? { intValue: String(v.int) }
        : 'double' in v
          ? { doubleValue: v.double }
          : { boolValue: v.bool };
  return { key: a.key, value };
}

function event(e: SpanEvent): NonNullable<OtlpSpan['events']>[number] {
  return { timeUnixNano: unixNano(e.atMs), name: e.name, attributes: e.attributes.map(anyValue) };
}

/** The OTLP/JSON document of a trace set; `version` is microsim's (the instrumentation scope's). */
export function encodeOtlp(set: TraceSet, version: string): OtlpTraceRequest {
  const byService = new Map<string, OtlpSpan[]>();
  for (const trace of set.traces) {
    const traceId = traceIdOf(set.seed, trace.requestId);
    for (const s of trace.spans) {
      const span: OtlpSpan = {
        traceId,
        spanId: spanIdOf(trace.requestId, s.span),
        ...(s.parent === null ? {} : { parentSpanId: spanIdOf(trace.requestId, s.parent) }),
        name: s.name,
        kind: KIND[s.kind],
        startTimeUnixNano: unixNano(s.startMs),
        endTimeUnixNano: unixNano(s.endMs),
        attributes: s.attributes.map(anyValue),
        ...(s.events.length === 0 ? {} : { events: s.events.map(event) }),
        status:
          s.statusMessage === undefined
            ? { code: STATUS[s.status] }
            : { code: STATUS[s.status], message: s.statusMessage },
      };
      const list = byService.get(s.service);
      if (list === undefined) byService.set(s.service, [span]);
      else list.push(span);
    }
  }
  const services = [...byService.keys()].sort();
  return {
    resourceSpans: services.map((service) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: service } },
          { key: 'service.namespace', value: { stringValue: set.scenario } },
          { key: 'microsim.seed', value: { intValue: String(set.seed) } },
        ],
      },
      scopeSpans: [{ scope: { name: 'microsim', version }, spans: byService.get(service)! }],
    })),
  };
}
