/**
 * Regressions found by review: each case once went wrong (slots over-granted, a crashed caller
 * still retrying, pattern state surviving a restart, hangs ignored or ended early, a draining
 * instance inflating the autoscaler's metric).
 */
import { runScenario } from 'microsim';
import { describe, expect, it } from 'vitest';

const text = { en: 'A regression case.', es: 'Un caso de regresión.' };

describe('review regressions', () => {
  it('a bulkhead never has more calls in flight than maxConcurrent, even when a grant goes stale', async () => {
    const arrivals: number[] = [];
    await runScenario(
      {
        name: 'bulkhead',
        description: text,
        duration: '3s',
        warmup: '0s',
        services: {
          c: {
            workers: 50,
            endpoints: { e: { work: '0ms', calls: ['t.e'] } },
            clients: {
              t: {
                timeout: '100ms',
                retry: { maxAttempts: 2, backoff: 'none' },
                bulkhead: { maxConcurrent: 1, maxWait: '10s' },
              },
            },
          },
          t: { workers: 50, endpoints: { e: { work: '500ms' } } },
        },
        workloads: { w: { rate: '10/s', arrivals: 'constant', entry: 'c.e' } },
      },
      { attach: (bus) => bus.on('hop.completed', (h) => h.service === 't' && arrivals.push(h.arrivedAt)) },
    );
    // Every attempt holds the single slot until its 100 ms timeout (the work takes 500 ms), so
    // attempts reach t at least 100 ms apart.
    arrivals.sort((a, b) => a - b);
    expect(arrivals.length).toBeGreaterThan(10);
    for (let i = 1; i < arrivals.length; i++)
      expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(100);
  });

  it('a crashed caller does not keep retrying from the dead process', async () => {
    const arrivals: number[] = [];
    await runScenario(
      {
        name: 'orphans',
        description: text,
        duration: '5s',
        warmup: '0s',
        network: { latency: '1ms' },
        services: {
          s: {
            workers: 50,
            endpoints: { e: { work: '1ms', calls: ['t.e'] } },
            clients: { t: { retry: { maxAttempts: 3, backoff: 'fixed(500ms)' } } },
          },
          t: { workers: 50, endpoints: { e: { work: '1ms' } } },
        },
        workloads: { w: { rate: '10/s', arrivals: 'constant', entry: 's.e' } },
        chaos: [
          { at: '1s', error: 't', rate: '100%' },
          { at: '1550ms', kill: 's' },
        ],
      },
      { attach: (bus) => bus.on('hop.completed', (h) => h.service === 't' && arrivals.push(h.arrivedAt)) },
    );
    expect(arrivals.filter((at) => at > 1550)).toEqual([]);
  });

  it('a restarted caller starts with a closed breaker (its pattern state died with the process)', async () => {
    const run = await runScenario({
      name: 'restart',
      description: text,
      duration: '10s',
      warmup: '0s',
      services: {
        s: {
          workers: 50,
          endpoints: { e: { work: '1ms', calls: ['t.e'] } },
          clients: { t: { breaker: { window: '10 calls', minimumCalls: 5, waitInOpen: '60s' } } },
        },
        t: { workers: 50, endpoints: { e: { work: '1ms' } } },
      },
      workloads: { w: { rate: '20/s', arrivals: 'constant', entry: 's.e' } },
      chaos: [
        { at: '1s', for: '1s', error: 't', rate: '100%' },
        { at: '3s', restart: 's' },
      ],
    });
    const breaker = run.breaker('s#1->t');
    expect(breaker.transitions.map((t) => t.to)).toEqual(['open']);
    // After the restart (start-up 0 s) every call goes through again.
    expect(run.edge('s', 't').rejections.circuit_open ?? 0).toBeLessThan(40);
  });

  it('a hang holds work on a processor-sharing service; overlapping hangs end with the last one', async () => {
    const done: number[] = [];
    await runScenario(
      {
        name: 'hangs',
        description: text,
        duration: '5s',
        warmup: '0s',
        services: { t: { discipline: 'ps', workers: 2, endpoints: { e: { work: '10ms' } } } },
        workloads: { w: { rate: '10/s', arrivals: 'constant', entry: 't.e' } },
        chaos: [
          { name: 'first', at: '1s', for: '1s', hang: 't' },
          { name: 'second', at: '1500ms', for: '2s', hang: 't' },
        ],
      },
      { attach: (bus) => bus.on('request.completed', (r) => done.push(r.at)) },
    );
    // Nothing completes from 1 s until the second hang ends at 3.5 s.
    expect(done.filter((at) => at > 1000 && at < 3500)).toEqual([]);
    expect(done.filter((at) => at >= 3500).length).toBeGreaterThan(20);
  });

  it("a draining instance's work does not count in the autoscaler's utilization", async () => {
    const decisions: [number, number][] = [];
    await runScenario(
      {
        name: 'drain',
        description: text,
        duration: '50s',
        warmup: '0s',
        services: {
          api: {
            replicas: 4,
            workers: 1,
            queue: 10,
            autoscale: { target: '80%', min: 1, max: 10, scaleDown: { stabilizationWindow: '0s' } },
            endpoints: { short: { work: '1ms' }, long: { work: '100s' } },
          },
        },
        // Two quick requests land on api#1 and api#2, two 100 s ones on api#3 and api#4 (round
        // robin); at 15 s the autoscaler scales in to 2, draining api#3 and api#4, still busy.
        workloads: {
          short: {
            rate: '1/s',
            arrivals: 'constant',
            entry: 'api.short',
            profile: [{ at: '2500ms', rate: '0/s' }],
          },
          long: {
            rate: '0.4/s',
            arrivals: 'constant',
            entry: 'api.long',
            profile: [{ at: '5500ms', rate: '0/s' }],
          },
        },
      },
      { attach: (bus) => bus.on('scale.decided', (d) => decisions.push([d.from, d.to])) },
    );
    expect(decisions[0]).toEqual([4, 2]);
    // The ready instances are idle from then on: the autoscaler only ever scales in.
    for (const [from, to] of decisions) expect(to).toBeLessThanOrEqual(from);
  });

  it('a restart fault does not bring back instances that were draining (scaled in)', async () => {
    const states: string[] = [];
    await runScenario(
      {
        name: 'restart-drain',
        description: text,
        duration: '50s',
        warmup: '0s',
        services: {
          api: {
            replicas: 4,
            workers: 1,
            queue: 10,
            autoscale: { target: '80%', min: 1, max: 10, scaleDown: { stabilizationWindow: '0s' } },
            endpoints: { short: { work: '1ms' }, long: { work: '100s' } },
          },
        },
        chaos: [{ at: '20s', restart: 'api' }],
        workloads: {
          short: {
            rate: '1/s',
            arrivals: 'constant',
            entry: 'api.short',
            profile: [{ at: '2500ms', rate: '0/s' }],
          },
          long: {
            rate: '0.4/s',
            arrivals: 'constant',
            entry: 'api.long',
            profile: [{ at: '5500ms', rate: '0/s' }],
          },
        },
      },
      { attach: (bus) => bus.on('instance.state', (i) => states.push(`${i.at} ${i.instance} ${i.state}`)) },
    );
    // api#3 and api#4 were draining at 20 s: they crash with the others but stay down.
    expect(states).toContain('20000 api#4 crashed');
    expect(states.filter((x) => /api#[34] starting/.test(x) && !x.startsWith('0 '))).toEqual([]);
    expect(states).toContain('20000 api#1 starting');
  });
});
