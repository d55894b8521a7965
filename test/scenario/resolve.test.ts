import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, resolveScenario, ScenarioError } from '../../src/scenario/index.ts';
import { SHOP_WORLD } from './fixtures/shop-world.ts';

const SHOP = new URL('./fixtures/shop.yaml', import.meta.url);

const call = (service: string, endpoint: string, probability = 1, soft = false) => ({
  service,
  endpoint,
  probability,
  soft,
});

const MINIMAL = `
name: mini
description: { en: Minimal., es: Mínimo. }
duration: 1m
services:
  api:
    endpoints:
      get: { work: 5ms }
workloads:
  load: { rate: 10/s, entry: api.get }
`;

describe('resolving a full scenario', () => {
  it('turns every feature of shop.yaml into the expected WorldSpec', () => {
    const scenario = parseScenarioText(readFileSync(SHOP, 'utf8'), 'scenarios/shop.yaml');
    expect(scenario.world).toEqual(SHOP_WORLD);
    expect(scenario).toMatchObject({
      name: 'shop',
      description: { en: 'One API in front of a database.', es: 'Una API delante de una base de datos.' },
      seed: 42,
      durationMs: 600_000,
      warmupMs: 30_000,
      metrics: { intervalMs: 2000 },
      limits: { maxEvents: 2_000_000, wallTimeMs: 60_000 },
      source: 'scenarios/shop.yaml',
    });
  });

  it('applies the documented defaults', () => {
    const scenario = parseScenarioText(MINIMAL, 'mini.yaml');
    expect(scenario).toEqual({
      name: 'mini',
      description: { en: 'Minimal.', es: 'Mínimo.' },
      seed: 1,
      durationMs: 60_000,
      warmupMs: 0,
      metrics: { intervalMs: 1000 },
      limits: { maxEvents: 1_000_000_000, wallTimeMs: 600_000 },
      expectations: [],
      source: 'mini.yaml',
      world: {
        services: [
          {
            name: 'api',
            replicas: 1,
            workers: 1,
            queueCapacity: Number.POSITIVE_INFINITY,
            discipline: 'fifo',
            holding: 'thread-per-request',
            startup: { kind: 'constant', value: 0 },
            loadBalancing: 'round-robin',
            endpoints: [
              { name: 'get', work: { kind: 'constant', value: 5 }, order: 'work-first', calls: [] },
            ],
          },
        ],
        network: { defaultLatency: { kind: 'constant', value: 0 }, edges: [] },
        workloads: [
          {
            kind: 'open',
            name: 'load',
            entries: [{ service: 'api', endpoint: 'get', weight: 1 }],
            arrivals: 'poisson',
            ratePerSec: 10,
            profile: [],
          },
        ],
        limits: { maxCallDepth: 32, maxQueueLength: 100_000 },
      },
    });
  });

  it('a closed workload thinks 0ms unless told otherwise', () => {
    const text = MINIMAL.replace(
      '{ rate: 10/s, entry: api.get }',
      '{ type: closed, users: 3, entry: api.get }',
    );
    expect(parseScenarioText(text, 'mini.yaml').world.workloads[0]).toEqual({
      kind: 'closed',
      name: 'load',
      entries: [{ service: 'api', endpoint: 'get', weight: 1 }],
      users: 3,
      think: { kind: 'constant', value: 0 },
    });
  });

  it('keeps the order of services, endpoints and workloads as written', () => {
    const raw = {
      name: 'order',
      description: { en: 'x', es: 'x' },
      duration: '1s',
      services: {
        zeta: { endpoints: { b: { work: '1ms' }, a: { work: '1ms' } } },
        alpha: { endpoints: { z: { work: '1ms' } } },
      },
      workloads: { second: { rate: '1/s', entry: 'zeta.a' }, first: { rate: '1/s', entry: 'alpha.z' } },
    };
    const { world } = resolveScenario(raw);
    expect(world.services.map((s) => s.name)).toEqual(['zeta', 'alpha']);
    expect(world.services[0]!.endpoints.map((e) => e.name)).toEqual(['b', 'a']);
    expect(world.workloads.map((w) => w.name)).toEqual(['second', 'first']);
  });

  it('normalizes mix weights to sum 1 and resolves in-process targets to the own service', () => {
    const raw = {
      name: 'mix',
      description: { en: 'x', es: 'x' },
      duration: '1s',
      services: {
        api: { endpoints: { a: { work: '1ms', calls: ['b', 'api.b'] }, b: { work: '1ms' } } },
      },
      workloads: {
        w: {
          rate: '1/s',
          mix: [
            { to: 'api.a', weight: 3 },
            { to: 'api.b', weight: 1 },
          ],
        },
      },
    };
    const { world, source } = resolveScenario(raw);
    expect(source).toBeUndefined();
    expect(world.workloads[0]!.entries.map((e) => e.weight)).toEqual([0.75, 0.25]);
    expect(world.services[0]!.endpoints[0]!.calls).toEqual([
      { kind: 'call', call: call('api', 'b') },
      { kind: 'call', call: call('api', 'b') },
    ]);
  });

  it('accepts choice weights that sum to 100% up to rounding, and rejects more', () => {
    const choice = (weights: string[]) => ({
      name: 'c',
      description: { en: 'x', es: 'x' },
      duration: '1s',
      services: {
        api: {
          endpoints: {
            a: { work: '1ms', calls: [{ choice: weights.map((weight) => ({ to: 'b', weight })) }] },
            b: { work: '1ms' },
          },
        },
      },
      workloads: { w: { rate: '1/s', entry: 'api.a' } },
    });
    expect(() =>
      resolveScenario(choice(['33.3333333333%', '33.3333333333%', '33.3333333334%'])),
    ).not.toThrow();
    expect(() => resolveScenario(choice(['60%', '50%']))).toThrow(/must sum to at most 100%, got 110%/);
  });

  it('reports problems of a data object with the field path (no line numbers)', () => {
    const error = (() => {
      try {
        resolveScenario(
          { name: 'x', description: { en: 'x', es: 'x' }, duration: '1s', services: {} },
          'inline',
        );
      } catch (e) {
        return e as ScenarioError;
      }
      throw new Error('expected a ScenarioError');
    })();
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.issues).toEqual([
      {
        file: 'inline',
        path: 'workloads',
        message: 'missing required key "workloads": expected a map of names to definitions',
      },
    ]);
  });

  it('rejects holding together with processor sharing, naming the line', () => {
    const text = MINIMAL.replace('  api:\n', '  api:\n    discipline: ps\n    holding: non-blocking\n');
    expect(() => parseScenarioText(text, 'ps.yaml')).toThrow(
      /ps\.yaml:\d+:\d+: services\.api\.holding: `holding` has no effect/,
    );
  });

  it('bounds replicas and users to what one process can simulate', () => {
    const tooMany = MINIMAL.replace('  api:\n', '  api:\n    replicas: 100000000\n');
    expect(() => parseScenarioText(tooMany, 'many.yaml')).toThrow(
      /many\.yaml:\d+:\d+: services\.api\.replicas: expected at most 10,000, got 100000000/,
    );
  });

  it('refuses a workload that would send more than a billion requests (a unit typo)', () => {
    const typo = MINIMAL.replace('rate: 10/s', 'rate: 8000000/ms');
    expect(() => parseScenarioText(typo, 'typo.yaml')).toThrow(
      /typo\.yaml:\d+:\d+: workloads\.load\.rate: this workload could send about 4\.8e\+11 requests/,
    );
  });
});
