/**
 * Units of the scenario format: durations (`250ms`, `1.5s`, `5m`) resolve to milliseconds,
 * rates (`200/s`, `3000/min`) to events per second, ratios (`80%`, `0.8`) to fractions in [0, 1],
 * relative weights (`90%`, `3`) to positive numbers. A bare number is accepted only for zero.
 */
import { closestMatch } from './did-you-mean.ts';
import { describeValue, InvalidValue, invalid, pathToString } from './invalid-value.ts';
import { ScenarioError } from './scenario-error.ts';

const NUMBER = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?';
const QUANTITY = new RegExp(`^(${NUMBER})\\s*(.*)$`, 's');
const PLAIN_NUMBER = new RegExp(`^${NUMBER}$`);

/** Milliseconds per unit. `m` and `min` are both minutes. */
const DURATION_UNITS = new Map<string, number>([
  ['us', 0.001],
  ['µs', 0.001],
  ['μs', 0.001],
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['min', 60_000],
  ['h', 3_600_000],
]);

/** Events per second for one event per unit. */
const RATE_UNITS = new Map<string, number>([
  ['ms', 1000],
  ['s', 1],
  ['min', 1 / 60],
  ['h', 1 / 3600],
]);

/** Splits `text` into a finite non-negative number and the rest (the unit); throws a detail message. */
function quantity(text: string, what: string): { value: number; number: string; unit: string } {
  const match = QUANTITY.exec(text.trim());
  if (match === null) throw invalid(`${what} starts with a number`);
  const number = match[1]!;
  const value = Number(number) + 0; // + 0 turns -0 into 0
  if (!Number.isFinite(value)) throw invalid('the number is too large');
  if (value < 0) throw invalid(`${what} cannot be negative`);
  return { value, number, unit: match[2]!.trim() };
}

/** Parses duration text such as `1.5s` to ms; throws `InvalidValue` whose message is a detail. */
export function durationFromText(text: string): number {
  const { value, number, unit } = quantity(text, 'a duration');
  if (unit === '') {
    if (value === 0) return 0;
    throw invalid(`durations need a unit, e.g. ${number}ms`);
  }
  const factor = DURATION_UNITS.get(unit);
  if (factor === undefined) {
    const match = closestMatch(unit, DURATION_UNITS.keys());
    const hint = match === undefined ? '' : ` (did you mean "${match}"?)`;
    throw invalid(`unknown unit "${unit}"${hint}; use us, ms, s, m (or min) or h`);
  }
  const ms = value * factor;
  if (!Number.isFinite(ms)) throw invalid('the duration is too large');
  return ms;
}

/** Parses rate text such as `200/s` to events per second; throws `InvalidValue` with a detail. */
export function rateFromText(text: string): number {
  const { value, number, unit } = quantity(text, 'a rate');
  if (unit === '') {
    if (value === 0) return 0;
    throw invalid(`rates need a unit, e.g. ${number}/s`);
  }
  if (!unit.startsWith('/')) throw invalid(`write a rate as a number per unit of time, e.g. ${number}/s`);
  const name = unit.slice(1).trim();
  const factor = RATE_UNITS.get(name);
  if (factor === undefined) {
    if (name === 'm') throw invalid('"/m" is ambiguous: write /min (per minute) or /ms (per millisecond)');
    const match = closestMatch(name, RATE_UNITS.keys());
    const hint = match === undefined ? '' : ` (did you mean "/${match}"?)`;
    throw invalid(`unknown unit "/${name}"${hint}; use /ms, /s, /min or /h`);
  }
  return value * factor;
}

/** Parses a plain number (no unit) such as the `k` of `erlang(3, 30ms)`; throws a detail. */
export function plainNumberFromText(text: string, what: string): number {
  const trimmed = text.trim();
  if (!PLAIN_NUMBER.test(trimmed))
    throw invalid(`${what} is a plain number without a unit, got "${trimmed}"`);
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw invalid(`${what} is too large`);
  return value + 0;
}

/** Wraps a detail-throwing parse into a full "expected …, got …" message. */
function expecting<T>(raw: unknown, expected: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw invalid(`expected ${expected}, got ${describeValue(raw)} (${error.message})`);
  }
}

