import { describe, expect, it } from 'vitest';
import { parseDuration, parseRate, parseRatio } from '../../src/scenario/index.ts';
import { scenarioErrorMessage } from './error-message.ts';

function messageOf(fn: () => unknown): string {
  return scenarioErrorMessage(() => fn());
}

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['5min', 300_000],
    ['2h', 7_200_000],
    ['500us', 0.5],
    ['100 ms', 100],
    ['.5s', 500],
    ['1e3ms', 1000],
    ['0', 0],
    [0, 0],
  ])('%s is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('rejects a bare number with a hint to add a unit', () => {
    expect(messageOf(() => parseDuration('250'))).toBe(
      'expected a duration such as "250ms", got "250" (durations need a unit, e.g. 250ms)',
    );
    expect(messageOf(() => parseDuration(100))).toContain('durations need a unit, e.g. 100ms');
  });

  it.each([
    ['-1s', 'cannot be negative'],
    ['3 sec', 'unknown unit "sec"'],
    ['10M', 'unknown unit "M" (did you mean "m"?)'],
    ['fast', 'starts with a number'],
    ['', 'starts with a number'],
    ['1e999s', 'too large'],
  ])('rejects %j (%s)', (input, detail) => {
    expect(messageOf(() => parseDuration(input))).toContain(detail);
  });
});

describe('parseRate', () => {
  it.each([
    ['8/s', 8],
    ['3000/min', 50],
    ['36/h', 0.01],
    ['2/ms', 2000],
    ['1.5 / s', 1.5],
    ['0', 0],
  ])('%s is %d per second', (input, perSec) => {
    expect(parseRate(input)).toBeCloseTo(perSec, 12);
  });

  it.each([
    ['8', 'rates need a unit, e.g. 8/s'],
    ['8/m', '"/m" is ambiguous'],
    ['8/sec', 'unknown unit "/sec"'],
    ['8 s', 'number per unit of time'],
    ['-1/s', 'cannot be negative'],
  ])('rejects %j (%s)', (input, detail) => {
    expect(messageOf(() => parseRate(input))).toContain(detail);
  });
});

describe('parseRatio', () => {
  it.each([
    ['80%', 0.8],
    ['0%', 0],
    ['100%', 1],
    [0.3, 0.3],
    ['0.25', 0.25],
    [1, 1],
  ])('%s is %d', (input, fraction) => {
    expect(parseRatio(input)).toBeCloseTo(fraction, 12);
  });

  it.each([
    [1.5, 'between 0% and 100%'],
    ['150%', 'between 0% and 100%'],
    [-0.1, 'between 0% and 100%'],
    ['most', 'plain number'],
  ])('rejects %j (%s)', (input, detail) => {
    expect(messageOf(() => parseRatio(input))).toContain(detail);
  });
});
