/**
 * The dashboard's pictures: instance glyphs, breaker marks, bars and sparklines. Every state has
 * its own SHAPE, so the dashboard reads without colour (NO_COLOR, colour-blind readers, a
 * projector in a bright classroom); colour only repeats what the shape says.
 */
import type { InstanceGlyph } from '../observe/dashboard-model.ts';
import type { BreakerStateName } from '../signals.ts';
import type { Labels } from './i18n.ts';
import { type Line, type Seg, seg, type Tone } from './Lines.tsx';

export interface GlyphStyle {
  readonly glyph: string;
  readonly tone: Tone;
  /** The legend's word for it. */
  readonly label: (l: Labels) => string;
}

/** One glyph per instance state, in legend order. */
export const INSTANCE_GLYPHS: Readonly<Record<InstanceGlyph, GlyphStyle>> = {
  ready: { glyph: '●', tone: 'green', label: (l) => l.ready },
  starting: { glyph: '◌', tone: 'cyan', label: (l) => l.starting },
  draining: { glyph: '◐', tone: 'yellow', label: (l) => l.draining },
  crashed: { glyph: '✖', tone: 'red', label: (l) => l.crashed },
  stopped: { glyph: '■', tone: 'blue', label: (l) => l.stopped },
  hung: { glyph: '‖', tone: 'magenta', label: (l) => l.hung },
};

/**
 * How an edge's breaker is marked. Closed, disabled and metrics-only breakers let calls through
 * and show nothing; the ones that stop calls are marked with a shape and a word.
 */
export function breakerMark(state: BreakerStateName | null, l: Labels): GlyphStyle | null {
  switch (state) {
    case 'open':
      return { glyph: '⊘', tone: 'red', label: () => l.open };
    case 'forced_open':
      return { glyph: '⊘', tone: 'red', label: () => l.forcedOpen };
    case 'half_open':
      return { glyph: '◑', tone: 'yellow', label: () => l.halfOpen };
    default:
      return null;
  }
}

/** Segments for a breaker mark (`⊘ open`), empty when the breaker shows nothing. */
export function breakerSegs(state: BreakerStateName | null, l: Labels): Line {
  const mark = breakerMark(state, l);
  return mark ? [seg(`${mark.glyph} ${mark.label(l)}`, { color: mark.tone, bold: true })] : [];
}

/** The legend: every instance glyph, then the breaker marks. */
export function legendLine(l: Labels): Line {
  const out: Seg[] = [];
  for (const g of Object.values(INSTANCE_GLYPHS)) {
    out.push(seg(g.glyph, { color: g.tone }), seg(` ${g.label(l)}  `, { dim: true }));
  }
  out.push(seg('⊘', { color: 'red' }), seg(` ${l.open}  `, { dim: true }));
  out.push(seg('◑', { color: 'yellow' }), seg(` ${l.halfOpen}`, { dim: true }));
  return out;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/**
 * One sparkline cell per point, scaled to `max` (0 when absent): a positive value takes one of
 * ▁…█ (the smallest positive value is at least ▁), zero is a blank and "nothing measured" a
 * dim `·`, so a gap in the data does not look like a zero.
 */
export function sparkCell(v: number | null, max: number): string {
  if (v === null || !Number.isFinite(v)) return '·';
  if (v <= 0 || max <= 0) return ' ';
  const level = Math.min(SPARKS.length, Math.max(1, Math.ceil((v / max) * SPARKS.length)));
  return SPARKS[level - 1]!;
}

/** A horizontal bar of `width` cells for a share 0…1: `█████░░░`. */
export function shareBar(share: number, width: number): string {
  const w = Math.max(0, width);
  const full = Math.round(Math.min(1, Math.max(0, share)) * w);
  return '█'.repeat(full) + '░'.repeat(w - full);
}

/** Tone for a utilization or error share: calm, worrying, bad. */
export function loadTone(share: number | null, warn: number, bad: number): Tone | undefined {
  if (share === null) return undefined;
  if (share >= bad) return 'red';
  if (share >= warn) return 'yellow';
  return 'green';
}

/**
 * A backlog on a log scale, `width` cells: one cell per power of ten of waiting messages
 * (1–9 ▮, 10–99 ▮▮, …), the rest ▯ — the number beside it gives the exact count.
 */
export function backlogBar(waiting: number, width: number): string {
  const full = waiting <= 0 ? 0 : Math.min(width, 1 + Math.floor(Math.log10(waiting)));
  return '▮'.repeat(full) + '▯'.repeat(Math.max(0, width - full));
}
