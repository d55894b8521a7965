/**
 * The `leak` fault: every answered request of the target adds memory to its instance; at the
 * limit the instance is killed out of memory and the kubelet restarts it with CrashLoopBackOff
 * delays (0 s, 10 s, 20 s, 40 s… capped at 300 s, reset after 10 minutes without a crash).
 */
import { describe, expect, it } from 'vitest';
import type { FaultCommand } from '../../src/model/fault-spec.ts';
import { crashLoopDelayMs } from '../../src/model/memory-leak.ts';
import type { World } from '../../src/model/world.ts';
import type { ServiceSpec, WorldSpec } from '../../src/model/world-spec.ts';
import { createDashboardObserver, type DashboardObserver } from '../../src/observe/dashboard.ts';
import type { Signals } from '../../src/signals.ts';
import {
  call,
  constMs,
  endpoint,
  expMs,
  openWorkload,
  service,
  startWorld,
  type WorldRun,
  world,
} from './world-fixtures.ts';

const leak = (
  target: string,
  perMb: number,
  limitMb: number | null,
  name = `leak ${target}`,
): FaultCommand => {
  const [svc, ep] = target.split('.') as [string, string | undefined];
  return {
    name,
    action: { kind: 'leak', perMb, limitMb },
    target: { kind: 'service', service: svc, endpoint: ep ?? null, instances: { kind: 'all' } },
  };
};

/** One instance answering a request every 100 ms (arrivals at 100, 200, … ms; 10 ms of work). */
const oneInstance = (over: Partial<ServiceSpec> = {}): WorldSpec =>
  world(
    [service('app', [endpoint('get', constMs(10)), endpoint('ping', constMs(10))], { workers: 4, ...over })],
    [openWorkload('app.get', 10, 'constant')],
  );

const ooms = (r: WorldRun): Signals['instance.oom_killed'][] => r.signals['instance.oom_killed'] ?? [];
const okHops = (r: WorldRun, before: number): number =>
  (r.signals['hop.completed'] ?? []).filter((h) => h.outcome === 'ok' && h.at <= before).length;

describe('the CrashLoopBackOff delays', () => {
  it('0 s for the first crash, then 10 s doubling, capped at 300 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map(crashLoopDelayMs)).toEqual([
      0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });
});

