/** The closed-form helpers against textbook values, so a wrong formula cannot validate the simulator. */
import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  hypoexponentialQuantile,
  jacksonTraffic,
  mm1,
  mmc,
  mmck,
  mvaSingleServer,
  pollaczekKhinchine,
  secondMoment,
} from './theory.ts';

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

  it('M/M/c/K: c = 1 gives the truncated geometric; K large tends to M/M/c', () => {
    const small = mmck(5, 10, 1, 2); // p ∝ 1, 1/2, 1/4
    expect(small.blocking).toBeCloseTo(1 / 7, 12);
    expect(mmck(24, 10, 3, 400).Wq).toBeCloseTo(mmc(24, 10, 3).Wq, 9);
  });

  it('Pollaczek–Khinchine with exponential work (E[S²] = 2/μ²) is M/M/1', () => {
    expect(pollaczekKhinchine(8, 0.1, secondMoment.exponential(0.1)).Wq).toBeCloseTo(mm1(8, 10).Wq, 12);
    expect(secondMoment.lognormal(Math.log(0.1), 0)).toBeCloseTo(0.01, 12);
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

  it('hypoexponential quantile: close to the exponential one when a rate is huge', () => {
    expect(hypoexponentialQuantile(2, 1e6, 0.99)).toBeCloseTo(Math.log(100) / 2, 5);
  });

  it('MVA with one user: R = S, X = 1/(S + Z)', () => {
    const one = mvaSingleServer(1, 0.1, 1);
    expect(one.R).toBeCloseTo(0.1, 12);
    expect(one.X).toBeCloseTo(1 / 1.1, 12);
  });
});
