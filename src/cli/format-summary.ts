/**
 * The plain-text summary `microsim run` prints: the run, then per workload its counts, failures
 * and latency, then per service its time-averages and per endpoint its waits and latency, then
 * the closed-form theory when the scenario matches a queueing model, then rollouts, autoscaling,
 * cost, messaging (broker queues) and the resilience sections.
 * Columns are aligned to their widest cell; numbers use fixed formats (no locale), so the text is
 * the same on every machine. Statistics without samples print as "-".
 */
import type { ExpectationVerdict } from '../observe/expectations.ts';
import { flattenMetrics } from '../observe/replication-stats.ts';
import type {
  FailureCounts,
  LatencySummary,
  ResultsDocument,
  TheoryParameters,
  TheoryValue,
} from '../observe/results.ts';
import { wrapWords } from '../ui/cells.ts';
import { formatMessaging } from './format-messaging.ts';
import { type Fmt, formatResilience, formatVerdicts } from './format-resilience.ts';

export interface SummaryOptions {
  /** ANSI colors and bold (default false). */
  readonly color?: boolean;
  /** Language of the scenario description shown under the title (default `en`). */
  readonly lang?: 'en' | 'es';
}

type Align = 'left' | 'right';
const NONE = '-';

export function formatSummary(
  results: ResultsDocument & { readonly expectations?: readonly ExpectationVerdict[] },
  options: SummaryOptions = {},
): string {
  const paint = painter(options.color === true);
  const { simulated, run } = results;
  const out: string[] = [];

  out.push(paint.bold(`microsim: ${results.scenario.name} (seed ${results.scenario.seed})`));
  const description = results.scenario.description?.[options.lang ?? 'en'];
  if (description !== undefined) out.push(...wrapWords(description, 96).map((line) => `  ${line}`));
  const ended = run.endReason === 'completed' ? 'completed' : paint.red(`stopped early: ${run.endReason}`);
  const wall = run.wallTimeMs === undefined ? '' : ` in ${formatDuration(run.wallTimeMs)} of wall time`;
  out.push(
    `  simulated ${formatSpan(simulated.durationMs)} (warm-up ${formatSpan(simulated.warmupMs)}, ` +
      `measured ${formatSpan(simulated.measuredMs)}), ${formatCount(simulated.events)} events${wall}; ${ended}`,
  );
  if (run.message !== undefined) out.push(`  ${paint.red(run.message)}`);

  const workloads = Object.entries(results.workloads);
  out.push('', paint.bold('Workloads') + ' (requests that arrived after the warm-up)');
  if (workloads.length === 0) out.push('  (none)');
  else {
    // The fallback column appears only when some answer was degraded.
    const degraded = workloads.some(([, w]) => (w.fallback ?? 0) > 0);
    const head = [
      'workload',
      'requests',
      'ok',
      ...(degraded ? ['fallback'] : []),
      'failed',
      'in flight',
      'availability',
      'thru/s',
      'goodput/s',
    ];
    const rows = workloads.map(([name, w]) => [
      name,
      formatCount(w.requests),
      formatCount(w.ok),
      ...(degraded ? [formatCount(w.fallback ?? 0)] : []),
      formatCount(w.failed),
      formatCount(w.inFlight),
      w.availability === null ? NONE : formatAvailability(w.availability),
      formatRate(w.throughputPerSec),
      formatRate(w.goodputPerSec),
    ]);
    out.push(...table(head, rows, paint.bold));
    out.push(
      '',
      degraded ? '  latency of answered requests (ok and fallback)' : '  latency of successful requests',
    );
    out.push(
      ...latencyTable(
        'workload',
        workloads.map(([name, w]) => [name, w.latencyMs] as const),
        paint.bold,
      ),
    );
    for (const [name, w] of workloads) {
      if (w.failed === 0) continue;
      const mean = formatDuration(w.failedLatencyMs.mean);
      out.push(paint.red(`  ${name} failures: ${formatFailures(w.failures)} (mean time to fail ${mean})`));
      const causes = Object.entries(w.rootCauses);
      if (causes.length > 0) {
        const shown = causes.slice(0, 5).map(([cause, n]) => `${cause} ${formatCount(n)}`);
        if (causes.length > 5) shown.push(`… ${causes.length - 5} more`);
        out.push(paint.red(`    root causes: ${shown.join(', ')}`));
      }
    }
  }

  const services = Object.entries(results.services);
  out.push('', paint.bold('Services') + ' (time-averages over the measured window)');
  if (services.length === 0) out.push('  (none)');
  else {
    const head = ['service', 'utilization', 'queue', 'in system', 'ready', 'arrivals/s', 'residence'];
    const rows = services.map(([name, s]) => [
      name,
      s.utilization === null ? NONE : formatPercent(s.utilization, 1),
      formatFixed(s.meanQueueLength),
      formatFixed(s.meanInSystem),
      formatFixed(s.meanReadyInstances),
      formatRate(s.arrivalsPerSec),
      formatDuration(s.residenceMs.mean),
    ]);
    out.push(...table(head, rows, paint.bold));
    const endpoints = services.flatMap(([service, s]) =>
      Object.entries(s.endpoints).map(([endpoint, e]) => [`${service}/${endpoint}`, e] as const),
    );
    if (endpoints.length > 0) {
      out.push('');
      const head2 = ['endpoint', 'requests', 'failed', 'wait mean', 'wait p99', 'waited', 'p50', 'p99'];
      const rows2 = endpoints.map(([name, e]) => [
        name,
        formatCount(e.requests),
        formatCount(e.failed),
        formatDuration(e.waitMs.mean),
        formatDuration(e.waitMs.p99),
        e.waitedFraction === null ? NONE : formatPercent(e.waitedFraction, 1),
        formatDuration(e.latencyMs.p50),
        formatDuration(e.latencyMs.p99),
      ]);
      out.push(...table(head2, rows2, paint.bold));
      for (const [name, e] of endpoints) {
        if (e.failed > 0) out.push(paint.red(`  ${name} failures: ${formatFailures(e.failures)}`));
      }
    }
  }
  out.push(...formatTheory(results, options.lang ?? 'en', paint.bold));
  const rollouts = results.deploys ?? [];
  if (rollouts.length > 0) {
    out.push('', paint.bold('Rollouts'));
    for (const d of rollouts) {
      const span =
        d.endedAt === null
          ? 'still running at the end'
          : `${formatSpan(d.startedAt)} → ${formatSpan(d.endedAt)}`;
      const line = `  ${d.service} ${d.from} → ${d.to} (${d.strategy}), ${span}: ${d.outcome.replace('_', ' ')}; ${formatCount(d.failedRequestsDuring)} requests failed meanwhile`;
      out.push(d.outcome === 'rolled_back' ? paint.red(line) : line);
      if (d.why !== null) out.push(`    ${d.why}`);
    }
  }
  const scaled = services.filter(([, sv]) => (sv.capacity?.scaleChanges ?? 0) > 0);
  if (scaled.length > 0) {
    out.push('', `${paint.bold('Autoscaling')} (decisions that changed the replica count)`);
    for (const [name, sv] of scaled) {
      const c = sv.capacity!;
      out.push(
        `  ${name}: ${c.scaleChanges} change${c.scaleChanges === 1 ? '' : 's'}, peak ${c.peakReplicas} ready`,
      );
      for (const change of c.scaling.slice(0, 6)) out.push(`    at ${formatSpan(change.at)}: ${change.why}`);
      if (c.scaleChanges > 6) out.push(`    … ${c.scaleChanges - 6} more`);
    }
  }
  const cost = results.cost;
  if (cost !== undefined && cost.total > 0) {
    out.push('', `${paint.bold('Capacity and cost')} (over the measured window)`);
    const rows = services
      .filter(([, sv]) => sv.capacity !== undefined)
      .map(([name, sv]) => [
        name,
        formatFixed(sv.meanReadyInstances),
        String(sv.capacity!.peakReplicas),
        formatCount(sv.capacity!.instanceSeconds),
        sv.capacity!.cost.toFixed(4),
      ]);
    out.push(...table(['service', 'mean ready', 'peak ready', 'instance-s', 'cost'], rows, paint.bold));
    const per =
      cost.perThousandAnswers === null
        ? ''
        : `, ${cost.perThousandAnswers.toFixed(6)} per 1,000 answered requests`;
    out.push(`  total cost ${cost.total.toFixed(4)}${per}`);
  }
  const fmt: Fmt = {
    count: formatCount,
    duration: formatDuration,
    availability: formatAvailability,
    table: (head, rows) => table(head, rows, paint.bold),
  };
  out.push(...formatMessaging(results, paint, fmt));
  out.push(...formatResilience(results, paint, fmt));
  out.push(...formatVerdicts(results.expectations ?? [], paint, options.lang ?? 'en'));
  if (run.warnings.length > 0) {
    out.push('', paint.red(paint.bold('Warnings')));
    for (const warning of run.warnings) out.push(paint.red(`  ! ${warning}`));
  }
  return `${out.join('\n')}\n`;
}