describe('a leak fault', () => {
  it('kills the instance out of memory when the answered requests reach the limit', () => {
    const r = startWorld(oneInstance(), 5000);
    r.world.faults.apply(leak('app', 4, 40));
    r.run(1050);
    // 40 MB / 4 MB = 10 answers: the 10th (arrived at 1000 ms, answered at 1010 ms) reaches it.
    expect(ooms(r)).toHaveLength(1);
    const [oom] = ooms(r);
    expect(oom).toMatchObject({
      at: 1010,
      service: 'app',
      instance: 'app#1',
      fault: 'leak app',
      leakedMb: 40,
      limitMb: 40,
      crashes: 1,
      restartInMs: 0,
      why: 'app#1 out of memory: 40 MB leaked (limit 40 MB), restarting at once',
    });
    expect(okHops(r, 1010)).toBe(10);
    const states = (r.signals['instance.state'] ?? []).map((s) => `${s.at} ${s.state}`);
    expect(states).toEqual(['0 starting', '0 ready', '1010 crashed', '1010 starting', '1010 ready']);
    expect(r.signals['fault.started']?.[0]?.target).toBe(
      'app (4 MB per request answered, out of memory at 40 MB per instance)',
    );
  });

  it('fails the work in flight as instance_crashed, like a kill', () => {
    // 250 ms of work and a request every 100 ms: two others are in flight at each answer.
    const r = startWorld(
      world(
        [service('app', [endpoint('get', constMs(250))], { workers: 4 })],
        [openWorkload('app.get', 10, 'constant')],
      ),
      2000,
    );
    r.world.faults.apply(leak('app', 10, 30));
    r.run(2000);
    const [first] = ooms(r);
    // Answers at 350, 450, 550 ms: the third reaches 30 MB; those sent at 400 and 500 ms fail.
    expect(first?.at).toBe(550);
    const crashed = (r.signals['request.completed'] ?? []).filter((q) => q.reason === 'instance_crashed');
    expect(crashed.slice(0, 2).map((q) => [q.arrivedAt, q.at])).toEqual([
      [400, 550],
      [500, 550],
    ]);
  });

  it('restarts with CrashLoopBackOff delays; a restarted instance has leaked nothing', () => {
    const r = startWorld(oneInstance(), 1_000_000);
    r.world.faults.apply(leak('app', 4, 40));
    r.run(1_000_000);
    const kills = ooms(r);
    expect(kills.slice(0, 8).map((o) => o.restartInMs)).toEqual([
      0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
    expect(kills.slice(0, 8).map((o) => o.crashes)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Each cycle needs the same 10 answers again: leaked memory starts from zero on restart.
    for (let i = 1; i < kills.length; i++) {
      const back = kills[i - 1]!.at + kills[i - 1]!.restartInMs!;
      const answered = (r.signals['hop.completed'] ?? []).filter(
        (h) => h.outcome === 'ok' && h.at > back && h.at <= kills[i]!.at,
      );
      expect(answered).toHaveLength(10);
      expect(kills[i]!.leakedMb).toBe(40);
    }
    expect(kills[1]!.why).toBe(
      'app#1 out of memory again (2 kills in a row): 40 MB leaked (limit 40 MB), restarting in 10 s (CrashLoopBackOff)',
    );
    // While it waits for its restart, requests find no instance.
    const during = (r.signals['request.completed'] ?? []).filter(
      (q) => q.arrivedAt > kills[1]!.at && q.arrivedAt < kills[1]!.at + 10_000,
    );
    expect(during.length).toBeGreaterThan(90);
    expect(during.every((q) => q.reason === 'no_instance')).toBe(true);
  });

  it('an instance waiting out its backoff is still one of the replicas (nothing replaces it)', () => {
    const first = startWorld(oneInstance(), 200_000);
    first.world.faults.apply(leak('app', 4, 40));
    first.run(200_000);
    const second = ooms(first)[1]!; // the second kill: a 10 s wait follows
    expect(second.restartInMs).toBe(10_000);
    const r = startWorld(oneInstance(), 200_000);
    r.world.faults.apply(leak('app', 4, 40));
    const svc = r.world.services.get('app')!;
    let during = -1;
    let state = '';
    r.at(second.at + 5000, () => {
      during = svc.replicas();
      state = svc.instances[0]!.state;
      svc.scaleTo(1); // what an autoscaler asking for one replica does: nothing
    });
    r.run(second.at + 6000);
    expect(state).toBe('crashed');
    expect(during).toBe(1);
    expect(svc.instances).toHaveLength(1);
  });

  it('the backoff starts over after 10 minutes without a crash, not before', () => {
    const gap = (pauseMs: number): number[] => {
      const r = startWorld(oneInstance(), 2_000_000);
      let first: ReturnType<World['faults']['apply']> | undefined;
      first = r.world.faults.apply(leak('app', 4, 40, 'first'));
      // Kills at 1010 ms and 2010 ms (back at 12,010 ms); fixed at 12.5 s with 16 MB leaked.
      r.at(12_500, () => first!.revert());
      r.at(12_500 + pauseMs, () => {
        first = r.world.faults.apply(leak('app', 4, 40, 'second'));
      });
      // Six more answers reach 40 MB again.
      r.run(12_500 + pauseMs + 1000);
      return ooms(r).map((o) => o.restartInMs!);
    };
    // Up since 12 s, killed again about 10.3 minutes later: the count starts over.
    expect(gap(620_000)).toEqual([0, 10_000, 0]);
    // Killed again about 5 minutes later: the next delay is 20 s.
    expect(gap(300_000)).toEqual([0, 10_000, 20_000]);
  });

  it('stops leaking when it ends; what leaked stays until the next restart', () => {
    const r = startWorld(oneInstance(), 60_000);
    const fault = r.world.faults.apply(leak('app', 4, 40));
    r.at(550, () => fault.revert()); // after 5 answers (110 … 510 ms)
    r.run(60_000);
    expect(ooms(r)).toEqual([]);
    const inst = r.world.services.get('app')!.instances[0]!;
    expect(inst.leakedMb).toBe(20);
    expect(inst.answered).toBeNull();
    expect(r.signals['fault.ended']).toHaveLength(1);
  });

  it('counts only the target endpoint, and only answered requests', () => {
    const spec = world(
      [service('app', [endpoint('get', constMs(10)), endpoint('ping', constMs(10))], { workers: 4 })],
      [
        { ...openWorkload('app.get', 10, 'constant'), name: 'gets' },
        { ...openWorkload('app.ping', 10, 'constant'), name: 'pings' },
      ],
    );
    const r = startWorld(spec, 5000);
    r.world.faults.apply(leak('app.ping', 4, 40));
    r.run(1050);
    // 20 answers by 1010 ms (10 of each endpoint): only the 10 pings leak.
    expect(ooms(r).map((o) => o.at)).toEqual([1010]);
    const r2 = startWorld(spec, 5000);
    r2.world.faults.apply(leak('app.ping', 4, 40));
    // Pings fail (an injected error): nothing is answered, nothing leaks.
    r2.world.faults.apply({
      name: 'errors',
      action: { kind: 'error', rate: 1 },
      target: { kind: 'service', service: 'app', endpoint: 'ping', instances: { kind: 'all' } },
    });
    r2.run(5000);
    expect(ooms(r2)).toEqual([]);
  });

  it('counts in-process calls on the caller instance (a module of a monolith)', () => {
    const spec = world(
      [
        service(
          'shop',
          [endpoint('page', constMs(5), [call('shop.reports')]), endpoint('reports', constMs(5))],
          { workers: 4 },
        ),
      ],
      [openWorkload('shop.page', 10, 'constant')],
    );
    const r = startWorld(spec, 5000);
    r.world.faults.apply(leak('shop.reports', 8, 40));
    r.run(5000);
    // The in-process reports call is answered at 110, 210, … ms: the 5th reaches 40 MB.
    expect(ooms(r)[0]?.at).toBe(510);
  });

  it('without a limit, takes the service resources.memoryMb; with neither, refuses', () => {
    const r = startWorld(oneInstance({ resources: { cores: 1, memoryMb: 40, costPerHour: 0 } }), 5000);
    r.world.faults.apply(leak('app', 4, null));
    r.run(1050);
    expect(ooms(r).map((o) => [o.at, o.limitMb])).toEqual([[1010, 40]]);
    const bare = startWorld(oneInstance(), 5000);
    expect(() => bare.world.faults.apply(leak('app', 4, null))).toThrow(/needs a limit/);
  });

  it('leaks on instances started later (a scale-out) too', () => {
    const r = startWorld(oneInstance(), 10_000);
    r.world.faults.apply(leak('app', 4, 40));
    r.world.faults.apply({
      name: 'scale',
      action: { kind: 'scale', replicas: 2 },
      target: { kind: 'service', service: 'app', endpoint: null, instances: { kind: 'all' } },
    });
    r.run(10_000);
    expect(new Set(ooms(r).map((o) => o.instance))).toEqual(new Set(['app#1', 'app#2']));
  });

  it('is deterministic: the same seed gives the same kills, another seed others', () => {
    const spec = world(
      [service('app', [endpoint('get', expMs(20))], { replicas: 3, workers: 4, startup: constMs(5000) })],
      [openWorkload('app.get', 30, 'poisson')],
    );
    const kills = (seed: number): string[] => {
      const r = startWorld(spec, 200_000, seed);
      r.world.faults.apply(leak('app', 2, 100));
      r.run(200_000);
      return ooms(r).map((o) => `${o.at} ${o.why}`);
    };
    const once = kills(7);
    expect(once.length).toBeGreaterThan(6);
    expect(kills(7)).toEqual(once);
    expect(kills(8)).not.toEqual(once);
  });

  it('shows each kill in the dashboard event log with its reason, once', () => {
    let dash: DashboardObserver | undefined;
    const r = startWorld(oneInstance(), 20_000, 1, (bus) => {
      dash = createDashboardObserver(bus, { depths: new Map([['app', 0]]), edges: [], workloads: ['users'] });
    });
    r.world.faults.apply(leak('app', 4, 40));
    r.run(20_000);
    const rest = { selected: null } as unknown as Parameters<DashboardObserver['snapshot']>[2];
    const events = dash!.snapshot(20_000, { services: [], queues: [] }, rest).events;
    expect(events.filter((e) => e.kind === 'instance').map((e) => `${e.at} ${e.text}`)).toEqual([
      '1010 app#1 out of memory: 40 MB leaked (limit 40 MB), restarting at once',
      '2010 app#1 out of memory again (2 kills in a row): 40 MB leaked (limit 40 MB), restarting in 10 s (CrashLoopBackOff)',
      '13010 app#1 out of memory again (3 kills in a row): 40 MB leaked (limit 40 MB), restarting in 20 s (CrashLoopBackOff)',
    ]);
  });
});
