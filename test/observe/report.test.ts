/**
 * The HTML report: the charts' specs carry the run's data (fault windows, breaker bands,
 * topology, intervals), the page is self-contained (no script, no URL but the SVG namespace) and
 * byte-identical for the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { createExpectationChecker } from '../../src/observe/expectations.ts';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import { placeEdgeLabels, textWidth } from '../../src/observe/report/edge-labels.ts';
import {
  figure,
  htmlPage,
  labelsFor,
  type ReportInterval,
  renderReport,
  renderSvg,
  reportSpecs,
  type TopLevelSpec,
} from '../../src/observe/report/index.ts';
import { chartPoints, MAX_CHART_POINTS } from '../../src/observe/report/series-data.ts';
import type { ResultsDocument, SeriesPoint } from '../../src/observe/results.ts';
import { newBus } from './fixture.ts';
import { DURATION_MS, Script, scriptFaultRun, WARMUP_MS } from './scripted-fault.ts';

/** The scripted run (fault kill-front 5–8 s, breaker web→front) with two expectations, one failing. */
function scriptedResults(): ResultsDocument {
  const bus = newBus();
  const collector = createMetricsCollector(bus, {
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    intervalMs: 1000,
    services: [
      { name: 'front', endpoints: ['home'] },
      { name: 'db', endpoints: ['get'] },
    ],
    workloads: ['web'],
  });
  const checker = createExpectationChecker(
    bus,
    [
      {
        name: 'the breaker opened',
        names: { en: 'the breaker opened', es: 'el breaker se abrió' },
        metric: 'breaker_opened',
        scope: { kind: 'breaker', breaker: 'web→front' },
        window: { kind: 'run' },
        op: '>=',
        value: 1,
      },
      {
        name: 'no errors',
        metric: 'errors',
        scope: { kind: 'all' },
        window: { kind: 'run' },
        op: '<=',
        value: 0,
      },
    ],
    { warmupMs: WARMUP_MS, durationMs: DURATION_MS },
  );
  const script = new Script(bus);
  scriptFaultRun(script);
  script.run();
  const doc = collector.results({
    scenario: { name: 'scripted <fault>', seed: 7 },
    events: 0,
    endReason: 'completed',
  });
  return { ...doc, expectations: checker.verdicts(doc) };
}

const RESULTS = scriptedResults();
const INTERVALS: ReportInterval[] = [
  { label: 'mean in system', mean: 2.3, low: 2.1, high: 2.5, n: 10, theory: 2.4 },
  { label: 'p99 latency', unit: 'ms', mean: 50, low: 45, high: 55, n: 10, theory: 70 },
  { label: 'availability', mean: 0.99, low: 0.98, high: 1, n: 10 },
];

type Layer = { description?: string; data?: { values: Record<string, unknown>[] }; mark?: unknown };
type Panel = { description?: string; layer: Layer[] };

const panels = (spec: TopLevelSpec): Panel[] => (spec as unknown as { vconcat: Panel[] }).vconcat;
const layers = (spec: TopLevelSpec): Layer[] => (spec as unknown as { layer: Layer[] }).layer;
const markType = (l: Layer): string | undefined =>
  typeof l.mark === 'string' ? l.mark : (l.mark as { type?: string } | undefined)?.type;

