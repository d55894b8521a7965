/** `autoscale:` and `resources:` of a service: what they resolve to, and the messages for mistakes. */
import { describe, expect, it } from 'vitest';
import { HPA_DEFAULTS } from '../../src/patterns/hpa.ts';
import { THRESHOLD_DEFAULTS } from '../../src/patterns/threshold-scaler.ts';
import { parseScenarioText } from '../../src/scenario/index.ts';
import { scenarioErrorMessage } from './error-message.ts';

const base = (service: string): string => `name: scaling
description: { en: an autoscaled api, es: una api autoescalada }
duration: 10m
services:
  api:
${service}
    endpoints:
      get: { work: exp(10ms) }
workloads:
  users: { rate: 10/s, entry: api.get }
`;

const load = (service: string) => parseScenarioText(base(service), 'scaling.yaml');

function messageOf(service: string): string {
  return scenarioErrorMessage(() => load(service));
}

describe('autoscale and resources', () => {
  it('an HPA with Kubernetes defaults except what is given', () => {
    const s = load(
      '    replicas: 2\n    autoscale: { target: 60%, min: 2, max: 12, scaleDown: { stabilizationWindow: 60s } }',
    );
    expect(s.world.services[0]!.autoscale).toEqual({
      metric: 'utilization',
      policy: {
        kind: 'hpa',
        spec: {
          ...HPA_DEFAULTS,
          target: 0.6,
          minReplicas: 2,
          maxReplicas: 12,
          scaleDown: { ...HPA_DEFAULTS.scaleDown, stabilizationWindowMs: 60_000 },
        },
      },
    });
  });

  it('the threshold policy on in-flight requests, and resources', () => {
    const s = load(
      '    autoscale: { policy: threshold, metric: inflight, upper: 8, lower: 2, hold: 60s }\n    resources: { cores: 2, memoryMb: 1024, costPerHour: 0.2 }',
    );
    expect(s.world.services[0]!.autoscale).toEqual({
      metric: 'inflight',
      policy: { kind: 'threshold', spec: { ...THRESHOLD_DEFAULTS, upper: 8, lower: 2, holdMs: 60_000 } },
    });
    expect(s.world.services[0]!.resources).toEqual({ cores: 2, memoryMb: 1024, costPerHour: 0.2 });
  });

  it.each([
    [
      'replicas outside the bounds',
      '    replicas: 1\n    autoscale: { min: 2, max: 4 }',
      'replicas (1) is where the autoscaler starts: it must lie within autoscale min 2 and max 4',
    ],
    ['a target without a unit for utilization', '    autoscale: { target: 50 }', 'expected a percentage'],
    [
      'no target for in-flight requests',
      '    autoscale: { metric: inflight }',
      'give target: the inflight per instance the autoscaler aims for',
    ],
    ['an unknown metric', '    autoscale: { metric: cpu }', 'autoscale.metric'],
    ['min above max', '    autoscale: { min: 5, max: 3 }', 'min must not exceed max'],
    ['threshold keys on an HPA', '    autoscale: { upper: 80% }', 'unknown key "upper"'],
    [
      'lower above upper',
      '    autoscale: { policy: threshold, upper: 50%, lower: 60% }',
      'lower must be below upper',
    ],
    [
      'a bad scaling policy',
      '    autoscale: { scaleUp: { policies: [{ type: Pod, value: 4, period: 15s }] } }',
      'autoscale.scaleUp.policies',
    ],
    [
      'a negative cost',
      '    resources: { costPerHour: -1 }',
      'expected a cost per instance-hour ≥ 0 such as 0.05, got -1',
    ],
    ['min 0', '    autoscale: { min: 0 }', 'autoscale.min'],
  ])('%s is refused with a located message', (_what, service, expected) => {
    const message = messageOf(service);
    expect(message).toMatch(/^scaling\.yaml:\d+:\d+: services\.api/);
    expect(message).toContain(expected);
  });
});
