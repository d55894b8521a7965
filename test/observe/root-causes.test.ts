import { describe, expect, it } from 'vitest';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import type { FailureCause } from '../../src/signals.ts';
import { newBus } from './fixture.ts';

describe('root causes', () => {
  it('counts failures by where they started, most frequent first', () => {
    const bus = newBus();
    const metrics = createMetricsCollector(bus, {
      warmupMs: 0,
      durationMs: 1000,
      intervalMs: 1000,
      services: [],
      workloads: ['web'],
    });
    const causes: FailureCause[] = [
      { reason: 'queue_full', service: 'db', endpoint: 'query' },
      { reason: 'no_instance', service: 'pay', endpoint: 'charge' },
      { reason: 'queue_full', service: 'db', endpoint: 'query' },
    ];
    causes.forEach((cause, i) => {
      const id = i + 1;
      bus.emit('request.arrived', { at: i, id, workload: 'web', service: 'front', endpoint: 'home' });
      bus.emit('request.completed', {
        at: i + 1,
        id,
        workload: 'web',
        service: 'front',
        endpoint: 'home',
        arrivedAt: i,
        latencyMs: 1,
        outcome: 'failed',
        reason: 'dependency_failed',
        cause,
      });
    });
    bus.emit('run.ended', { at: 1000, reason: 'completed' });
    const web = metrics.results({ scenario: { name: 's', seed: 1 }, events: 0, endReason: 'completed' })
      .workloads.web!;
    expect(web.failures).toEqual({ dependency_failed: 3 });
    expect(Object.entries(web.rootCauses)).toEqual([
      ['queue_full at db/query', 2],
      ['no_instance at pay/charge', 1],
    ]);
  });
});
