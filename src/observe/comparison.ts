/**
 * Paired comparison of two variants run with the same seeds (common random numbers): for each
 * metric both have, the per-seed differences b − a, their mean with a 95% interval, the relative
 * change, and a verdict. Named random streams make the two variants draw the same arrivals and
 * work wherever their worlds match, so the differences vary much less than two independent
 * samples would (Law & Kelton, "Simulation Modeling and Analysis", §11.2: CRN).
 */
import type { ReplicationOutcome } from './replication-doc.ts';
import { CONFIDENCE, type Interval, interval, zeroWhenAbsent } from './replication-stats.ts';

/** Which way is better for a metric: up, down, or neither (utilization, counts of work). */
export type Direction = 'higher' | 'lower' | 'neutral';

export type Verdict = 'better' | 'worse' | 'higher' | 'lower' | 'no clear difference' | 'one run';

export interface MetricComparison {
  readonly a: Interval;
  readonly b: Interval;
  /** Mean and interval of the paired differences b − a (pairs where both had a value). */
  readonly diff: Interval;
  /** diff relative to a's mean (`-0.41` = 41% lower); null when a's mean is 0. */
  readonly relative: {
    readonly mean: number;
    readonly low: number | null;
    readonly high: number | null;
  } | null;
  readonly direction: Direction;
  readonly verdict: Verdict;
}

/** Better-is-higher and better-is-lower metrics, by the last part of their path. */
export function directionOf(path: string): Direction {
  if (/(availability|successRate|goodputPerSec|\.ok)$/.test(path)) return 'higher';
  if (LOWER_IS_BETTER.some((re) => re.test(path))) return 'lower';
  return 'neutral';
}

/** Metrics where less is better: time, failures, waste, cost, and messages lost or late. */
const LOWER_IS_BETTER = [
  /(latencyMs|waitMs|oldestAgeMs|backlog)\.[a-z0-9]+$/,
  /(residenceMs\.mean|timeToRecoverMs|timeToDetectMs|retryAmplification|wastedShare|wastedMs)$/,
  /\.(failed|failures\.[a-z_]+|rootCauses\..+|requeues\..+|reasons\..+)$/,
  /(^cost\.total|perThousandAnswers|capacity\.cost)$/,
  /\.(deadLettered|dropped|expired|duplicates|redeliveries|anomalies)$/,
];

/**
 * Compares the completed runs of `a` and `b`, paired by position (run k of each used the same
 * seed with common random numbers). Pairs where either run stopped early are left out.
 */
export function comparePaired(
  a: readonly ReplicationOutcome[],
  b: readonly ReplicationOutcome[],
  confidence = CONFIDENCE,
): Record<string, MetricComparison> {
  const pairs: [ReplicationOutcome, ReplicationOutcome][] = [];
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    if (a[k]!.endReason === 'completed' && b[k]!.endReason === 'completed') pairs.push([a[k]!, b[k]!]);
  }
  // Every metric of either side: a count one side never had is 0 there (see zeroWhenAbsent).
  const paths = new Set<string>();
  for (const [x, y] of pairs) {
    for (const p of Object.keys(x.metrics)) paths.add(p);
    for (const p of Object.keys(y.metrics)) paths.add(p);
  }
  const out: Record<string, MetricComparison> = {};
  for (const path of [...paths].sort()) {
    const zero = zeroWhenAbsent(path);
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [x, y] of pairs) {
      const u = x.metrics[path] ?? (zero ? 0 : undefined);
      const v = y.metrics[path] ?? (zero ? 0 : undefined);
      if (u !== undefined && v !== undefined) {
        xs.push(u);
        ys.push(v);
      }
    }
    const diff = interval(
      ys.map((v, i) => v - xs[i]!),
      confidence,
    );
    if (diff === null) continue;
    const sa = interval(xs, confidence)!;
    const direction = directionOf(path);
    out[path] = {
      a: sa,
      b: interval(ys, confidence)!,
      diff,
      relative:
        sa.mean === 0
          ? null
          : {
              mean: diff.mean / Math.abs(sa.mean),
              low: diff.low === null ? null : diff.low / Math.abs(sa.mean),
              high: diff.high === null ? null : diff.high / Math.abs(sa.mean),
            },
      direction,
      verdict: verdictOf(diff, direction),
    };
  }
  return out;
}

function verdictOf(diff: Interval, direction: Direction): Verdict {
  if (diff.low === null || diff.high === null) return 'one run';
  const up = diff.low > 0;
  const down = diff.high < 0;
  if (!up && !down) return 'no clear difference';
  if (direction === 'neutral') return up ? 'higher' : 'lower';
  return up === (direction === 'higher') ? 'better' : 'worse';
}
