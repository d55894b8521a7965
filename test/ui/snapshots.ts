/**
 * Hand-made dashboard snapshots for the UI tests and the docs: a small shop (web → checkout →
 * payments, a catalog, a broker `mq` with a queue consumed by shipping) in the middle of a
 * payments outage, and an empty run.
 */
import type {
  ChartSeries,
  DashboardSnapshot,
  InstanceGlyph,
  ServiceView,
} from '../../src/observe/dashboard-model.ts';

/** The seconds 30…44 (point indices) of the shop's chart are the `payments-down` fault window. */
export const FAULT_FROM = 30;
export const FAULT_TO = 44;
const POINTS = 60;

function instances(name: string, states: readonly InstanceGlyph[]): ServiceView['instances'] {
  return states.map((state, i) => ({ id: `${name}#${i + 1}`, state }));
}

function service(
  name: string,
  depth: number,
  states: readonly InstanceGlyph[],
  numbers: Partial<ServiceView> = {},
): ServiceView {
  return {
    name,
    kind: 'service',
    depth,
    instances: instances(name, states),
    replicas: states.filter((s) => s === 'ready' || s === 'starting' || s === 'hung').length,
    version: null,
    throughput: 0,
    errorRate: 0,
    p50Ms: null,
    p99Ms: null,
    utilization: null,
    queued: 0,
    ...numbers,
  };
}

const inFault = (i: number): boolean => i >= FAULT_FROM && i <= FAULT_TO;

function series(key: ChartSeries['key'], f: (i: number) => number | null): ChartSeries {
  return { key, points: Array.from({ length: POINTS }, (_, i) => f(i)) };
}

/** The shop, 60 s into a 120 s run, payments crashed at 30 s; `overrides` replace whole fields. */
export function shopSnapshot(overrides: Partial<DashboardSnapshot> = {}): DashboardSnapshot {
  const base: DashboardSnapshot = {
    scenario: { name: 'shop-outage', seed: 42 },
    lang: 'en',
    clock: { nowMs: 60_000, durationMs: 120_000, warmupMs: 5_000 },
    pacing: { speed: 10, state: 'running' },
    services: [
      service('web', 1, ['ready', 'ready'], {
        throughput: 48.2,
        errorRate: 0.031,
        p50Ms: 42,
        p99Ms: 310,
        utilization: 0.55,
      }),
      service('catalog', 2, ['ready', 'draining'], {
        throughput: 30.1,
        errorRate: 0,
        p50Ms: 8,
        p99Ms: 25,
        utilization: 0.2,
      }),
      service('checkout', 2, ['ready', 'ready', 'starting'], {
        version: 'v2',
        throughput: 18,
        errorRate: 0.12,
        p50Ms: 120,
        p99Ms: 1200,
        utilization: 0.93,
        queued: 14,
      }),
      {
        ...service('mq', 3, []),
        kind: 'broker',
        errorRate: null,
      },
      service('payments', 3, ['crashed', 'ready', 'hung'], {
        throughput: 6.5,
        errorRate: 0.4,
        p50Ms: 95,
        p99Ms: 2000,
        utilization: 1,
        queued: 3,
      }),
      service('shipping', 4, ['ready', 'stopped'], {
        throughput: 4,
        errorRate: 0,
        p50Ms: 30,
        p99Ms: 80,
        utilization: 0.4,
      }),
    ],
    edges: [
      { from: 'web', to: 'catalog', kind: 'call', breaker: 'closed' },
      { from: 'web', to: 'checkout', kind: 'call', breaker: null },
      { from: 'checkout', to: 'payments', kind: 'call', breaker: 'open' },
      { from: 'checkout', to: 'mq', kind: 'publish', breaker: null },
      { from: 'mq', to: 'shipping', kind: 'deliver', breaker: null },
    ],
    queues: [{ broker: 'mq', queue: 'orders', waiting: 37, inFlight: 4, oldestAgeMs: 2300, deadLettered: 2 }],
    workloads: [
      { name: 'shoppers', throughput: 48.2, availability: 0.969, p99Ms: 310 },
      { name: 'browsers', throughput: 30.1, availability: 1, p99Ms: 25 },
    ],
    selected: 'checkout',
    chart: {
      subject: 'checkout',
      kind: 'service',
      fromMs: 0,
      series: [
        series('throughput', (i) => (inFault(i) ? 12 : 20 + (i % 5))),
        series('errors', (i) => (inFault(i) ? 0.4 : 0)),
        series('p99', (i) => (i < 2 ? null : inFault(i) ? 1200 : 120 + (i % 7) * 10)),
        series('replicas', (i) => (i < 40 ? 3 : 4)),
      ],
      faultWindows: [{ name: 'payments-down', from: FAULT_FROM, to: FAULT_TO }],
    },
    events: [
      { at: 5_000, kind: 'narration', text: 'Warm-up over: measuring from now on.' },
      { at: 30_000, kind: 'fault', text: 'payments-down: payments#1 crashed (chaos timeline)' },
      {
        at: 31_200,
        kind: 'breaker',
        text: 'checkout→payments breaker opened: 27 of the last 50 calls failed (54% ≥ 50%)',
      },
      { at: 33_000, kind: 'instance', text: 'payments#3 hung' },
      { at: 40_000, kind: 'scale', text: 'checkout scaled 3 → 4 replicas: utilization 93% > target 70%' },
      { at: 41_500, kind: 'command', text: 'key k: crashed catalog#2' },
      { at: 45_000, kind: 'deploy', text: 'checkout v2 rollout: 1 of 3 instances replaced' },
      { at: 52_300, kind: 'message', text: 'mq/orders: 2 messages dead-lettered after 5 deliveries' },
    ],
    caption: {
      at: 30_000,
      text:
        'Payments is down. Watch the breaker on checkout → payments open: checkout now answers at once ' +
        'with a fallback instead of waiting for a timeout.',
      waitingForKey: true,
    },
    faults: [{ name: 'payments-down', kind: 'crash', target: 'payments', startedAt: 30_000 }],
    status: null,
  };
  return { ...base, ...overrides };
}

/** A run with nothing in it yet: no services, no chart, no events, no caption. */
export function emptySnapshot(overrides: Partial<DashboardSnapshot> = {}): DashboardSnapshot {
  return {
    scenario: { name: 'empty', seed: 1 },
    lang: 'en',
    clock: { nowMs: 0, durationMs: 10_000, warmupMs: 0 },
    pacing: { speed: 1, state: 'paused' },
    services: [],
    edges: [],
    queues: [],
    workloads: [],
    selected: null,
    chart: null,
    events: [],
    caption: null,
    faults: [],
    status: null,
    ...overrides,
  };
}
