/**
 * Fixed-format numbers for the report's tables: no locale (the same text on every machine),
 * `–` where there is no value.
 */

import { formatPercent } from '../expectations.ts';

/** Shown for a statistic without samples. */
export const NONE = '–';

/** A number with `digits` significant digits (whole from 10^digits up), without trailing zeros. */
export function numText(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  if (Math.abs(v) >= 10 ** digits) return String(Math.round(v));
  return String(Number(v.toPrecision(digits)));
}

/** A whole count with thin groups of three digits: `25 448`. */
export function countText(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  const digits = String(Math.round(Math.abs(v)));
  return `${v < 0 ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')}`;
}

/** A fraction as a percentage; never `100%` or `0%` for what is not exactly that. */
export function pctText(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NONE;
  return formatPercent(share, 3);
}

/** A duration: `850 ms`, `1.25 s`, `3 min`. */
export function msText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  if (Math.abs(ms) < 1000) return `${numText(ms)} ms`;
  if (Math.abs(ms) < 120_000) return `${numText(ms / 1000)} s`;
  return `${numText(ms / 60_000)} min`;
}