describe('report specs', () => {
  it('shades the fault window and the warm-up, with their start and end, in every time panel', () => {
    const { timeline } = reportSpecs(RESULTS);
    const all = panels(timeline);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const panel of all) {
      const fault = panel.layer.find((l) => l.description === 'fault windows')!;
      expect(markType(fault)).toBe('rect');
      expect(fault.data!.values).toEqual([{ t: 5, to: 8 }]);
      const warmup = panel.layer.find((l) => l.description === 'warmup windows')!;
      expect(warmup.data!.values).toEqual([{ t: 0, to: 1, name: 'warm-up' }]);
    }
    // The top panel names them.
    const names = all[0]!.layer
      .filter((l) => markType(l) === 'text')
      .flatMap((l) => l.data!.values.map((v) => v.name));
    expect(names).toEqual(['warm-up', 'kill-front']);
  });

  it('shades overlapping faults once, and names the faults that start together in one label', () => {
    const base = RESULTS.faults![0]!;
    const fault = (name: string, startedAt: number, endedAt: number | null) => ({
      ...base,
      name,
      startedAt,
      endedAt,
    });
    const faults = [
      fault('a', 2000, 6000),
      fault('b', 2000, 4000),
      fault('c', 5000, 9000),
      fault('d', 12_000, null),
    ];
    const top = panels(reportSpecs({ ...RESULTS, faults }).timeline)[0]!;
    const shade = top.layer.find((l) => l.description === 'fault windows')!;
    expect(shade.data!.values).toEqual([
      { t: 2, to: 9 },
      { t: 12, to: 20 }, // never ended: to the run's end
    ]);
    const labels = top.layer.filter((l) => markType(l) === 'text')[1]!.data!.values;
    expect(labels).toEqual([
      { t: 2, name: 'a +1', row: 0 },
      { t: 5, name: 'c', row: 1 },
      { t: 12, name: 'd', row: 2 },
    ]);
  });

  it('draws the throughput, errors and latency series of every point', () => {
    const [throughput, latency] = panels(reportSpecs(RESULTS).timeline);
    const rows = throughput!.layer.at(-1)!.data!.values;
    const points = RESULTS.timeSeries.points;
    expect(rows.filter((r) => r.series === 'throughput')).toHaveLength(points.length);
    // 6 s: the second of the fault (requests arriving in [5 s, 8 s) fail): 10 errors per second.
    expect(rows.find((r) => r.series === 'errors' && r.t === 6)!.value).toBe(10);
    const p99 = latency!.layer.at(-1)!.data!.values.filter((r) => r.series === 'p99');
    expect(p99.length).toBeGreaterThan(0);
    expect(p99.every((r) => (r.value as number) > 0)).toBe(true);
  });

  it('draws a breaker as bands of its states, from 0 to the run end, when it changed state', () => {
    const strip = panels(reportSpecs(RESULTS).timeline).find(
      (p) => p.description === 'circuit breaker states over time',
    )!;
    const bands = strip.layer.at(-1)!;
    expect(markType(bands)).toBe('rect');
    const seen = bands.data!.values.map((v) => [v.breaker, v.state, v.from, v.to]);
    // The half-open → open at the same instant (6.6 s) lasts no time and is left out.
    expect(seen).toEqual([
      ['web→front', 'closed', 0, 5.6],
      ['web→front', 'open', 5.6, 6.6],
      ['web→front', 'open', 6.6, 7.6],
      ['web→front', 'half-open', 7.6, 8.5],
      ['web→front', 'closed', 8.5, 20],
    ]);
  });

  it('has no breaker strip when no breaker changed state', () => {
    const quiet = { ...RESULTS, breakers: {} };
    const descriptions = panels(reportSpecs(quiet).timeline).map((p) => p.description);
    expect(descriptions).not.toContain('circuit breaker states over time');
    expect(descriptions).toContain('throughput and errors over time');
  });

  it('lays the topology out by call depth, with the calls on each edge', () => {
    const topology = layers(reportSpecs(RESULTS).topology!);
    const nodes = topology.find((l) => markType(l) === 'point' && l.data!.values.some((v) => 'kind' in v))!;
    const byName = Object.fromEntries(nodes.data!.values.map((n) => [n.name, n]));
    expect(byName.web).toMatchObject({ kind: 'workload', depth: 0 });
    expect(byName.front).toMatchObject({ kind: 'service', depth: 1 });
    expect(byName.db).toMatchObject({ kind: 'service', depth: 2 });
    expect(byName.web!.x as number).toBeLessThan(byName.front!.x as number);
    const rules = topology.filter((l) => markType(l) === 'rule').flatMap((l) => l.data!.values);
    const texts = Object.fromEntries(rules.map((e) => [e.key, e.text]));
    const edges = RESULTS.edges!;
    expect(texts['web→front']).toBe(
      `${edges['web→front']!.calls} calls, ${edges['web→front']!.failed} failed`,
    );
    expect(texts['front→db']).toBe(`${edges['front→db']!.calls} calls`);
  });

  it('keeps a workload and a service of the same name apart', () => {
    const edge = RESULTS.edges!['web→front']!;
    const shared: ResultsDocument = {
      ...RESULTS,
      services: { web: RESULTS.services.front!, ...RESULTS.services },
      edges: {
        'web→web': { ...edge, caller: 'web', service: 'web' },
        'web→front': edge, // the service web calling front
        'front→db': RESULTS.edges!['front→db']!,
      },
    };
    const topology = layers(reportSpecs(shared).topology!);
    const nodes = topology.find((l) => markType(l) === 'point' && l.data!.values.some((v) => 'kind' in v))!;
    expect(nodes.data!.values.map((n) => [n.name, n.kind, n.depth])).toEqual([
      ['web', 'workload', 0],
      ['web', 'service', 1],
      ['front', 'service', 2],
      ['db', 'service', 3],
    ]);
    const rules = topology.filter((l) => markType(l) === 'rule').flatMap((l) => l.data!.values);
    // (Edges are drawn in layers by colour, so compare without order.)
    expect(rules.map((r) => `${r.caller} ${r.service}`).sort()).toEqual([
      's:front s:db',
      's:web s:front',
      'w:web s:web',
    ]);
  });

  it('places edge labels where they overlap no other label and no node, or leaves them out', () => {
    const edge = { x: 0, y: 100, x2: 400, y2: 100, text: '1 000 calls', along: 0.5 };
    const spots = placeEdgeLabels([edge, edge, edge], [], 11);
    const w = textWidth(edge.text, 10) + 4;
    expect(spots[0]).toEqual({ x: 200, y: 92 }); // halfway, 8 px above
    expect(spots[1]).toEqual({ x: 200, y: 108 }); // the same spot taken: below
    expect(Math.abs(spots[2]!.x - 200)).toBeGreaterThanOrEqual(w);
    // Two nodes 30 px apart leave no room between them.
    const nodes = [
      { x: 0, y: 0, name: 'a', note: 'utilization 10%' },
      { x: 30, y: 0, name: 'b', note: 'utilization 10%' },
    ];
    expect(placeEdgeLabels([{ x: 0, y: 0, x2: 30, y2: 0, text: '5 calls', along: 0.5 }], nodes, 11)).toEqual([
      null,
    ]);
  });

  it('draws each interval as a bar from low to high, its mean, and the theory when given', () => {
    const spec = reportSpecs(RESULTS, { intervals: INTERVALS }).intervals!;
    const all = panels(spec);
    expect(all).toHaveLength(3);
    const p99 = all[1]!.layer;
    expect(p99.find((l) => markType(l) === 'rule')!.data!.values[0]).toMatchObject({ v: 45, v2: 55 });
    expect(p99.find((l) => markType(l) === 'point' && l.data!.values[0]?.v === 50)).toBeDefined();
    const theory = (panel: Panel) =>
      panel.layer.find((l) => (l.mark as { shape?: string }).shape === 'diamond')!.data!.values;
    expect(theory(all[1]!)).toEqual([{ label: 'p99 latency', kind: 'theory', v: 70 }]);
    expect(theory(all[2]!)).toEqual([]);
    expect(reportSpecs(RESULTS).intervals).toBeUndefined();
  });

  it('merges a long series into at most MAX_CHART_POINTS points, keeping the highest p99', () => {
    const points: SeriesPoint[] = Array.from({ length: 4000 }, (_, i) => ({
      at: (i + 1) * 1000,
      throughputPerSec: i % 2 === 0 ? 10 : 20,
      goodputPerSec: 10,
      errorsPerSec: 0,
      p50Ms: 5,
      p99Ms: i === 1234 ? 900 : 50,
      services: { front: { utilization: 0.5, readyInstances: 2 } },
    }));
    const long = { ...RESULTS, timeSeries: { intervalMs: 1000, points } };
    const chart = chartPoints(long);
    expect(chart.merged).toBe(Math.ceil(4000 / MAX_CHART_POINTS));
    expect(chart.points.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(Math.max(...chart.points.map((p) => p.p99Ms ?? 0))).toBe(900);
    expect(chart.points[0]!.throughputPerSec).toBeCloseTo(40 / 3, 12);
    expect(chart.points.at(-1)!.t).toBe(4000);
  });
});

