/**
 * A service's `versions:` and the top-level `deploy:` timeline, as written, read into the
 * model's `VersionSpec`s and `DeploySpec`s. References (service, version) are checked once all
 * services are known (`buildDeploys`).
 */
import type {
  BrokerSpec,
  DeploySpec,
  DeployStrategy,
  ServiceSpec,
  VersionSpec,
} from '../model/world-spec.ts';
import { didYouMean } from './did-you-mean.ts';
import { choiceValue, FieldReader, mapOf, percentValue } from './field-reader.ts';
import { describeValue, IssueCollector, invalid } from './invalid-value.ts';
import { durationMs, integerValue } from './units.ts';

export type VersionsInput = Record<
  string,
  { workFactor?: number; errorRate?: string | number; technology?: string }
>;

export interface DeployInput {
  at: string | number;
  service: string;
  to: string;
  strategy?: 'rolling' | 'blue-green' | 'canary';
  maxSurge?: string | number;
  maxUnavailable?: string | number;
  steps?: (string | number)[];
  stepDuration?: string | number;
  maxErrorIncrease?: string | number;
  maxLatencyIncrease?: string | number;
  minCalls?: number;
}

/** `versions:` of a service: a map of name → {workFactor, errorRate}; the first runs at the start. */
export function versionsValue(raw: unknown): VersionSpec[] {
  const map = mapOf(raw, 'a map of versions such as {v1: {}, v2: {errorRate: 5%}}');
  const names = Object.keys(map);
  if (names.length === 0) throw invalid('list at least one version (the first runs at the start)');
  const issues = new IssueCollector();
  const versions = names.map((name) =>
    issues.attempt([name], (): VersionSpec => {
      const r = new FieldReader(
        mapOf(map[name] ?? {}, 'a map {workFactor: 1.2, errorRate: 5%, technology: go}'),
        ['workFactor', 'errorRate', 'technology'],
      );
      const workFactor = r.optional('workFactor', (v) => {
        if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
        throw invalid(
          `expected a factor above 0 such as 1.5 (work takes 1.5 times as long), got ${describeValue(v)}`,
        );
      });
      const errorRate = r.optional('errorRate', (v) => percentValue(v, { zero: true, example: '5%' }) / 100);
      const technology = r.optional('technology', (v) => {
        if (typeof v === 'string' && v.trim() !== '') return v.trim();
        throw invalid(`expected the name of a technology profile such as go, got ${describeValue(v)}`);
      });
      r.done();
      return {
        name,
        workFactor: workFactor ?? 1,
        errorRate: errorRate ?? 0,
        ...(technology === undefined ? {} : { technologyName: technology }),
      };
    }),
  );
  issues.throwIfAny();
  return versions as VersionSpec[];
}

const STRATEGIES = ['rolling', 'blue-green', 'canary'] as const;

