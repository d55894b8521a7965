/**
 * The `leak` chaos action as written: `{at, for, leak: service[.endpoint], per, limit}` — what it
 * resolves to (memory sizes in MB, the limit taken from the service's memory when left out) and
 * the located messages of bad input.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText, type ResolvedScenario } from '../../src/scenario/index.ts';
import { scenarioErrorMessage } from './error-message.ts';

const SERVICES = `  shop:
    replicas: 2
    resources: { memoryMb: 256 }
    endpoints:
      reports: { work: 5ms, calls: [{ publish: mq.jobs }] }
      cart: { work: 5ms }
  worker:
    endpoints:
      run: { work: 5ms, consumes: mq.jobs }
  api:
    technology: jvm
    endpoints:
      get: { work: 5ms }`;

/** A small scenario whose `chaos:` is the one entry `fault` (a flow map on line 23). */
function text(fault: string): string {
  return `name: mini
description: { en: x, es: x }
duration: 2m
services:
${SERVICES}
brokers:
  mq: { queues: { jobs: {} } }
workloads:
  load: { rate: 10/s, entry: shop.reports }
chaos:
  - ${fault}
`;
}

function resolved(fault: string): ResolvedScenario {
  return parseScenarioText(text(fault), 'scenarios/mini.yaml');
}

function messageOf(fault: string): string {
  return scenarioErrorMessage(() => resolved(fault));
}

describe('a leak entry resolves', () => {
  it('on an endpoint, with per and limit in MB and GB', () => {
    const s = resolved('{ name: reports-leak, at: 30s, for: 1m, leak: shop.reports, per: 4MB, limit: 1GB }');
    expect(s.world.chaos).toEqual([
      {
        name: 'reports-leak',
        action: { kind: 'leak', perMb: 4, limitMb: 1024 },
        target: { kind: 'service', service: 'shop', endpoint: 'reports', instances: { kind: 'all' } },
        atMs: 30_000,
        forMs: 60_000,
      },
    ]);
  });

  it('on a whole service, with decimals and spaces; the generated name', () => {
    const s = resolved('{ at: 30s, leak: shop, per: 0.5 MB, limit: 0.25GB }');
    expect(s.world.chaos?.[0]).toMatchObject({
      name: 'leak shop@30s',
      action: { kind: 'leak', perMb: 0.5, limitMb: 256 },
      target: { kind: 'service', service: 'shop', endpoint: null },
      forMs: null,
    });
  });

  it('without limit: the service resources.memoryMb, or its technology profile memory', () => {
    expect(resolved('{ at: 30s, leak: shop, per: 4MB }').world.chaos?.[0]?.action).toEqual({
      kind: 'leak',
      perMb: 4,
      limitMb: 256,
    });
    // The jvm profile's 512 MB.
    expect(resolved('{ at: 30s, leak: api, per: 4MB }').world.chaos?.[0]?.action).toEqual({
      kind: 'leak',
      perMb: 4,
      limitMb: 512,
    });
  });

  it('an expectation may name it, before, during and after', () => {
    const s = parseScenarioText(
      text('{ name: leak, at: 30s, for: 30s, leak: shop.reports, per: 4MB }').concat(
        'expect:\n  - { metric: availability, workload: load, during: { after: leak }, atLeast: 1% }\n',
      ),
      'scenarios/mini.yaml',
    );
    expect(s.expectations).toHaveLength(1);
  });
});

