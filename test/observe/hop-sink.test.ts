/**
 * The world reports completed hops to the metrics collector as columns (`HopSink`) instead of
 * `hop.completed` payloads. These tests pin down that the two ways in give the same statistics,
 * that held hops are handed over in order, and that a failing reader does not unwind a run.
 */
import { describe, expect, it } from 'vitest';
import { type Bus, createBus } from '../../src/engine/bus.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { createRandomStreams } from '../../src/engine/random.ts';
import { createWorld } from '../../src/model/world.ts';
import {
  HopColumns,
  IN_PROCESS,
  OUTCOME_FAILED,
  OUTCOME_FALLBACK,
  OUTCOME_OK,
  WASTED,
} from '../../src/observe/hop-columns.ts';
import { createMetricsCollector, type MetricsCollector } from '../../src/observe/metrics.ts';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { createSession, metricsOptions } from '../../src/runtime/session.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import type { HopSink, Signals } from '../../src/signals.ts';

describe('hop columns', () => {
  it('hands over the rows held, in order, when full and when drained, then empties', () => {
    const batches: string[][] = [];
    const columns = new HopColumns((c) => {
      const rows: string[] = [];
      for (let i = 0; i < c.size; i++) {
        const name = c.endpoints[c.endpointId[i]!]!;
        rows.push(
          `${name.service}.${name.endpoint}<${c.caller[i]} ${c.arrivedAt[i]} ${c.latencyMs[i]} ${c.waitMs[i]} ` +
            `${c.residenceMs[i]} ${c.workMs[i]} ${c.outcome[i]} ${c.reason[i] ?? '-'} ${c.flags[i]}`,
        );
      }
      batches.push(rows);
    });
    const a = columns.endpoint('api', 'get');
    const b = columns.endpoint('db', 'query');
    expect([a, b]).toEqual([0, 1]);
    columns.hop(a, 'web', 1.5, 2.25, 0, 2, 1, 'ok', undefined, false, false);
    columns.hop(b, 'api', 3, 4, 0.5, 1.5, 1, 'failed', 'timeout', true, true);
    columns.hop(a, 'web', 5, 6, 0, 1, 1, 'fallback', undefined, false, true);
    expect(batches).toEqual([]);
    columns.drain();
    expect(batches).toEqual([
      [
        `api.get<web 1.5 2.25 0 2 1 ${OUTCOME_OK} - 0`,
        `db.query<api 3 4 0.5 1.5 1 ${OUTCOME_FAILED} timeout ${IN_PROCESS | WASTED}`,
        `api.get<web 5 6 0 1 1 ${OUTCOME_FALLBACK} - ${WASTED}`,
      ],
    ]);
    expect(columns.size).toBe(0);
    columns.drain();
    expect(batches).toHaveLength(1); // nothing held: no empty batch
    // A full batch (512 rows) is handed over by the hop that fills it.
    let n = 0;
    while (batches.length === 1 && n < 10_000) {
      columns.hop(a, 'web', n, 1, 0, 1, 1, 'ok', undefined, false, false);
      n++;
    }
    expect(n).toBe(512);
    expect(batches[1]).toHaveLength(n);
    expect(batches[1]![n - 1]).toBe(`api.get<web ${n - 1} 1 0 1 1 ${OUTCOME_OK} - 0`);
    expect(columns.size).toBe(0);
  });

  it('empties the rows even when the reader throws, and serves one world only', () => {
    let attached = 0;
    const columns = new HopColumns(
      () => {
        throw new Error('reader failed');
      },
      () => attached++,
    );
    columns.hop(columns.endpoint('api', 'get'), 'web', 0, 1, 0, 1, 1, 'ok', undefined, false, false);
    expect(() => columns.drain()).toThrow('reader failed');
    expect(columns.size).toBe(0);
    columns.attach();
    expect(attached).toBe(1);
    expect(() => columns.attach()).toThrow(/one world/);
  });

  it('refuses to be drained from inside its reader', () => {
    const columns = new HopColumns((c) => c.drain());
    columns.hop(columns.endpoint('api', 'get'), 'web', 0, 1, 0, 1, 1, 'ok', undefined, false, false);
    expect(() => columns.drain()).toThrow(/while they were being read/);
    expect(columns.size).toBe(0);
  });
});

/**
 * Runs `file` in a session (whose collector hears hops from the world's sink) with a second
 * collector on the same bus that hears them as `hop.completed` signals: both must agree.
 */
async function bothWays(file: string): Promise<{ sink: unknown; signals: unknown }> {
  const scenario = await loadScenario(file);
  let second: MetricsCollector | undefined;
  const session = createSession(scenario, {
    attach: (bus) => {
      second = createMetricsCollector(bus, metricsOptions(scenario));
    },
  });
  const results = session.runToEnd();
  // The session adds the `run` details, `theory` and `expectations`; the collector builds the rest.
  const { run: _run, theory: _theory, expectations: _expectations, ...sink } = results;
  const { run: _run2, ...signals } = second!.results({
    scenario: results.scenario,
    events: results.simulated.events,
    endReason: results.run.endReason,
  });
  return { sink, signals };
}

/** A collector of one service, store (endpoint get), on a bus of its own. */
function storeCollector(): { bus: Bus<Signals>; collector: MetricsCollector } {
  const bus = createBus<Signals>();
  const collector = createMetricsCollector(bus, {
    warmupMs: 0,
    durationMs: 1000,
    intervalMs: 1000,
    services: [{ name: 'store', endpoints: ['get'] }],
    workloads: ['web'],
  });
  return { bus, collector };
}

