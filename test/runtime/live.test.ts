/**
 * The live run behind the dashboard: pacing never changes what is simulated, keys act through
 * commands that a timeline replays exactly, stepping stops at the next notable event.
 */
import { describe, expect, it } from 'vitest';
import { createEventLog, type EventLog } from '../../src/observe/event-log.ts';
import { createLiveRun, type LiveRun, timelineEntries } from '../../src/runtime/live.ts';
import { mergeScenario, readScenarioData } from '../../src/runtime/run-scenario.ts';
import { createSession } from '../../src/runtime/session.ts';
import { loadScenario, resolveScenario } from '../../src/scenario/index.ts';
import type { ResolvedScenario } from '../../src/scenario/resolved.ts';

const FILE = 'scenarios/06-fault-tolerance/cascade-contained.yaml';

async function headlessLog(scenario: string | ResolvedScenario = FILE): Promise<string[]> {
  const s = typeof scenario === 'string' ? await loadScenario(scenario) : scenario;
  let log: EventLog | undefined;
  createSession(s, { attach: (bus) => (log = createEventLog(bus)) }).runToEnd();
  return log!.lines();
}

async function live(speed: number | 'max' = 1): Promise<{ run: LiveRun; log: () => string[] }> {
  let log: EventLog | undefined;
  const run = createLiveRun(await loadScenario(FILE), {
    lang: 'en',
    speed,
    // Nobody presses keys here: narration pauses must not hold the run.
    interactive: false,
    attach: (bus) => (log = createEventLog(bus)),
  });
  return { run, log: () => log!.lines() };
}

/** Ticks of `wallMs` until the run ends, with `between` called before each tick. */
function drive(run: LiveRun, wallMs: number, between: (tick: number) => void = () => {}): void {
  for (let tick = 0; !run.ended; tick++) {
    between(tick);
    run.tick(wallMs);
    if (tick > 1_000_000) throw new Error('the run does not end');
  }
}

describe('pacing', () => {
  it('a run paced in uneven slices, paused and resumed, logs exactly what a headless run logs', async () => {
    const { run, log } = await live(50);
    drive(run, 37, (tick) => {
      if (tick === 10) run.togglePause();
      if (tick === 12) run.togglePause();
      if (tick === 20) run.faster();
      if (tick === 30) run.toggleMax();
    });
    run.finish();
    expect(log()).toEqual(await headlessLog());
  });

  it('at speed ×1, a tick of 250 ms of wall time moves the simulation 250 ms; ×10 moves it 2.5 s', async () => {
    const { run } = await live(1);
    // A generous work budget: this is about the pace, not about how fast this machine is.
    run.tick(250, 60_000);
    expect(run.session.engine.now).toBe(250);
    run.faster(); // 2
    run.faster(); // 5
    run.faster(); // 10
    expect(run.speed).toBe(10);
    run.tick(250, 60_000);
    expect(run.session.engine.now).toBe(2750);
    run.togglePause();
    run.tick(1000);
    expect(run.session.engine.now).toBe(2750);
    expect(run.snapshot().pacing).toEqual({ speed: 10, state: 'paused' });
  });

  it('speeds stop at ×0.1 and ×1000', async () => {
    const { run } = await live(1);
    for (let i = 0; i < 20; i++) run.slower();
    expect(run.speed).toBe(0.1);
    for (let i = 0; i < 20; i++) run.faster();
    expect(run.speed).toBe(1000);
  });

  it('step runs to the next notable event and pauses there', async () => {
    const { run } = await live(1);
    run.step();
    while (run.state === 'running') run.tick(100);
    expect(run.state).toBe('paused');
    // cascade-contained: the first notable event is the hang of payments at 60 s.
    expect(run.session.engine.now).toBe(60_000);
    const events = run.snapshot().events;
    expect(events.at(-1)).toMatchObject({ at: 60_000, kind: 'fault' });
    run.step();
    // (`state` is read through a getter: the tick changes it.)
    while ((run.state as string) === 'running') run.tick(100);
    expect(run.snapshot().events.at(-1)!.kind).toBe('breaker');
  });
});

