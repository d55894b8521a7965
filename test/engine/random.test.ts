import { describe, expect, it } from 'vitest';
import { createRandomStreams, type RandomStream } from '../../src/engine/random.ts';

const take = (s: RandomStream, n: number): number[] => Array.from({ length: n }, () => s());

describe('named random streams', () => {
  it('same seed and name give the same sequence, across independent stream sets', () => {
    const a = createRandomStreams(42).stream('arrivals/web');
    const b = createRandomStreams(42).stream('arrivals/web');
    expect(take(a, 1000)).toEqual(take(b, 1000));
  });

  it('exposes the seed and returns the same stream object for the same name', () => {
    const streams = createRandomStreams(7);
    expect(streams.seed).toBe(7);
    const s = streams.stream('work/cart');
    s();
    expect(streams.stream('work/cart')).toBe(s);
  });

  it('the same name in one set continues the sequence rather than restarting it', () => {
    const streams = createRandomStreams(3);
    const first = take(streams.stream('network'), 5);
    const next = take(streams.stream('network'), 5);
    const reference = take(createRandomStreams(3).stream('network'), 10);
    expect([...first, ...next]).toEqual(reference);
  });

  it('different names give different sequences', () => {
    const streams = createRandomStreams(42);
    const names = ['arrivals/web', 'arrivals/api', 'work/cart', 'network', 'chaos', 'lb/cart'];
    const firsts = names.map((n) => take(streams.stream(n), 20));
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) expect(firsts[i]).not.toEqual(firsts[j]);
    }
    // Not merely shifted copies of one another either: no shared values at all in the first 20.
    const all = new Set(firsts.flat());
    expect(all.size).toBe(names.length * 20);
  });

  it('different seeds give different sequences for the same name', () => {
    const a = take(createRandomStreams(1).stream('network'), 20);
    const b = take(createRandomStreams(2).stream('network'), 20);
    expect(a).not.toEqual(b);
  });

  it('creating and drawing from other streams does not change an existing stream', () => {
    const alone = createRandomStreams(99);
    const expected = take(alone.stream('arrivals/web'), 200);

    const busy = createRandomStreams(99);
    const other = busy.stream('work/cart');
    take(other, 37);
    const web = busy.stream('arrivals/web');
    const got: number[] = [];
    for (let i = 0; i < 200; i++) {
      got.push(web());
      other(); // interleaved draws from another consumer
      if (i % 50 === 0) take(busy.stream(`new/${i}`), 3); // a consumer added mid-run
    }
    expect(got).toEqual(expected);
  });

  it('draws values in [0, 1)', () => {
    const s = createRandomStreams(5).stream('range');
    for (let i = 0; i < 200_000; i++) {
      const u = s();
      if (!(u >= 0 && u < 1)) expect.fail(`draw ${i} out of [0, 1): ${u}`);
    }
  });
});

describe('rough uniformity', () => {
  const N = 200_000;
  const BINS = 20;

  it('sample mean and variance match U(0,1) within 5 standard errors', () => {
    const s = createRandomStreams(2024).stream('uniformity');
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < N; i++) {
      const u = s();
      sum += u;
      sumSq += u * u;
    }
    const mean = sum / N;
    const variance = sumSq / N - mean * mean;
    // U(0,1): mean 1/2, variance 1/12. SE(mean) = sqrt(1/12 / N) ≈ 6.5e-4.
    // SE(variance) = sqrt((mu4 - sigma^4) / N) with mu4 = 1/80: sqrt((1/80 - 1/144) / N) ≈ 1.7e-4.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  it('each of 20 equal bins holds N/20 draws within 5 binomial standard deviations', () => {
    const s = createRandomStreams(2025).stream('bins');
    const counts = new Array<number>(BINS).fill(0);
    for (let i = 0; i < N; i++) counts[Math.floor(s() * BINS)]!++;
    const p = 1 / BINS;
    // A bin count is Binomial(N, p): sd = sqrt(N p (1 - p)) ≈ 97 for N = 200,000, p = 0.05.
    const sd = Math.sqrt(N * p * (1 - p));
    const worst = Math.max(...counts.map((c) => Math.abs(c - N * p)));
    expect(worst).toBeLessThan(5 * sd);
  });

  it('consecutive draws are uncorrelated (lag-1 correlation within 5 standard errors of 0)', () => {
    const s = createRandomStreams(11).stream('lag');
    let prev = s();
    let sxy = 0;
    for (let i = 0; i < N; i++) {
      const u = s();
      sxy += (prev - 0.5) * (u - 0.5);
      prev = u;
    }
    // For independent U(0,1), corr estimate has SE ≈ 1/sqrt(N) ≈ 2.2e-3.
    const corr = sxy / N / (1 / 12);
    expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(N));
  });
});
