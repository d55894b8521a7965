/**
 * Distributions in either form: a string (`exp(100ms)`, see distribution-text.ts) or a map
 * (`{dist: exponential, mean: 100ms}`). Values are durations resolved to ms.
 */
import type { Distribution, MixtureComponent } from '../engine/distributions.ts';
import {
  type DistributionKind,
  kindFromName,
  MAX_NESTING,
  makeConstant,
  makeEmpirical,
  makeErlang,
  makeExponential,
  makeGamma,
  makeLognormalMedianP99,
  makeLognormalMuSigma,
  makeMixture,
  makeNormal,
  makeUniform,
} from './distribution-kinds.ts';
import { distributionFromText } from './distribution-text.ts';
import { describeValue, InvalidValue, IssueCollector, invalid, isPlainObject } from './invalid-value.ts';
import { checkKnownKeys, expectList, expectMap, requiredValue } from './object-reader.ts';
import { durationMs, plainNumberFromText, publicParse, weightValue } from './units.ts';

const EXAMPLE = '"exp(100ms)"';

/** Parameters accepted by the object form, per family (besides `dist`). */
const OBJECT_KEYS: Readonly<Record<DistributionKind, readonly string[]>> = {
  constant: ['value'],
  exponential: ['mean'],
  uniform: ['min', 'max'],
  normal: ['mean', 'sd'],
  lognormal: ['median', 'p99', 'mu', 'sigma'],
  erlang: ['k', 'mean'],
  gamma: ['shape', 'mean'],
  mixture: ['components'],
  empirical: ['values'],
};

/** A plain number parameter (`k`, `shape`, `mu`, `sigma`). */
function numberParameter(raw: unknown, name: string): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string') {
    try {
      return plainNumberFromText(raw, name);
    } catch {
      // fall through to the common message
    }
  }
  throw invalid(`expected a number (no unit), got ${describeValue(raw)}`);
}

function mixtureComponents(raw: unknown, depth: number): MixtureComponent[] {
  const list = expectList(raw, 'a list of {weight, dist} components');
  const issues = new IssueCollector();
  const components = list.map((item, i) =>
    issues.attempt([i], () => {
      const map = expectMap(item, 'a component such as {weight: 90%, dist: exp(50ms)}');
      const inner = new IssueCollector();
      checkKnownKeys(map, ['weight', 'dist'], inner);
      const weight = inner.attempt(['weight'], () => weightValue(requiredValue(map, 'weight')));
      const dist = inner.attempt(['dist'], () => distributionValue(requiredValue(map, 'dist'), depth + 1));
      inner.throwIfAny();
      return { weight: weight!, dist: dist! };
    }),
  );
  issues.throwIfAny();
  return components as MixtureComponent[];
}

/** Reads the parameters of `kind` from `map` and builds the distribution. */
function fromParameters(kind: DistributionKind, map: Record<string, unknown>, depth: number): Distribution {
  const issues = new IssueCollector();
  const duration = (key: string) => issues.attempt([key], () => durationMs(requiredValue(map, key)));
  const number = (key: string) => issues.attempt([key], () => numberParameter(requiredValue(map, key), key));
  let build: (() => Distribution) | undefined;
  switch (kind) {
    case 'constant': {
      const value = duration('value');
      build = () => makeConstant(value!);
      break;
    }
    case 'exponential': {
      const mean = duration('mean');
      build = () => makeExponential(mean!);
      break;
    }
    case 'uniform': {
      const [min, max] = [duration('min'), duration('max')];
      build = () => makeUniform(min!, max!);
      break;
    }
    case 'normal': {
      const [mean, sd] = [duration('mean'), duration('sd')];
      build = () => makeNormal(mean!, sd!);
      break;
    }
    case 'lognormal': {
      if (Object.hasOwn(map, 'mu') || Object.hasOwn(map, 'sigma')) {
        if (Object.hasOwn(map, 'median') || Object.hasOwn(map, 'p99')) {
          issues.add('give either median and p99, or mu and sigma, not both', ['mu'], 'key');
        }
        const [mu, sigma] = [number('mu'), number('sigma')];
        build = () => makeLognormalMuSigma(mu!, sigma!);
      } else {
        const [median, p99] = [duration('median'), duration('p99')];
        build = () => makeLognormalMedianP99(median!, p99!);
      }
      break;
    }
    case 'erlang': {
      const [k, mean] = [number('k'), duration('mean')];
      build = () => makeErlang(k!, mean!);
      break;
    }
    case 'gamma': {
      const [shape, mean] = [number('shape'), duration('mean')];
      build = () => makeGamma(shape!, mean!);
      break;
    }
    case 'mixture': {
      const components = issues.attempt(['components'], () =>
        mixtureComponents(requiredValue(map, 'components'), depth),
      );
      build = () => makeMixture(components!);
      break;
    }
    case 'empirical': {
      const values = issues.attempt(['values'], () =>
        expectList(requiredValue(map, 'values'), 'a list of durations').map((v) => durationMs(v)),
      );
      build = () => makeEmpirical(values!);
      break;
    }
  }
  issues.throwIfAny();
  return build();
}

