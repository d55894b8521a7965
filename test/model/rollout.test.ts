/**
 * Rollouts on hand-built worlds: a rolling update never has fewer ready instances than allowed,
 * blue/green switches only when the new set is ready, and a canary with more errors than the
 * baseline is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { createBus } from '../../src/engine/bus.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { createRandomStreams } from '../../src/engine/random.ts';
import { startRollout } from '../../src/model/rollout.ts';
import { createWorld } from '../../src/model/world.ts';
import type { DeployStrategy, VersionSpec, WorldSpec } from '../../src/model/world-spec.ts';
import type { Signals } from '../../src/signals.ts';
import { constMs, endpoint, openWorkload, service, world } from './world-fixtures.ts';

const versions: VersionSpec[] = [
  { name: 'v1', workFactor: 1, errorRate: 0 },
  { name: 'v2', workFactor: 1, errorRate: 0 },
];

function run(strategy: DeployStrategy, spec?: Partial<{ v2ErrorRate: number; v2WorkFactor: number }>) {
  const v = [
    versions[0]!,
    { ...versions[1]!, errorRate: spec?.v2ErrorRate ?? 0, workFactor: spec?.v2WorkFactor ?? 1 },
  ];
  const w: WorldSpec = world(
    [
      service('api', [endpoint('get', constMs(50))], {
        replicas: 8,
        workers: 4,
        startup: constMs(5000),
        versions: v,
      }),
    ],
    [openWorkload('api.get', 100, 'constant')],
  );
  const engine = createEngine();
  const bus = createBus<Signals>();
  const states: Signals['instance.state'][] = [];
  const ended: Signals['deploy.ended'][] = [];
  const done: Signals['request.completed'][] = [];
  bus.on('instance.state', (s) => states.push(s));
  bus.on('deploy.ended', (e) => ended.push(e));
  bus.on('request.completed', (r) => done.push(r));
  const created = createWorld(w, {
    engine,
    bus,
    streams: createRandomStreams(1),
    endMs: 600_000,
    onUnstable: () => engine.stop(),
  });
  engine.scheduleAt(
    10_000,
    () =>
      startRollout(
        created.services.get('api')!,
        { atMs: 10_000, service: 'api', to: 'v2', strategy },
        engine,
        bus,
      ),
    undefined,
  );
  engine.runUntil(600_000);
  const api = created.services.get('api')!;
  return { states, ended, done, api };
}

/** Ready instances after every state change from `from` on. */
function readyOverTime(states: readonly Signals['instance.state'][], from: number): number[] {
  const current = new Map<string, string>();
  const counts: number[] = [];
  for (const s of states) {
    current.set(s.instance, s.state);
    if (s.at >= from) counts.push([...current.values()].filter((x) => x === 'ready').length);
  }
  return counts;
}

describe('rollouts', () => {
  it('a rolling update (25% / 25% of 8) keeps at least 6 ready and ends with 8 of v2', () => {
    const r = run({ kind: 'rolling', maxSurge: 0.25, maxUnavailable: 0.25 });
    expect(r.ended).toMatchObject([{ outcome: 'completed' }]);
    expect(Math.min(...readyOverTime(r.states, 10_000))).toBeGreaterThanOrEqual(6);
    // Never more than 8 + 2 instances starting or ready at once.
    const current = new Map<string, string>();
    for (const s of r.states) {
      current.set(s.instance, s.state);
      const serving = [...current.values()].filter((x) => x === 'ready' || x === 'starting').length;
      expect(serving).toBeLessThanOrEqual(10);
    }
    expect(r.api.ready.map((i) => i.version)).toEqual(Array(8).fill('v2'));
    // (Requests before the initial 5 s start-up find no instance; none fails during the rollout.)
    expect(r.done.filter((q) => q.arrivedAt >= 5000 && q.outcome !== 'ok')).toEqual([]);
  });

  it('blue/green keeps all 8 old instances until the 8 new are ready, then switches', () => {
    const r = run({ kind: 'blue-green' });
    expect(r.ended).toMatchObject([{ outcome: 'completed' }]);
    expect(Math.min(...readyOverTime(r.states, 10_000))).toBe(8);
    const drains = r.states.filter((s) => s.state === 'draining').map((s) => s.at);
    // The new set starts at 10 s, ready after its 5 s start-up; the switch is at the next check.
    expect(Math.min(...drains)).toBeGreaterThanOrEqual(15_000);
    expect(r.api.ready.map((i) => i.version)).toEqual(Array(8).fill('v2'));
  });

  it('a canary with a 20% error rate is rolled back after its first step; a healthy one is promoted', () => {
    const canary: DeployStrategy = {
      kind: 'canary',
      steps: [0.1, 0.5, 1],
      stepMs: 60_000,
      maxErrorIncrease: 0.02,
      maxLatencyIncrease: Number.POSITIVE_INFINITY,
      minCalls: 20,
    };
    const bad = run(canary, { v2ErrorRate: 0.2 });
    expect(bad.ended).toHaveLength(1);
    expect(bad.ended[0]!.outcome).toBe('rolled_back');
    expect(bad.ended[0]!.at).toBe(70_000);
    expect(bad.ended[0]!.why).toMatch(
      /^api rolled back v2: canary v2 failed \d+ of \d+ \(\d+\.\d%\), v1 0 of \d+ \(0\.0%\)/,
    );
    expect(bad.api.ready.map((i) => i.version)).toEqual(Array(8).fill('v1'));
    const good = run(canary);
    expect(good.ended).toMatchObject([{ outcome: 'completed', at: 190_000 }]);
    expect(good.api.ready.map((i) => i.version)).toEqual(Array(8).fill('v2'));
  });

  it('a canary three times slower is rolled back when latency is part of the analysis', () => {
    const slow = run(
      {
        kind: 'canary',
        steps: [0.1, 0.5, 1],
        stepMs: 60_000,
        maxErrorIncrease: 0.02,
        maxLatencyIncrease: 0.5,
        minCalls: 20,
      },
      { v2WorkFactor: 3 },
    );
    expect(slow.ended[0]!.outcome).toBe('rolled_back');
    expect(slow.ended[0]!.why).toMatch(/mean latency 150\.0 ms vs 50\.0 ms, more than 50\.0% slower$/);
  });
});
