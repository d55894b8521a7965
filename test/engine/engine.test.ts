import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.ts';

/**
 * An engine plus a log of `"<time> <what>"` lines (SimPy-style): `note(what)` logs at the current
 * time, `at(delay, what)` schedules a logging event, `later(delay, fn)` schedules a callback.
 */
function setup() {
  const engine = createEngine();
  const log: string[] = [];
  const note = (what: string): void => {
    log.push(`${engine.now} ${what}`);
  };
  const at = (delay: number, what: string, priority?: number) => engine.schedule(delay, note, what, priority);
  const later = (delay: number, fn: () => void) => engine.schedule(delay, fn, undefined);
  return { engine, log, note, at, later };
}

describe('scheduling', () => {
  it('fires schedule() events after their delay, relative to now', () => {
    const { engine, log, note, at, later } = setup();
    at(5, 'b');
    at(2, 'a');
    later(3, () => {
      note('c');
      at(4, 'd'); // relative to now = 3
    });
    expect(engine.run()).toBe('empty');
    expect(log).toEqual(['2 a', '3 c', '5 b', '7 d']);
  });

  it('fires scheduleAt() events at absolute times, passing arg', () => {
    const { engine, log, note, later } = setup();
    engine.scheduleAt(10, note, 'x');
    engine.scheduleAt(0, note, 'now');
    later(4, () => engine.scheduleAt(6, note, 'absolute 6 from t=4'));
    engine.run();
    expect(log).toEqual(['0 now', '6 absolute 6 from t=4', '10 x']);
  });

  it('orders equal times by priority, then by scheduling order', () => {
    const { engine, log, at } = setup();
    at(1, 'p0-first');
    at(1, 'p1', 1);
    at(1, 'p-1', -1);
    at(1, 'p0-second');
    engine.run();
    expect(log).toEqual(['1 p-1', '1 p0-first', '1 p0-second', '1 p1']);
  });

  it('a zero delay scheduled from an event runs at the same time, after events already queued there', () => {
    const { engine, log, at, later } = setup();
    later(1, () => at(0, 'child'));
    at(1, 'sibling');
    engine.run();
    expect(log).toEqual(['1 sibling', '1 child']);
  });

  it('throws RangeError for a negative or NaN delay', () => {
    const { engine, later } = setup();
    expect(() => later(-1, () => {})).toThrow(RangeError);
    expect(() => later(Number.NaN, () => {})).toThrow(RangeError);
    expect(engine.pending).toBe(0);
  });

  it('throws RangeError when scheduling in the past, also from inside an event', () => {
    const { engine, at, later } = setup();
    at(10, 'x');
    engine.run();
    expect(engine.now).toBe(10);
    expect(() => engine.scheduleAt(9.999, () => {}, undefined)).toThrow(RangeError);
    expect(() => engine.scheduleAt(Number.NaN, () => {}, undefined)).toThrow(RangeError);
    expect(() => engine.scheduleAt(10, () => {}, undefined)).not.toThrow();
    let thrown: unknown;
    later(5, () => {
      try {
        engine.scheduleAt(14, () => {}, undefined);
      } catch (e) {
        thrown = e;
      }
    });
    engine.run();
    expect(thrown).toBeInstanceOf(RangeError);
  });

  it('cancel() prevents firing and returns false once fired or already cancelled', () => {
    const { engine, log, at } = setup();
    const h1 = at(1, 'cancelled');
    const h2 = at(2, 'fired');
    expect(engine.cancel(h1)).toBe(true);
    expect(engine.cancel(h1)).toBe(false);
    engine.run();
    expect(engine.cancel(h2)).toBe(false);
    expect(log).toEqual(['2 fired']);
  });

  it('an event can cancel a later event at the same time', () => {
    const { engine, log, at, later } = setup();
    later(3, () => engine.cancel(victim));
    const victim = at(3, 'victim');
    at(3, 'survivor');
    engine.run();
    expect(log).toEqual(['3 survivor']);
  });
});

