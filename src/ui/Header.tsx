// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The dashboard's top two rows: what runs and how (scenario, state, speed, seed), then where the
 * run is (simulated time over duration, a progress bar) and the last key's status message.
 */
import type { DashboardSnapshot, PaceState } from '../observe/dashboard-model.ts';
import { cellWidth } from './cells.ts';
import { clockText, speedText } from './format.ts';
import { shareBar } from './glyphs.ts';
import { type Labels, labels } from './i18n.ts';
import { type Line, Lines, lineWidth, seg, type Tone } from './Lines.tsx';

/** Rows the header takes. */
export const HEADER_HEIGHT = 2;

const STATES: Readonly<Record<PaceState, { glyph: string; tone: Tone; label: (l: Labels) => string }>> = {
  running: { glyph: '▶', tone: 'green', label: (l) => l.running },
  paused: { glyph: '‖', tone: 'yellow', label: (l) => l.paused },
  narration: { glyph: '↵', tone: 'cyan', label: (l) => l.waitingForKey },
  ended: { glyph: '■', tone: 'blue', label: (l) => l.ended },
};

export interface HeaderProps {
  readonly snapshot: DashboardSnapshot;
  readonly width: number;
}

/** The header's lines (exactly `HEADER_HEIGHT`), each at most `width` cells once fitted. */
export function headerLines(snapshot: DashboardSnapshot, width: number): Line[] {
  const l = labels(snapshot.lang);
  const { clock, pacing, scenario, status } = snapshot;
  const state = STATES[pacing.state];
  const speed = pacing.speed === 'max' && width >= 100 ? l.asFastAsPossible : speedText(pacing.speed, l.max);
  const first: Line = [
    seg('microsim ', { dim: true }),
    seg(scenario.name, { bold: true }),
    seg('   '),
    seg(`${state.glyph} ${state.label(l)}`, { color: state.tone, bold: true }),
    seg('   '),
    seg(`${l.speed} `, { dim: true }),
    seg(speed, { bold: true }),
    seg('   '),
    seg(`${l.seed} `, { dim: true }),
    seg(String(scenario.seed)),
  ];

  const share = clock.durationMs > 0 ? Math.min(1, Math.max(0, clock.nowMs / clock.durationMs)) : 0;
  const time: Line = [
    seg(`${l.simulatedTime} `, { dim: true }),
    seg(clockText(clock.nowMs), { bold: true }),
    seg(` / ${clockText(clock.durationMs)} `),
  ];
  const pct = ` ${Math.floor(share * 100)}%`;
  const warm: Line = clock.nowMs < clock.warmupMs ? [seg(` (${l.warmup})`, { color: 'yellow' })] : [];
  const tail: Line = status
    ? [seg('   » ', { dim: true }), seg(status, { color: 'yellow', bold: true })]
    : [];
  const fixed = lineWidth(time) + 2 + cellWidth(pct) + lineWidth(warm) + lineWidth(tail);
  const barWidth = Math.max(10, Math.min(40, width - fixed));
  const second: Line = [
    ...time,
    seg('▕', { dim: true }),
    seg(shareBar(share, barWidth), { color: 'cyan' }),
    seg('▏', { dim: true }),
    seg(pct),
    ...warm,
    ...tail,
  ];
  return [first, second];
}

/** Scenario, pace state, speed, seed, simulated time with a progress bar, and the status. */
export function Header({ snapshot, width }: HeaderProps) {
  return <Lines lines={headerLines(snapshot, width)} width={width} height={HEADER_HEIGHT} />;
}
