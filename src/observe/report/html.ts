/**
 * The HTML page around the charts: one self-contained file with inline CSS and inline SVG, no
 * script and no external URL (a Content-Security-Policy forbids loading anything), readable on a
 * screen and on paper. Reusable by any command that makes a report (a sweep, a comparison):
 * build sections from {@link htmlTable} and {@link figure}, then wrap them with {@link htmlPage}.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A cell: plain text (escaped), or `{ text, className }` for a styled one. */
export type Cell = string | { readonly text: string; readonly className: string };

/** Options of {@link htmlTable}. */
export interface TableOptions {
  /** Column indexes aligned right (numbers). */
  readonly numeric?: readonly number[];
  readonly caption?: string;
}

/** A table with a header row; every cell is escaped. */
export function htmlTable(
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const numeric = new Set(options.numeric ?? []);
  const cell = (tag: 'th' | 'td', c: Cell, i: number): string => {
    const classes = [numeric.has(i) ? 'num' : '', typeof c === 'string' ? '' : c.className].filter(Boolean);
    const attr = classes.length > 0 ? ` class="${escapeHtml(classes.join(' '))}"` : '';
    return `<${tag}${attr}>${escapeHtml(typeof c === 'string' ? c : c.text)}</${tag}>`;
  };
  const caption = options.caption === undefined ? '' : `<caption>${escapeHtml(options.caption)}</caption>`;
  return (
    `<table>${caption}<thead><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

/** An inline SVG chart with a caption saying how to read it. */
export function figure(svg: string, caption?: string): string {
  const text = caption === undefined ? '' : `<figcaption>${escapeHtml(caption)}</figcaption>`;
  return `<figure>${svg}${text}</figure>`;
}

/** A paragraph of escaped text, with an optional class. */
export function paragraph(text: string, className?: string): string {
  return `<p${className === undefined ? '' : ` class="${escapeHtml(className)}"`}>${escapeHtml(text)}</p>`;
}

/** One `<section>` of a page: a heading and its (already safe) HTML body. */
export interface PageSection {
  /** The element id (letters, digits, `-`), for links within the page. */
  readonly id: string;
  readonly heading: string;
  readonly html: string;
}

/** What {@link htmlPage} puts together. */
export interface PageInput {
  readonly title: string;
  /** The `lang` attribute of the page. */
  readonly lang: string;
  /** Safe HTML under the title (e.g. the run's facts), before the sections. */
  readonly intro?: string;
  readonly sections: readonly PageSection[];
  /** Plain text at the bottom. */
  readonly footer?: string;
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.45 Helvetica, Arial, sans-serif; color: #222; background: #fff; margin: 0 auto;
  max-width: 1100px; padding: 16px 24px 32px; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #ccc; padding-bottom: 0.15em; }
p { margin: 0.4em 0; }
.meta { color: #555; }
.description { max-width: 60em; }
.warning { background: #fff4e0; border-left: 4px solid #e69500; padding: 0.3em 0.6em; }
.note { color: #555; font-size: 0.92em; max-width: 60em; }
nav { font-size: 0.92em; margin: 0.6em 0; }
nav a { color: #2457a6; margin-right: 1em; text-decoration: none; }
figure { margin: 0.6em 0 1em; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.92em; max-width: 60em; margin-top: 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; break-inside: avoid; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.7em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pass { color: #1e7d32; font-weight: 600; white-space: nowrap; }
td.fail { color: #c62828; font-weight: 600; white-space: nowrap; }
footer { color: #777; font-size: 0.85em; margin-top: 2em; border-top: 1px solid #ddd; padding-top: 0.5em; }
@media print {
  body { max-width: none; padding: 0; font-size: 12px; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
`;

/** A complete, self-contained HTML page (`<!doctype html>` … `</html>`). */
export function htmlPage(input: PageInput): string {
  for (const s of input.sections) {
    if (!/^[A-Za-z][\w-]*$/.test(s.id)) throw new Error(`htmlPage: bad section id "${s.id}"`);
  }
  const nav = input.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.heading)}</a>`).join('');
  const body = input.sections
    .map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.heading)}</h2>\n${s.html}\n</section>`)
    .join('\n');
  const footer = input.footer === undefined ? '' : `\n<footer>${escapeHtml(input.footer)}</footer>`;
  return `<!doctype html>
<html lang="${escapeHtml(input.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
${input.intro ?? ''}
<nav>${nav}</nav>
</header>
${body}${footer}
</body>
</html>
`;
}
