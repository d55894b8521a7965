/**
 * The HTML report and its reusable parts: {@link renderReport} for a run's page, and the
 * building blocks a sweep or a comparison can make its own page with — {@link renderSvg}
 * (Vega-Lite spec → inline SVG), {@link htmlPage}, {@link htmlTable}, {@link figure}.
 */
export {
  escapeHtml,
  figure,
  htmlPage,
  htmlTable,
  type PageInput,
  type PageSection,
  paragraph,
} from './html.ts';
export type { ReportInterval } from './intervals.ts';
export { labelsFor, type ReportLabels, type ReportLang } from './labels.ts';
export { CHART_CONFIG, normaliseSvg, renderSvg, type TopLevelSpec } from './render.ts';
export { type ReportOptions, type ReportSpecs, renderReport, reportSpecs } from './report.ts';