describe('keys act through commands that a timeline replays exactly', () => {
  it('kill, latency, errors, scaling and restore, replayed from the saved timeline, give the same event log', async () => {
    const { run, log } = await live(20);
    drive(run, 100, (tick) => {
      if (tick === 5) {
        run.select(2); // web, catalog, checkout
        expect(run.selected).toBe('checkout');
        run.act('kill');
      }
      if (tick === 8) run.act('latency');
      if (tick === 20) run.act('restore');
      if (tick === 25) {
        run.select(1);
        run.act('errors');
        run.act('scaleUp');
      }
      if (tick === 40) run.act('restore');
      if (tick === 45) run.act('scaleDown');
    });
    run.finish();
    expect(run.commands.map((c) => c.action.kind)).toEqual(['kill', 'latency', 'error', 'scale', 'scale']);
    const chaos = timelineEntries(run.commands);
    expect(chaos[0]).toMatchObject({ kill: 'checkout', instances: 1 });
    expect(chaos[0]!.for).toBeDefined();
    const data = (await readScenarioData(FILE)) as { chaos: unknown[] };
    const replay = resolveScenario(mergeScenario(data, { chaos: [...data.chaos, ...chaos] }), 'replay.yaml');
    expect(await headlessLog(replay)).toEqual(log());
  });

  it('acting without a selected service, or after the end, says why', async () => {
    const { run } = await live('max');
    drive(run, 100);
    run.select(1);
    expect(run.act('kill')).toBe('the run is over');
  });
});

describe('the snapshot', () => {
  it('shows services by depth with their instances, breakers on edges and the workloads', async () => {
    const { run } = await live(1);
    // A frame counts for at most 250 ms of wall time: 280 of them at ×1 make 70 s.
    for (let i = 0; i < 280; i++) run.tick(250);
    expect(run.session.engine.now).toBe(70_000);
    const s = run.snapshot();
    expect(s.services.map((x) => [x.name, x.depth])).toEqual([
      ['web', 1],
      ['catalog', 2],
      ['checkout', 2],
      ['payments', 3],
    ]);
    expect(s.selected).toBe('web');
    expect(s.chart!.series.map((x) => x.key)).toEqual(['throughput', 'errors', 'p99', 'replicas']);
    expect(s.chart!.series[0]!.points).toHaveLength(60);
    // Points are seconds 11–70; the hang began in second 60 and lasts to now.
    expect(s.chart!.faultWindows).toEqual([{ name: 'payments-hang', from: 49, to: 59 }]);
    expect(s.services[0]!.instances).toEqual([
      { id: 'web#1', state: 'ready' },
      { id: 'web#2', state: 'ready' },
    ]);
    expect(s.services.find((x) => x.name === 'payments')!.instances.every((i) => i.state === 'hung')).toBe(
      true,
    );
    expect(s.edges.find((e) => e.from === 'checkout' && e.to === 'payments')!.breaker).toBe('open');
    expect(s.workloads.map((w) => w.name)).toEqual(['browsers', 'buyers']);
    expect(s.workloads[0]!.throughput).toBeGreaterThan(140);
    expect(s.workloads[0]!.throughput).toBeLessThan(180);
    expect(s.faults.map((f) => f.name)).toEqual(['payments-hang']);
  });
});

describe('narration', () => {
  it('captions follow the timeline in the chosen language, and a pause waits for a key', async () => {
    const run = createLiveRun(await loadScenario('scenarios/default.yaml'), { lang: 'es', speed: 1 });
    run.tick(100);
    expect(run.snapshot().caption).toMatchObject({ at: 0, waitingForKey: false });
    expect(run.snapshot().caption!.text).toMatch(/^Una pequeña tienda/);
    run.toggleMax();
    while (run.state === 'running') run.tick(100);
    expect(run.state).toBe('narration');
    expect(run.session.engine.now).toBe(60_000);
    const s = run.snapshot();
    expect(s.caption).toMatchObject({ at: 60_000, waitingForKey: true });
    expect(s.caption!.text).toMatch(/^Te toca/);
    expect(s.events.filter((e) => e.kind === 'narration').map((e) => e.at)).toEqual([0, 20_000, 60_000]);
    // Waiting: time does not move until the key.
    run.tick(1000);
    expect(run.session.engine.now).toBe(60_000);
    run.continueNarration();
    expect(run.snapshot().caption!.waitingForKey).toBe(false);
    run.tick(100);
    expect(run.session.engine.now).toBeGreaterThan(60_000);
  });

  it('without a keyboard, a narration that would wait does not', async () => {
    const run = createLiveRun(await loadScenario('scenarios/default.yaml'), {
      lang: 'en',
      speed: 'max',
      interactive: false,
    });
    while (!run.ended) run.tick(100);
    expect(run.snapshot().caption).toMatchObject({ at: 60_000, waitingForKey: false });
  });

  it('a headless run ignores the narration: the same event log with or without it', async () => {
    const withNarration = await loadScenario('scenarios/default.yaml');
    const { narration: _, ...without } = withNarration;
    expect(await headlessLog(withNarration)).toEqual(await headlessLog(without));
  });
});