/** What the theory block says, by language; metric labels by path within their subject. */
const THEORY_TEXT = {
  en: {
    title: 'Theory',
    head: ['value', 'theory', 'simulated', 'diff'],
    footer: 'long-run values of the model; one run differs by chance (see --runs N)',
    metrics: {} as Readonly<Record<string, string>>,
  },
  es: {
    title: 'Teoría',
    head: ['valor', 'teoría', 'simulado', 'dif.'],
    footer: 'valores a largo plazo; una ejecución difiere por azar (ver --runs N)',
    metrics: {
      utilization: 'utilización',
      meanQueueLength: 'cola media Lq',
      meanInSystem: 'media en el sistema L',
      'residenceMs.mean': 'residencia media',
      'waitMs.mean': 'espera media',
      'waitMs.p99': 'p99 de la espera',
      waitedFraction: 'P(esperar)',
      'latencyMs.mean': 'latencia media',
      'latencyMs.p99': 'p99 de la latencia',
      availability: 'disponibilidad',
    } as Readonly<Record<string, string>>,
  },
} as const;

/** λ, E[S], c, K, r and ρ of a matched model: `λ = 8/s, E[S] = 100 ms, c = 1, ρ = 0.8`. */
export function formatTheoryParameters(p: TheoryParameters): string {
  const parts = [
    `λ = ${Number(p.arrivalsPerSec.toPrecision(4))}/s`,
    `E[S] = ${formatDuration(p.meanWorkMs)}`,
  ];
  parts.push(`c = ${p.workers}`);
  if (p.capacity !== null) parts.push(`K = ${p.capacity}`);
  if (p.replicas > 1) parts.push(`r = ${p.replicas}`);
  parts.push(`ρ = ${Number(p.load.toPrecision(3))}`);
  return parts.join(', ');
}