/** A store collector whose sink is attached as a world would do it, with store.get declared. */
function attachedCollector() {
  const { bus, collector } = storeCollector();
  const sink = collector.hopSink;
  sink.attach();
  return { bus, collector, sink, get: sink.endpoint('store', 'get') };
}

/** Results of `collector` with placeholder run facts. */
const resultsOf = (collector: MetricsCollector): ResultsDocument =>
  collector.results({ scenario: { name: 'x', seed: 1 }, events: 0, endReason: 'completed' });

describe('metrics from the hop sink', () => {
  it.each([
    'scenarios/01-decentralization/monolith.yaml', // in-process calls, a rollout
    'scenarios/06-fault-tolerance/retry-storm.yaml', // timeouts and retries: wasted work, failures
    'scenarios/06-fault-tolerance/cascade-contained.yaml', // breakers and fallbacks
    'scenarios/messaging/poison-message.yaml', // broker deliveries
    'test/golden/scenarios/call-graph.yaml', // queue_full, no_instance, a warm-up
  ])('gives the same results as hop.completed signals: %s', async (file) => {
    const { sink, signals } = await bothWays(file);
    expect(JSON.stringify(sink)).toBe(JSON.stringify(signals));
  });

  it('is what a session’s world reports to: the collector no longer listens to hop.completed', async () => {
    const session = createSession(await loadScenario('scenarios/mm1.yaml'));
    expect(session.bus.listening('hop.completed')).toBe(false);
  });

  it('hands held hops over before another signal names a service: edges keep their order', () => {
    const { bus, collector, sink, get } = attachedCollector();
    // A hop from `web` is held; then a call from `batch` is reported by a signal.
    sink.hop(get, 'web', 10, 5, 0, 5, 5, 'ok', undefined, false, false);
    bus.emit('call.completed', {
      at: 20,
      requestId: 2,
      caller: 'batch',
      service: 'store',
      endpoint: 'get',
      attempts: 1,
      latencyMs: 5,
      outcome: 'ok',
    });
    sink.hop(get, 'batch', 15, 5, 0, 5, 5, 'ok', undefined, false, false);
    bus.emit('run.ended', { at: 1000, reason: 'completed' });
    const doc = resultsOf(collector);
    const edges = doc.edges ?? {};
    expect(Object.keys(edges)).toEqual(['web→store', 'batch→store']);
    expect(edges['web→store']!.hops).toBe(1);
    expect(edges['batch→store']!.hops).toBe(1);
    expect(doc.services.store!.endpoints.get!.requests).toBe(2);
  });

  it('reports a hop it cannot count as a hop.completed failure and counts the others', () => {
    const { bus, collector, sink, get } = attachedCollector();
    sink.hop(get, 'web', 10, 5, 0, 5, 5, 'ok', undefined, false, false);
    sink.hop(get + 7, 'web', 11, 5, 0, 5, 5, 'ok', undefined, false, false); // never declared
    sink.hop(get, 'web', 12, 5, 0, 5, 5, 'failed', 'timeout', false, false);
    const doc = resultsOf(collector);
    expect(bus.failureCount).toBe(1);
    expect(bus.failures[0]!.signal).toBe('hop.completed');
    const e = doc.services.store!.endpoints.get!;
    expect([e.requests, e.ok, e.failed]).toEqual([2, 1, 1]);
  });

  it('counts no hop after it is disposed', () => {
    const { bus, collector, sink, get } = attachedCollector();
    sink.hop(get, 'web', 10, 5, 0, 5, 5, 'ok', undefined, false, false);
    bus.emit('gauges.sampled', { at: 100, services: [] }); // hands the first hop over
    collector.dispose();
    sink.hop(get, 'web', 12, 5, 0, 5, 5, 'ok', undefined, false, false);
    const doc = resultsOf(collector);
    expect(doc.services.store!.endpoints.get!.requests).toBe(1);
  });

  it('takes the place of the collector’s hop.completed listener once a world reports to it', () => {
    const { bus, collector } = storeCollector();
    expect(bus.listening('hop.completed')).toBe(true);
    collector.hopSink.attach();
    expect(bus.listening('hop.completed')).toBe(false);
  });

  it('reports a sink that throws as a failure of hop.completed, and the run goes on', async () => {
    const scenario = await loadScenario('scenarios/mm1.yaml');
    const engine = createEngine();
    const bus = createBus<Signals>();
    let calls = 0;
    const sink: HopSink = {
      attach() {},
      endpoint: () => 0,
      hop() {
        calls++;
        throw new Error('sink failed');
      },
    };
    let completed = 0;
    bus.on('request.completed', () => completed++);
    createWorld(scenario.world, {
      engine,
      bus,
      streams: createRandomStreams(1),
      endMs: 2000,
      onUnstable: () => {},
      hopSink: sink,
    });
    engine.runUntil(3000);
    expect(calls).toBeGreaterThan(5);
    expect(bus.failureCount).toBe(calls);
    expect(bus.failures[0]).toMatchObject({ signal: 'hop.completed' });
    // M/M/1 without network latency: each hop's end answers its request at once.
    expect(completed).toBe(calls);
  });
});
