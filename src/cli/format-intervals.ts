/**
 * Text for statistics over replications: a value with its unit taken from its results-document
 * path, a mean with its 95% half-width, and the table `microsim run --runs N` prints.
 */
import type { ReplicationsDocument } from '../observe/replication-doc.ts';
import type { Interval } from '../observe/replication-stats.ts';
import { formatDuration, table, theoryLabel } from './format-summary.ts';

type Unit = 'ms' | 'share' | 'rate' | 'number';

/** The unit of a metric, from its path: `…Ms.p99` is ms, `…availability` a share, `…PerSec` a rate. */
export function unitOf(path: string): Unit {
  if (/Ms(\.[a-z0-9]+)?$/.test(path)) return 'ms';
  if (/(availability|successRate|utilization|waitedFraction|wastedShare)$/.test(path)) return 'share';
  if (/PerSec$/.test(path)) return 'rate';
  return 'number';
}

/** `figures` significant digits (3 by default), without exponent for everyday magnitudes. */
function significant(x: number, figures = 3): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 10 ** figures) return Math.round(x).toString();
  const digits = Math.max(0, figures - 1 - Math.floor(Math.log10(abs)));
  return x.toFixed(Math.min(digits, 6));
}

/** A value of `path` with its unit: 25.3 ms, 99.2%, 81.4/s, 1234. */
export function formatMetric(path: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  switch (unitOf(path)) {
    case 'ms':
      return formatDuration(value);
    case 'share':
      return `${significant(value * 100)}%`;
    case 'rate':
      return `${significant(value)}/s`;
    default:
      return significant(value);
  }
}

/** `± h` (two significant digits) in the unit of the mean (`± 1.2 ms`, `± 0.4%`); `-` without an interval. */
export function formatHalfWidth(path: string, stat: Interval): string {
  if (stat.halfWidth === null) return '-';
  const unit = unitOf(path);
  if (unit === 'ms') {
    const h = stat.halfWidth;
    const [value, name] = h < 1 ? [h * 1000, 'µs'] : h < 1000 ? [h, 'ms'] : [h / 1000, 's'];
    return `± ${significant(value, 2)} ${name}`;
  }
  if (unit === 'share') return `± ${significant(stat.halfWidth * 100, 2)}%`;
  if (unit === 'rate') return `± ${significant(stat.halfWidth, 2)}/s`;
  return `± ${significant(stat.halfWidth, 2)}`;
}

/** `25.3 ms ± 1.2 ms` (or just the mean without `withInterval`); `-` without a value. */
export function formatEstimate(
  path: string,
  stat: Interval | null | undefined,
  withInterval: boolean,
): string {
  if (stat === null || stat === undefined) return '-';
  return withInterval
    ? `${formatMetric(path, stat.mean)} ${formatHalfWidth(path, stat)}`
    : formatMetric(path, stat.mean);
}

/** The metrics the table shows for each workload and each service (the JSON has all of them):
 * label, results path below the workload or service, and the label in Spanish. */
export const WORKLOAD_ROWS: readonly (readonly [string, string, string])[] = [
  ['availability', 'availability', 'disponibilidad'],
  ['thru/s', 'throughputPerSec', 'rend./s'],
  ['mean', 'latencyMs.mean', 'media'],
  ['p50', 'latencyMs.p50', 'p50'],
  ['p99', 'latencyMs.p99', 'p99'],
];
export const SERVICE_ROWS: readonly (readonly [string, string, string])[] = [
  ['utilization', 'utilization', 'utilización'],
  ['queue length', 'meanQueueLength', 'longitud de cola'],
  ['in system', 'meanInSystem', 'en el sistema'],
  ['residence', 'residenceMs.mean', 'residencia'],
];

/** An expectation's name in `lang` when the scenario gave both languages. */
export function expectationName(
  e: { readonly name: string; readonly names?: { readonly en: string; readonly es: string } },
  lang: 'en' | 'es',
): string {
  return e.names?.[lang] ?? e.name;
}

/** Rows of `[name, metric, mean, ± half-width, theory]` for a set of metrics. */
export function intervalRows(
  metrics: Readonly<Record<string, Interval>>,
  theory: ReadonlyMap<string, number>,
  section: 'workloads' | 'services',
  names: readonly string[],
): string[][] {
  const rows: string[][] = [];
  const pick = section === 'workloads' ? WORKLOAD_ROWS : SERVICE_ROWS;
  for (const name of names) {
    let first = true;
    for (const [label, key] of pick) {
      const path = `${section}.${name}.${key}`;
      const stat = metrics[path];
      const expected = theory.get(path);
      if (stat === undefined && expected === undefined) continue;
      rows.push([
        first ? name : '',
        label,
        stat === undefined ? '-' : formatMetric(path, stat.mean),
        stat === undefined ? '-' : formatHalfWidth(path, stat),
        expected === undefined ? '' : formatMetric(path, expected),
      ]);
      first = false;
    }
  }
  return rows;
}