function distributionFromMap(map: Record<string, unknown>, depth: number): Distribution {
  if (!Object.hasOwn(map, 'dist')) {
    throw invalid(
      'missing required key "dist": the family, e.g. {dist: exponential, mean: 100ms}',
      ['dist'],
      'parent',
    );
  }
  const name = map.dist;
  if (typeof name !== 'string') {
    throw invalid(`expected a distribution name such as "exponential", got ${describeValue(name)}`, ['dist']);
  }
  let kind: DistributionKind;
  try {
    kind = kindFromName(name);
  } catch (error) {
    if (error instanceof InvalidValue) throw invalid(error.message, ['dist']);
    throw error;
  }
  const issues = new IssueCollector();
  checkKnownKeys(map, ['dist', ...OBJECT_KEYS[kind]], issues);
  const dist = issues.attempt([], () => fromParameters(kind, map, depth));
  issues.throwIfAny();
  return dist!;
}

/**
 * A distribution value in either form (values in ms); the number 0 is `const(0)`.
 * Throws `InvalidValue` with full messages (`expected a distribution such as …, got …`).
 */
export function distributionValue(raw: unknown, depth = 0): Distribution {
  if (depth > MAX_NESTING) throw invalid(`mixtures are nested too deeply (at most ${MAX_NESTING} levels)`);
  if (typeof raw === 'string' || typeof raw === 'number') {
    try {
      return distributionFromText(String(raw), depth);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      throw invalid(
        `expected a distribution such as ${EXAMPLE}, got ${describeValue(raw)} (${error.message})`,
      );
    }
  }
  if (isPlainObject(raw)) return distributionFromMap(raw, depth);
  throw invalid(
    `expected a distribution such as ${EXAMPLE} or {dist: exponential, mean: 100ms}, got ${describeValue(raw)}`,
  );
}

/** Parses a distribution, string or object form, to an engine `Distribution`; throws `ScenarioError`. */
export function parseDistribution(input: unknown): Distribution {
  return publicParse(() => distributionValue(input));
}

/** A distribution in the object form, as written. */
export type DistributionObjectInput =
  | { dist: 'constant' | 'const'; value: string | number }
  | { dist: 'exponential' | 'exp'; mean: string }
  | { dist: 'uniform'; min: string | number; max: string }
  | { dist: 'normal'; mean: string | number; sd: string | number }
  | { dist: 'lognormal'; median: string; p99: string }
  | { dist: 'lognormal'; mu: number; sigma: number }
  | { dist: 'erlang'; k: number; mean: string }
  | { dist: 'gamma'; shape: number; mean: string }
  | { dist: 'mixture' | 'mix'; components: { weight: string | number; dist: DistributionInput }[] }
  | { dist: 'empirical'; values: (string | number)[] };

/** A distribution as written: `"exp(100ms)"`, `"20ms"`, `0`, or the object form. */
export type DistributionInput = string | number | DistributionObjectInput;