describe('the report page', () => {
  it('is self-contained: inline SVG charts with marks, no script, no URL but the SVG namespace', async () => {
    const html = await renderReport(RESULTS, { intervals: INTERVALS });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3); // topology, over time, replications
    for (const svg of svgs) expect(svg).toMatch(/class="mark-(line|rect|symbol|rule|text)/);
    expect(html).not.toMatch(/<script/i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is byte-identical for the same results, whatever was rendered before', async () => {
    const first = await renderReport(RESULTS, { intervals: INTERVALS });
    await renderReport({ ...RESULTS, breakers: {} });
    const second = await renderReport(RESULTS, { intervals: INTERVALS });
    expect(second).toBe(first);
  });

  it('shows the expectations with their verdicts, the faults and the run facts, escaped', async () => {
    const html = await renderReport(RESULTS);
    expect(html).toContain('<h1>microsim report: scripted &lt;fault&gt;</h1>');
    expect(html).not.toContain('scripted <fault>');
    const table = html.slice(html.indexOf('<section id="expectations">'), html.indexOf('</section>'));
    expect(table).toContain('<td>the breaker opened</td><td class="num">≥ 1</td>');
    expect(table).toContain('✓ passed');
    expect(table).toMatch(
      /<td>no errors<\/td><td class="num">≤ 0<\/td><td class="num">\d+<\/td><td class="fail">✗ failed/,
    );
    expect(html).toContain('<td>kill-front</td><td>kill</td>');
    expect(html).toContain('seed 7');
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
  });

  it('speaks Spanish with --lang es, from the same table', async () => {
    const html = await renderReport(RESULTS, { lang: 'es', intervals: INTERVALS });
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<h2>Expectativas</h2>');
    expect(html).toContain('<td>el breaker se abrió</td>');
    expect(html).toContain('<h2>Réplicas</h2>');
    expect(html).toContain('>abierto<'); // the breaker state legend of the SVG
    expect(html).not.toContain('<h2>Expectations</h2>');
    const en = labelsFor('en');
    const es = labelsFor('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it('builds a page from reusable parts: renderSvg and htmlPage', async () => {
    const svg = await renderSvg(
      {
        data: {
          values: [
            { x: 1, y: 2 },
            { x: 2, y: 3 },
          ],
        },
        mark: 'line',
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      { idPrefix: 'sweep' },
    );
    expect(svg).toMatch(/^<svg [^>]*viewBox=/);
    expect(svg).toContain('class="mark-line');
    const page = htmlPage({
      title: 'sweep',
      lang: 'en',
      sections: [{ id: 'chart', heading: 'Chart', html: figure(svg, 'a line') }],
    });
    expect(page).toContain('<section id="chart">');
    expect(page).toContain('<figcaption>a line</figcaption>');
  });

  it('refuses a spec that vega-lite warns about, rather than drawing the wrong chart', async () => {
    // Two layers colour one scale with different domains: vega-lite would merge them silently.
    const colour = (domain: string[]) => ({ field: 'c', type: 'nominal', scale: { domain } });
    const bad = {
      data: { values: [{ x: 1, c: 'a' }] },
      layer: [
        { mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, color: colour(['a']) } },
        { mark: 'tick', encoding: { x: { field: 'x', type: 'quantitative' }, color: colour(['b']) } },
      ],
    } as TopLevelSpec;
    await expect(renderSvg(bad)).rejects.toThrow(
      /renderSvg \(chart\): .*Conflicting scale property "domains"/,
    );
  });
});
