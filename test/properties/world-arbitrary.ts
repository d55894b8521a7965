/**
 * fast-check arbitraries for random SMALL resolved scenarios: 1–4 services of 1–3 endpoints,
 * random work distributions, call steps that may form cycles (bounded by a small
 * `maxCallDepth`), any queueing/holding/balancing choice, open and closed workloads. Durations are
 * short and `maxEvents` is low so that each run takes milliseconds.
 */
import fc from 'fast-check';
import { type Distribution, lognormalFromMedianP99 } from '../../src/engine/distributions.ts';
import type {
  CallSpec,
  CallStep,
  EndpointSpec,
  RateChange,
  ServiceSpec,
  WorkloadSpec,
} from '../../src/model/world-spec.ts';
import type { ResolvedScenario } from '../../src/scenario/resolved.ts';

/**
 * Numbers in [min, max] on a grid of 1000 steps, plus the bounds and a tiny positive value.
 * fc.double alone is uniform over float encodings, so it would mostly yield subnormal values;
 * those are kept out on purpose: a run that stops early at a subnormal time makes the results'
 * per-second rates overflow (1000 / measuredMs is Infinity; a known bug in observe/metrics.ts).
 */
const num = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 1000 }).map((i) => min + ((max - min) * i) / 1000) },
    { weight: 1, arbitrary: fc.constantFrom(min, max, Math.max(min, Math.min(max, min + 1e-9))) },
  );

/** Distributions of non-negative values with means up to about `scale` ms, as the scenario layer allows. */
export function distribution(scale: number): fc.Arbitrary<Distribution> {
  const value = num(0, scale);
  const positive = num(scale / 1000, scale);
  const simple: fc.Arbitrary<Distribution> = fc.oneof(
    fc.constant<Distribution>({ kind: 'constant', value: 0 }),
    value.map((v): Distribution => ({ kind: 'constant', value: v })),
    positive.map((mean): Distribution => ({ kind: 'exponential', mean })),
    fc
      .tuple(value, value)
      .map(([a, b]): Distribution => ({ kind: 'uniform', min: Math.min(a, b), max: Math.max(a, b) })),
    fc.tuple(value, value).map(([mean, sd]): Distribution => ({ kind: 'normal', mean, sd })),
    fc.tuple(positive, num(1.01, 20)).map(([median, f]) => lognormalFromMedianP99(median, median * f)),
    fc.tuple(num(0.1, 5), positive).map(([shape, mean]): Distribution => ({ kind: 'gamma', shape, mean })),
    fc
      .array(value, { minLength: 1, maxLength: 4 })
      .map((values): Distribution => ({ kind: 'empirical', values })),
  );
  const mixture = fc
    .array(fc.record({ weight: num(0.01, 1), dist: simple }), { minLength: 1, maxLength: 3 })
    .map((components): Distribution => ({ kind: 'mixture', components }));
  return fc.oneof({ weight: 6, arbitrary: simple }, { weight: 1, arbitrary: mixture });
}

/** A call target by indices, resolved modulo the world's sizes once the world is known. */
interface RawCall {
  readonly s: number;
  readonly e: number;
  readonly probability: number;
  readonly soft: boolean;
}
type RawStep =
  | { readonly kind: 'call'; readonly call: RawCall }
  | { readonly kind: 'parallel'; readonly calls: readonly RawCall[] }
  | { readonly kind: 'choice'; readonly branches: readonly { weight: number; call: RawCall }[] };

const rawCall: fc.Arbitrary<RawCall> = fc.record({
  s: fc.nat(3),
  e: fc.nat(2),
  probability: fc.oneof(fc.constant(1), num(0, 1)),
  soft: fc.boolean(),
});

const rawStep: fc.Arbitrary<RawStep> = fc.oneof(
  { weight: 3, arbitrary: rawCall.map((call) => ({ kind: 'call' as const, call })) },
  {
    weight: 1,
    arbitrary: fc
      .array(rawCall, { minLength: 1, maxLength: 3 })
      .map((calls) => ({ kind: 'parallel' as const, calls })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.record({ weight: num(0, 1), call: rawCall }), { minLength: 1, maxLength: 3 })
      .map((branches) => ({ kind: 'choice' as const, branches })),
  },
);

const rawEndpoint = fc.record({
  work: distribution(20),
  order: fc.constantFrom('work-first' as const, 'calls-first' as const),
  steps: fc.array(rawStep, { maxLength: 2 }),
});

const rawService = fc.record({
  endpoints: fc.array(rawEndpoint, { minLength: 1, maxLength: 3 }),
  replicas: fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 3 }) },
  ),
  workers: fc.integer({ min: 1, max: 4 }),
  queueCapacity: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 5 }),
    fc.constant(Number.POSITIVE_INFINITY),
  ),
  discipline: fc.constantFrom('fifo' as const, 'ps' as const),
  holding: fc.constantFrom('thread-per-request' as const, 'non-blocking' as const),
  startup: fc.oneof(fc.constant<Distribution>({ kind: 'constant', value: 0 }), distribution(300)),
  loadBalancing: fc.constantFrom('round-robin' as const, 'random' as const, 'least-requests' as const),
});

