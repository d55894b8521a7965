/**
 * Rollouts as the results report them: each one's strategy, start, end, outcome and reason, the
 * version mix after every change, and the failed requests while it ran (what a rollback cost).
 */
import type { Signals } from '../signals.ts';

export interface DeployResults {
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly strategy: string;
  readonly startedAt: number;
  /** Null when the rollout was still running at the end. */
  readonly endedAt: number | null;
  readonly outcome: 'completed' | 'rolled_back' | 'running';
  readonly why: string | null;
  /** Ready instances by version after each change, in order. */
  readonly mix: readonly {
    readonly at: number;
    readonly ready: Readonly<Record<string, number>>;
    readonly why: string;
  }[];
  /** Requests (every workload) that failed between the rollout's start and its end. */
  readonly failedRequestsDuring: number;
}

interface Running {
  service: string;
  from: string;
  to: string;
  strategy: string;
  startedAt: number;
  endedAt: number | null;
  outcome: DeployResults['outcome'];
  why: string | null;
  mix: { at: number; ready: Readonly<Record<string, number>>; why: string }[];
  failedAtStart: number;
  failedAtEnd: number | null;
}

export class DeployTracker {
  private readonly deploys: Running[] = [];

  /** `failedSoFar`: requests failed since the start of the run, every workload. */
  constructor(private readonly failedSoFar: () => number) {}

  started(s: Signals['deploy.started']): void {
    this.deploys.push({
      service: s.service,
      from: s.from,
      to: s.to,
      strategy: s.strategy,
      startedAt: s.at,
      endedAt: null,
      outcome: 'running',
      why: null,
      mix: [],
      failedAtStart: this.failedSoFar(),
      failedAtEnd: null,
    });
  }

  private current(service: string): Running | undefined {
    for (let i = this.deploys.length - 1; i >= 0; i--) {
      const d = this.deploys[i]!;
      if (d.service === service && d.endedAt === null) return d;
    }
    return undefined;
  }

  progressed(p: Signals['deploy.progressed']): void {
    this.current(p.service)?.mix.push({ at: p.at, ready: p.mix, why: p.why });
  }

  ended(e: Signals['deploy.ended']): void {
    const d = this.current(e.service);
    if (d === undefined) return;
    d.endedAt = e.at;
    d.outcome = e.outcome;
    d.why = e.why;
    d.failedAtEnd = this.failedSoFar();
  }

  results(): DeployResults[] {
    return this.deploys.map((d) => ({
      service: d.service,
      from: d.from,
      to: d.to,
      strategy: d.strategy,
      startedAt: d.startedAt,
      endedAt: d.endedAt,
      outcome: d.outcome,
      why: d.why,
      mix: d.mix.slice(),
      failedRequestsDuring: (d.failedAtEnd ?? this.failedSoFar()) - d.failedAtStart,
    }));
  }
}
