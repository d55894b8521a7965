/**
 * Retry backoffs as written: `none`, `fixed(500ms)`, `exponential(100ms, x2, max 2s, ±50%)`,
 * `full-jitter(5ms, cap 2s)`, `equal-jitter(…)`, `decorrelated-jitter(…)`, or the map form
 * `{kind: exponential, initial: 100ms, multiplier: 2, max: 2s, randomization: 50%}`.
 * Missing exponential options take Resilience4j's `ofExponentialRandomBackoff` defaults
 * (multiplier 1.5, randomization 0.5, no cap).
 */
import { type BackoffSpec, R4J_EXPONENTIAL_BACKOFF } from '../patterns/backoff.ts';
import { closestMatch } from './did-you-mean.ts';
import { choiceValue, FieldReader } from './field-reader.ts';
import { describeValue, InvalidValue, invalid, isPlainObject } from './invalid-value.ts';
import { durationFromText, durationMs, plainNumberFromText, ratioValue } from './units.ts';

/** A backoff as written in a scenario. */
export type BackoffInput =
  | string
  | { kind: 'none' }
  | { kind: 'fixed'; delay: string | number }
  | {
      kind: 'exponential';
      initial: string | number;
      multiplier?: number;
      max?: string | number;
      randomization?: string | number;
    }
  | {
      kind: 'full-jitter' | 'equal-jitter' | 'decorrelated-jitter';
      base: string | number;
      cap: string | number;
    };

const KINDS = ['none', 'fixed', 'exponential', 'full-jitter', 'equal-jitter', 'decorrelated-jitter'] as const;
type Kind = (typeof KINDS)[number];

const USAGE: Readonly<Record<Kind, string>> = {
  none: 'none',
  fixed: 'fixed(500ms)',
  exponential: 'exponential(100ms, x2, max 2s, ±50%)',
  'full-jitter': 'full-jitter(5ms, cap 2s)',
  'equal-jitter': 'equal-jitter(5ms, cap 2s)',
  'decorrelated-jitter': 'decorrelated-jitter(5ms, cap 2s)',
};

const EXPECTED =
  'a backoff such as "fixed(500ms)", "exponential(100ms, x2, max 2s)", "full-jitter(5ms, cap 2s)" or "none"';

/** The exponential backoff's defaults (Resilience4j). */
const R4J = R4J_EXPONENTIAL_BACKOFF as Extract<BackoffSpec, { kind: 'exponential' }>;

function kindOf(name: string): Kind {
  if ((KINDS as readonly string[]).includes(name)) return name as Kind;
  const match = closestMatch(name, KINDS);
  const hint = match === undefined ? '' : ` (did you mean "${match}"?)`;
  throw invalid(`unknown backoff "${name}"${hint}; use ${KINDS.join(', ')}`);
}

function exponential(
  initialMs: number,
  multiplier: number,
  maxMs: number,
  randomization: number,
): BackoffSpec {
  if (!(multiplier >= 1)) throw invalid(`the multiplier must be at least 1, got ${multiplier}`);
  if (maxMs < initialMs) throw invalid('the max delay must be at least the initial delay');
  return { kind: 'exponential', initialMs, multiplier, maxMs, randomization };
}

function jitter(
  kind: Exclude<Kind, 'none' | 'fixed' | 'exponential'>,
  baseMs: number,
  capMs: number,
): BackoffSpec {
  if (!(baseMs > 0)) throw invalid(`the base delay of ${kind} must be greater than 0`);
  if (capMs < baseMs) throw invalid('the cap must be at least the base delay');
  return { kind, baseMs, capMs };
}

/** `x2`, `×2`, `max 2s`, `±50%` (or `+-50%`): the options after an exponential's initial delay. */
function exponentialFromArguments(args: readonly string[]): BackoffSpec {
  if (args.length === 0) throw invalid(`exponential needs an initial delay, e.g. ${USAGE.exponential}`);
  const initialMs = durationFromText(args[0]!);
  let multiplier: number | undefined;
  let maxMs: number | undefined;
  let randomization: number | undefined;
  for (const arg of args.slice(1)) {
    const times = /^[x×]\s*(.+)$/s.exec(arg);
    const max = /^max\s+(.+)$/s.exec(arg);
    const spread = /^(?:±|\+-|\+\/-)\s*(.+)$/s.exec(arg);
    if (times !== null) {
      if (multiplier !== undefined) throw invalid('the multiplier is given twice');
      multiplier = plainNumberFromText(times[1]!, 'the multiplier');
    } else if (max !== null) {
      if (maxMs !== undefined) throw invalid('the max delay is given twice');
      maxMs = durationFromText(max[1]!);
    } else if (spread !== null) {
      if (randomization !== undefined) throw invalid('the randomization is given twice');
      const text = spread[1]!.trim();
      if (!text.endsWith('%'))
        throw invalid(`write the randomization as a percentage, e.g. ±50%; got "${arg}"`);
      const percent = plainNumberFromText(text.slice(0, -1), 'the randomization');
      if (percent > 100) throw invalid(`the randomization is at most ±100%, got "${arg}"`);
      randomization = percent / 100;
    } else {
      throw invalid(`unknown exponential option "${arg}": use x<multiplier>, max <duration> or ±<percent>`);
    }
  }
  return exponential(
    initialMs,
    multiplier ?? R4J.multiplier,
    maxMs ?? Number.POSITIVE_INFINITY,
    randomization ?? R4J.randomization,
  );
}