describe('runUntil', () => {
  it('is inclusive of events at exactly `until`, then sets now = until and leaves later events', () => {
    const { engine, log, at } = setup();
    at(3, 'a');
    at(10, 'at-until');
    at(10.5, 'after');
    expect(engine.runUntil(10)).toBe('until');
    expect(log).toEqual(['3 a', '10 at-until']);
    expect(engine.now).toBe(10);
    expect(engine.pending).toBe(1);
    engine.run();
    expect(log.at(-1)).toBe('10.5 after');
  });

  it('fires events scheduled at <= until by the events it fires, but not those after', () => {
    const { engine, log, at, later } = setup();
    later(4, () => {
      at(6, 'child@10');
      at(0, 'child@4');
      at(7, 'child@11');
    });
    engine.runUntil(10);
    expect(log).toEqual(['4 child@4', '10 child@10']);
    expect(engine.pending).toBe(1);
  });

  it('advances now to until even when no event is left', () => {
    const { engine, log, at } = setup();
    at(2, 'a');
    expect(engine.runUntil(50)).toBe('until');
    expect(engine.now).toBe(50);
    at(1, 'relative-to-50');
    engine.runUntil(100);
    expect(log).toEqual(['2 a', '51 relative-to-50']);
  });

  it('consecutive calls continue where the previous one stopped', () => {
    const { engine, log, at } = setup();
    for (const t of [1, 2, 3, 4, 5]) at(t, `t${t}`);
    engine.runUntil(2);
    engine.runUntil(2); // same time again: nothing new
    expect(log).toEqual(['1 t1', '2 t2']);
    engine.runUntil(4);
    expect(log).toEqual(['1 t1', '2 t2', '3 t3', '4 t4']);
  });

  it('throws RangeError when until is before now or NaN, firing nothing', () => {
    const { engine, log, at } = setup();
    engine.runUntil(5);
    at(1, 'a');
    expect(() => engine.runUntil(4)).toThrow(RangeError);
    expect(() => engine.runUntil(Number.NaN)).toThrow(RangeError);
    expect([engine.now, log]).toEqual([5, []]);
  });
});

describe('run, stop, budget, step', () => {
  it('run() fires until the queue is empty', () => {
    const { engine, log, note, at, later } = setup();
    let n = 0;
    const tick = (): void => {
      note(`tick${n}`);
      if (++n < 3) later(10, tick);
    };
    later(0, tick);
    at(15, 'mid');
    expect(engine.run()).toBe('empty');
    expect(log).toEqual(['0 tick0', '10 tick1', '15 mid', '20 tick2']);
    expect(engine.pending).toBe(0);
  });

  it('stop() inside an event makes run() return after that event, and a later run resumes', () => {
    const { engine, log, note, at, later } = setup();
    at(1, 'a');
    later(2, () => {
      note('stopper');
      engine.stop();
    });
    at(2, 'same-time-after-stop');
    at(3, 'c');
    expect(engine.run()).toBe('stopped');
    expect(log).toEqual(['1 a', '2 stopper']);
    expect(engine.now).toBe(2);
    expect(engine.run()).toBe('empty');
    expect(log).toEqual(['1 a', '2 stopper', '2 same-time-after-stop', '3 c']);
  });

  it('stop() inside runUntil returns "stopped" and keeps now at the stopping event', () => {
    const { engine, at, later } = setup();
    later(5, () => engine.stop());
    at(6, 'later');
    expect(engine.runUntil(100)).toBe('stopped');
    expect(engine.now).toBe(5);
    expect(engine.pending).toBe(1);
  });

  it('maxEvents returns "budget" after that many events, in run and runUntil', () => {
    const { engine, log, at } = setup();
    for (let i = 1; i <= 5; i++) at(i, `e${i}`);
    expect(engine.run(2)).toBe('budget');
    expect(log).toEqual(['1 e1', '2 e2']);
    expect(engine.now).toBe(2);
    expect(engine.runUntil(100, 2)).toBe('budget');
    expect(engine.now).toBe(4); // not advanced to 100
    expect(engine.runUntil(100, 2)).toBe('until');
    expect(engine.now).toBe(100);
    expect(log).toEqual(['1 e1', '2 e2', '3 e3', '4 e4', '5 e5']);
  });

  it('step() fires exactly one live event and advances now; false when empty', () => {
    const { engine, log, at } = setup();
    at(7, 'x');
    at(3, 'y');
    engine.cancel(at(5, 'cancelled'));
    expect(engine.step()).toBe(true);
    expect(log).toEqual(['3 y']);
    expect(engine.step()).toBe(true); // skips the cancelled event at 5
    expect(log).toEqual(['3 y', '7 x']);
    expect(engine.step()).toBe(false);
    expect(engine.now).toBe(7);
  });

  it('eventsFired counts fired events only; pending counts live ones', () => {
    const { engine, at } = setup();
    expect([engine.eventsFired, engine.pending]).toEqual([0, 0]);
    at(1, 'a');
    at(2, 'b');
    const h = at(3, 'c');
    expect(engine.pending).toBe(3);
    engine.cancel(h);
    expect(engine.pending).toBe(2);
    engine.step();
    expect([engine.eventsFired, engine.pending]).toEqual([1, 1]);
    engine.run();
    expect([engine.eventsFired, engine.pending]).toEqual([2, 0]);
  });
});