/** One entry of `deploy:`, its references not yet checked. */
export function readDeploy(raw: unknown): DeploySpec {
  const map = mapOf(raw, 'a rollout such as {at: 5m, service: checkout, to: v2, strategy: rolling}');
  const kind = typeof map.strategy === 'string' ? map.strategy : 'rolling';
  const keys = ['at', 'service', 'to', 'strategy'];
  if (kind === 'rolling') keys.push('maxSurge', 'maxUnavailable');
  if (kind === 'canary')
    keys.push('steps', 'stepDuration', 'maxErrorIncrease', 'maxLatencyIncrease', 'minCalls');
  const r = new FieldReader(map, keys);
  const atMs = r.required('at', 'a time such as 5m', (v) => durationMs(v, { example: '5m' }));
  const service = r.required('service', 'a service name', (v) => {
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    throw invalid(`expected a service name, got ${describeValue(v)}`);
  });
  const to = r.required('to', 'a version name such as v2', (v) => {
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    throw invalid(`expected a version name, got ${describeValue(v)}`);
  });
  r.optional('strategy', (v) => choiceValue(v, STRATEGIES));
  let strategy: DeployStrategy;
  if (kind === 'canary') {
    const steps = r.optional('steps', (v) => {
      if (!Array.isArray(v) || v.length === 0)
        throw invalid(`expected a list of shares such as [10%, 50%, 100%], got ${describeValue(v)}`);
      const shares = v.map((x) => percentValue(x, { example: '10%' }) / 100);
      for (let i = 1; i < shares.length; i++) {
        if (!(shares[i]! > shares[i - 1]!))
          throw invalid('each step must be a larger share than the one before');
      }
      if (shares.at(-1) !== 1)
        throw invalid('the last step must be 100% (the canary becomes the whole service)');
      return shares;
    });
    const stepMs = r.optional('stepDuration', (v) => durationMs(v, { positive: true, example: '1m' }));
    const maxErrorIncrease = r.optional(
      'maxErrorIncrease',
      (v) => percentValue(v, { zero: true, example: '1%' }) / 100,
    );
    const maxLatencyIncrease = r.optional(
      'maxLatencyIncrease',
      (v) => percentValue(v, { zero: true, example: '20%' }) / 100,
    );
    const minCalls = r.optional('minCalls', (v) => integerValue(v, 0));
    strategy = {
      kind: 'canary',
      steps: steps ?? [0.1, 0.5, 1],
      stepMs: stepMs ?? 60_000,
      maxErrorIncrease: maxErrorIncrease ?? 0.01,
      maxLatencyIncrease: maxLatencyIncrease ?? Number.POSITIVE_INFINITY,
      minCalls: minCalls ?? 20,
    };
  } else if (kind === 'blue-green') {
    strategy = { kind: 'blue-green' };
  } else {
    const surge = r.optional('maxSurge', (v) => percentValue(v, { zero: true, example: '25%' }) / 100);
    const unavailable = r.optional(
      'maxUnavailable',
      (v) => percentValue(v, { zero: true, example: '25%' }) / 100,
    );
    strategy = { kind: 'rolling', maxSurge: surge ?? 0.25, maxUnavailable: unavailable ?? 0.25 };
  }
  r.done();
  return { atMs: atMs!, service: service!, to: to!, strategy };
}

/** Checks each rollout's service (never a broker) and version and the run's duration; sorted by start. */
export function buildDeploys(
  deploys: readonly DeploySpec[],
  services: readonly ServiceSpec[],
  brokers: readonly BrokerSpec[],
  durationMs: number,
  issues: IssueCollector,
): DeploySpec[] {
  deploys.forEach((d, i) => {
    const svc = services.find((s) => s.name === d.service);
    if (svc === undefined && brokers.some((b) => b.name === d.service)) {
      issues.add(
        `"${d.service}" is a broker: brokers have no versions to roll out (deploy: applies to services)`,
        ['deploy', i, 'service'],
      );
      return;
    }
    if (svc === undefined) {
      const hint = didYouMean(
        d.service,
        services.map((s) => s.name),
      );
      issues.add(`unknown service "${d.service}"${hint}`, ['deploy', i, 'service']);
      return;
    }
    const versions = (svc.versions ?? [{ name: 'v1' }]).map((v) => v.name);
    if (!versions.includes(d.to)) {
      const hint = didYouMean(d.to, versions);
      issues.add(
        `${d.service} has no version "${d.to}"${hint}; its versions are ${versions.join(', ')} (declare them under services.${d.service}.versions)`,
        ['deploy', i, 'to'],
      );
    } else if (versions[0] === d.to) {
      issues.add(`${d.service} already runs ${d.to} at the start: roll out another version`, [
        'deploy',
        i,
        'to',
      ]);
    }
    if (d.atMs >= durationMs)
      issues.add('the rollout starts at or after the end of the run', ['deploy', i, 'at']);
  });
  return [...deploys].sort((a, b) => a.atMs - b.atMs);
}
