/** Request traces: sampling, the collector, the OTLP/JSON and Chrome encoders. */
import { describe, expect, it } from 'vitest';
import { encodeChrome, packLanes } from '../../src/observe/trace-chrome.ts';
import { encodeOtlp, unixNano } from '../../src/observe/trace-otlp.ts';
import {
  createTraceCollector,
  type Span,
  spanIdOf,
  type TraceCollector,
  type TraceSet,
  traceIdOf,
  traceSampled,
} from '../../src/observe/traces.ts';
import { createLiveRun } from '../../src/runtime/live.ts';
import { runScenario } from '../../src/runtime/run-scenario.ts';
import { createSession } from '../../src/runtime/session.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { chromeProblems, chromeTrace, otlpProblems, otlpTraceRequest } from './trace-schemas.ts';

const RETRIES = 'scenarios/06-fault-tolerance/retry-storm.yaml';
const CASCADE = 'scenarios/06-fault-tolerance/cascade-contained.yaml';
const MESSAGING = 'scenarios/messaging/consumer-crash.yaml';

async function traced(
  file: string,
  rate: number,
  maxTraces?: number,
): Promise<{ set: TraceSet; requests: number }> {
  let collector: TraceCollector | undefined;
  let requests = 0;
  await runScenario(file, {
    attach(bus) {
      collector = createTraceCollector(bus, maxTraces === undefined ? { rate } : { rate, maxTraces });
      bus.on('request.arrived', () => requests++);
    },
  });
  return { set: collector!.result(), requests };
}

/** Both encodings of a set, checked against their schemas and their invariants. */
function checkEncodings(set: TraceSet) {
  const otlp = otlpTraceRequest.parse(JSON.parse(JSON.stringify(encodeOtlp(set, '0.1.0'))));
  const chrome = chromeTrace.parse(JSON.parse(JSON.stringify(encodeChrome(set))));
  expect(otlpProblems(otlp)).toEqual([]);
  expect(chromeProblems(chrome)).toEqual([]);
  const spans = otlp.resourceSpans.flatMap((r) => r.scopeSpans[0]!.spans);
  expect(spans).toHaveLength(set.traces.reduce((n, t) => n + t.spans.length, 0));
  expect(chrome.traceEvents.filter((e) => e.ph === 'X')).toHaveLength(spans.length);
  return { otlp, chrome, spans };
}

describe('sampling', () => {
  it('traces each request with probability `rate`, by a hash of the seed and the id', () => {
    // The decision is a deterministic hash, so this test gives the same counts every time; the
    // tolerance says the hash behaves like fair coins: 4.5 binomial standard errors
    // (sqrt(n·p·(1−p))) around n·p, which independent coins would miss about once in 150,000.
    const n = 200_000;
    for (const seed of [1, 42, 2 ** 40 + 7]) {
      for (const rate of [0.001, 0.01, 0.05, 0.5]) {
        let kept = 0;
        for (let id = 1; id <= n; id++) if (traceSampled(seed, id, rate)) kept++;
        const sd = Math.sqrt(n * rate * (1 - rate));
        expect(Math.abs(kept - n * rate), `seed ${seed}, rate ${rate}: ${kept}`).toBeLessThan(4.5 * sd);
      }
    }
  });

  it('picks a different set for another seed (about rate² of the ids in common), every id at rate 1', () => {
    const n = 100_000;
    let both = 0;
    for (let id = 1; id <= n; id++) if (traceSampled(1, id, 0.1) && traceSampled(2, id, 0.1)) both++;
    // Independent decisions share n·0.01 = 1000 ids (sd ≈ 31.5): 4.5 sd is ±142.
    expect(Math.abs(both - 1000)).toBeLessThan(142);
    for (let id = 1; id <= 1000; id++) expect(traceSampled(7, id, 1)).toBe(true);
  });

  it('keeps exactly the sampled requests of a run, and at most maxTraces of them', async () => {
    const { set, requests } = await traced(RETRIES, 0.05);
    const expected = [];
    for (let id = 1; id <= requests; id++) if (traceSampled(set.seed, id, 0.05)) expected.push(id);
    expect(set.traces.map((t) => t.requestId)).toEqual(expected);
    expect(set.skipped).toBe(0);
    const capped = await traced(RETRIES, 0.05, 40);
    expect(capped.set.traces.map((t) => t.requestId)).toEqual(expected.slice(0, 40));
    expect(capped.set.skipped).toBe(expected.length - 40);
  });

  it('does not change the run: the same results document with or without tracing', async () => {
    const scenario = await loadScenario(RETRIES);
    const strip = (r: ReturnType<ReturnType<typeof createSession>['runToEnd']>) =>
      JSON.stringify({ ...r, run: { ...r.run, wallTimeMs: 0 } });
    const plain = createSession(scenario).runToEnd();
    const withTraces = createSession(scenario, {
      attach: (bus) => createTraceCollector(bus, { rate: 1 }),
    }).runToEnd();
    expect(strip(withTraces)).toBe(strip(plain));
  });
});

