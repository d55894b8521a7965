/**
 * Zod schemas of the two trace files, strict (unknown keys rejected), for the tests to check
 * every file written: the OTLP/JSON `ExportTraceServiceRequest` (opentelemetry-proto's
 * trace.proto with the OTLP/JSON rules: lowercase hex ids, enums as integers, 64-bit integers as
 * decimal strings) and the Chrome trace-event format's JSON object form.
 */
import { z } from 'zod';

/** A 64-bit unsigned integer as OTLP/JSON writes it: a decimal string. */
const uint64 = z.string().regex(/^(0|[1-9][0-9]*)$/, 'a decimal string');
const int64 = z.string().regex(/^(0|-?[1-9][0-9]*)$/, 'a decimal string');
const nonZeroHex = (digits: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-f]{${digits}}$`), `${digits} lowercase hex digits`)
    .refine((s) => /[1-9a-f]/.test(s), 'not all zeros');

export const otlpAnyValue = z.union([
  z.strictObject({ stringValue: z.string() }),
  z.strictObject({ intValue: int64 }),
  z.strictObject({ doubleValue: z.number() }),
  z.strictObject({ boolValue: z.boolean() }),
]);

export const otlpKeyValue = z.strictObject({ key: z.string().min(1), value: otlpAnyValue });

export const otlpSpan = z.strictObject({
  traceId: nonZeroHex(32),
  spanId: nonZeroHex(16),
  parentSpanId: nonZeroHex(16).optional(),
  name: z.string().min(1),
  /** SPAN_KIND_INTERNAL 1 … SPAN_KIND_CONSUMER 5 (UNSPECIFIED 0 is never written). */
  kind: z.number().int().min(1).max(5),
  startTimeUnixNano: uint64,
  endTimeUnixNano: uint64,
  attributes: z.array(otlpKeyValue),
  events: z
    .array(
      z.strictObject({ timeUnixNano: uint64, name: z.string().min(1), attributes: z.array(otlpKeyValue) }),
    )
    .min(1)
    .optional(),
  /** STATUS_CODE_UNSET 0, OK 1, ERROR 2; a message only with ERROR. */
  status: z.union([
    z.strictObject({ code: z.literal([0, 1]) }),
    z.strictObject({ code: z.literal(2), message: z.string().min(1).optional() }),
  ]),
});

export const otlpTraceRequest = z.strictObject({
  resourceSpans: z.array(
    z.strictObject({
      resource: z.strictObject({ attributes: z.array(otlpKeyValue) }),
      scopeSpans: z
        .array(
          z.strictObject({
            scope: z.strictObject({ name: z.literal('microsim'), version: z.string().min(1) }),
            spans: z.array(otlpSpan).min(1),
          }),
        )
        .min(1),
    }),
  ),
});

const args = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const pid = z.number().int().positive();
const tid = z.number().int().positive();
const micros = z.number().int().nonnegative();

export const chromeEvent = z.discriminatedUnion('ph', [
  z.strictObject({
    name: z.enum(['process_name', 'thread_name', 'process_sort_index']),
    ph: z.literal('M'),
    pid,
    tid: tid.optional(),
    args: z.union([
      z.strictObject({ name: z.string().min(1) }),
      z.strictObject({ sort_index: z.number().int() }),
    ]),
  }),
  z.strictObject({
    name: z.string().min(1),
    cat: z.string().min(1),
    ph: z.literal('X'),
    ts: micros,
    dur: micros,
    pid,
    tid,
    args,
  }),
  z.strictObject({
    name: z.string().min(1),
    cat: z.string().min(1),
    ph: z.literal('i'),
    s: z.literal('t'),
    ts: micros,
    pid,
    tid,
    args,
  }),
]);

export const chromeTrace = z.strictObject({
  traceEvents: z.array(chromeEvent),
  displayTimeUnit: z.enum(['ms', 'ns']),
  otherData: args,
});

export type OtlpTraceRequestFile = z.infer<typeof otlpTraceRequest>;
export type ChromeTraceFile = z.infer<typeof chromeTrace>;

const attr = (span: z.infer<typeof otlpSpan>, key: string) =>
  span.attributes.find((a) => a.key === key)?.value;

/**
 * What is wrong with an OTLP document beyond its schema: a span whose parent is not in its trace,
 * a duplicate span id, a span ending before it starts, or a child outside its parent's time. A
 * child may end after its parent only when no one waited for it: an abandoned or orphaned visit
 * (`microsim.wasted` true: its caller timed out, or crashed) or a broker publish/delivery
 * (`microsim.message`), which hangs under the root span and may outlive the request.
 */
export function otlpProblems(doc: OtlpTraceRequestFile): string[] {
  const problems: string[] = [];
  const spans = doc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const byId = new Map<string, (typeof spans)[number]>();
  for (const s of spans) {
    const id = `${s.traceId}/${s.spanId}`;
    if (byId.has(id)) problems.push(`duplicate span ${id}`);
    byId.set(id, s);
    if (BigInt(s.endTimeUnixNano) < BigInt(s.startTimeUnixNano)) problems.push(`${id} ends before it starts`);
  }
  for (const s of spans) {
    if (s.parentSpanId === undefined) continue;
    const id = `${s.traceId}/${s.spanId}`;
    const parent = byId.get(`${s.traceId}/${s.parentSpanId}`);
    if (parent === undefined) {
      problems.push(`${id}: parent ${s.parentSpanId} is not in its trace`);
      continue;
    }
    if (BigInt(s.startTimeUnixNano) < BigInt(parent.startTimeUnixNano))
      problems.push(`${id} starts before its parent`);
    const wasted = attr(s, 'microsim.wasted');
    const unwaited =
      (wasted !== undefined && 'boolValue' in wasted && wasted.boolValue) ||
      attr(s, 'microsim.message') !== undefined;
    if (!unwaited && BigInt(s.endTimeUnixNano) > BigInt(parent.endTimeUnixNano)) {
      problems.push(`${id} (${s.name}) ends after its parent, and someone waited for it`);
    }
  }
  return problems;
}

/**
 * What is wrong with a Chrome trace beyond its schema: on each lane (pid, tid), complete events
 * that overlap without nesting, or an event drawn inside one that is not its parent; a lane or
 * process without its name.
 */
export function chromeProblems(doc: ChromeTraceFile): string[] {
  const problems: string[] = [];
  const named = new Set<string>();
  for (const e of doc.traceEvents) {
    if (e.ph === 'M' && e.name === 'process_name') named.add(`${e.pid}/`);
    if (e.ph === 'M' && e.name === 'thread_name') named.add(`${e.pid}/${e.tid}`);
  }
  const lanes = new Map<string, Extract<z.infer<typeof chromeEvent>, { ph: 'X' }>[]>();
  for (const e of doc.traceEvents) {
    if (e.ph !== 'X') continue;
    const key = `${e.pid}/${e.tid}`;
    if (!named.has(key)) problems.push(`lane ${key} has no thread_name`);
    if (!named.has(`${e.pid}/`)) problems.push(`process ${e.pid} has no process_name`);
    const list = lanes.get(key);
    if (list === undefined) lanes.set(key, [e]);
    else list.push(e);
  }
  for (const [key, events] of lanes) {
    const sorted = [...events].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const open: (typeof events)[number][] = [];
    for (const e of sorted) {
      while (open.length > 0 && open.at(-1)!.ts + open.at(-1)!.dur <= e.ts) open.pop();
      const top = open.at(-1);
      if (top !== undefined) {
        if (e.ts + e.dur > top.ts + top.dur)
          problems.push(`lane ${key}: span ${e.args.span} overlaps span ${top.args.span}`);
        else if (e.args.parent !== top.args.span) {
          problems.push(
            `lane ${key}: span ${e.args.span} is drawn inside span ${top.args.span}, not its parent`,
          );
        }
      }
      open.push(e);
    }
  }
  return problems;
}
