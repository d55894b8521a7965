// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The dashboard's drawing primitive: a panel is a list of lines, a line a list of styled
 * segments. Panels compute their lines as plain data (easy to measure, cut and test) and `Lines`
 * turns them into ink `Text`s, one per line, so a panel never takes more rows than it has lines.
 */
import { Box, Text } from 'ink';
import { cellWidth, cut } from './cells.ts';

/**
 * Colours that read on light and dark backgrounds alike. Black, white and grey are left out on
 * purpose; de-emphasis uses `dim` instead.
 */
export type Tone = 'green' | 'red' | 'yellow' | 'cyan' | 'magenta' | 'blue';

export interface Seg {
  readonly text: string;
  readonly color?: Tone;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
}

export type Line = readonly Seg[];

/** A plain segment, or a styled one. */
export function seg(text: string, style: Omit<Seg, 'text'> = {}): Seg {
  return { text, ...style };
}

/** Cells taken by a line. */
export function lineWidth(line: Line): number {
  let w = 0;
  for (const s of line) w += cellWidth(s.text);
  return w;
}

/** The line cut to `width` cells; the last visible cell becomes `…` when something was cut. */
export function fitLine(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  if (width <= 0) return [];
  const out: Seg[] = [];
  let room = width - 1;
  for (const s of line) {
    const w = cellWidth(s.text);
    if (w <= room) {
      out.push(s);
      room -= w;
      continue;
    }
    out.push({ ...s, text: `${cut(s.text, room)}…` });
    return out;
  }
  return out;
}

/** Plain text of a line (for tests and measuring). */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** A line of `width` cells of `ch`, dimmed, optionally with a title: `── title ──────`. */
export function rule(width: number, title?: string): Line {
  if (!title) return [seg('─'.repeat(Math.max(0, width)), { dim: true })];
  const head = `── ${title} `;
  return [
    seg('── ', { dim: true }),
    seg(`${title} `, { bold: true }),
    seg('─'.repeat(Math.max(0, width - cellWidth(head))), { dim: true }),
  ];
}

function SegText({ s }: { readonly s: Seg }) {
  return (
    <Text color={s.color} bold={s.bold} dimColor={s.dim} underline={s.underline} inverse={s.inverse}>
      {s.text}
    </Text>
  );
}

/**
 * Renders `lines`, each cut to `width` cells and on exactly one row (an empty line keeps its
 * row). With `height`, the box takes exactly that many rows, extra lines dropped.
 */
export function Lines({
  lines,
  width,
  height,
}: {
  readonly lines: readonly Line[];
  readonly width: number;
  readonly height?: number;
}) {
  const shown = height === undefined ? lines : lines.slice(0, Math.max(0, height));
  return (
    <Box flexDirection="column" width={width} height={height ?? shown.length} flexShrink={0}>
      {shown.map((line, i) => {
        const fitted = fitLine(line, width);
        return (
          // Rows are positional: the same index is the same row of the panel.
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <Text key={i} wrap="truncate">
            {fitted.length === 0 || lineWidth(fitted) === 0 ? ' ' : null}
            {fitted.map((s, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their position
              <SegText key={j} s={s} />
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
