/**
 * Short, fixed-format numbers for the dashboard: no locale (so frames are the same on every
 * machine), at most a handful of cells, and `—` where there is nothing to show.
 */
import type { Speed } from '../observe/dashboard-model.ts';

export const NONE = '—';

/** Simulated time as `mm:ss.s` (minutes grow past 99: `120:00.0`). */
export function clockText(ms: number): string {
  const tenths = Math.max(0, Math.floor(ms / 100));
  const minutes = Math.floor(tenths / 600);
  const seconds = (tenths % 600) / 10;
  return `${String(minutes).padStart(2, '0')}:${seconds.toFixed(1).padStart(4, '0')}`;
}

/** A duration in ms: `850µs`, `12ms`, `120ms`, `1.25s`, `12.5s`, `2.1m`. */
export function msText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return NONE;
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  return `${(ms / 60_000).toFixed(1)}m`;
}

/** A count or rate, compact: `7`, `12.5`, `340`, `1.2k`, `35k`, `1.2M`. */
export function countText(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return NONE;
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  if (Number.isInteger(n) || a >= 100) return String(Math.round(n));
  return n.toFixed(1);
}

/** A share 0…1 as a percentage: `0%`, `0.4%`, `12%`, `100%`. */
export function pctText(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return NONE;
  const p = share * 100;
  if (p === 0) return '0%';
  // Below 9.95 one decimal fits in 4 cells; 9.95 would round to "10.0%", five.
  if (p < 9.95) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** The pacing speed as shown in the header: `×0.1`, `×10`, `×1000`, or `max`. */
export function speedText(speed: Speed, maxWord: string): string {
  if (speed === 'max') return maxWord;
  const s = Number.isInteger(speed) ? String(speed) : String(Number(speed.toPrecision(3)));
  return `×${s}`;
}
