/** The closed-form helpers against textbook values, so a wrong formula cannot validate the simulator. */
import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  hypoexponentialQuantile,
  jacksonTraffic,
  md1,
  mg1,
  mg1ps,
  mm1,
  mmc,
  mmck,
  mmcSojournQuantile,
  mmcSojournTail,
  mmcWaitQuantile,
  mmcWaitTail,
  mvaSingleServer,
  pollaczekKhinchine,
  quantileOfTail,
  secondMoment,
} from '../../src/observe/theory.ts';

describe('closed forms', () => {
  it('Erlang B and C: B(2, 1) = 1/5, B(3, 2) = 4/19, C(2, 1) = 1/3', () => {
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
    expect(erlangB(3, 2)).toBeCloseTo(4 / 19, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('M/M/c with c = 1 is M/M/1', () => {
    const one = mmc(8, 10, 1);
    expect(one.waitProbability).toBeCloseTo(0.8, 12);
    expect(one.Wq).toBeCloseTo(mm1(8, 10).Wq, 12);
  });

  it('M/M/1: W = 0.5 s and p99 of the time in system ln(100)/(μ − λ) ≈ 2.303 s at λ = 8, μ = 10', () => {
    const q = mm1(8, 10);
    expect(q.W).toBeCloseTo(0.5, 12);
    expect(q.L).toBeCloseTo(4, 12);
    expect(q.sojournQuantile(0.99)).toBeCloseTo(Math.log(100) / 2, 12);
  });

  it('M/M/c waiting-time tail: P(W > 0) = C, decays at rate cμ − λ, and its quantile inverts it', () => {
    // M/M/3, λ = 24, μ = 10: C(3, 2.4) ≈ 0.6472 (Erlang C tables), cμ − λ = 6.
    expect(mmcWaitTail(24, 10, 3, 0)).toBeCloseTo(erlangC(3, 2.4), 12);
    expect(erlangC(3, 2.4)).toBeCloseTo(0.6472, 4);
    expect(mmcWaitTail(24, 10, 3, 0.5) / mmcWaitTail(24, 10, 3, 0)).toBeCloseTo(Math.exp(-3), 12);
    const p99 = mmcWaitQuantile(24, 10, 3, 0.99);
    expect(mmcWaitTail(24, 10, 3, p99)).toBeCloseTo(0.01, 12);
    // Fewer than 1 − q of the arrivals wait: the quantile is 0.
    expect(mmcWaitQuantile(1, 10, 3, 0.99)).toBe(0);
  });

  it('M/M/c time in system: with c = 1 it is exponential; its tail starts at 1 and falls', () => {
    for (const t of [0, 0.1, 1, 3]) {
      expect(mmcSojournTail(8, 10, 1, t)).toBeCloseTo(Math.exp(-2 * t), 12);
    }
    expect(mmcSojournQuantile(8, 10, 1, 0.99)).toBeCloseTo(mm1(8, 10).sojournQuantile(0.99), 9);
    expect(mmcSojournTail(24, 10, 3, 0)).toBeCloseTo(1, 12);
    // θ = cμ − λ equal to μ (c = 2, λ = 10, μ = 10): the (1 + μt)e^(−μt) branch, continuous in θ.
    expect(mmcSojournTail(10, 10, 2, 0.2)).toBeCloseTo(mmcSojournTail(10 - 1e-6, 10, 2, 0.2), 5);
    const p99 = mmcSojournQuantile(24, 10, 3, 0.99);
    expect(mmcSojournTail(24, 10, 3, p99)).toBeCloseTo(0.01, 9);
  });

  it('M/M/c/K: c = 1 gives the truncated geometric; K large tends to M/M/c', () => {
    const small = mmck(5, 10, 1, 2); // p ∝ 1, 1/2, 1/4
    expect(small.blocking).toBeCloseTo(1 / 7, 12);
    expect(small.waitProbability).toBeCloseTo(2 / 7, 12);
    expect(mmck(24, 10, 3, 400).Wq).toBeCloseTo(mmc(24, 10, 3).Wq, 9);
    expect(mmck(24, 10, 3, 400).waitProbability).toBeCloseTo(mmc(24, 10, 3).waitProbability, 9);
    // K = c is the Erlang loss system.
    expect(mmck(20, 10, 3, 3).blocking).toBeCloseTo(erlangB(3, 2), 12);
  });

  it('Pollaczek–Khinchine with exponential work (E[S²] = 2/μ²) is M/M/1; M/D/1 waits half as long', () => {
    expect(pollaczekKhinchine(8, 0.1, secondMoment.exponential(0.1)).Wq).toBeCloseTo(mm1(8, 10).Wq, 12);
    expect(mg1(8, 0.1, 0.01).Wq).toBeCloseTo(mm1(8, 10).Wq, 12);
    expect(md1(8, 0.1).Wq).toBeCloseTo(mm1(8, 10).Wq / 2, 12);
    expect(md1(8, 0.1).W).toBeCloseTo(0.3, 12);
    expect(secondMoment.lognormal(Math.log(0.1), 0)).toBeCloseTo(0.01, 12);
  });

  it('M/G/1-PS has the M/M/1 means whatever the work distribution', () => {
    expect(mg1ps(8, 0.1).W).toBeCloseTo(mm1(8, 10).W, 12);
    expect(mg1ps(8, 0.1).L).toBeCloseTo(mm1(8, 10).L, 12);
  });

  it('Jackson traffic equations: a tandem keeps λ; feedback with probability q gives λ/(1 − q)', () => {
    expect(
      jacksonTraffic(
        [3, 0],
        [
          [0, 1],
          [0, 0],
        ],
      ),
    ).toEqual([3, 3]);
    expect(jacksonTraffic([3], [[0.25]])[0]).toBeCloseTo(4, 12);
  });

  it('quantiles of tails: the exponential, and 0 when the tail starts below 1 − q', () => {
    expect(quantileOfTail((t) => Math.exp(-t), 0.5)).toBeCloseTo(Math.log(2), 12);
    expect(quantileOfTail((t) => 0.005 * Math.exp(-t), 0.99)).toBe(0);
    expect(hypoexponentialQuantile(2, 1e6, 0.99)).toBeCloseTo(Math.log(100) / 2, 5);
  });

  it('MVA with one user: R = S, X = 1/(S + Z)', () => {
    const one = mvaSingleServer(1, 0.1, 1);
    expect(one.R).toBeCloseTo(0.1, 12);
    expect(one.X).toBeCloseTo(1 / 1.1, 12);
  });
});