describe('fixes from review', () => {
  it('a live run gives the same results document as a headless one (watching changes nothing)', async () => {
    for (const file of [
      'scenarios/scaling/spike-autoscaled.yaml',
      'scenarios/04-communication/notify-async.yaml',
    ]) {
      const scenario = { ...(await loadScenario(file)), durationMs: 300_000 };
      const live = createLiveRun(scenario, { lang: 'en', speed: 'max', interactive: false });
      while (!live.ended) {
        live.tick(100, 5);
        live.snapshot();
      }
      const a = live.finish();
      const b = createSession(scenario).runToEnd();
      const strip = (r: typeof a) => JSON.stringify({ ...r, run: { ...r.run, wallTimeMs: 0 } });
      expect(strip(a), file).toBe(strip(b));
    }
  });

  it('a speed the machine cannot keep up with stays within the frame budget and says so', async () => {
    const run = createLiveRun(await loadScenario('bench/scenarios/shop-11.yaml'), {
      lang: 'en',
      speed: 1000,
    });
    const started = performance.now();
    run.tick(100, 30);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(run.session.engine.now).toBeLessThan(100_000);
    expect(run.snapshot().status).toMatch(/^this machine keeps up with ×/);
  });

  it('keys pressed while paused add up: two scale-ups ask for +1 then +2', async () => {
    const { run } = await live(1);
    run.togglePause();
    run.select(1); // catalog (2 replicas)
    run.act('scaleUp');
    run.act('scaleUp');
    run.act('scaleDown');
    expect(run.commands.map((c) => (c.action.kind === 'scale' ? c.action.replicas : null))).toEqual([
      3, 4, 3,
    ]);
  });

  it('a broker is not scaled by keys', async () => {
    const run = createLiveRun(await loadScenario('scenarios/04-communication/notify-async.yaml'), {
      lang: 'en',
      speed: 1,
    });
    while (run.selected !== 'mq') run.select(1);
    expect(run.act('scaleUp')).toBe('mq is a broker: brokers are not scaled');
    expect(run.commands).toEqual([]);
  });

  it('restore and a new fault in the same millisecond replay in the same order', async () => {
    const { run, log } = await live(20);
    drive(run, 100, (tick) => {
      if (tick === 5) {
        run.select(2);
        run.act('kill');
      }
      if (tick === 10) {
        run.togglePause();
        run.act('restore');
        run.act('kill');
        run.togglePause();
      }
    });
    run.finish();
    const data = (await readScenarioData(FILE)) as { chaos: unknown[] };
    const chaos = [...data.chaos, ...timelineEntries(run.commands)];
    const replay = resolveScenario(mergeScenario(data, { chaos }), 'replay.yaml');
    expect(await headlessLog(replay)).toEqual(log());
  });
});

describe('a workload named like a service', () => {
  it('is its own subject: its charts are the workload’s, and keys do not act on the service', async () => {
    // bench/scenarios/shop-11.yaml has a service and a workload both named `users`.
    const run = createLiveRun(await loadScenario('bench/scenarios/shop-11.yaml'), { lang: 'en', speed: 1 });
    const names: string[] = [];
    for (let i = 0; i < 20; i++) {
      names.push(run.selected!);
      run.select(1);
    }
    expect(names.filter((n) => n === 'users').length).toBe(2);
    while (run.selected !== 'users') run.select(1);
    expect(run.snapshot().chart!.kind).toBe('service');
    run.select(1);
    while (run.selected !== 'users') run.select(1);
    expect(run.snapshot().chart!.kind).toBe('workload');
    expect(run.act('kill')).toBe('select a service first (tab)');
  });
});

describe('versions', () => {
  it('during a canary the service shows its mix of versions', async () => {
    const run = createLiveRun(await loadScenario('scenarios/07-evolution/canary-rollback.yaml'), {
      lang: 'en',
      speed: 'max',
      interactive: false,
    });
    const seen = new Set<string>();
    while (!run.ended) {
      run.tick(100, 5);
      const v = run.snapshot().services.find((s) => s.name === 'checkout')!.version;
      if (v !== null) seen.add(v);
    }
    expect([...seen].some((v) => /^v1×\d+ v2×\d+$/.test(v))).toBe(true);
    expect(seen.has('v1')).toBe(true);
  });
});
