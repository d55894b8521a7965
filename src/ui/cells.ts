/**
 * Measuring and cutting plain text in terminal cells, so that every panel can promise "no line
 * longer than the width" on its own. Ink truncates a `<Text wrap="truncate">` too (a safety net),
 * but the panels pad and align columns, so they must know widths themselves.
 *
 * The measure: combining marks, zero-width joiners and variation selectors take 0 cells; East
 * Asian wide/full-width characters and emoji shown as emoji take 2; everything else (Latin with
 * accents, box drawing, the dashboard's geometric glyphs) takes 1.
 */

/** Combining marks (variation selectors included) and format characters (zero-width joiners…). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}\\][^${ESC}\\u0007]*(?:\\u0007|${ESC}\\\\)`, 'g');

/** East Asian Wide and Fullwidth blocks (inclusive code point ranges). */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/** Cells taken by one code point. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  if (EMOJI.test(ch)) return 2;
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return 2;
  return 1;
}

/** Cells taken by `text` (plain text: no ANSI codes, no line breaks). */
export function cellWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Removes ANSI escape sequences (colours, cursor moves) from `text`. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Text made safe for one line: tabs become spaces, other control characters go. */
export function oneLine(text: string): string {
  return stripAnsi(text)
    .replace(/[\t\n\r]/g, ' ')
    .replace(/\p{Cc}/gu, '');
}

/** The longest prefix of `text` that fits in `width` cells. */
export function cut(text: string, width: number): string {
  if (width <= 0) return '';
  let w = 0;
  let out = '';
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width) break;
    w += cw;
    out += ch;
  }
  return out;
}

/** `text` cut to `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (cellWidth(text) <= width) return text;
  if (width <= 0) return '';
  return `${cut(text, width - 1)}…`;
}

/** `text` truncated to, then padded with spaces to, exactly `width` cells (left-aligned). */
export function padEnd(text: string, width: number): string {
  const t = truncate(text, width);
  return t + ' '.repeat(Math.max(0, width - cellWidth(t)));
}

/** `text` truncated to, then padded on the left to, exactly `width` cells (right-aligned). */
export function padStart(text: string, width: number): string {
  const t = truncate(text, width);
  return ' '.repeat(Math.max(0, width - cellWidth(t))) + t;
}

/**
 * Word-wraps `text` into lines of at most `width` cells, breaking at spaces; a word longer than
 * the width is split. Existing line breaks are kept.
 */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  for (const paragraph of stripAnsi(text).split(/\r?\n/)) {
    let line = '';
    for (let word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      while (cellWidth(word) > width) {
        if (line !== '') {
          lines.push(line);
          line = '';
        }
        const head = cut(word, width);
        lines.push(head);
        word = word.slice(head.length);
      }
      if (word === '') continue;
      if (line === '') line = word;
      else if (cellWidth(line) + 1 + cellWidth(word) <= width) line = `${line} ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}
