/**
 * Workloads as `WorkloadSpec`s: open (a rate, optionally changing over time) or closed (a fixed
 * number of users with think time); each sends requests to one `entry` or a weighted `mix`.
 */
import type { BrokerSpec, EntrySpec, RateChange, WorkloadSpec } from '../model/world-spec.ts';
import { makeConstant } from './distribution-kinds.ts';
import type { IssueCollector, Segment } from './invalid-value.ts';
import { refuseBrokerCall } from './queue-refs.ts';
import type { ParsedScenario } from './schema.ts';
import { type Catalogue, checkName, resolveTarget } from './targets.ts';
import { formatDuration } from './units.ts';

/** An open workload may send at most this many requests in one run (peak rate × duration). */
export const MAX_REQUESTS_PER_RUN = 1e9;

type ParsedWorkload = ParsedScenario['workloads'][string];

/** Keys that only one type of workload accepts. */
const ONLY_FOR: Readonly<Record<'open' | 'closed', readonly (keyof ParsedWorkload)[]>> = {
  open: ['rate', 'arrivals', 'profile'],
  closed: ['users', 'think'],
};

function buildEntries(
  workload: ParsedWorkload,
  path: readonly Segment[],
  catalogue: Catalogue,
  brokers: readonly BrokerSpec[],
  issues: IssueCollector,
): EntrySpec[] {
  const resolve = (text: string, at: readonly Segment[]) =>
    issues.attempt(at, () => {
      refuseBrokerCall(text.trim(), brokers, 'workloads send their requests to services');
      return resolveTarget(text.trim(), undefined, catalogue, 'entry');
    });
  if (workload.entry !== undefined && workload.mix !== undefined) {
    issues.add('give either "entry" or "mix", not both', [...path, 'mix'], 'key');
    return [];
  }
  if (workload.entry !== undefined) {
    const ref = resolve(workload.entry, [...path, 'entry']);
    return ref === undefined ? [] : [{ ...ref, weight: 1 }];
  }
  if (workload.mix === undefined) {
    issues.add(
      'missing required key "entry" (or "mix"): where requests go, e.g. api.get',
      [...path, 'entry'],
      'parent',
    );
    return [];
  }
  if (workload.mix.length === 0) issues.add('"mix" needs at least one entry', [...path, 'mix']);
  const total = workload.mix.reduce((sum, m) => sum + m.weight, 0);
  if (!Number.isFinite(total)) issues.add('the weights of "mix" are too large', [...path, 'mix']);
  const entries: EntrySpec[] = [];
  workload.mix.forEach((m, i) => {
    const ref = resolve(m.to, [...path, 'mix', i, 'to']);
    if (ref !== undefined) entries.push({ ...ref, weight: m.weight / total });
  });
  return entries;
}

function buildProfile(
  profile: NonNullable<ParsedWorkload['profile']>,
  durationMs: number,
  path: readonly Segment[],
  issues: IssueCollector,
): RateChange[] {
  let previous = Number.NEGATIVE_INFINITY;
  return profile.map((change, i) => {
    const at = [...path, 'profile', i, 'at'];
    if (change.at <= previous) {
      issues.add(
        `times must increase strictly: ${formatDuration(change.at)} is not after ${formatDuration(previous)}`,
        at,
      );
    } else if (change.at >= durationMs) {
      const end = formatDuration(durationMs);
      issues.add(
        `a change at ${formatDuration(change.at)} falls at or after the end of the run (duration ${end})`,
        at,
      );
    }
    previous = change.at;
    return { atMs: change.at, ratePerSec: change.rate, rampMs: change.ramp ?? 0 };
  });
}

function buildWorkload(
  name: string,
  workload: ParsedWorkload,
  catalogue: Catalogue,
  brokers: readonly BrokerSpec[],
  durationMs: number,
  issues: IssueCollector,
): WorkloadSpec {
  const path = ['workloads', name];
  issues.attempt(path, () => checkName(name, 'workload'));
  const kind = workload.type ?? 'open';
  const other = kind === 'open' ? 'closed' : 'open';
  for (const key of ONLY_FOR[other]) {
    if (workload[key] !== undefined) {
      const fix = kind === 'open' ? ' (add type: closed)' : '';
      issues.add(
        `"${key}" applies to ${other} workloads only; this one is ${kind}${fix}`,
        [...path, key],
        'key',
      );
    }
  }
  const entries = buildEntries(workload, path, catalogue, brokers, issues);
  const client = workload.client === undefined ? {} : { client: workload.client };
  if (kind === 'open') {
    if (workload.rate === undefined) {
      issues.add(
        'missing required key "rate": an open workload needs a rate such as "8/s"',
        [...path, 'rate'],
        'parent',
      );
    }
    const profile = buildProfile(workload.profile ?? [], durationMs, path, issues);
    // A typo such as 8000/ms instead of 8000/s would send billions of requests: refuse it.
    const peak = Math.max(workload.rate ?? 0, ...profile.map((c) => c.ratePerSec));
    const expected = (peak * durationMs) / 1000;
    if (expected > MAX_REQUESTS_PER_RUN) {
      issues.add(
        `this workload could send about ${expected.toExponential(1)} requests (peak rate × duration); ` +
          `a run takes at most ${MAX_REQUESTS_PER_RUN.toExponential(0)}: check the rate's unit (/s, /min, /h, /ms)`,
        [...path, 'rate'],
      );
    }
    const arrivals = workload.arrivals ?? 'poisson';
    return { kind, name, ...client, entries, arrivals, ratePerSec: workload.rate ?? 0, profile };
  }
  if (workload.users === undefined) {
    issues.add(
      'missing required key "users": a closed workload needs a number of users',
      [...path, 'users'],
      'parent',
    );
  }
  return {
    kind,
    name,
    ...client,
    entries,
    users: workload.users ?? 0,
    think: workload.think ?? makeConstant(0),
  };
}

/** Builds every workload in file order; problems go to `issues` (paths from the file root). */
export function buildWorkloads(
  workloads: ParsedScenario['workloads'],
  catalogue: Catalogue,
  brokers: readonly BrokerSpec[],
  durationMs: number,
  issues: IssueCollector,
): WorkloadSpec[] {
  const names = Object.keys(workloads);
  if (names.length === 0) issues.add('define at least one workload', ['workloads']);
  return names.map((name) => buildWorkload(name, workloads[name]!, catalogue, brokers, durationMs, issues));
}