/** A duration value (text, or the number 0) in ms; `positive` also rejects zero. */
export function durationMs(raw: unknown, options: { positive?: boolean; example?: string } = {}): number {
  const expected = `a duration${options.positive ? ' greater than 0' : ''} such as "${options.example ?? '250ms'}"`;
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  const ms = expecting(raw, expected, () => durationFromText(String(raw)));
  if (options.positive && ms <= 0) throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  return ms;
}

/**
 * A duration greater than 0 in ms, or `none` (no limit: Infinity), for the settings whose
 * default is no limit (a queue's `ttl`, a publish's `timeout`).
 */
export function positiveDurationOrNone(raw: unknown, example: string): number {
  if (raw === 'none') return Number.POSITIVE_INFINITY;
  const expected = `a duration greater than 0 such as "${example}", or none`;
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  const ms = expecting(raw, expected, () => durationFromText(String(raw)));
  if (!(ms > 0)) throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  return ms;
}

/** A rate value (text, or the number 0) in events per second. */
export function ratePerSec(raw: unknown): number {
  const expected = 'a rate such as "200/s" or "3000/min"';
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  return expecting(raw, expected, () => rateFromText(String(raw)));
}

/** Parses `N%` (0–100) or a plain fraction; the result is a number that may lie outside [0, 1]. */
function fractionFrom(raw: string | number): number {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw invalid('the number is not finite');
    return raw;
  }
  const text = raw.trim();
  if (text.endsWith('%')) return plainNumberFromText(text.slice(0, -1), 'a percentage') / 100;
  return plainNumberFromText(text, 'a fraction');
}

/** Parses a relative weight in text (`90%`, `3`); throws a detail unless it is positive. */
export function weightFromText(text: string): number {
  const value = fractionFrom(text);
  if (!(value > 0)) throw invalid(`a weight is a positive number or percentage, got "${text.trim()}"`);
  return value;
}

/** A ratio or probability: `80%` or a fraction `0.8`, in [0, 1]. */
export function ratioValue(raw: unknown): number {
  const expected = 'a probability such as 30% or 0.3';
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  const value = expecting(raw, expected, () => fractionFrom(raw));
  if (value < 0 || value > 1) {
    throw invalid(`expected ${expected}, got ${describeValue(raw)} (it must lie between 0% and 100%)`);
  }
  return value;
}

/** A relative weight: any positive number or percentage (`3`, `90%`). */
export function weightValue(raw: unknown): number {
  const expected = 'a positive weight such as 90% or 3';
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  const value = expecting(raw, expected, () => fractionFrom(raw));
  if (!(value > 0)) throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  return value;
}

/** An integer `>= min` (and a safe integer). */
export function integerValue(raw: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < min) {
    throw invalid(`expected an integer >= ${min}, got ${describeValue(raw)}`);
  }
  if (raw > max) throw invalid(`expected at most ${max.toLocaleString('en')}, got ${describeValue(raw)}`);
  return raw;
}

/** Runs an internal parser and turns its problems into a {@link ScenarioError} (for public use). */
export function publicParse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw new ScenarioError(error.issues.map((i) => ({ path: pathToString(i.path), message: i.message })));
  }
}

/** Parses a duration (`250ms`, `1.5s`, `5m`, `2h`, or `0`) to milliseconds; throws `ScenarioError`. */
export function parseDuration(input: string | number): number {
  return publicParse(() => durationMs(input));
}

/** Parses a rate (`200/s`, `3000/min`, `10/h`, `1/ms`, or `0`) to events per second; throws `ScenarioError`. */
export function parseRate(input: string | number): number {
  return publicParse(() => ratePerSec(input));
}

/** Parses a ratio (`80%` or `0.8`) to a fraction in [0, 1]; throws `ScenarioError`. */
export function parseRatio(input: string | number): number {
  return publicParse(() => ratioValue(input));
}

/** Renders ms for messages in the largest unit that divides it exactly (`30s`, `1.5ms`). */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms !== 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
