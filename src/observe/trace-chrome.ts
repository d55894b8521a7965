/**
 * Traces in the Chrome trace-event format (the JSON object form), which Perfetto
 * (ui.perfetto.dev) and chrome://tracing open. Each sampled request is a process (`pid` = its id,
 * named `req-12 shoppers → web/home`); its spans are complete events (`ph: "X"`, `ts` and `dur` in
 * whole microseconds of simulated time) packed into lanes (threads, `tid` 1, 2…) so that every lane
 * nests properly: a span goes into the lane where its parent is the innermost open span and holds
 * it whole, else into the first lane free at its start, else into a new lane. Parallel calls that
 * overlap therefore sit in separate lanes, and a span drawn inside another is always its child.
 * Retries and the ends of calls with policies are instant events (`ph: "i"`) on their span's lane.
 */
import type { Attribute, Span, Trace, TraceSet } from './traces.ts';

type Args = Record<string, string | number | boolean>;

export type ChromeEvent =
  | { name: string; ph: 'M'; pid: number; tid?: number; args: { name: string } | { sort_index: number } }
  | { name: string; cat: string; ph: 'X'; ts: number; dur: number; pid: number; tid: number; args: Args }
  | { name: string; cat: string; ph: 'i'; s: 't'; ts: number; pid: number; tid: number; args: Args };

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms';
  otherData: Args;
}

/** Simulated milliseconds as whole microseconds (rounding is monotone, so nesting survives it). */
export const micros = (ms: number): number => Math.round(ms * 1000);

/** A span placed in a lane, with its times in whole microseconds. */
export interface Placed {
  readonly span: Span;
  readonly startUs: number;
  readonly endUs: number;
  readonly lane: number;
}

/**
 * Assigns each span of a trace a lane (0, 1, …) such that spans in one lane are either disjoint
 * or nested, and a span nested in another in its lane is its child. Deterministic.
 */
export function packLanes(spans: readonly Span[]): Placed[] {
  const items = spans
    .map((span) => ({ span, startUs: micros(span.startMs), endUs: micros(span.endMs) }))
    .sort((a, b) => a.startUs - b.startUs || b.endUs - a.endUs || a.span.span - b.span.span);
  /** Per lane, the spans open at the current start time, innermost last. */
  const lanes: { span: number; endUs: number }[][] = [];
  const placed: Placed[] = [];
  for (const item of items) {
    for (const stack of lanes) {
      while (stack.length > 0 && stack.at(-1)!.endUs <= item.startUs) stack.pop();
    }
    let lane = lanes.findIndex((stack) => {
      const top = stack.at(-1);
      return top !== undefined && top.span === item.span.parent && top.endUs >= item.endUs;
    });
    if (lane < 0) lane = lanes.findIndex((stack) => stack.length === 0);
    if (lane < 0) lane = lanes.push([]) - 1;
    lanes[lane]!.push({ span: item.span.span, endUs: item.endUs });
    placed.push({ ...item, lane });
  }
  return placed;
}

function args(attributes: readonly Attribute[]): Args {
  const out: Args = {};
  for (const { key, value } of attributes) {
    const name = key.startsWith('microsim.') ? key.slice('microsim.'.length) : key;
    out[name] =
      'string' in value
        ? value.string
        : 'int' in value
          ? value.int
          : 'double' in value
            ? value.double
            : value.bool;
  }
  return out;
}

function traceEvents(trace: Trace): ChromeEvent[] {
  const pid = trace.requestId;
  const root = trace.spans[0]!;
  const placed = packLanes(trace.spans);
  const laneCount = Math.max(...placed.map((p) => p.lane)) + 1;
  const events: ChromeEvent[] = [
    { name: 'process_name', ph: 'M', pid, args: { name: `req-${pid} ${trace.workload} → ${root.name}` } },
    { name: 'process_sort_index', ph: 'M', pid, args: { sort_index: pid } },
  ];
  for (let lane = 0; lane < laneCount; lane++) {
    events.push({ name: 'thread_name', ph: 'M', pid, tid: lane + 1, args: { name: `lane ${lane + 1}` } });
  }
  const instants: ChromeEvent[] = [];
  for (const p of placed) {
    const s = p.span;
    const common = { service: s.service, span: s.span, ...(s.parent === null ? {} : { parent: s.parent }) };
    events.push({
      name: s.name,
      cat: s.kind,
      ph: 'X',
      ts: p.startUs,
      dur: p.endUs - p.startUs,
      pid,
      tid: p.lane + 1,
      args: { ...common, status: s.status, ...args(s.attributes) },
    });
    for (const e of s.events) {
      instants.push({
        name: e.name,
        cat: 'call',
        ph: 'i',
        s: 't',
        ts: micros(e.atMs),
        pid,
        tid: p.lane + 1,
        args: { span: s.span, ...args(e.attributes) },
      });
    }
  }
  return [...events, ...instants];
}

/** The Chrome trace-event document of a trace set. */
export function encodeChrome(set: TraceSet): ChromeTrace {
  return {
    traceEvents: set.traces.flatMap(traceEvents),
    displayTimeUnit: 'ms',
    otherData: {
      scenario: set.scenario,
      seed: set.seed,
      sampleRate: set.sampleRate,
      traces: set.traces.length,
      timeOrigin: 'simulated time 0 = ts 0 (µs)',
    },
  };
}