describe('a bad leak entry is reported where it is', () => {
  it.each([
    [
      'no per',
      '{ at: 30s, leak: shop.reports }',
      'scenarios/mini.yaml:23:5: chaos[0].per: missing required key "per": expected the memory each answered request leaks, such as 4MB',
    ],
    [
      'a size without a unit',
      '{ at: 30s, leak: shop.reports, per: 4 }',
      'scenarios/mini.yaml:23:41: chaos[0].per: expected a memory size such as "4MB", got 4 (memory sizes need a unit, MB or GB, e.g. 4MB)',
    ],
    [
      'an unknown unit',
      '{ at: 30s, leak: shop.reports, per: 4Mi }',
      'scenarios/mini.yaml:23:41: chaos[0].per: expected a memory size such as "4MB", got "4Mi" (unknown unit "Mi"; write MB or GB, 1 GB = 1024 MB)',
    ],
    [
      'a unit in lower case',
      '{ at: 30s, leak: shop.reports, per: 4mb }',
      'scenarios/mini.yaml:23:41: chaos[0].per: expected a memory size such as "4MB", got "4mb" (unknown unit "mb"; write MB or GB, 1 GB = 1024 MB)',
    ],
    [
      'a size of zero',
      '{ at: 30s, leak: shop.reports, per: 0MB }',
      'scenarios/mini.yaml:23:41: chaos[0].per: expected a memory size such as "4MB", got "0MB" (it must be above 0)',
    ],
    [
      'a negative limit',
      '{ at: 30s, leak: shop.reports, per: 4MB, limit: -1MB }',
      'scenarios/mini.yaml:23:53: chaos[0].limit: expected a memory size such as "512MB", got "-1MB" (it must be above 0)',
    ],
    [
      'a list as a size',
      '{ at: 30s, leak: shop, per: [4MB] }',
      'scenarios/mini.yaml:23:33: chaos[0].per: expected a memory size such as "4MB", got a list',
    ],
    [
      'per not below the limit',
      '{ at: 30s, leak: shop, per: 0.5GB }',
      'scenarios/mini.yaml:23:33: chaos[0].per: per (512 MB) is not below the limit (256 MB): the first request answered would kill its instance; a leak takes many requests to fill the memory (kill crashes at once)',
    ],
    [
      'no limit and no memory to take it from',
      '{ at: 30s, leak: worker, per: 4MB }',
      'scenarios/mini.yaml:23:5: chaos[0]: a leak needs a memory limit: write limit (such as 512MB), or give worker resources.memoryMb or a technology',
    ],
    [
      'a misspelt key',
      '{ at: 30s, leak: shop, per: 4MB, lmit: 1GB }',
      'scenarios/mini.yaml:23:38: chaos[0].lmit: unknown key "lmit" (did you mean "limit"?)',
    ],
    [
      'instances',
      '{ at: 30s, leak: shop, per: 4MB, instances: 1 }',
      'scenarios/mini.yaml:23:38: chaos[0].instances: "instances" applies to kill, restart, hang, slow, error faults, not to leak',
    ],
    [
      'a parameter of another action',
      '{ at: 30s, leak: shop, per: 4MB, factor: 2 }',
      'scenarios/mini.yaml:23:38: chaos[0].factor: "factor" applies to slow faults, not to leak',
    ],
    [
      'per on another action',
      '{ at: 30s, kill: shop, per: 4MB }',
      'scenarios/mini.yaml:23:28: chaos[0].per: "per" applies to leak faults, not to kill',
    ],
    [
      'an unknown endpoint',
      '{ at: 30s, leak: shop.reprots, per: 4MB }',
      'scenarios/mini.yaml:23:22: chaos[0].leak: unknown fault target "shop.reprots" (did you mean "shop.reports"?): service "shop" has no endpoint "reprots"',
    ],
    [
      'an edge',
      '{ at: 30s, leak: shop->worker, per: 4MB }',
      'scenarios/mini.yaml:23:22: chaos[0].leak: a leak fault targets a service, not an edge: write the service alone',
    ],
    [
      'a broker',
      '{ at: 30s, leak: mq, per: 4MB }',
      'scenarios/mini.yaml:23:22: chaos[0].leak: "mq" is a broker: a leak hits a service (the requests its instances answer), not a broker',
    ],
    [
      'an unknown service',
      '{ at: 30s, leak: shp, per: 4MB }',
      'scenarios/mini.yaml:23:22: chaos[0].leak: unknown service or broker "shp" (did you mean "shop"?)',
    ],
  ])('%s', (_what, fault, message) => {
    expect(messageOf(fault)).toBe(message);
  });
});
