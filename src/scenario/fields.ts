/**
 * zod building blocks for the scenario schema: strict maps whose unknown keys get a
 * "did you mean", and value fields parsed by the hand-written parsers of this folder (units,
 * distributions, call steps), whose `InvalidValue` problems become zod issues with their paths.
 */
import { z } from 'zod';
import { unknownKeyMessage } from './did-you-mean.ts';
import { InvalidValue } from './invalid-value.ts';
import { durationMs, integerValue, ratePerSec, weightValue } from './units.ts';

/** Marks a custom issue raised because a required value is absent. */
export const MISSING = 'missing';

/**
 * A map that rejects unknown keys. The message of an `unrecognized_keys` issue holds one line
 * per unknown key, in the order of `issue.keys` (zod-issues.ts splits it back).
 */
export function strictMap<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => unknownKeyMessage(k, allowed)).join('\n')
        : undefined,
  });
}

/**
 * A value checked by `parse` (which throws `InvalidValue`), typed `I` as written and `O` once
 * parsed. `expected` describes the value for "missing required key" messages.
 */
export function valueField<I, O>(expected: string, parse: (raw: unknown) => O) {
  return z.custom<I>().transform((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}`, params: { reason: MISSING } });
      return z.NEVER;
    }
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      for (const issue of error.issues) {
        ctx.addIssue({
          code: 'custom',
          message: issue.message,
          path: [...issue.path],
          params: { at: issue.at },
        });
      }
      return z.NEVER;
    }
  });
}

/** A duration as written: text with a unit (`"250ms"`, `"1.5s"`, `"5m"`), or the number 0. */
export type DurationInput = string | number;
/** A rate as written: `"200/s"`, `"3000/min"`, `"10/h"`, `"1/ms"`, or the number 0. */
export type RateInput = string | number;
/** A probability as written: `"30%"` or a fraction such as `0.3`. */
export type RatioInput = string | number;

/** A duration in ms; `positive` rejects 0. */
export function durationField(example: string, positive = false) {
  const expected = `a duration${positive ? ' greater than 0' : ''} such as "${example}"`;
  return valueField<DurationInput, number>(expected, (raw) => durationMs(raw, { positive, example }));
}

/** A rate in events per second. */
export const rateField = valueField<RateInput, number>('a rate such as "200/s"', ratePerSec);

/** A relative weight (any positive number or percentage). */
export const weightField = valueField<RatioInput, number>('a positive weight such as 90% or 3', weightValue);

/** An integer `>= min`. */
/** An integer in [min, max]; `max` bounds what one process can simulate (each instance or user
 * is an object and events of its own). */
export function integerField(min: number, max?: number) {
  const expected =
    max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max.toLocaleString('en')}`;
  return valueField<number, number>(expected, (raw) => integerValue(raw, min, max));
}

/** Non-empty text. */
export const textField = z.string().min(1, 'expected some text, got an empty string');
