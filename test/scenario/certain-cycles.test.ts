import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/index.ts';

const scenario = (services: string) => `
name: loops
description: { en: Loops., es: Bucles. }
duration: 1m
services:
${services}
workloads:
  load: { rate: 10/s, entry: a.x }
`;

describe('cycles of calls that always happen', () => {
  it('are refused, naming the loop in call order and where it closes', () => {
    const text = scenario(`  a:
    endpoints:
      x: { work: 1ms, calls: [b.y] }
  b:
    endpoints:
      y: { work: 1ms, calls: [c.z] }
  c:
    endpoints:
      z: { work: 1ms, calls: [{ parallel: [a.x] }] }`);
    expect(() => parseScenarioText(text, 'loops.yaml')).toThrow(
      /loops\.yaml:\d+:\d+: services\.a\.endpoints\.x\.calls: these calls always happen and form a loop: a\.x → b\.y → c\.z → a\.x;/,
    );
  });

  it('include an endpoint that always calls itself in-process', () => {
    const text = scenario(`  a:
    endpoints:
      x: { work: 1ms, calls: [x] }`);
    expect(() => parseScenarioText(text, 'self.yaml')).toThrow(/a\.x → a\.x/);
  });

  it('are fine when one call on the loop is probabilistic (feedback, retries)', () => {
    const text = scenario(`  a:
    endpoints:
      x: { work: 1ms, calls: [b.y] }
  b:
    endpoints:
      y: { work: 1ms, calls: [{ to: a.x, probability: 30% }] }`);
    expect(parseScenarioText(text, 'feedback.yaml').world.services).toHaveLength(2);
  });
});