function jitterFromArguments(kind: Exclude<Kind, 'none' | 'fixed' | 'exponential'>, args: readonly string[]) {
  const cap = args.length === 2 ? /^cap\s+(.+)$/s.exec(args[1]!) : null;
  if (cap === null) throw invalid(`${kind} takes a base delay and a cap, e.g. ${USAGE[kind]}`);
  return jitter(kind, durationFromText(args[0]!), durationFromText(cap[1]!));
}

/** Parses the text form; throws `InvalidValue` with a short detail. */
function backoffFromText(text: string): BackoffSpec {
  const trimmed = text.trim();
  const open = trimmed.indexOf('(');
  if (open < 0) {
    const kind = kindOf(trimmed);
    if (kind === 'none') return { kind: 'none' };
    throw invalid(`${kind} needs its parameters, e.g. ${USAGE[kind]}`);
  }
  if (!trimmed.endsWith(')')) {
    const known = (KINDS as readonly string[]).includes(trimmed.slice(0, open).trim());
    const cut = known && !trimmed.includes(')') && !trimmed.includes(',');
    const hint = cut ? '; inside {…} or […] a comma ends a value, so quote it: "exponential(100ms, x2)"' : '';
    throw invalid(`expected the text to end with ")"${hint}`);
  }
  const kind = kindOf(trimmed.slice(0, open).trim());
  const inner = trimmed.slice(open + 1, -1).trim();
  if (inner.includes('(') || inner.includes(')')) throw invalid('unbalanced parentheses');
  const args = inner === '' ? [] : inner.split(',').map((a) => a.trim());
  switch (kind) {
    case 'none':
      throw invalid('none takes no parameters: write none');
    case 'fixed':
      if (args.length !== 1) throw invalid(`fixed takes one delay, e.g. ${USAGE.fixed}`);
      return { kind: 'fixed', delayMs: durationFromText(args[0]!) };
    case 'exponential':
      return exponentialFromArguments(args);
    default:
      return jitterFromArguments(kind, args);
  }
}

/** Parses the map form (`{kind: …, …}`); problems carry paths within the map. */
function backoffFromMap(map: Record<string, unknown>): BackoffSpec {
  const probe = new FieldReader(map, Object.keys(map));
  const kind = probe.required('kind', `one of ${KINDS.join(', ')}`, (raw) => choiceValue(raw, KINDS));
  probe.done();
  const duration = (raw: unknown) => durationMs(raw, { example: '100ms' });
  switch (kind!) {
    case 'none':
      new FieldReader(map, ['kind']).done();
      return { kind: 'none' };
    case 'fixed': {
      const r = new FieldReader(map, ['kind', 'delay']);
      const delayMs = r.required('delay', 'a duration such as "500ms"', duration);
      r.done();
      return { kind: 'fixed', delayMs: delayMs! };
    }
    case 'exponential': {
      const r = new FieldReader(map, ['kind', 'initial', 'multiplier', 'max', 'randomization']);
      const initialMs = r.required('initial', 'a duration such as "100ms"', duration);
      const multiplier = r.optional('multiplier', (raw) => {
        if (typeof raw !== 'number' || !(raw >= 1) || !Number.isFinite(raw))
          throw invalid(`expected a number >= 1 such as 2, got ${describeValue(raw)}`);
        return raw;
      });
      const maxMs = r.optional('max', duration);
      const randomization = r.optional('randomization', ratioValue);
      r.done();
      if (maxMs !== undefined && maxMs < initialMs!)
        throw invalid('the max delay must be at least the initial delay', ['max']);
      return exponential(
        initialMs!,
        multiplier ?? R4J.multiplier,
        maxMs ?? Number.POSITIVE_INFINITY,
        randomization ?? R4J.randomization,
      );
    }
    default: {
      const r = new FieldReader(map, ['kind', 'base', 'cap']);
      const baseMs = r.required('base', 'a duration such as "5ms"', duration);
      const capMs = r.required('cap', 'a duration such as "2s"', duration);
      r.done();
      if (!(baseMs! > 0)) throw invalid(`the base delay of ${kind} must be greater than 0`, ['base']);
      if (capMs! < baseMs!) throw invalid('the cap must be at least the base delay', ['cap']);
      return { kind: kind as 'full-jitter', baseMs: baseMs!, capMs: capMs! };
    }
  }
}

/** A backoff, text or map; throws `InvalidValue` with a full "expected …, got …" message. */
export function backoffValue(raw: unknown): BackoffSpec {
  if (isPlainObject(raw)) return backoffFromMap(raw);
  if (typeof raw !== 'string') throw invalid(`expected ${EXPECTED}, got ${describeValue(raw)}`);
  try {
    return backoffFromText(raw);
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw invalid(`expected ${EXPECTED}, got ${describeValue(raw)} (${error.message})`);
  }
}