describe('the collector', () => {
  it('builds a root span per request and a span per visit, parents inside the trace', async () => {
    const { set } = await traced(RETRIES, 0.05);
    const { spans } = checkEncodings(set);
    expect(set.traces.length).toBeGreaterThan(100);
    for (const t of set.traces) {
      const root = t.spans[0]!;
      expect(root).toMatchObject({
        span: 0,
        parent: null,
        kind: 'client',
        service: 'clients',
        name: 'api/get',
      });
      for (const s of t.spans.slice(1)) expect(t.spans.some((p) => p.span === s.parent)).toBe(true);
    }
    // The storm: failed requests are errors with their reason; abandoned attempts are kept, and
    // outlive the request they belonged to.
    const failed = set.traces.map((t) => t.spans[0]!).filter((r) => r.status === 'error');
    expect(failed.length).toBeGreaterThan(10);
    for (const r of failed) {
      const reason = r.attributes.find((a) => a.key === 'microsim.reason')?.value;
      expect(reason !== undefined && 'string' in reason && r.statusMessage?.startsWith(reason.string)).toBe(
        true,
      );
    }
    expect(new Set(failed.map((r) => r.statusMessage))).toEqual(new Set(['timeout', 'queue_full']));
    const late = set.traces.flatMap((t) => t.spans.filter((s) => s.span > 0 && s.endMs > t.spans[0]!.endMs));
    expect(late.length).toBeGreaterThan(10);
    expect(
      late.every((s) =>
        s.attributes.some((a) => a.key === 'microsim.wasted' && 'bool' in a.value && a.value.bool),
      ),
    ).toBe(true);
    // Retries are events on the root span (the workload's client retries).
    const retried = spans.filter((s) => s.events?.some((e) => e.name === 'call.retried'));
    expect(retried.length).toBeGreaterThan(10);
    expect(retried.every((s) => s.parentSpanId === undefined)).toBe(true);
  });

  it('hangs broker deliveries under the root, as consumer spans marked with microsim.message', async () => {
    const { set } = await traced(MESSAGING, 0.1);
    checkEncodings(set);
    const deliveries = set.traces.flatMap((t) => t.spans.filter((s) => s.kind === 'consumer'));
    expect(deliveries.length).toBeGreaterThan(5);
    for (const d of deliveries) {
      expect(d.parent).toBe(0);
      expect(d.attributes).toContainEqual({ key: 'microsim.message', value: { string: 'delivery' } });
    }
    const publishes = set.traces.flatMap((t) =>
      t.spans.filter((s) =>
        s.attributes.some(
          (a) => a.key === 'microsim.message' && 'string' in a.value && a.value.string === 'publish',
        ),
      ),
    );
    expect(publishes.length).toBeGreaterThan(5);
    expect(publishes.every((p) => p.parent === 0 && p.kind === 'server')).toBe(true);
  });

  it('puts a service’s retries on the calling visit', async () => {
    const { set } = await traced(CASCADE, 0.1);
    checkEncodings(set);
    const onVisits = set.traces.flatMap((t) => t.spans.filter((s) => s.span > 0 && s.events.length > 0));
    expect(onVisits.length).toBeGreaterThan(0);
    for (const s of onVisits) {
      for (const e of s.events) {
        expect(e.attributes).toContainEqual({ key: 'microsim.caller', value: { string: s.service } });
        expect(e.atMs).toBeGreaterThanOrEqual(s.startMs);
        expect(e.atMs).toBeLessThanOrEqual(s.endMs);
      }
    }
  });

  it('gives the same traces live (dashboard) and headless', async () => {
    const scenario = { ...(await loadScenario(RETRIES)), durationMs: 90_000 };
    let liveCollector: TraceCollector | undefined;
    const live = createLiveRun(scenario, {
      lang: 'en',
      speed: 'max',
      interactive: false,
      attach: (bus) => (liveCollector = createTraceCollector(bus, { rate: 0.05 })),
    });
    while (!live.ended) live.tick(100, 5);
    live.finish();
    let headless: TraceCollector | undefined;
    createSession(scenario, {
      attach: (bus) => (headless = createTraceCollector(bus, { rate: 0.05 })),
    }).runToEnd();
    expect(liveCollector!.result().traces.length).toBeGreaterThan(100);
    expect(JSON.stringify(encodeOtlp(liveCollector!.result(), 'v'))).toBe(
      JSON.stringify(encodeOtlp(headless!.result(), 'v')),
    );
  });
});

