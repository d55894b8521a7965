import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.ts';

describe('engine.post (fire-and-forget, recycled events)', () => {
  it('fires posted and scheduled events in (time, priority, insertion) order', () => {
    const engine = createEngine();
    const log: string[] = [];
    const note = (what: string) => log.push(`${engine.now} ${what}`);
    engine.post(10, note, 'post a');
    engine.schedule(10, note, 'schedule b');
    engine.postAt(5, note, 'postAt c');
    engine.schedule(10, note, 'schedule d (priority -1)', -1);
    engine.run();
    expect(log).toEqual(['5 postAt c', '10 schedule d (priority -1)', '10 post a', '10 schedule b']);
  });

  it('reuses fired events without disturbing later ones', () => {
    const engine = createEngine();
    const log: number[] = [];
    // Each event posts two more: recycled objects are reused while others are still pending.
    const tick = (n: number): void => {
      log.push(engine.now);
      if (n < 200) {
        engine.post(1, tick, n + 1);
        engine.post(1.5, tock, n);
      }
    };
    const tock = (): void => {
      log.push(engine.now);
    };
    engine.post(0, tick, 0);
    engine.run();
    expect(log).toHaveLength(401);
    for (let i = 1; i < log.length; i++) expect(log[i]!).toBeGreaterThanOrEqual(log[i - 1]!);
    expect(engine.pending).toBe(0);
  });

  it('rejects negative or NaN delays and past times', () => {
    const engine = createEngine();
    expect(() => engine.post(-1, () => {}, undefined)).toThrow(RangeError);
    expect(() => engine.post(Number.NaN, () => {}, undefined)).toThrow(RangeError);
    engine.post(5, () => {}, undefined);
    engine.run();
    expect(() => engine.postAt(1, () => {}, undefined)).toThrow(RangeError);
  });
});
