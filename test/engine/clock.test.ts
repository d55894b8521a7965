import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ActorOptions, type AnyActorLogic, assign, createActor, createMachine } from 'xstate';
import { createEngine, type Engine } from '../../src/engine/engine.ts';

type XClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/** idle --go--> waiting --after 1000--> done; `cancel` leaves waiting before the timer. */
const machine = createMachine({
  id: 'timer',
  initial: 'idle',
  context: { enteredDoneAt: -1 },
  states: {
    idle: { on: { go: 'waiting' } },
    waiting: {
      after: { 1000: 'done' },
      on: { cancel: 'idle' },
    },
    done: {},
  },
});

/** A machine whose delayed transition records the simulated time at which it ran. */
function makeTimedActor(engine: Engine) {
  const m = createMachine({
    initial: 'waiting',
    context: { firedAt: -1 },
    states: {
      waiting: {
        after: {
          1000: { target: 'done', actions: assign({ firedAt: () => engine.now }) },
        },
      },
      done: {},
    },
  });
  return createActor(m, { clock: engine.clock as XClock });
}

describe('engine.clock drives xstate `after` timers on simulated time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('transitions at t = 1000 only when the engine runs to it', () => {
    const engine = createEngine();
    const actor = createActor(machine, { clock: engine.clock as XClock });
    actor.start();
    actor.send({ type: 'go' });
    expect(actor.getSnapshot().value).toBe('waiting');
    expect(engine.pending).toBe(1);

    engine.runUntil(999);
    expect(actor.getSnapshot().value).toBe('waiting');
    engine.runUntil(1000);
    expect(actor.getSnapshot().value).toBe('done');
    expect(engine.now).toBe(1000);
    expect(engine.pending).toBe(0);
    actor.stop();
  });

  it('records the simulated time of the delayed transition', () => {
    const engine = createEngine();
    const actor = makeTimedActor(engine);
    engine.runUntil(250); // start the actor at t = 250: its timer is due at 1250
    actor.start();
    engine.run();
    expect(actor.getSnapshot().value).toBe('done');
    expect(actor.getSnapshot().context.firedAt).toBe(1250);
    actor.stop();
  });

  it('never fires from wall time, even when far more than 1000 ms of wall time pass', () => {
    vi.useFakeTimers();
    const engine = createEngine();
    const actor = createActor(machine, { clock: engine.clock as XClock });
    actor.start();
    actor.send({ type: 'go' });
    vi.advanceTimersByTime(10_000); // wall-clock timers: must not matter
    expect(vi.getTimerCount()).toBe(0);
    expect(actor.getSnapshot().value).toBe('waiting');
    expect(engine.now).toBe(0);
    engine.run();
    expect(actor.getSnapshot().value).toBe('done');
    expect(engine.now).toBe(1000);
    actor.stop();
  });

  it('leaving the state before the timer cancels it through clearTimeout', () => {
    const engine = createEngine();
    const clearSpy = vi.spyOn(engine.clock, 'clearTimeout');
    const actor = createActor(machine, { clock: engine.clock as XClock });
    actor.start();
    actor.send({ type: 'go' });
    engine.runUntil(600);
    actor.send({ type: 'cancel' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(clearSpy).toHaveBeenCalledTimes(1);
    expect(engine.pending).toBe(0);

    engine.runUntil(5000);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(engine.eventsFired).toBe(0);
    actor.stop();
  });

  it('re-entering the state restarts the timer from the new entry time', () => {
    const engine = createEngine();
    const actor = createActor(machine, { clock: engine.clock as XClock });
    actor.start();
    actor.send({ type: 'go' }); // due at 1000
    engine.runUntil(600);
    actor.send({ type: 'cancel' }); // cancelled
    actor.send({ type: 'go' }); // due at 1600
    engine.runUntil(1599);
    expect(actor.getSnapshot().value).toBe('waiting');
    engine.runUntil(1600);
    expect(actor.getSnapshot().value).toBe('done');
    actor.stop();
  });

  it('a negative or zero timeout fires at the current simulated time', () => {
    const engine = createEngine();
    engine.runUntil(42);
    const seen: number[] = [];
    engine.clock.setTimeout(() => seen.push(engine.now), -5);
    engine.clock.setTimeout(() => seen.push(engine.now), 0);
    engine.run();
    expect(seen).toEqual([42, 42]);
  });
});
