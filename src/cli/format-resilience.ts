/**
 * The resilience part of `microsim run`'s summary: edges with retries or rejections, circuit
 * breakers, ejections, faults (time to detect, time to recover, blast radius), wasted work, and
 * the verdict of every expectation (✓/✗ with the measured value). Sections with nothing to say
 * are left out, so a run without patterns or faults prints none of this.
 */
import type { ExpectationVerdict } from '../observe/expectations.ts';
import type { FailureCounts, ResultsDocument } from '../observe/results.ts';

export interface Paint {
  readonly bold: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
}

export type Fmt = {
  readonly count: (n: number) => string;
  readonly duration: (ms: number | null | undefined) => string;
  readonly availability: (x: number) => string;
  readonly table: (head: readonly string[], rows: readonly (readonly string[])[]) => string[];
};

function failures(counts: FailureCounts, fmt: Fmt): string {
  return Object.entries(counts)
    .map(([reason, n]) => `${reason} ${fmt.count(n ?? 0)}`)
    .join(', ');
}

/** Lines for the resilience sections (possibly none). */
export function formatResilience(results: ResultsDocument, paint: Paint, fmt: Fmt): string[] {
  const out: string[] = [];
  const edges = Object.entries(results.edges ?? {}).filter(
    ([, e]) => e.policy || e.retries > 0 || Object.keys(e.rejections).length > 0,
  );
  if (edges.length > 0) {
    out.push('', `${paint.bold('Calls with policies')} (logical calls that started after the warm-up)`);
    const head = [
      'edge',
      'calls',
      'ok',
      'fallback',
      'failed',
      'availability',
      'attempts/call',
      'retries',
      'denied',
    ];
    out.push(
      ...fmt.table(
        head,
        edges.map(([name, e]) => [
          name,
          fmt.count(e.calls),
          fmt.count(e.ok),
          fmt.count(e.fallback),
          fmt.count(e.failed),
          e.availability === null ? '-' : fmt.availability(e.availability),
          e.retryAmplification === null ? '-' : e.retryAmplification.toFixed(2),
          fmt.count(e.retries),
          fmt.count(e.retriesDenied),
        ]),
      ),
    );
    for (const [name, e] of edges) {
      if (e.failed > 0) out.push(paint.red(`  ${name} failures: ${failures(e.failures, fmt)}`));
      if (Object.keys(e.rejections).length > 0)
        out.push(`  ${name} rejected: ${failures(e.rejections, fmt)}`);
    }
  }
  const work = results.work;
  if (work !== undefined && work.wastedMs > 0) {
    const share = work.wastedShare === null ? '' : ` (${(work.wastedShare * 100).toFixed(1)}% of all work)`;
    out.push(
      '',
      `  wasted work: ${fmt.duration(work.wastedMs)} of work for answers no caller waited for${share}`,
    );
  }
  const breakers = Object.entries(results.breakers ?? {});
  if (breakers.length > 0) {
    out.push('', paint.bold('Circuit breakers'));
    out.push(
      ...fmt.table(
        ['breaker', 'opened', 'time open', 'final state'],
        breakers.map(([name, b]) => [name, fmt.count(b.opened), fmt.duration(b.openMs), b.finalState]),
      ),
    );
    for (const [, b] of breakers) {
      const first = b.transitions.find((t) => t.to === 'open');
      if (first !== undefined) out.push(`  ${first.why}`);
    }
  }
  const ejections = results.ejections ?? [];
  if (ejections.length > 0) {
    out.push('', `${paint.bold('Ejections')} (outlier detection)`);
    for (const e of ejections.slice(0, 5)) out.push(`  ${e.why}`);
    if (ejections.length > 5) out.push(`  … ${ejections.length - 5} more`);
  }
  const faults = results.faults ?? [];
  if (faults.length > 0) {
    out.push('', paint.bold('Faults'));
    for (const f of faults) {
      // A restart is instantaneous: it has a moment, not a span, and nothing to revert.
      const instant = f.kind === 'restart' || f.kind === 'scale';
      const span = instant
        ? `at ${fmt.duration(f.startedAt)}`
        : f.endedAt === null
          ? `from ${fmt.duration(f.startedAt)} to the end`
          : `${fmt.duration(f.startedAt)} → ${fmt.duration(f.endedAt)}`;
      out.push(`  ${f.name}: ${f.kind} ${f.target}, ${span}`);
      const detect =
        f.timeToDetectMs === null
          ? 'not detected'
          : `detected after ${fmt.duration(f.timeToDetectMs)} (${f.detectedBy})`;
      const recover = instant
        ? f.kind === 'restart'
          ? 'the instances start again at once'
          : 'the replicas change at once'
        : f.endedAt === null
          ? 'still active at the end'
          : f.timeToRecoverMs === null
            ? paint.red('did not recover')
            : `recovered ${fmt.duration(f.timeToRecoverMs)} after it ended`;
      out.push(`    ${detect}; ${recover}`);
      for (const b of f.blastRadius) {
        const during = b.during === null ? 'nothing completed' : fmt.availability(b.during);
        out.push(
          paint.red(
            `    hit ${b.kind} ${b.name}: availability ${fmt.availability(b.before)} before, ${during} during`,
          ),
        );
      }
    }
  }
  return out;
}

/** Lines for the expectations (none when the scenario has none). */
export function formatVerdicts(
  verdicts: readonly ExpectationVerdict[],
  paint: Paint,
  lang: 'en' | 'es' = 'en',
): string[] {
  if (verdicts.length === 0) return [];
  const failed = verdicts.filter((v) => !v.passed).length;
  const title = failed === 0 ? `all ${verdicts.length} held` : `${failed} of ${verdicts.length} failed`;
  const out = ['', `${paint.bold('Expectations')} (${title})`];
  for (const v of verdicts) {
    const mark = v.passed ? paint.green('✓') : paint.red('✗');
    const name = v.spec.names?.[lang] ?? v.name;
    const line = `  ${mark} ${name}: ${v.measuredText} (expected ${v.expected})`;
    out.push(v.passed ? line : paint.red(line));
    if (v.detail !== undefined) out.push(`      ${v.detail}`);
  }
  return out;
}
