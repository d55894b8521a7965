/**
 * `microsim run --report FILE.html`: one self-contained HTML page from a results document — the
 * run's facts, the expectations, the topology, the series over time (faults shaded, breaker
 * states as bands), the main numbers and, when given, the replications' intervals. Charts are
 * Vega-Lite specs rendered to inline SVG in Node ({@link renderSvg}); the page has no script and
 * no external URL, so it opens offline. The same inputs give a byte-identical page.
 */
import type { ResultsDocument } from '../results.ts';
import { countText, msText } from './format.ts';
import { figure, htmlPage, type PageSection, paragraph } from './html.ts';
import { intervalsSpec, intervalsTable, type ReportInterval } from './intervals.ts';
import { labelsFor, type ReportLabels, type ReportLang } from './labels.ts';
import { renderSvg, type TopLevelSpec } from './render.ts';
import { chartPoints } from './series-data.ts';
import {
  breakersTable,
  edgesTable,
  expectationsTable,
  faultsTable,
  servicesTable,
  workloadsTable,
} from './tables.ts';
import { timelineSpec } from './timeline.ts';
import { topologyLayout, topologySpec } from './topology.ts';

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** Language of every label (default `en`). */
  readonly lang?: ReportLang;
  /** Measures over replications (`--runs`), drawn as an interval chart and a table. */
  readonly intervals?: readonly ReportInterval[];
}

/** The Vega-Lite specs of the report's charts; absent ones are not drawn. */
export interface ReportSpecs {
  /** Absent when no call was recorded (no edges). */
  readonly topology?: TopLevelSpec;
  readonly timeline: TopLevelSpec;
  /** Present when intervals were given. */
  readonly intervals?: TopLevelSpec;
  /** How many series intervals each drawn point merges (1: none). */
  readonly merged: number;
}

/** Builds the charts' specs (no rendering): what the report draws, as data. */
export function reportSpecs(results: ResultsDocument, options: ReportOptions = {}): ReportSpecs {
  const L = labelsFor(options.lang ?? 'en');
  const layout = topologyLayout(results, L);
  const chart = chartPoints(results);
  const intervals = options.intervals ?? [];
  return {
    ...(layout.edges.length > 0 ? { topology: topologySpec(layout, L) } : {}),
    timeline: timelineSpec(results, chart, L),
    ...(intervals.length > 0 ? { intervals: intervalsSpec(intervals, L) } : {}),
    merged: chart.merged,
  };
}

/** Renders the whole report page (HTML text). */
export async function renderReport(results: ResultsDocument, options: ReportOptions = {}): Promise<string> {
  const lang = options.lang ?? 'en';
  const L = labelsFor(lang);
  const specs = reportSpecs(results, options);
  const sections: PageSection[] = [
    { id: 'expectations', heading: L.expectations, html: expectationsTable(results, L, lang) },
    {
      id: 'topology',
      heading: L.topology,
      html:
        specs.topology === undefined
          ? paragraph(L.noEdges, 'note')
          : figure(await renderSvg(specs.topology, { idPrefix: 'topology' }), L.topologyNote) +
            edgesTable(results, L),
    },
  ];
  const note = specs.merged > 1 ? ` ${L.downsampled.replace('{k}', String(specs.merged))}` : '';
  sections.push({
    id: 'over-time',
    heading: L.overTime,
    html: [
      figure(await renderSvg(specs.timeline, { idPrefix: 'timeline' }), L.overTimeNote + note),
      faultsTable(results, L),
      breakersTable(results, L),
    ].join('\n'),
  });
  sections.push({ id: 'workloads', heading: L.workloads, html: workloadsTable(results, L) });
  sections.push({ id: 'services', heading: L.services, html: servicesTable(results, L) });
  if (specs.intervals !== undefined) {
    const intervals = options.intervals ?? [];
    sections.push({
      id: 'replications',
      heading: L.replications,
      html:
        figure(await renderSvg(specs.intervals, { idPrefix: 'intervals' }), L.replicationsNote) +
        intervalsTable(intervals, L),
    });
  }
  return htmlPage({
    title: `${L.title}: ${results.scenario.name}`,
    lang,
    intro: intro(results, lang, L),
    sections,
    footer: L.footer,
  });
}

/** The run's facts under the title: seed, times, events, how it ended, description, warnings. */
function intro(results: ResultsDocument, lang: ReportLang, L: ReportLabels): string {
  const { simulated, run } = results;
  const ended = run.endReason === 'completed' ? L.completed : `${L.stoppedEarly}: ${run.endReason}`;
  const facts =
    `${L.seed} ${results.scenario.seed} · ${L.simulated} ${msText(simulated.durationMs)} ` +
    `(${L.warmup} ${msText(simulated.warmupMs)}, ${L.measured} ${msText(simulated.measuredMs)}) · ` +
    `${countText(simulated.events)} ${L.events} · ${ended}`;
  const parts = [paragraph(facts, 'meta')];
  const description = results.scenario.description?.[lang];
  if (description !== undefined) parts.push(paragraph(description, 'description'));
  if (run.message !== undefined) parts.push(paragraph(run.message, 'warning'));
  for (const w of run.warnings) parts.push(paragraph(`${L.warnings}: ${w}`, 'warning'));
  return parts.join('\n');
}
