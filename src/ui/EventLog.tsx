// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The last notable events that fit, newest at the bottom: `mm:ss.s`, a kind tag (a word, so it
 * reads without colour), and the event's text cut to the width, never wrapped.
 */
import type { DashboardSnapshot, EventKind } from '../observe/dashboard-model.ts';
import { cellWidth, oneLine, padEnd } from './cells.ts';
import { clockText } from './format.ts';
import { labels } from './i18n.ts';
import { fitLine, type Line, Lines, seg, type Tone } from './Lines.tsx';

const TONES: Readonly<Record<EventKind, Tone | undefined>> = {
  fault: 'red',
  breaker: 'yellow',
  scale: 'blue',
  deploy: 'magenta',
  instance: 'cyan',
  message: 'blue',
  command: 'green',
  narration: undefined,
};

export interface EventLogProps {
  readonly snapshot: DashboardSnapshot;
  readonly width: number;
  /** Rows available: the log shows the last `height` events. */
  readonly height: number;
}

/** The log's lines: the last `height` events, oldest first, each cut to `width` cells. */
export function eventLogLines(snapshot: DashboardSnapshot, width: number, height: number): Line[] {
  if (height <= 0) return [];
  const l = labels(snapshot.lang);
  if (snapshot.events.length === 0) return [[seg(`(${l.noEvents})`, { dim: true })]];
  const tagWidth = Math.max(...Object.values(l.kind).map(cellWidth));
  return snapshot.events
    .slice(-height)
    .map((e) =>
      fitLine(
        [
          seg(`${clockText(e.at)} `, { dim: true }),
          seg(padEnd(l.kind[e.kind], tagWidth), { color: TONES[e.kind], bold: e.kind === 'fault' }),
          seg(` ${oneLine(e.text)}`),
        ],
        width,
      ),
    );
}

/** The event log, sized to `width` × at most `height`. */
export function EventLog({ snapshot, width, height }: EventLogProps) {
  const lines = eventLogLines(snapshot, width, height);
  return <Lines lines={lines} width={width} height={lines.length} />;
}