/** The metrics the table shows, with their labels: each workload's and service's, then the other
 * values the closed-form model predicts. */
export function keyMetrics(
  doc: ReplicationsDocument,
  lang: 'en' | 'es' = 'en',
): { path: string; label: string }[] {
  const out: { path: string; label: string }[] = [];
  for (const [section, rows] of [
    ['workloads', WORKLOAD_ROWS],
    ['services', SERVICE_ROWS],
  ] as const) {
    for (const name of namesIn(doc.metrics, section)) {
      for (const [en, key, es] of rows) {
        const path = `${section}.${name}.${key}`;
        if (doc.metrics[path] !== undefined) out.push({ path, label: `${name} ${lang === 'es' ? es : en}` });
      }
    }
  }
  const theory = doc.theory?.model ? doc.theory.values : [];
  for (const v of theory) {
    if (!out.some((m) => m.path === v.path)) out.push({ path: v.path, label: theoryLabel(v, lang) });
  }
  return out;
}

/** Names of the workloads or services that have metrics in the document, in first-seen order. */
export function namesIn(metrics: Readonly<Record<string, unknown>>, section: string): string[] {
  const names = new Set<string>();
  for (const path of Object.keys(metrics)) {
    if (path.startsWith(`${section}.`)) names.add(path.split('.')[1]!);
  }
  return [...names];
}

/** The theory values of a replications document, by results path. */
export function theoryValues(doc: ReplicationsDocument): Map<string, number> {
  const theory = doc.theory;
  return new Map(theory?.model ? theory.values.map((v) => [v.path, v.value]) : []);
}

/** The text `microsim run --runs N` prints. */
export function formatReplications(doc: ReplicationsDocument, lang: 'en' | 'es' = 'en'): string {
  const id = (s: string): string => s;
  const seeds = doc.replications.map((r) => r.seed);
  const seedList = seeds.length <= 3 ? seeds.join(', ') : `${seeds.slice(0, 3).join(', ')}, …`;
  const out: string[] = [
    `microsim: ${doc.scenario.name}: ${doc.replications.length === doc.runs ? '' : `${doc.replications.length} of `}${doc.runs} run${doc.runs === 1 ? '' : 's'} (seed${seeds.length === 1 ? '' : 's'} ${seedList}), ${Math.round(doc.confidence * 100)}% confidence intervals (Student t)`,
  ];
  if (doc.shard !== undefined) {
    out.push(`  shard ${doc.shard.index} of ${doc.shard.count}: merge the shards with microsim merge`);
  }
  if (doc.stopped.length > 0) {
    out.push(`  ${doc.stopped.length} run(s) stopped early and are left out:`);
    for (const s of doc.stopped) out.push(`    run ${s.replication + 1} (seed ${s.seed}): ${s.message}`);
  }
  const theory = theoryValues(doc);
  const model = doc.theory?.model;
  const head = ['', 'metric', 'mean', '95% interval', model ? `theory (${model})` : ''];
  for (const section of ['workloads', 'services'] as const) {
    const rows = intervalRows(doc.metrics, theory, section, namesIn(doc.metrics, section));
    if (rows.length === 0) continue;
    out.push('', section === 'workloads' ? 'Workloads' : 'Services');
    out.push(...table([section === 'workloads' ? 'workload' : 'service', ...head.slice(1)], rows, id, 2));
  }
  // What else the model predicts (waits, the chance of waiting), beside the simulated values.
  const inTables = (path: string): boolean =>
    [...WORKLOAD_ROWS, ...SERVICE_ROWS].some(
      ([, key]) => path.endsWith(`.${key}`) && path.split('.').length === key.split('.').length + 2,
    );
  const others = [...theory].filter(([path]) => !inTables(path));
  if (others.length > 0) {
    const rows = others.map(([path, value]) => {
      const stat = doc.metrics[path];
      return [
        path,
        stat === undefined ? '-' : formatMetric(path, stat.mean),
        stat === undefined ? '-' : formatHalfWidth(path, stat),
        formatMetric(path, value),
      ];
    });
    out.push('', `Also predicted by ${model}`);
    out.push(...table(['metric', 'mean', '95% interval', 'theory'], rows, id));
  }
  if (doc.expectations.length > 0) {
    out.push('', 'Expectations');
    for (const e of doc.expectations) {
      out.push(
        `  ${e.passed === e.runs ? 'ok  ' : 'FAIL'} ${expectationName(e, lang)}: held in ${e.passed} of ${e.runs} runs`,
      );
    }
  }
  out.push('', 'Every metric of the results document, with its interval, is in --json.');
  return `${out.map((l) => l.trimEnd()).join('\n')}\n`;
}
