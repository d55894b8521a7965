/** `versions:` and `deploy:`: what they resolve to, and the messages for mistakes. */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/index.ts';
import { scenarioErrorMessage } from './error-message.ts';

const base = (versions: string, deploy: string): string => `name: deploys
description: { en: a rollout, es: un despliegue }
duration: 10m
services:
  api:
    replicas: 4
${versions}
    endpoints:
      get: { work: exp(10ms) }
workloads:
  users: { rate: 10/s, entry: api.get }
deploy:
${deploy}
`;

const V = '    versions: { v1: {}, v2: { workFactor: 1.5, errorRate: 5% } }';

function messageOf(text: string): string {
  return scenarioErrorMessage(() => parseScenarioText(text, 'deploys.yaml'));
}

describe('versions and deploy', () => {
  it('resolves versions and each strategy with its defaults', () => {
    const s = parseScenarioText(
      base(
        V,
        '  - { at: 1m, service: api, to: v2 }\n  - { at: 2m, service: api, to: v2, strategy: blue-green }\n  - { at: 3m, service: api, to: v2, strategy: canary }',
      ),
      'deploys.yaml',
    );
    expect(s.world.services[0]!.versions).toEqual([
      { name: 'v1', workFactor: 1, errorRate: 0 },
      { name: 'v2', workFactor: 1.5, errorRate: 0.05 },
    ]);
    expect(s.world.deploys?.map((d) => d.strategy)).toEqual([
      { kind: 'rolling', maxSurge: 0.25, maxUnavailable: 0.25 },
      { kind: 'blue-green' },
      {
        kind: 'canary',
        steps: [0.1, 0.5, 1],
        stepMs: 60_000,
        maxErrorIncrease: 0.01,
        maxLatencyIncrease: Number.POSITIVE_INFINITY,
        minCalls: 20,
      },
    ]);
  });

  it.each([
    [
      'an unknown version',
      V,
      '  - { at: 1m, service: api, to: v3 }',
      'deploy[0].to: api has no version "v3"',
    ],
    [
      'the version already running',
      V,
      '  - { at: 1m, service: api, to: v1 }',
      'deploy[0].to: api already runs v1 at the start',
    ],
    [
      'an unknown service',
      V,
      '  - { at: 1m, service: apii, to: v2 }',
      'deploy[0].service: unknown service "apii" (did you mean "api"?)',
    ],
    [
      'canary steps not ending at 100%',
      V,
      '  - { at: 1m, service: api, to: v2, strategy: canary, steps: [10%, 50%] }',
      'the last step must be 100%',
    ],
    [
      'canary keys on a rolling update',
      V,
      '  - { at: 1m, service: api, to: v2, steps: [10%, 100%] }',
      'unknown key "steps"',
    ],
    [
      'a rollout after the end',
      V,
      '  - { at: 20m, service: api, to: v2 }',
      'the rollout starts at or after the end of the run',
    ],
    [
      'a zero work factor',
      '    versions: { v1: {}, v2: { workFactor: 0 } }',
      '  - { at: 1m, service: api, to: v2 }',
      'expected a factor above 0',
    ],
  ])('%s is refused with a located message', (_what, versions, deploy, expected) => {
    const message = messageOf(base(versions, deploy));
    expect(message).toMatch(/^deploys\.yaml(:\d+:\d+)?: /);
    expect(message).toContain(expected);
  });
});
