/**
 * The conservation law of messages, on random worlds: whatever the queue settings, poison,
 * consumer limits and faults (consumer and broker crashes, hangs, lost deliveries), every message
 * a broker stored is at the end in exactly one place — processed, waiting, in flight,
 * dead-lettered, dropped or expired — and every message's history follows the lifecycle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultCommand } from '../../src/model/fault-spec.ts';
import type { WorldSpec } from '../../src/model/world-spec.ts';
import { call, constMs, endpoint, expMs, openWorkload, service, world } from '../model/world-fixtures.ts';
import { broker, conservation, consumes, publish, queue, runMessaging } from './fixtures.ts';

const INF = Number.POSITIVE_INFINITY;

const settings = fc.record({
  maxLength: fc.constantFrom(INF, 5, 50),
  overflow: fc.constantFrom('drop-head' as const, 'reject-publish' as const),
  ttlMs: fc.constantFrom(INF, 500, 3_000),
  maxDeliveries: fc.integer({ min: 1, max: 4 }),
  ackTimeoutMs: fc.constantFrom(INF, 150, 2_000),
  poison: fc.constantFrom(0, 0.05),
  confirm: fc.boolean(),
  whenDown: fc.constantFrom('fail' as const, 'wait' as const),
  concurrency: fc.integer({ min: 1, max: 4 }),
  extraPrefetch: fc.integer({ min: 0, max: 6 }),
  consumers: fc.integer({ min: 1, max: 3 }),
  consumerWork: fc.constantFrom(5, 40, 200),
  failRate: fc.constantFrom(0, 0.1),
  faults: fc.array(
    fc.record({
      atMs: fc.integer({ min: 500, max: 8_000 }),
      forMs: fc.oneof(fc.integer({ min: 100, max: 3_000 }), fc.constant(65_000)),
      kind: fc.constantFrom('kill', 'hang', 'loss', 'restart', 'partition'),
      target: fc.constantFrom('mq', 'worker'),
    }),
    { maxLength: 3 },
  ),
});

type Settings = typeof settings extends fc.Arbitrary<infer T> ? T : never;

function build(s: Settings): WorldSpec {
  return {
    ...world(
      [
        service(
          'front',
          [
            endpoint('in', expMs(2), [
              publish('mq.jobs', { confirm: s.confirm, whenDown: s.whenDown, poison: s.poison }),
              publish('mq.events'),
            ]),
          ],
          {
            workers: 100,
            holding: 'non-blocking',
          },
        ),
        service(
          'worker',
          [endpoint('job', expMs(s.consumerWork), [call('db.write', { soft: false })], 'calls-first')],
          {
            replicas: s.consumers,
            workers: 4,
            subscriptions: [
              consumes('job', 'mq.jobs', {
                concurrency: s.concurrency,
                prefetch: s.concurrency + s.extraPrefetch,
              }),
            ],
          },
        ),
        service('audit', [endpoint('log', constMs(1))], {
          workers: 2,
          subscriptions: [consumes('log', 'mq.events/audit')],
        }),
        service('db', [endpoint('write', expMs(2))], { workers: 20 }),
      ],
      [openWorkload('front.in', 40)],
      expMs(1),
    ),
    brokers: [
      broker(
        'mq',
        [
          queue('jobs', {
            maxLength: s.maxLength,
            overflow: s.overflow,
            ttlMs: s.ttlMs,
            maxDeliveries: s.maxDeliveries,
            ackTimeoutMs: s.ackTimeoutMs,
          }),
        ],
        {
          topics: [{ name: 'events', groups: [queue('events/audit'), queue('events/archive')] }],
        },
      ),
    ],
  };
}

function faults(s: Settings): { atMs: number; forMs: number | null; command: FaultCommand }[] {
  const out: { atMs: number; forMs: number | null; command: FaultCommand }[] = s.faults.map((f, i) => {
    const name = `f${i}`;
    if (f.kind === 'partition') {
      return {
        atMs: f.atMs,
        forMs: f.forMs,
        command: {
          name,
          action: { kind: 'partition' },
          target: { kind: 'groups', a: ['mq'], b: ['worker'] },
        },
      };
    }
    if (f.kind === 'loss') {
      return {
        atMs: f.atMs,
        forMs: f.forMs,
        command: {
          name,
          action: { kind: 'loss', rate: 0.3 },
          target: { kind: 'edge', from: 'mq', to: 'worker' },
        },
      };
    }
    return {
      atMs: f.atMs,
      forMs: f.kind === 'restart' ? null : f.forMs,
      command: {
        name,
        action: { kind: f.kind } as FaultCommand['action'],
        target: {
          kind: 'service',
          service: f.target,
          endpoint: null,
          instances: { kind: 'count', count: 1 },
        },
      },
    };
  });
  if (s.failRate > 0) {
    out.push({
      atMs: 0,
      forMs: null,
      command: {
        name: 'db-errors',
        action: { kind: 'error', rate: s.failRate },
        target: { kind: 'service', service: 'db', endpoint: null, instances: { kind: 'all' } },
      },
    });
  }
  return out;
}

describe('conservation of messages', () => {
  it('holds per queue on random worlds, and every message follows its lifecycle', () => {
    fc.assert(
      fc.property(settings, fc.integer({ min: 1, max: 1_000 }), (s, seed) => {
        // Long enough for a partition to outlast the 60 s heartbeat and heal.
        const run = runMessaging(build(s), 80_000, { seed, endMs: 10_000, faults: faults(s) });
        for (const row of conservation(run)) expect(row.accounted, row.queue).toBe(row.published);
        // Replay the signals: each stored message moves waiting ⇄ in flight and ends once.
        const state = new Map<string, 'waiting' | 'flight' | 'done'>();
        const key = (p: { queue: string; id: number }) => `${p.queue}#${p.id}`;
        const move = (k: string, from: string, to: 'waiting' | 'flight' | 'done') => {
          expect(state.get(k), `${k} ${from} → ${to}`).toBe(from);
          state.set(k, to);
        };
        for (const { name, payload } of run.signals) {
          const p = payload as { queue: string; id: number };
          if (name === 'message.published') {
            expect(state.has(key(p))).toBe(false);
            state.set(key(p), 'waiting');
          } else if (name === 'message.delivered') move(key(p), 'waiting', 'flight');
          else if (name === 'message.requeued') move(key(p), 'flight', 'waiting');
          else if (name === 'message.processed' || name === 'message.dead_lettered')
            move(key(p), 'flight', 'done');
          else if (name === 'message.dropped' || name === 'message.expired') move(key(p), 'waiting', 'done');
        }
        // The signals agree with the broker's own books.
        const counts = run.world.messaging!.counts();
        for (const [name, c] of counts) {
          const queue = name.slice('mq/'.length);
          let waiting = 0;
          let flight = 0;
          for (const [k, v] of state) {
            if (!k.startsWith(`${queue}#`)) continue;
            if (v === 'waiting') waiting++;
            if (v === 'flight') flight++;
          }
          expect([waiting, flight], name).toEqual([c.ready, c.inFlight]);
        }
      }),
      { numRuns: 40, seed: 20261128 },
    );
  });
});