/**
 * The "Theory (model)" block: each value the matched closed-form model predicts beside the
 * simulated one and their relative difference; nothing when no model matches.
 */
function formatTheory(results: ResultsDocument, lang: 'en' | 'es', bold: (s: string) => string): string[] {
  const theory = results.theory;
  if (theory === undefined || theory.model === null) return [];
  const t = THEORY_TEXT[lang];
  const measured = flattenMetrics(results);
  const rows = theory.values.map((v) => {
    const simulated = measured[v.path] ?? null;
    return [
      theoryLabel(v, lang),
      formatTheoryValue(v, v.value),
      formatTheoryValue(v, simulated),
      relative(simulated, v.value),
    ];
  });
  const notes = (theory.notes ?? []).flatMap((n) => wrapWords(n[lang], 76).map((l) => `  ${l}`));
  return [
    '',
    `${bold(`${t.title} (${theory.model})`)}: ${formatTheoryParameters(theory.parameters)}`,
    ...table(t.head, rows, bold),
    ...notes,
    ...wrapWords(t.footer, 76).map((l) => `  ${l}`),
  ];
}

/** `server/serve mean wait Wq`: the subject of the path (workload, service, endpoint), then the metric in `lang`. */
export function theoryLabel(v: TheoryValue, lang: 'en' | 'es'): string {
  const metrics = THEORY_TEXT[lang].metrics;
  const parts = v.path.split('.');
  const onEndpoint = parts[0] === 'services' && parts[2] === 'endpoints';
  const subject = onEndpoint ? `${parts[1]}/${parts[3]}` : (parts[1] ?? '');
  const metric = parts.slice(onEndpoint ? 4 : 2).join('.');
  return `${subject} ${metrics[metric] ?? v.label}`;
}

