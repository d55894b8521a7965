/**
 * The distribution families of the scenario format: their names (short and long), usage
 * examples, and constructors that check the parameters and build an engine {@link Distribution}.
 * Constructors throw `InvalidValue` whose path names the offending parameter.
 */
import { type Distribution, lognormalFromMedianP99, type MixtureComponent } from '../engine/distributions.ts';
import { didYouMean } from './did-you-mean.ts';
import { invalid } from './invalid-value.ts';

/** A family of distributions, by its long name. */
export type DistributionKind =
  | 'constant'
  | 'exponential'
  | 'uniform'
  | 'normal'
  | 'lognormal'
  | 'erlang'
  | 'gamma'
  | 'mixture'
  | 'empirical';

/** Every accepted name, short (string form) and long (object form); both work in both forms. */
const NAMES = new Map<string, DistributionKind>([
  ['const', 'constant'],
  ['constant', 'constant'],
  ['exp', 'exponential'],
  ['exponential', 'exponential'],
  ['uniform', 'uniform'],
  ['normal', 'normal'],
  ['lognormal', 'lognormal'],
  ['erlang', 'erlang'],
  ['gamma', 'gamma'],
  ['mix', 'mixture'],
  ['mixture', 'mixture'],
  ['empirical', 'empirical'],
]);

/** How each family is written as a string, for messages. */
export const USAGE: Readonly<Record<DistributionKind, string>> = {
  constant: 'const(20ms)',
  exponential: 'exp(100ms)',
  uniform: 'uniform(5ms, 15ms)',
  normal: 'normal(50ms, 10ms)',
  lognormal: 'lognormal(median 40ms, p99 400ms)',
  erlang: 'erlang(3, 30ms)',
  gamma: 'gamma(2.5, 30ms)',
  mixture: 'mix(90% 50ms, 10% 550ms)',
  empirical: 'empirical(10ms, 12ms, 50ms)',
};

/** Mixtures inside mixtures deeper than this are rejected (keeps parsing and sampling bounded). */
export const MAX_NESTING = 8;

/** The family called `name`; throws "unknown distribution" with a suggestion. */
export function kindFromName(name: string): DistributionKind {
  const kind = NAMES.get(name);
  if (kind !== undefined) return kind;
  const lower = NAMES.get(name.toLowerCase());
  const hint =
    lower !== undefined ? ` (did you mean "${name.toLowerCase()}"?)` : didYouMean(name, NAMES.keys());
  if (hint !== '') throw invalid(`unknown distribution "${name}"${hint}`);
  throw invalid(`unknown distribution "${name}"; known: ${[...new Set(NAMES.values())].join(', ')}`);
}

/** A fixed value (>= 0). */
export function makeConstant(value: number): Distribution {
  return { kind: 'constant', value };
}

/** Exponential with the given mean (> 0). */
export function makeExponential(mean: number): Distribution {
  if (!(mean > 0)) throw invalid('the mean of an exponential must be greater than 0', ['mean']);
  return { kind: 'exponential', mean };
}

/** Uniform on [min, max]. */
export function makeUniform(min: number, max: number): Distribution {
  if (min > max) throw invalid(`min must not exceed max (got min ${min}ms > max ${max}ms)`, ['max']);
  return { kind: 'uniform', min, max };
}

/** Normal truncated at zero by redrawing; `mean` and `sd` are of the untruncated normal. */
export function makeNormal(mean: number, sd: number): Distribution {
  return { kind: 'normal', mean, sd };
}

/** Lognormal from its median and 99th percentile (p99 > median > 0). */
export function makeLognormalMedianP99(median: number, p99: number): Distribution {
  if (!(median > 0)) throw invalid('the median of a lognormal must be greater than 0', ['median']);
  if (!(p99 > median))
    throw invalid(`p99 must be greater than the median (got ${p99}ms <= ${median}ms)`, ['p99']);
  return lognormalFromMedianP99(median, p99);
}

/** Lognormal from the natural-log parameters of the value in ms. */
export function makeLognormalMuSigma(mu: number, sigma: number): Distribution {
  if (!(sigma >= 0)) throw invalid('sigma must be >= 0', ['sigma']);
  if (!Number.isFinite(Math.exp(mu + sigma * 10)))
    throw invalid('mu and sigma give values too large', ['mu']);
  return { kind: 'lognormal', mu, sigma };
}

/** Erlang-k (a sum of k exponentials) with the given mean: a gamma with integer shape. */
export function makeErlang(k: number, mean: number): Distribution {
  if (!Number.isInteger(k) || k < 1) throw invalid(`k must be an integer >= 1, got ${k}`, ['k']);
  if (!(mean > 0)) throw invalid('the mean must be greater than 0', ['mean']);
  return { kind: 'gamma', shape: k, mean };
}

/** Gamma with the given shape (> 0) and mean (> 0). */
export function makeGamma(shape: number, mean: number): Distribution {
  if (!(shape > 0)) throw invalid(`the shape must be greater than 0, got ${shape}`, ['shape']);
  if (!(mean > 0)) throw invalid('the mean must be greater than 0', ['mean']);
  return { kind: 'gamma', shape, mean };
}

/** Mixture with relative (positive) weights; the engine normalizes them. */
export function makeMixture(components: readonly MixtureComponent[]): Distribution {
  if (components.length === 0) throw invalid('a mixture needs at least one component', ['components']);
  const total = components.reduce((sum, c) => sum + c.weight, 0);
  if (!Number.isFinite(total)) throw invalid('the weights of the mixture are too large', ['components']);
  return { kind: 'mixture', components };
}

/** Each listed value equally likely. */
export function makeEmpirical(values: readonly number[]): Distribution {
  if (values.length === 0) throw invalid('an empirical distribution needs at least one value', ['values']);
  return { kind: 'empirical', values };
}
