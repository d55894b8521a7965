// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The screen after the run: the expectations' verdicts first and prominently (✓ held, ✗ failed,
 * each with what was measured and what was expected), then the pre-formatted summary, scrolled
 * by `scroll` lines and cut to fit, then how to quit.
 */
import { Box } from 'ink';
import type { Lang } from '../observe/dashboard-model.ts';
import { cellWidth, oneLine, padEnd } from './cells.ts';
import { type Labels, labels } from './i18n.ts';
import { type Line, Lines, rule, type Seg, seg } from './Lines.tsx';

export interface Verdict {
  readonly name: string;
  readonly passed: boolean;
  readonly measuredText: string;
  readonly expectedText: string;
}

export interface FinalScreenProps {
  readonly lang: Lang;
  /** The run's summary, already formatted, one string per line (ANSI codes are stripped). */
  readonly summary: readonly string[];
  readonly verdicts: readonly Verdict[];
  readonly width: number;
  readonly height: number;
  /** Summary lines scrolled past (default 0); clamped to what there is. */
  readonly scroll?: number;
}

function verdictLine(v: Verdict, l: Labels, nameWidth: number, measuredWidth: number): Line {
  const tone = v.passed ? 'green' : 'red';
  return [
    seg(v.passed ? '✓ ' : '✗ ', { color: tone, bold: true }),
    seg(padEnd(oneLine(v.name), nameWidth), { bold: true }),
    seg(`  ${l.measured} `, { dim: true }),
    seg(padEnd(oneLine(v.measuredText), measuredWidth), { color: tone, bold: !v.passed }),
    seg(`  ${l.expected} `, { dim: true }),
    seg(oneLine(v.expectedText)),
  ];
}

function titleLine(verdicts: readonly Verdict[], l: Labels): Line {
  const failed = verdicts.filter((v) => !v.passed).length;
  const head: Seg[] = [seg('microsim ', { dim: true }), seg(`${l.results}   `, { bold: true })];
  if (verdicts.length === 0) return [...head, seg(l.noExpectations, { dim: true })];
  if (failed === 0) return [...head, seg(`✓ ${l.allHeld(verdicts.length)}`, { color: 'green', bold: true })];
  return [...head, seg(`✗ ${l.someFailed(failed, verdicts.length)}`, { color: 'red', bold: true })];
}

/** The final screen's lines: at most `height`, each at most `width` cells once fitted. */
export function finalScreenLines(props: FinalScreenProps): Line[] {
  const { lang, summary, verdicts, width, height } = props;
  if (height <= 0) return [];
  const l = labels(lang);
  const footer: Line = [seg(l.quit, { bold: true })];
  if (height === 1) return [footer];
  const out: Line[] = [titleLine(verdicts, l)];
  let room = height - 2;

  if (verdicts.length > 0 && room > 0) {
    out.push(rule(width, l.expectations));
    room--;
    const widest = (texts: string[], cap: number): number => Math.min(cap, Math.max(...texts.map(cellWidth)));
    const nameWidth = widest(
      verdicts.map((v) => oneLine(v.name)),
      Math.floor(width / 3),
    );
    const measuredWidth = widest(
      verdicts.map((v) => oneLine(v.measuredText)),
      Math.floor(width / 5),
    );
    // When not all fit, the failed ones go first: they are what the reader must see.
    const ordered =
      verdicts.length <= room ? verdicts : [...verdicts].sort((a, b) => Number(a.passed) - Number(b.passed));
    const fit = ordered.length <= room ? ordered.length : Math.max(0, room - 1);
    out.push(...ordered.slice(0, fit).map((v) => verdictLine(v, l, nameWidth, measuredWidth)));
    room -= fit;
    if (fit < ordered.length && room > 0) {
      out.push([seg(`  ${l.more(ordered.length - fit)}`, { dim: true })]);
      room--;
    }
  }

  const text = summary.map(oneLine);
  if (text.length > 0 && room >= 2) {
    out.push(rule(width, l.summary));
    room--;
    const scroll = Math.max(0, Math.min(props.scroll ?? 0, text.length - 1));
    const remaining = text.length - scroll;
    const fit = remaining <= room ? remaining : room - 1;
    out.push(...text.slice(scroll, scroll + fit).map((line) => [seg(line)]));
    if (fit < remaining) out.push([seg(l.moreLines(remaining - fit), { dim: true })]);
  }
  return [...out, footer];
}

/** Verdicts, summary and "q to quit", sized to exactly `width` × `height`. */
export function FinalScreen(props: FinalScreenProps) {
  const lines = finalScreenLines(props);
  const body = lines.slice(0, -1);
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>
        <Lines lines={body} width={props.width} />
      </Box>
      <Lines lines={lines.slice(-1)} width={props.width} />
    </Box>
  );
}