function formatTheoryValue(v: TheoryValue, x: number | null): string {
  if (x === null) return NONE;
  if (v.unit === 'ms') return formatDuration(x);
  if (v.unit === 'requests') return formatFixed(x);
  return v.path.endsWith('.availability') ? formatAvailability(x) : formatPercent(x, 1);
}

/** (simulated − theory)/theory as a signed percentage; "-" when it is undefined. */
function relative(simulated: number | null, theory: number): string {
  if (simulated === null) return NONE;
  if (theory === 0) return simulated === 0 ? '0%' : NONE;
  const d = ((simulated - theory) / Math.abs(theory)) * 100;
  const text = Math.abs(d) < 10 ? d.toFixed(1) : d.toFixed(0);
  if (Number(text) === 0) return '0.0%';
  return `${d > 0 ? '+' : ''}${text}%`;
}

function latencyTable(
  first: string,
  rows: ReadonlyArray<readonly [string, LatencySummary]>,
  bold: (s: string) => string,
): string[] {
  const head = [first, 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max'];
  const cells = rows.map(([name, l]) => [
    name,
    ...[l.mean, l.p50, l.p90, l.p99, l.p999, l.max].map(formatDuration),
  ]);
  return table(head, cells, bold);
}

/** Aligned rows, indented by two spaces: the first `left` columns left-aligned, the others right. */
export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  bold: (s: string) => string,
  left = 1,
): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => pad(c, widths[i]!, i < left ? 'left' : 'right')).join('  ')}`.trimEnd();
  return [bold(line(head)), ...rows.map(line)];
}

function pad(text: string, width: number, align: Align): string {
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** A duration with a unit that keeps about three significant digits: 850 µs, 12.3 ms, 4.56 s. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${significant(ms * 1000)} µs`;
  if (ms < 1000) return `${significant(ms)} ms`;
  return `${significant(ms / 1000)} s`;
}

/** A simulated time span: 250 ms, 1.5 s, 2 min, 1 h 5 min, 2 min 30 s. */
export function formatSpan(ms: number): string {
  if (ms < 1000) return `${significant(ms)} ms`;
  if (ms < 60_000) return `${significant(ms / 1000)} s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const min = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const parts = [h > 0 ? `${h} h` : '', min > 0 ? `${min} min` : '', s > 0 ? `${s} s` : ''];
  return parts.filter((p) => p !== '').join(' ');
}

/** 3 significant digits, no exponent, trailing zeros dropped: 1.5, 12.3, 123, 1234. */
function significant(x: number): string {
  if (x >= 100) return String(Math.round(x));
  const digits = x >= 10 ? 1 : 2;
  return String(Number(x.toFixed(digits)));
}

/** Integer with thousands separators (fixed, not locale-dependent): 1,234,567. */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatRate(perSec: number): string {
  if (perSec >= 1000) return formatCount(perSec);
  return perSec.toFixed(perSec >= 10 ? 1 : 2);
}

function formatFixed(x: number): string {
  return x.toFixed(2);
}

function formatPercent(fraction: number, decimals: number): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}

/** Enough decimals that anything short of 100% never prints as 100%: 99.95%, 99.999%. */
export function formatAvailability(fraction: number): string {
  for (let decimals = 2; decimals < 6; decimals++) {
    const text = (fraction * 100).toFixed(decimals);
    if (fraction >= 1 || !text.startsWith('100')) return `${text}%`;
  }
  return `${(fraction * 100).toFixed(6)}%`;
}

function formatFailures(failures: FailureCounts): string {
  return Object.entries(failures)
    .map(([reason, n]) => `${reason} ${formatCount(n ?? 0)}`)
    .join(', ');
}

function painter(color: boolean) {
  const wrap =
    (open: string) =>
    (text: string): string =>
      color ? `\u001b[${open}m${text}\u001b[0m` : text;
  return { bold: wrap('1'), red: wrap('31'), green: wrap('32') };
}
