// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The current narration, word-wrapped under a quote bar, and, when the narration waits, the
 * prompt to press enter. Without a caption it takes no rows.
 */
import type { DashboardSnapshot } from '../observe/dashboard-model.ts';
import { truncate, wrapWords } from './cells.ts';
import { labels } from './i18n.ts';
import { type Line, Lines, seg } from './Lines.tsx';

export interface CaptionProps {
  readonly snapshot: DashboardSnapshot;
  readonly width: number;
  /** Rows available; the caption takes at most this many. */
  readonly height: number;
}

const BAR = '▌ ';

/** The caption's lines: at most `height` (the prompt kept when it waits), each at most `width` cells. */
export function captionLines(snapshot: DashboardSnapshot, width: number, height: number): Line[] {
  const caption = snapshot.caption;
  if (caption === null || height <= 0) return [];
  const l = labels(snapshot.lang);
  const prompt: Line[] = caption.waitingForKey
    ? [[seg('↵ ', { color: 'yellow', bold: true }), seg(l.pressEnter, { color: 'yellow', bold: true })]]
    : [];
  const room = Math.max(0, height - prompt.length);
  const wrapped = wrapWords(caption.text, width - BAR.length).filter(
    (line, i, all) => line !== '' || i < all.length - 1,
  );
  const shown = wrapped.slice(0, room);
  if (wrapped.length > room && shown.length > 0) {
    shown[shown.length - 1] = truncate(`${shown[shown.length - 1]} …`, width - BAR.length);
  }
  const text: Line[] = shown.map((line) => [seg(BAR, { color: 'cyan' }), seg(line)]);
  return [...text, ...prompt].slice(0, height);
}

/** The narration text (wrapped) and its "press enter" prompt, sized to `width` × at most `height`. */
export function Caption({ snapshot, width, height }: CaptionProps) {
  const lines = captionLines(snapshot, width, height);
  return <Lines lines={lines} width={width} height={lines.length} />;
}
