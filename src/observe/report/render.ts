/**
 * Vega-Lite spec → static SVG text, in Node, with no browser: `vega-lite` compiles the spec to
 * Vega and `vega` renders it headless (`renderer: 'none'`, text widths estimated, so the output
 * is the same on every machine). The SVG is made safe to inline many times in one HTML page:
 * element ids (clip paths, gradients) come from a process-wide counter in vega, so they are
 * renumbered in order of appearance under a prefix of the caller's (the same spec gives the same
 * text whatever was rendered before it, and two charts never share an id), and the unused xlink
 * namespace is dropped (the only URL left is the SVG namespace).
 */
import { logger, parse, View, Warn } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec } from 'vega-lite';

/** Options of {@link renderSvg}. */
export interface RenderOptions {
  /** Prefix of the SVG's element ids, unique within the page (letters, digits, `-`). */
  readonly idPrefix?: string;
}

/** Settings every report chart shares: plain fonts, no border around the plot. */
export const CHART_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
} as const;

/**
 * Renders a Vega-Lite spec to SVG text (deterministic; see the module comment). A warning of
 * vega-lite or vega (a conflicting scale, a bad field) is an error here: it means a chart that
 * does not show what it should, and would otherwise only be printed on the console.
 */
export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const prefix = options.idPrefix ?? 'chart';
  if (!/^[A-Za-z][\w-]*$/.test(prefix)) throw new Error(`renderSvg: bad id prefix "${prefix}"`);
  const problems: string[] = [];
  const log = logger(Warn, 'warn', (_method, level, args) => {
    problems.push(`${level} ${args.map(String).join(' ')}`);
  });
  const vegaSpec = compile(spec, { logger: log }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', logger: log });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  if (problems.length > 0) throw new Error(`renderSvg (${prefix}): ${problems.join('; ')}`);
  return normaliseSvg(svg, prefix);
}

/**
 * Renumbers the element ids of an SVG as `<prefix>-1`, `<prefix>-2`… in order of appearance
 * (and every `url(#…)` / `href="#…"` reference to them), and drops an unused xlink namespace.
 */
export function normaliseSvg(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.has(match[1]!)) ids.set(match[1]!, `${prefix}-${ids.size + 1}`);
  }
  let text = svg;
  if (ids.size > 0) {
    const rename = (id: string): string => ids.get(id) ?? id;
    text = text
      .replace(/(\sid=")([^"]+)"/g, (_, head: string, id: string) => `${head}${rename(id)}"`)
      .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
      .replace(/(href=")#([^"]+)"/g, (_, head: string, id: string) => `${head}#${rename(id)}"`);
  }
  if (!/\sxlink:/.test(text)) text = text.replace(/\sxmlns:xlink="[^"]*"/, '');
  return text;
}
