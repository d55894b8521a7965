import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineScenario, resolveScenario, type ScenarioInput } from '../../src/scenario/index.ts';

describe('defineScenario', () => {
  it('is the identity, typed with the scenario input type', () => {
    const input = {
      name: 'typed',
      description: { en: 'x', es: 'x' },
      duration: '1m',
      services: { api: { endpoints: { get: { work: 'exp(5ms)' } } } },
      workloads: { w: { rate: '1/s', entry: 'api.get' } },
    } satisfies ScenarioInput;
    expect(defineScenario(input)).toBe(input);
    expectTypeOf(defineScenario).parameter(0).toEqualTypeOf<ScenarioInput>();
    expect(resolveScenario(defineScenario(input)).name).toBe('typed');
  });

  // The @ts-expect-error lines are verified by the type check (npm run typecheck): an error that
  // disappears makes the directive itself an error.
  it('rejects wrong shapes at compile time', () => {
    const base = { name: 'x', description: { en: 'x', es: 'x' }, duration: '1s' as const, workloads: {} };
    // @ts-expect-error: replicas is a number
    defineScenario({ ...base, services: { api: { replicas: 'two', endpoints: {} } } });
    // @ts-expect-error: unknown discipline
    defineScenario({ ...base, services: { api: { discipline: 'lifo', endpoints: {} } } });
    const badStep = { work: '1ms', calls: [{ go: 'x' }] };
    // @ts-expect-error: `calls` steps are targets or {to}/{parallel}/{choice} maps
    defineScenario({ ...base, services: { api: { endpoints: { get: badStep } } } });
    const badDist = { work: { dist: 'weibull' as const } };
    // @ts-expect-error: the object form of a distribution needs a known `dist`
    defineScenario({ ...base, services: { api: { endpoints: { get: badDist } } } });
    // @ts-expect-error: description needs both languages
    defineScenario({ ...base, description: { en: 'x' }, services: {} });
  });
});
