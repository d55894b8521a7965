/**
 * The string form of distributions: `20ms`, `const(20ms)`, `exp(100ms)`, `uniform(5ms, 15ms)`,
 * `normal(50ms, 10ms)`, `lognormal(median 40ms, p99 400ms)`, `lognormal(mu 3.2, sigma 0.5)`,
 * `erlang(3, 30ms)`, `gamma(2.5, 30ms)`, `mix(90% exp(50ms), 10% 550ms)` (or written out:
 * `90% exp(50ms) / 10% 550ms`), `empirical(10ms, 12ms)`.
 * Errors are thrown as `InvalidValue` whose message is a short detail (the caller adds context).
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
  USAGE,
} from './distribution-kinds.ts';
import { invalid } from './invalid-value.ts';
import { durationFromText, plainNumberFromText, weightFromText } from './units.ts';

/** Splits the text between the outer parentheses at top-level commas. */
function splitArguments(inner: string): string[] {
  if (inner.trim() === '') return [];
  return splitTopLevel(inner, ',');
}

/** Splits `text` at each `separator` outside parentheses; parts are trimmed. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) throw invalid('unbalanced parentheses');
    } else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) throw invalid('unbalanced parentheses');
  parts.push(text.slice(start).trim());
  return parts;
}

function expectArity(kind: DistributionKind, name: string, args: readonly string[], count: number): void {
  if (args.length !== count) {
    const plural = count === 1 ? 'argument' : 'arguments';
    throw invalid(`${name} takes ${count} ${plural}, e.g. ${USAGE[kind]}; got ${args.length}`);
  }
}

/** `lognormal(median 40ms, p99 400ms)` or `lognormal(mu 3.2, sigma 0.5)`, in either order. */
function lognormalFromArguments(args: readonly string[]): Distribution {
  const usage = 'lognormal(median 40ms, p99 400ms) or lognormal(mu 3.2, sigma 0.5)';
  const named = new Map<string, string>();
  for (const arg of args) {
    const match = /^([A-Za-z0-9]+)\s+(.+)$/s.exec(arg);
    if (match === null) throw invalid(`lognormal takes named parameters: ${usage}`);
    named.set(match[1]!, match[2]!);
  }
  const keys = [...named.keys()].sort().join(',');
  if (args.length === 2 && keys === 'median,p99') {
    return makeLognormalMedianP99(
      durationFromText(named.get('median')!),
      durationFromText(named.get('p99')!),
    );
  }
  if (args.length === 2 && keys === 'mu,sigma') {
    const mu = plainNumberFromText(named.get('mu')!, 'mu');
    return makeLognormalMuSigma(mu, plainNumberFromText(named.get('sigma')!, 'sigma'));
  }
  throw invalid(`lognormal takes named parameters: ${usage}`);
}

/** `mix(90% exp(50ms), 10% 550ms)`: each component is a weight, a space, a distribution. */
function mixtureFromArguments(args: readonly string[], depth: number): Distribution {
  if (args.length === 0) throw invalid(`mix needs at least one component, e.g. ${USAGE.mixture}`);
  const components: MixtureComponent[] = args.map((arg) => {
    const match = /^(\S+)\s+(.+)$/s.exec(arg);
    if (match === null)
      throw invalid(`each mix component is "weight distribution", e.g. 90% exp(50ms); got "${arg}"`);
    return { weight: weightFromText(match[1]!), dist: distributionFromText(match[2]!, depth + 1) };
  });
  return makeMixture(components);
}

/**
 * Parses the string form of a distribution (values in ms). `depth` counts enclosing mixtures.
 * Throws `InvalidValue` with a detail message such as "durations need a unit, e.g. 100ms".
 */
export function distributionFromText(text: string, depth = 0): Distribution {
  if (depth > MAX_NESTING) throw invalid(`mixtures are nested too deeply (at most ${MAX_NESTING} levels)`);
  const trimmed = text.trim();
  const parts = trimmed.includes('/') ? splitTopLevel(trimmed, '/') : [trimmed];
  // The written form of a mixture: `90% 50ms / 10% 550ms` is `mix(90% 50ms, 10% 550ms)`.
  if (parts.length > 1) return mixtureFromArguments(parts, depth);
  const open = trimmed.indexOf('(');
  if (open < 0) {
    if (/^[A-Za-z_]/.test(trimmed)) {
      const kind = kindFromName(trimmed);
      throw invalid(`${trimmed} needs its parameters, e.g. ${USAGE[kind]}`);
    }
    return makeConstant(durationFromText(trimmed));
  }
  if (!trimmed.endsWith(')')) {
    const cut = !trimmed.slice(open).includes(')') && !trimmed.includes(',');
    const hint = cut ? '; inside {…} or […] a comma ends a value, so quote it: "uniform(1ms, 3ms)"' : '';
    throw invalid(`expected the text to end with ")"${hint}`);
  }
  const name = trimmed.slice(0, open).trim();
  if (name === '') throw invalid('expected a distribution name before "(", e.g. exp(100ms)');
  const kind = kindFromName(name);
  const args = splitArguments(trimmed.slice(open + 1, -1));
  switch (kind) {
    case 'constant':
      expectArity(kind, name, args, 1);
      return makeConstant(durationFromText(args[0]!));
    case 'exponential':
      expectArity(kind, name, args, 1);
      return makeExponential(durationFromText(args[0]!));
    case 'uniform':
      expectArity(kind, name, args, 2);
      return makeUniform(durationFromText(args[0]!), durationFromText(args[1]!));
    case 'normal':
      expectArity(kind, name, args, 2);
      return makeNormal(durationFromText(args[0]!), durationFromText(args[1]!));
    case 'lognormal':
      return lognormalFromArguments(args);
    case 'erlang':
      expectArity(kind, name, args, 2);
      return makeErlang(plainNumberFromText(args[0]!, 'k'), durationFromText(args[1]!));
    case 'gamma':
      expectArity(kind, name, args, 2);
      return makeGamma(plainNumberFromText(args[0]!, 'the shape'), durationFromText(args[1]!));
    case 'mixture':
      return mixtureFromArguments(args, depth);
    case 'empirical':
      if (args.length === 0) throw invalid(`empirical needs at least one value, e.g. ${USAGE.empirical}`);
      return makeEmpirical(args.map((arg) => durationFromText(arg)));
  }
}
