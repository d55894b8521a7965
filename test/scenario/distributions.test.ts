import { describe, expect, it } from 'vitest';
import { type Distribution, lognormalFromMedianP99 } from '../../src/engine/distributions.ts';
import { parseDistribution, ScenarioError } from '../../src/scenario/index.ts';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseDistribution(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('distributions: string form', () => {
  it.each<[string | number, Distribution]>([
    ['20ms', { kind: 'constant', value: 20 }],
    [0, { kind: 'constant', value: 0 }],
    ['const(20ms)', { kind: 'constant', value: 20 }],
    ['exp(100ms)', { kind: 'exponential', mean: 100 }],
    [
      '90% 50ms / 10% exp(550ms)',
      {
        kind: 'mixture',
        components: [
          { weight: 0.9, dist: { kind: 'constant', value: 50 } },
          { weight: 0.1, dist: { kind: 'exponential', mean: 550 } },
        ],
      },
    ],
    ['exponential(1s)', { kind: 'exponential', mean: 1000 }],
    ['uniform(5ms, 15ms)', { kind: 'uniform', min: 5, max: 15 }],
    ['normal(50ms, 10ms)', { kind: 'normal', mean: 50, sd: 10 }],
    ['lognormal(mu 3.2, sigma 0.5)', { kind: 'lognormal', mu: 3.2, sigma: 0.5 }],
    ['lognormal(sigma 0.5, mu 3.2)', { kind: 'lognormal', mu: 3.2, sigma: 0.5 }],
    ['erlang(3, 30ms)', { kind: 'gamma', shape: 3, mean: 30 }],
    ['gamma(2.5, 30ms)', { kind: 'gamma', shape: 2.5, mean: 30 }],
    ['empirical(10ms, 12ms, 50ms)', { kind: 'empirical', values: [10, 12, 50] }],
    [
      'mix(90% 50ms, 10% 550ms)',
      {
        kind: 'mixture',
        components: [
          { weight: 0.9, dist: { kind: 'constant', value: 50 } },
          { weight: 0.1, dist: { kind: 'constant', value: 550 } },
        ],
      },
    ],
    [
      'mix(3 exp(50ms), 1 mix(1 1ms, 1 2ms))',
      {
        kind: 'mixture',
        components: [
          { weight: 3, dist: { kind: 'exponential', mean: 50 } },
          {
            weight: 1,
            dist: {
              kind: 'mixture',
              components: [
                { weight: 1, dist: { kind: 'constant', value: 1 } },
                { weight: 1, dist: { kind: 'constant', value: 2 } },
              ],
            },
          },
        ],
      },
    ],
  ])('%j', (input, expected) => {
    expect(parseDistribution(input)).toEqual(expected);
  });

  it('lognormal(median, p99) goes through lognormalFromMedianP99', () => {
    expect(parseDistribution('lognormal(median 40ms, p99 400ms)')).toEqual(lognormalFromMedianP99(40, 400));
  });

  it('a number inside needs a unit, and the message says so in full', () => {
    expect(issuesOf('exp(100)')).toEqual([
      {
        path: '',
        message:
          'expected a distribution such as "exp(100ms)", got "exp(100)" (durations need a unit, e.g. 100ms)',
      },
    ]);
  });

  it.each([
    ['expo(5ms)', 'unknown distribution "expo" (did you mean "exp"?)'],
    ['Normal(5ms, 1ms)', 'did you mean "normal"?'],
    ['weibull(1, 2ms)', 'unknown distribution "weibull"; known: constant, exponential'],
    ['exp', 'exp needs its parameters, e.g. exp(100ms)'],
    ['exp(1ms, 2ms)', 'exp takes 1 argument, e.g. exp(100ms); got 2'],
    ['exp(0ms)', 'must be greater than 0'],
    ['const(-1ms)', 'cannot be negative'],
    ['uniform(15ms, 5ms)', 'min must not exceed max'],
    ['uniform(5ms)', 'uniform takes 2 arguments'],
    ['normal(50ms, -1ms)', 'cannot be negative'],
    ['lognormal(40ms, 400ms)', 'lognormal takes named parameters'],
    ['lognormal(median 400ms, p99 40ms)', 'p99 must be greater than the median'],
    ['lognormal(median 0ms, p99 40ms)', 'median of a lognormal must be greater than 0'],
    ['lognormal(mu 3.2, sigma -1)', 'sigma must be >= 0'],
    ['lognormal(mu 3.2ms, sigma 1)', 'mu is a plain number without a unit'],
    ['erlang(2.5, 30ms)', 'k must be an integer >= 1'],
    ['erlang(0, 30ms)', 'k must be an integer >= 1'],
    ['gamma(0, 30ms)', 'the shape must be greater than 0'],
    ['gamma(2, 0ms)', 'the mean must be greater than 0'],
    ['mix(exp(5ms), 1ms)', 'each mix component is "weight distribution"'],
    ['mix(0% 5ms, 100% 1ms)', 'a weight is a positive number or percentage'],
    ['mix()', 'mix needs at least one component'],
    ['empirical()', 'empirical needs at least one value'],
    ['exp(1ms', 'expected the text to end with ")"'],
    ['exp(1ms))', 'unbalanced parentheses'],
    ['uniform(1ms', 'quote it'],
    [`${'mix(1 '.repeat(12)}1ms${')'.repeat(12)}`, 'nested too deeply'],
  ])('rejects %j: %s', (input, detail) => {
    const [issue] = issuesOf(input);
    expect(issue!.message).toContain(
      `got ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`,
    );
    expect(issue!.message).toContain(detail);
  });

  it('rejects values that are neither text nor a map', () => {
    expect(issuesOf([1, 2])[0]!.message).toContain('got a list');
    expect(issuesOf(true)[0]!.message).toContain('got true');
    expect(issuesOf(5)[0]!.message).toContain('durations need a unit, e.g. 5ms');
  });
});

describe('distributions: object form', () => {
  it.each<[Record<string, unknown>, Distribution]>([
    [
      { dist: 'constant', value: '20ms' },
      { kind: 'constant', value: 20 },
    ],
    [
      { dist: 'exponential', mean: '100ms' },
      { kind: 'exponential', mean: 100 },
    ],
    [
      { dist: 'uniform', min: '5ms', max: '15ms' },
      { kind: 'uniform', min: 5, max: 15 },
    ],
    [
      { dist: 'normal', mean: '50ms', sd: '10ms' },
      { kind: 'normal', mean: 50, sd: 10 },
    ],
    [
      { dist: 'lognormal', mu: 3.2, sigma: 0.5 },
      { kind: 'lognormal', mu: 3.2, sigma: 0.5 },
    ],
    [{ dist: 'lognormal', median: '40ms', p99: '400ms' }, lognormalFromMedianP99(40, 400)],
    [
      { dist: 'erlang', k: 3, mean: '30ms' },
      { kind: 'gamma', shape: 3, mean: 30 },
    ],
    [
      { dist: 'gamma', shape: 2.5, mean: '30ms' },
      { kind: 'gamma', shape: 2.5, mean: 30 },
    ],
    [
      { dist: 'empirical', values: ['10ms', '12ms'] },
      { kind: 'empirical', values: [10, 12] },
    ],
    [
      {
        dist: 'mixture',
        components: [
          { weight: '90%', dist: '50ms' },
          { weight: '10%', dist: 'exp(550ms)' },
        ],
      },
      {
        kind: 'mixture',
        components: [
          { weight: 0.9, dist: { kind: 'constant', value: 50 } },
          { weight: 0.1, dist: { kind: 'exponential', mean: 550 } },
        ],
      },
    ],
  ])('%j', (input, expected) => {
    expect(parseDistribution(input)).toEqual(expected);
  });

  it.each<[Record<string, unknown>, string, string]>([
    [{ mean: '1ms' }, 'dist', 'missing required key "dist"'],
    [{ dist: 'expo', mean: '1ms' }, 'dist', 'unknown distribution "expo" (did you mean "exp"?)'],
    [{ dist: 42 }, 'dist', 'expected a distribution name such as "exponential", got 42'],
    [{ dist: 'exponential', mean: '1ms', men: 1 }, 'men', 'unknown key "men" (did you mean "mean"?)'],
    [{ dist: 'exponential' }, 'mean', 'missing required key "mean"'],
    [{ dist: 'exponential', mean: 100 }, 'mean', 'durations need a unit, e.g. 100ms'],
    [{ dist: 'exponential', mean: '0ms' }, 'mean', 'must be greater than 0'],
    [{ dist: 'uniform', min: '5ms', max: '1ms' }, 'max', 'min must not exceed max'],
    [{ dist: 'lognormal', median: '4ms', p99: '40ms', mu: 1 }, 'mu', 'not both'],
    [{ dist: 'erlang', k: 'three', mean: '1ms' }, 'k', 'expected a number (no unit), got "three"'],
    [{ dist: 'empirical', values: [] }, 'values', 'at least one value'],
    [{ dist: 'empirical', values: '1ms' }, 'values', 'expected a list of durations'],
    [
      { dist: 'mixture', components: [{ weight: 0, dist: '1ms' }] },
      'components[0].weight',
      'positive weight',
    ],
    [{ dist: 'mixture', components: [{ weight: 1, dist: 'exp(1)' }] }, 'components[0].dist', 'need a unit'],
    [{ dist: 'mixture', components: [{ weight: 1 }] }, 'components[0].dist', 'missing required key "dist"'],
  ])('rejects %j at %s', (input, path, detail) => {
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)!.message).toContain(detail);
  });

  it('reports every problem of one object, not only the first', () => {
    const issues = issuesOf({ dist: 'normal', mean: 5, sd: 'x', extra: 1 });
    expect(issues.map((i) => i.path).sort()).toEqual(['extra', 'mean', 'sd']);
  });
});
