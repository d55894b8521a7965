import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/engine/deque.ts';

describe('Deque', () => {
  it('behaves like an array under push, unshift and shift, across wrap-around and growth', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('push', 'unshift', 'shift'), { maxLength: 300 }), (ops) => {
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
      }),
    );
  });
});
