import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/engine/deque.ts';

describe('Deque', () => {
  it('behaves like an array under push, unshift and shift, across wrap-around and growth', () => {
    fc.assert(
      // size 'max': fast-check's default size would keep arrays under 16 ops, below the first growth.
      fc.property(
        fc.array(fc.constantFrom('push', 'unshift', 'shift'), { maxLength: 300, size: 'max' }),
        (ops) => {
          const d = new Deque<number>();
          const model: number[] = [];
          ops.forEach((op, i) => {
            if (op === 'push') {
              d.push(i);
              model.push(i);
            } else if (op === 'unshift') {
              d.unshift(i);
              model.unshift(i);
            } else expect(d.shift()).toBe(model.shift());
            expect(d.length).toBe(model.length);
            expect(d.peek()).toBe(model[0]);
          });
          expect(d.drain()).toEqual(model);
          expect(d.length).toBe(0);
        },
      ),
    );
  });

  it('grows while wrapped around, keeping the order', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 10; i++) d.push(i);
    for (let i = 0; i < 10; i++) d.shift();
    // The head is now at slot 10 of 16: these pushes wrap, then pass the capacity twice.
    for (let i = 0; i < 40; i++) d.push(i);
    d.unshift(-1);
    expect(d.length).toBe(41);
    expect(d.drain()).toEqual([-1, ...Array.from({ length: 40 }, (_, i) => i)]);
  });
});