const rateChange: fc.Arbitrary<RateChange> = fc.record({
  atMs: num(0, 1500),
  ratePerSec: num(0, 300),
  rampMs: fc.oneof(fc.constant(0), num(0, 500)),
});

const rawWorkload = fc.oneof(
  fc.record({
    kind: fc.constant('open' as const),
    arrivals: fc.constantFrom('poisson' as const, 'constant' as const),
    ratePerSec: num(0, 300),
    profile: fc.array(rateChange, { maxLength: 3 }).map((p) => [...p].sort((a, b) => a.atMs - b.atMs)),
    entries: fc.array(fc.record({ s: fc.nat(3), e: fc.nat(2), weight: num(0.01, 1) }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  fc.record({
    kind: fc.constant('closed' as const),
    users: fc.integer({ min: 0, max: 6 }),
    think: distribution(50),
    entries: fc.array(fc.record({ s: fc.nat(3), e: fc.nat(2), weight: num(0.01, 1) }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
);

const NAMES = ['api', 'cart', 'db', 'auth'];

/** A random small scenario, ready for `createSession`. */
export const scenarioArb: fc.Arbitrary<ResolvedScenario> = fc
  .record({
    services: fc.array(rawService, { minLength: 1, maxLength: 4 }),
    workloads: fc.array(rawWorkload, { minLength: 1, maxLength: 2 }),
    latency: fc.oneof(fc.constant<Distribution>({ kind: 'constant', value: 0 }), distribution(5)),
    edgeLatency: fc.option(distribution(5), { nil: undefined }),
    maxCallDepth: fc.integer({ min: 1, max: 6 }),
    maxQueueLength: fc.integer({ min: 5, max: 500 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    durationMs: fc.integer({ min: 50, max: 1500 }),
    warmupFraction: fc.oneof(fc.constant(0), num(0, 0.9)),
    intervalMs: fc.integer({ min: 10, max: 400 }),
  })
  .map((raw): ResolvedScenario => {
    const svcs = raw.services;
    const target = (r: { s: number; e: number }): { service: string; endpoint: string } => {
      const s = r.s % svcs.length;
      return { service: NAMES[s]!, endpoint: `e${r.e % svcs[s]!.endpoints.length}` };
    };
    const call = (r: RawCall): CallSpec => ({ ...target(r), probability: r.probability, soft: r.soft });
    const step = (r: RawStep): CallStep => {
      if (r.kind === 'call') return { kind: 'call', call: call(r.call) };
      if (r.kind === 'parallel') return { kind: 'parallel', calls: r.calls.map(call) };
      // Weights are probabilities summing to at most 1.
      const total = Math.max(
        1,
        r.branches.reduce((s, b) => s + b.weight, 0),
      );
      return {
        kind: 'choice',
        branches: r.branches.map((b) => ({ weight: b.weight / total, call: call(b.call) })),
      };
    };
    const services = svcs.map(
      (s, i): ServiceSpec => ({
        name: NAMES[i]!,
        replicas: s.replicas,
        workers: s.workers,
        queueCapacity: s.queueCapacity,
        discipline: s.discipline,
        holding: s.holding,
        startup: s.startup,
        loadBalancing: s.loadBalancing,
        endpoints: s.endpoints.map(
          (e, j): EndpointSpec => ({ name: `e${j}`, work: e.work, order: e.order, calls: e.steps.map(step) }),
        ),
      }),
    );
    const workloads = raw.workloads.map((w, i): WorkloadSpec => {
      const entries = w.entries.map((e) => ({ ...target(e), weight: e.weight }));
      if (w.kind === 'closed')
        return { kind: 'closed', name: `w${i}`, entries, users: w.users, think: w.think };
      const { arrivals, ratePerSec, profile } = w;
      return { kind: 'open', name: `w${i}`, entries, arrivals, ratePerSec, profile };
    });
    const edges =
      raw.edgeLatency === undefined ? [] : [{ from: 'client', to: NAMES[0]!, latency: raw.edgeLatency }];
    return {
      name: 'random',
      description: { en: 'random world', es: 'mundo aleatorio' },
      seed: raw.seed,
      durationMs: raw.durationMs,
      warmupMs: Math.floor(raw.durationMs * raw.warmupFraction),
      world: {
        services,
        network: { defaultLatency: raw.latency, edges },
        workloads,
        limits: { maxCallDepth: raw.maxCallDepth, maxQueueLength: raw.maxQueueLength },
      },
      metrics: { intervalMs: raw.intervalMs },
      limits: { maxEvents: 5_000, wallTimeMs: 10_000 },
    };
  });
