import { describe, expect, it } from 'vitest';
import type { Bus } from '../../src/engine/bus.ts';
import { createEventLog } from '../../src/observe/event-log.ts';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import type { Signals } from '../../src/signals.ts';
import { arrive, complete, gauges, hop, newBus, requestNumber } from './fixture.ts';

function play(bus: Bus<Signals>): void {
  bus.emit('run.started', { at: 0, scenario: 's', seed: 7 });
  bus.emit('run.warmup_ended', { at: 0 });
  bus.emit('gauges.sampled', { at: 0, services: [gauges('front')] });
  const r = { id: 'req-000001', arrivedAt: 0.1, at: 0.1 + 0.2 };
  arrive(bus, r);
  hop(bus, { arrivedAt: 0.1, at: 0.25, waitMs: 0.05 });
  complete(bus, r);
  bus.emit('gauges.sampled', { at: 1, services: [gauges('front', { busyArea: 0.15, capacityArea: 1 })] });
  bus.emit('run.ended', { at: 1, reason: 'completed' });
}

describe('event log', () => {
  it('records one JSON line per signal, signal name first, numbers exactly as emitted', () => {
    const bus = newBus();
    const log = createEventLog(bus);
    play(bus);
    const lines = log.lines();
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('{"signal":"run.started","at":0,"scenario":"s","seed":7}');
    expect(lines[7]).toBe('{"signal":"run.ended","at":1,"reason":"completed"}');
    const completed = JSON.parse(lines[5]!);
    expect(completed).toMatchObject({
      signal: 'request.completed',
      id: requestNumber('req-000001'),
      at: 0.1 + 0.2,
    });
    expect(lines[5]).toContain('"at":0.30000000000000004'); // no rounding: exact float text
  });

  it('is byte-identical for two plays of the same stream, and so is the results document', () => {
    const run = () => {
      const bus = newBus();
      const log = createEventLog(bus);
      const collector = createMetricsCollector(bus, {
        warmupMs: 0,
        durationMs: 1,
        intervalMs: 1,
        services: [{ name: 'front', endpoints: ['home'] }],
        workloads: ['web'],
      });
      play(bus);
      const doc = collector.results({ scenario: { name: 's', seed: 7 }, events: 8, endReason: 'completed' });
      return { lines: log.lines().join('\n'), doc: JSON.stringify(doc) };
    };
    expect(run()).toEqual(run());
  });

  it('stops recording after stop()', () => {
    const bus = newBus();
    const log = createEventLog(bus);
    bus.emit('run.warmup_ended', { at: 0 });
    log.stop();
    bus.emit('run.ended', { at: 1, reason: 'completed' });
    expect(log.lines()).toEqual(['{"signal":"run.warmup_ended","at":0}']);
  });
});