describe('encodings', () => {
  it('writes ids as lowercase hex from the seed, the request and the span; times as exact nanoseconds', () => {
    expect(traceIdOf(42, 7)).toBe('000000000000002a0000000000000007');
    expect(spanIdOf(7, 0)).toBe('0000000007000000');
    expect(spanIdOf(0x1234, 0x56)).toBe('0000001234000056');
    expect(unixNano(0)).toBe('0');
    expect(unixNano(1.5)).toBe('1500000');
    expect(unixNano(123_456_789.000001)).toBe('123456789000001');
    // 200 simulated days: past 2^53 ns, still exact to the nanosecond.
    expect(unixNano(17_280_000_000.25)).toBe('17280000000250000');
  });

  const span = (n: number, parent: number | null, startMs: number, endMs: number): Span => ({
    span: n,
    parent,
    name: `s${n}`,
    service: 'svc',
    kind: 'server',
    startMs,
    endMs,
    status: 'ok',
    attributes: [],
    events: [],
  });

  it('packs parallel calls into separate lanes, a child into its parent’s lane', () => {
    const lanes = (spans: Span[]) => packLanes(spans).map((p) => [p.span.span, p.lane]);
    // Root 0 calls 1, 2 and 3 in parallel; 4 is 1's child; 5 follows 2 after it ended.
    expect(
      lanes([
        span(0, null, 0, 100),
        span(1, 0, 1, 50),
        span(2, 0, 1, 40),
        span(3, 0, 2, 30),
        span(4, 1, 5, 20),
        span(5, 0, 60, 70),
      ]),
    ).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 0],
      [5, 0],
    ]);
    // An abandoned attempt outlives its parent: it cannot be drawn inside it.
    expect(lanes([span(0, null, 0, 10), span(1, 0, 2, 30), span(2, 0, 12, 14)])).toEqual([
      [0, 0],
      [1, 1],
      [2, 0],
    ]);
    // A span inside a non-parent's time goes to a free lane, not under that span.
    expect(lanes([span(0, null, 0, 100), span(1, 0, 10, 90), span(2, 0, 20, 30)])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
  });
});

describe('the invariant checks used on every file', () => {
  it('catch a missing parent, a child outliving a parent that waited, and lanes that do not nest', () => {
    const kv = (key: string, value: boolean) => ({ key, value: { boolValue: value } });
    const s = (
      spanId: string,
      parentSpanId: string | undefined,
      start: string,
      end: string,
      wasted: boolean,
    ) => ({
      traceId: '0000000000000001000000000000000a',
      spanId,
      ...(parentSpanId === undefined ? {} : { parentSpanId }),
      name: 'a/b',
      kind: 2,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      attributes: [kv('microsim.wasted', wasted)],
      status: { code: 1 as const },
    });
    const doc = (spans: ReturnType<typeof s>[]) => ({
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [{ scope: { name: 'microsim' as const, version: '1' }, spans }],
        },
      ],
    });
    const root = s('000000000a000000', undefined, '0', '100', false);
    expect(otlpProblems(doc([root, s('000000000a000001', '000000000a000000', '10', '90', false)]))).toEqual(
      [],
    );
    expect(otlpProblems(doc([root, s('000000000a000001', '000000000a000000', '10', '190', true)]))).toEqual(
      [],
    );
    expect(
      otlpProblems(doc([root, s('000000000a000001', '000000000a000000', '10', '190', false)])),
    ).toHaveLength(1);
    expect(
      otlpProblems(doc([root, s('000000000a000001', '000000000a000009', '10', '90', false)])),
    ).toHaveLength(1);

    const x = (span: number, parent: number | undefined, ts: number, dur: number, tid = 1) => ({
      name: 'a/b',
      cat: 'server',
      ph: 'X' as const,
      ts,
      dur,
      pid: 1,
      tid,
      args: (parent === undefined ? { span } : { span, parent }) as Record<string, number>,
    });
    const names = [
      { name: 'process_name' as const, ph: 'M' as const, pid: 1, args: { name: 'req-1' } },
      { name: 'thread_name' as const, ph: 'M' as const, pid: 1, tid: 1, args: { name: 'lane 1' } },
      { name: 'thread_name' as const, ph: 'M' as const, pid: 1, tid: 2, args: { name: 'lane 2' } },
    ];
    const chrome = (events: ReturnType<typeof x>[]) => ({
      traceEvents: [...names, ...events],
      displayTimeUnit: 'ms' as const,
      otherData: {},
    });
    expect(chromeProblems(chrome([x(0, undefined, 0, 100), x(1, 0, 10, 50), x(2, 0, 20, 50, 2)]))).toEqual(
      [],
    );
    expect(chromeProblems(chrome([x(0, undefined, 0, 100), x(1, 0, 10, 50), x(2, 0, 20, 50)]))).toHaveLength(
      1,
    );
    expect(chromeProblems(chrome([x(0, undefined, 0, 100), x(1, 0, 10, 50), x(2, 0, 20, 5)]))).toHaveLength(
      1,
    );
    expect(chromeProblems(chrome([x(0, undefined, 0, 100), x(1, 0, 10, 50, 3)]))).toHaveLength(1);
  });
});
