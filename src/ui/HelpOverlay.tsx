// @jsxRuntime automatic
// @jsxImportSource react
/**
 * Every key of `KEYS` with what it does, in the snapshot's language. Replaces the dashboard's
 * main panels while shown; falls back to two columns when one does not fit the height.
 */
import type { Lang } from '../observe/dashboard-model.ts';
import { cellWidth, padEnd, wrapWords } from './cells.ts';
import { labels } from './i18n.ts';
import { KEYS, keyLabel } from './keys.ts';
import { fitLine, type Line, Lines, lineWidth, seg } from './Lines.tsx';

export interface HelpOverlayProps {
  readonly lang: Lang;
  readonly width: number;
  /** Rows available; the overlay takes at most this many. */
  readonly height: number;
}

/** The overlay's lines: a title, then one line per key binding (in two columns when needed). */
export function helpLines(lang: Lang, width: number, height: number): Line[] {
  if (height <= 0) return [];
  const l = labels(lang);
  const keyTexts = KEYS.map((b) => b.keys.map((k) => keyLabel(k, lang)).join(' / '));
  const keyWidth = Math.max(...keyTexts.map(cellWidth)) + 2;
  const keySeg = (i: number) => seg(padEnd(keyTexts[i]!, keyWidth), { color: 'cyan', bold: true });
  const entries: Line[] = KEYS.map((b, i) => [keySeg(i), seg(b[lang])]);
  const title: Line = [seg(`${l.keys}  `, { bold: true }), seg(`(${l.closeHelp})`, { dim: true })];
  // Best: long descriptions wrapped under themselves; then one line each; then two columns.
  const wrapped: Line[] = KEYS.flatMap((b, i) =>
    wrapWords(b[lang], Math.max(10, width - keyWidth)).map((text, k) =>
      k === 0 ? [keySeg(i), seg(text)] : [seg(' '.repeat(keyWidth)), seg(text)],
    ),
  );
  if (wrapped.length + 1 <= height) return [title, ...wrapped];
  if (entries.length + 1 <= height) return [title, ...entries];
  const columnWidth = Math.floor((width - 2) / 2);
  const rows = Math.ceil(entries.length / 2);
  const out: Line[] = [title];
  for (let r = 0; r < rows; r++) {
    const left = fitLine(entries[r]!, columnWidth);
    const right = entries[r + rows];
    out.push(right ? [...left, seg(' '.repeat(columnWidth - lineWidth(left) + 2)), ...right] : left);
  }
  return out.slice(0, height);
}

/** The key map, sized to `width` × at most `height`. */
export function HelpOverlay({ lang, width, height }: HelpOverlayProps) {
  const lines = helpLines(lang, width, height);
  return <Lines lines={lines} width={width} height={lines.length} />;
}
