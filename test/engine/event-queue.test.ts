import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, type ScheduledEvent } from '../../src/engine/event-queue.ts';

const noop = (): void => {};

/** Pops everything, returning the `arg` of each event in pop order. */
function drain(q: EventQueue): unknown[] {
  const out: unknown[] = [];
  for (let ev = q.pop(); ev !== undefined; ev = q.pop()) out.push(ev.arg);
  return out;
}

describe('EventQueue ordering', () => {
  it('pops by time first, whatever the insertion order', () => {
    const q = new EventQueue();
    q.push(30, 0, noop, 'c');
    q.push(10, 0, noop, 'a');
    q.push(20, 0, noop, 'b');
    q.push(5, 0, noop, 'first');
    expect(drain(q)).toEqual(['first', 'a', 'b', 'c']);
  });

  it('at equal times, lower priority pops first', () => {
    const q = new EventQueue();
    q.push(10, 5, noop, 'p5');
    q.push(10, -1, noop, 'p-1');
    q.push(10, 0, noop, 'p0');
    q.push(9, 100, noop, 'earlier');
    expect(drain(q)).toEqual(['earlier', 'p-1', 'p0', 'p5']);
  });

  it('equal (time, priority) events pop first-scheduled-first', () => {
    const q = new EventQueue();
    const names = ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9'];
    for (const n of names) q.push(7, 1, noop, n);
    expect(drain(q)).toEqual(names);
  });

  it('keeps FIFO among ties even when interleaved with other keys', () => {
    const q = new EventQueue();
    for (let i = 0; i < 20; i++) q.push(i % 2 === 0 ? 1 : 2, 0, noop, i);
    expect(drain(q)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it('assigns increasing insertion sequence numbers', () => {
    const q = new EventQueue();
    const a = q.push(1, 0, noop, 'a');
    const b = q.push(0, 0, noop, 'b');
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(a.at).toBe(1);
    expect(a.priority).toBe(0);
  });

  it('returns undefined from peek and pop when empty', () => {
    const q = new EventQueue();
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
    expect(q.size).toBe(0);
  });

  it('peek returns the same event pop then removes', () => {
    const q = new EventQueue();
    q.push(2, 0, noop, 'later');
    const first = q.push(1, 0, noop, 'first');
    expect(q.peek()).toBe(first);
    expect(q.size).toBe(2);
    expect(q.pop()).toBe(first);
    expect(q.size).toBe(1);
  });
});

describe('EventQueue cancellation', () => {
  it('cancel returns true once, then false on a second cancel', () => {
    const q = new EventQueue();
    const ev = q.push(1, 0, noop, 'x');
    expect(q.cancel(ev)).toBe(true);
    expect(q.cancel(ev)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('cancel returns false for an event that already popped, and size is unchanged', () => {
    const q = new EventQueue();
    const ev = q.push(1, 0, noop, 'x');
    q.push(2, 0, noop, 'y');
    expect(q.pop()).toBe(ev);
    expect(q.cancel(ev)).toBe(false);
    expect(q.size).toBe(1);
    expect(drain(q)).toEqual(['y']);
  });

  it('size counts live events only', () => {
    const q = new EventQueue();
    const evs = [3, 1, 4, 1, 5, 9, 2, 6].map((t, i) => q.push(t, 0, noop, i));
    expect(q.size).toBe(8);
    q.cancel(evs[0]!);
    q.cancel(evs[5]!);
    expect(q.size).toBe(6);
    q.pop();
    expect(q.size).toBe(5);
  });

  it('peek and pop skip cancelled events at the top', () => {
    const q = new EventQueue();
    const a = q.push(1, 0, noop, 'a');
    const b = q.push(2, 0, noop, 'b');
    q.push(3, 0, noop, 'c');
    q.cancel(a);
    q.cancel(b);
    expect(q.peek()?.arg).toBe('c');
    expect(q.size).toBe(1);
    expect(q.pop()?.arg).toBe('c');
    expect(q.pop()).toBeUndefined();
    expect(q.size).toBe(0);
  });

  it('a cancelled event that was dropped from the top cannot be cancelled again', () => {
    const q = new EventQueue();
    const a = q.push(1, 0, noop, 'a');
    q.push(2, 0, noop, 'b');
    q.cancel(a);
    q.peek(); // drops `a`
    expect(q.cancel(a)).toBe(false);
    expect(q.size).toBe(1);
  });

  it('cancelling everything leaves an empty queue', () => {
    const q = new EventQueue();
    const evs = [5, 4, 3].map((t) => q.push(t, 0, noop, t));
    for (const ev of evs) expect(q.cancel(ev)).toBe(true);
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });
});

describe('EventQueue property: pop order equals a stable sort by (time, priority)', () => {
  type Op =
    | { kind: 'push'; at: number; priority: number }
    | { kind: 'cancel'; pick: number }
    | { kind: 'pop' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('push' as const),
        at: fc.integer({ min: 0, max: 20 }), // small range: many ties
        priority: fc.integer({ min: -2, max: 2 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
  );

  it('matches a sorted reference list under pushes, cancels and pops', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const q = new EventQueue();
        // Reference: live events kept sorted by (at, priority, insertion id); `id` is the arg.
        let ref: Array<{ at: number; priority: number; id: number }> = [];
        const handles: ScheduledEvent[] = [];
        const liveIds = new Set<number>();
        const cmp = (x: (typeof ref)[number], y: (typeof ref)[number]): number =>
          x.at - y.at || x.priority - y.priority || x.id - y.id;
        for (const o of ops) {
          if (o.kind === 'push') {
            const id = handles.length;
            handles.push(q.push(o.at, o.priority, noop, id));
            ref.push({ at: o.at, priority: o.priority, id });
            ref.sort(cmp);
            liveIds.add(id);
          } else if (o.kind === 'cancel') {
            if (handles.length === 0) continue;
            const id = o.pick % handles.length;
            const expected = liveIds.has(id);
            expect(q.cancel(handles[id]!)).toBe(expected);
            liveIds.delete(id);
            ref = ref.filter((e) => e.id !== id);
          } else {
            const expected = ref.shift();
            const got = q.pop();
            expect(got?.arg).toBe(expected?.id);
            if (expected !== undefined) liveIds.delete(expected.id);
          }
          expect(q.size).toBe(ref.length);
          expect(q.peek()?.arg).toBe(ref[0]?.id);
        }
        expect(drain(q)).toEqual(ref.map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });
});
