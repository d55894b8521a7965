/**
 * Resilience patterns against closed forms from the literature, through the public testing API
 * (`runScenario` on scenario objects written as in a YAML file). Each check says where its formula
 * comes from and how its tolerance was set:
 *
 * - Where every call is an independent trial (injected errors and service times drawn per
 *   attempt, no queueing: the callees have far more workers than calls in flight), one long run
 *   gives n i.i.d. outcomes, and a share is compared with its binomial standard error
 *   √(p(1 − p)/n), a mean with its CLT standard error √(Var/n) from the exact variance, at 4.5
 *   standard errors (a correct simulator fails about once in 150 000 comparisons).
 * - Where outcomes are correlated in time (a bulkhead's occupancy, a queue), independent
 *   replications with fixed seeds give the standard error, as in the queueing validations
 *   (replications.ts: 99.9% Student t quantile, and a value 10% off must be rejected).
 * - Where the closed form is a bound (a token bucket, load shedding), the bound is asserted with
 *   the slack the argument allows, stated next to it.
 *
 * Seeds are fixed, so every run of the suite sees the same numbers.
 */
import { type Bus, type FailureReason, runScenario, type ScenarioInput, type Signals } from 'microsim';
import { describe, expect, it } from 'vitest';
import { erlangB } from '../../src/observe/theory.ts';
import { estimate, expectAgrees, tolerance } from './replications.ts';

/** Tolerance of the single-run comparisons of i.i.d. outcomes, in standard errors. */
const K_SE = 4.5;

const description = {
  en: 'A resilience validation scenario.',
  es: 'Un escenario de validación de resiliencia.',
};

/** Asserts |measured − theory| ≤ K_SE·se, and that `wrong` (a plausible mistake) would have failed. */
function expectWithin(label: string, measured: number, theory: number, se: number, wrong?: number): void {
  const band = K_SE * se;
  const show = `${label}: theory ${theory.toPrecision(6)}, measured ${measured.toPrecision(6)}, tolerance ±${band.toPrecision(3)} (${K_SE} SE)`;
  expect(Math.abs(measured - theory), show).toBeLessThanOrEqual(band);
  if (wrong !== undefined) {
    expect(Math.abs(measured - wrong), `${show}: would also accept the wrong value ${wrong}`).toBeGreaterThan(
      band,
    );
  }
  if (process.env.MICROSIM_VALIDATION_LOG) console.log(show);
}

/** Binomial standard error of a share with success probability p over n trials. */
const binomialSe = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

/**
 * The distribution of (attempts that reach the bottom, failed) of one call, as a list of
 * outcomes with their probabilities. `attempt(p)` is one attempt at a callee failing with
 * probability p; `retried(inner, n)` repeats an inner call until it succeeds or n attempts were
 * made (each attempt independent: errors are drawn again per attempt).
 */
interface Outcome {
  readonly bottom: number;
  readonly failed: boolean;
  readonly probability: number;
}

const attempt = (p: number): Outcome[] => [
  { bottom: 1, failed: false, probability: 1 - p },
  { bottom: 1, failed: true, probability: p },
];

function retried(inner: readonly Outcome[], n: number): Outcome[] {
  // Paths that are still failing after k attempts, with their accumulated bottom attempts.
  let failing: Outcome[] = [{ bottom: 0, failed: true, probability: 1 }];
  const done: Outcome[] = [];
  for (let k = 1; k <= n; k++) {
    const next: Outcome[] = [];
    for (const path of failing) {
      for (const o of inner) {
        const combined = {
          bottom: path.bottom + o.bottom,
          failed: o.failed,
          probability: path.probability * o.probability,
        };
        if (!o.failed || k === n) done.push(combined);
        else next.push(combined);
      }
    }
    failing = next;
  }
  return done;
}

function moments(outcomes: readonly Outcome[]) {
  const mean = outcomes.reduce((s, o) => s + o.probability * o.bottom, 0);
  const second = outcomes.reduce((s, o) => s + o.probability * o.bottom * o.bottom, 0);
  const failure = outcomes.reduce((s, o) => s + (o.failed ? o.probability : 0), 0);
  return { mean, variance: second - mean * mean, failure };
}

describe('retries under independent failures (each attempt draws its error again)', () => {
  // A callee failing each attempt independently with probability p, retried up to n attempts in
  // all without backoff, fails only if all n fail: availability 1 − pⁿ. The attempts per call are
  // a geometric law truncated at n: E[A] = Σ_{k<n} pᵏ = (1 − pⁿ)/(1 − p) — the "retry
  // amplification" of the AWS Builders' Library ("Timeouts, retries and backoff with jitter")
  // and of the Google SRE book (ch. 22, "Addressing Cascading Failures").
  const p = 0.3;
  const n = 3;

  it('p = 0.3, n = 3: availability 1 − p³ = 0.973 and (1 − p³)/(1 − p) = 1.39 attempts per call', async () => {
    const run = await runScenario({
      name: 'retries-independent',
      description,
      seed: 11,
      duration: '200s',
      services: { back: { workers: 1000, endpoints: { x: { work: '0ms' } } } },
      workloads: {
        users: { rate: '500/s', entry: 'back.x', client: { retry: { maxAttempts: n, backoff: 'none' } } },
      },
      chaos: [{ name: 'flaky', at: '0s', error: 'back', rate: p }],
    });
    const edge = run.edge('users', 'back');
    const calls = edge.calls;
    expect(calls).toBeGreaterThan(95_000);
    expect(run.workload('users').inFlight).toBe(0);
    const law = moments(retried(attempt(p), n));
    // The enumerated law agrees with the closed forms (so the two derivations check each other).
    expect(law.failure).toBeCloseTo(p ** n, 12);
    expect(law.mean).toBeCloseTo((1 - p ** n) / (1 - p), 12);
    const availability = 1 - p ** n;
    // Wrong values it must reject: no re-roll per attempt (availability 1 − p = 0.7, way off) is
    // trivial; one attempt fewer (1 − p² = 0.91) is the subtle one.
    expectWithin(
      'availability',
      edge.availability!,
      availability,
      binomialSe(availability, calls),
      1 - p ** 2,
    );
    expect(run.workload('users').availability).toBe(edge.availability);
    expectWithin(
      'attempts per call',
      edge.retryAmplification!,
      law.mean,
      Math.sqrt(law.variance / calls),
      1 + p, // the mean of one attempt fewer
    );
    // Every failed call made exactly n attempts, all failed with the injected error.
    expect(edge.failures).toEqual({ error_injected: edge.failed });
    expect(edge.retries).toBe(edge.attempts - calls);
  });
});

describe('fan-out: a parallel group of k calls, each failing with p', () => {
  // With independent failures a request whose k hard calls must all succeed is available with
  // probability (1 − p)ᵏ (series system in reliability theory; "the availability of a service
  // with hard dependencies is at most the product of theirs", Google SRE book ch. 3 / Treynor
  // et al., "The Calculus of Service Availability", ACM Queue 2017). Soft calls cannot fail it.
  const p = 0.1;
  const k = 3;
  const fanOut = (soft: boolean): ScenarioInput => ({
    name: 'fan-out',
    description,
    seed: 12,
    duration: '100s',
    services: {
      front: {
        workers: 1000,
        endpoints: {
          x: {
            work: '0ms',
            calls: [{ parallel: ['a', 'b', 'c'].map((s) => ({ to: `${s}.x`, soft })) }],
          },
        },
      },
      a: { workers: 1000, endpoints: { x: { work: '1ms' } } },
      b: { workers: 1000, endpoints: { x: { work: '2ms' } } },
      c: { workers: 1000, endpoints: { x: { work: '3ms' } } },
    },
    workloads: { users: { rate: '500/s', entry: 'front.x' } },
    chaos: ['a', 'b', 'c'].map((s) => ({ at: '0s', error: s, rate: p })),
  });

  it('hard calls: availability (1 − p)³ = 0.729', async () => {
    const run = await runScenario(fanOut(false));
    const users = run.workload('users');
    const completed = users.ok + users.failed;
    const theory = (1 - p) ** k;
    expectWithin('availability', users.availability!, theory, binomialSe(theory, completed), 1 - p);
    expect(users.failures).toEqual({ dependency_failed: users.failed });
    // Each dependency on its own fails with p.
    for (const s of ['a', 'b', 'c']) {
      const e = run.edge('front', s);
      expectWithin(`front→${s} availability`, e.availability!, 1 - p, binomialSe(1 - p, e.calls));
    }
  });

  it('soft calls: availability exactly 1, while the calls still fail with p', async () => {
    const run = await runScenario(fanOut(true));
    const users = run.workload('users');
    expect(users.requests).toBeGreaterThan(45_000);
    expect(users.failed).toBe(0);
    expect(users.availability).toBe(1);
    const a = run.edge('front', 'a');
    expectWithin('front→a availability', a.availability!, 1 - p, binomialSe(1 - p, a.calls));
  });
});

describe('a bulkhead with no wait is an Erlang loss system', () => {
  // c slots, calls arriving as a Poisson process of rate λ, each holding its slot for the whole
  // call (exponential, mean E[S]; zero network latency and a callee with ample workers, so the
  // slot is held exactly for the work): M/M/c/c. The share refused is Erlang's loss formula
  // B(c, a) with a = λ·E[S] (Erlang 1917; Kleinrock, "Queueing Systems" vol. 1, §3.6). Occupancy
  // is correlated in time, so the tolerance comes from ten independent replications.
  const c = 4;
  const lambda = 300;
  const meanS = 0.01;
  const a = lambda * meanS;

  it(`c = 4, a = 3 erlangs: the share refused as bulkhead_full is B(4, 3) ≈ ${erlangB(c, a).toFixed(4)}`, async () => {
    const shares: number[] = [];
    const loads: number[] = [];
    for (let seed = 2001; seed <= 2010; seed++) {
      const run = await runScenario(
        {
          name: 'bulkhead-erlang-b',
          description,
          duration: '60s',
          warmup: '5s',
          metrics: { interval: '60s' },
          services: {
            front: {
              workers: 1000,
              endpoints: { x: { work: '0ms', calls: ['back.x'] } },
              clients: { back: { bulkhead: { maxConcurrent: c, maxWait: '0s' } } },
            },
            back: { workers: 1000, endpoints: { x: { work: `exp(${meanS * 1000}ms)` } } },
          },
          workloads: { users: { rate: `${lambda}/s`, entry: 'front.x' } },
        },
        { seed },
      );
      const edge = run.edge('front', 'back');
      expect(edge.failures).toEqual({ bulkhead_full: edge.rejections.bulkhead_full });
      shares.push((edge.rejections.bulkhead_full ?? 0) / edge.calls);
      // Carried load a(1 − B): mean slots busy = mean calls at back (Little's law).
      loads.push(run.service('back').meanInSystem);
    }
    const loss = erlangB(c, a);
    expectAgrees('P(bulkhead_full)', estimate(shares), loss);
    expectAgrees('carried load (slots busy)', estimate(loads), a * (1 - loss));
  });
});

describe('a timeout at a quantile of the latency', () => {
  // Work exponential with mean m and a per-attempt timeout T, with no queueing (ample workers,
  // zero latency): a call times out iff its work exceeds T, with probability P(S > T) = e^(−T/m)
  // (the exponential survival function). Answered calls are those with S ≤ T, whose mean is that
  // of the truncated exponential, m − T·e^(−T/m)/(1 − e^(−T/m)).
  const m = 100;

  for (const T of [50, 200]) {
    it(`m = 100 ms, T = ${T} ms: share timing out e^(−${T / m}) = ${Math.exp(-T / m).toFixed(4)}`, async () => {
      const run = await runScenario({
        name: 'timeout-quantile',
        description,
        seed: 13,
        duration: '200s',
        services: { back: { workers: 2000, endpoints: { x: { work: `exp(${m}ms)` } } } },
        workloads: { users: { rate: '200/s', entry: 'back.x', client: { timeout: `${T}ms` } } },
      });
      const users = run.workload('users');
      const completed = users.ok + users.failed;
      const share = (users.failures.timeout ?? 0) / completed;
      const survival = Math.exp(-T / m);
      expect(users.failures).toEqual({ timeout: users.failed });
      // Wrong value to reject: a timeout measured from the wrong origin, e.g. T + 10% later.
      expectWithin('P(timeout)', share, survival, binomialSe(survival, completed), Math.exp((-1.1 * T) / m));
      // Failures take exactly T; answers take S | S ≤ T. A variable in [0, T] has a variance of
      // at most T²/4 (Popoviciu), which bounds the standard error of the mean.
      // (to float rounding: the timer fires at arrival + T, and the latency is their difference)
      expect(users.failedLatencyMs.mean!).toBeCloseTo(T, 9);
      expect(users.failedLatencyMs.max!).toBeCloseTo(T, 9);
      const truncatedMean = m - (T * survival) / (1 - survival);
      expectWithin(
        'mean latency of answers (ms)',
        users.latencyMs.mean!,
        truncatedMean,
        T / 2 / Math.sqrt(users.ok),
      );
      expect(users.latencyMs.max!).toBeLessThanOrEqual(T);
      // The callee keeps working on abandoned calls: their work is wasted.
      expect(run.service('back').work!.wastedMs).toBeGreaterThan(0);
    });
  }
});

describe('an inbound token bucket (reject mode)', () => {
  const limited = (rate: string, burst: number, lambda: string, seed: number): ScenarioInput => ({
    name: 'token-bucket',
    description,
    seed,
    duration: '110s',
    warmup: '10s',
    services: {
      api: {
        workers: 1000,
        endpoints: { x: { work: '0ms' } },
        inbound: { rateLimiter: { rate, burst } },
      },
    },
    workloads: { users: { rate: lambda, entry: 'api.x' } },
  });

  it('λ = 400/s ≫ r = 100/s: the admitted throughput is r', async () => {
    // Token conservation: over a window of D seconds the bucket receives r·D tokens; admitted =
    // r·D + (level at the start − level at the end) − tokens lost while the bucket was full. The
    // level lies in [0, b], so |admitted − r·D| ≤ b + lost. A token is lost only while the bucket
    // is full, which at λ = 4r needs about b refill-times with (almost) no arrival, a fraction of
    // time of order (r/λ)^b ≈ 10⁻⁶ for b = 10; 0.1% of r·D (10 tokens) is far above that.
    // (Envoy's local rate limit, a token bucket: at most `burst` + rate × time permits.)
    const run = await runScenario(limited('100/s', 10, '400/s', 14));
    const measuredS = run.results.simulated.measuredMs / 1000;
    const admitted = run.endpoint('api.x').ok;
    const rD = 100 * measuredS;
    expect(Math.abs(admitted - rD), `admitted ${admitted} against r·D = ${rD}`).toBeLessThanOrEqual(
      10 + 0.001 * rD,
    );
    const users = run.workload('users');
    expect(users.failures).toEqual({ rate_limited: users.failed });
    expect(run.edge('users', 'api').rejections).toEqual({ rate_limited: users.failed });
    // The refused share is then 1 − r/λ. The admitted count being nearly fixed, its spread comes
    // from the Poisson number of arrivals, (r/λ)/√(λD); the binomial standard error used here
    // is larger, so the tolerance is conservative.
    const refused = users.failed / users.requests;
    expectWithin('refused share', refused, 1 - 100 / 400, binomialSe(0.75, users.requests));
  });

  it('λ = 50/s < r = 100/s with a burst of 100: nothing is refused', async () => {
    // A refusal needs the bucket empty, i.e. some interval of τ seconds with at least
    // b + r·τ − 1 = 99 + 100τ arrivals, while they number Poisson(50τ): P(N(τ) ≥ 99 + 100τ) is
    // below 10⁻²⁰ for every τ (Chernoff), so over a few thousand intervals it never happens.
    const run = await runScenario(limited('100/s', 100, '50/s', 15));
    const users = run.workload('users');
    expect(users.requests).toBeGreaterThan(4500);
    expect(users.failed).toBe(0);
    expect(run.edge('users', 'api').rejections).toEqual({});
  });
});

describe('load shedding bounds the queue wait', () => {
  // One worker, FIFO, Poisson arrivals at λ = 2μ (overloaded twice over). Shedding refuses an
  // arrival when its expected wait (waiting + 1) × mean hold / workers exceeds W. An admitted
  // request finds n waiting with (n + 1)·s̄ ≤ W, and waits for the rest of the one in service and
  // for those n: with constant work s (so s̄ = s once a first hold has ended — the warm-up
  // leaves out the start, when s̄ is still unknown), at most (n + 1)·s ≤ W. That is a hard bound:
  // the p99 of the wait, and its maximum, stay below W, hence below W + s. Without shedding the backlog grows at λ − μ and so
  // does the wait (≈ (λ/μ − 1)·t for an arrival at t).
  const W = 100;
  const collectWaits = (waits: number[], warmupMs: number) => (bus: Bus<Signals>) => {
    bus.on('hop.completed', (h) => {
      if (h.outcome === 'ok' && h.arrivedAt >= warmupMs) waits.push(h.waitMs);
    });
  };
  const overloaded = (work: string, shed: boolean, duration: string, warmup: string): ScenarioInput => ({
    name: 'shedding',
    description,
    seed: 16,
    duration,
    warmup,
    services: {
      api: {
        endpoints: { x: { work } },
        ...(shed ? { inbound: { shed: { maxQueueWait: `${W}ms` } } } : {}),
      },
    },
    workloads: { users: { rate: '200/s', entry: 'api.x' } },
  });

  it('constant work s = 10 ms, W = 100 ms: every admitted wait ≤ W; without shedding waits grow far beyond', async () => {
    const shedWaits: number[] = [];
    const run = await runScenario(overloaded('10ms', true, '60s', '5s'), {
      attach: collectWaits(shedWaits, 5000),
    });
    const users = run.workload('users');
    expect(users.failures).toEqual({ shed: users.failed });
    // About half is refused (λ = 2μ) and the server stays busy.
    expect(users.failed / users.requests).toBeGreaterThan(0.45);
    expect(run.service('api').utilization!).toBeGreaterThan(0.99);
    expect(shedWaits.length).toBeGreaterThan(5000); // μ = 100/s admitted for 55 s
    expect(Math.max(...shedWaits)).toBeLessThanOrEqual(W + 1e-9);
    expect(run.endpoint('api.x').waitMs.p99!).toBeLessThanOrEqual(W * 1.0005); // histogram: ±0.05%

    const growing: number[] = [];
    const bare = await runScenario(overloaded('10ms', false, '60s', '5s'), {
      attach: collectWaits(growing, 5000),
    });
    expect(bare.workload('users').failed).toBe(0);
    const p99 = [...growing].sort((x, y) => x - y)[Math.ceil(0.99 * growing.length) - 1]!;
    expect(p99).toBeGreaterThan(100 * W);
    // The wait grows with time: the last tenth of the answered requests waited much longer
    // than the first tenth.
    const tenth = Math.floor(growing.length / 10);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(growing.slice(-tenth))).toBeGreaterThan(3 * mean(growing.slice(0, tenth)));
    expect(bare.results.run.warnings.join(' ')).toMatch(/overload/);
  });

  it('exponential work (mean 10 ms), W = 105 ms: admitted waits are dominated by Erlang(10, 10 ms)', async () => {
    // With s̄ within (9.55, 10.5) ms — after 100 s of ~10⁴ holds its relative standard error is
    // 1%, so it is — an admitted request finds n ≤ 9 waiting. Service times are drawn when
    // service starts and are exponential, so its wait (memoryless rest of the one in service + n
    // services) is Erlang(n + 1, m) ≤st Erlang(10, m): P(wait > q) ≤ 1% for q the 99th percentile
    // of Erlang(10, 10 ms) ≈ 188 ms. The share of admitted waits above q, over ten independent
    // replications, must not exceed 1% by more than the 99.9% t quantile of its standard error.
    // Without shedding nearly every wait exceeds q.
    const q = erlangQuantile(10, 10, 0.99);
    expect(q).toBeCloseTo(187.83, 1); // Gamma(10, 1) 99% quantile 18.783 (statistical tables)
    const above: number[] = [];
    for (let seed = 3001; seed <= 3010; seed++) {
      const waits: number[] = [];
      await runScenario(overloaded('exp(10ms)', true, '200s', '100s'), {
        seed,
        attach: collectWaits(waits, 100_000),
      });
      expect(waits.length).toBeGreaterThan(8000);
      above.push(waits.filter((w) => w > q).length / waits.length);
    }
    const est = estimate(above);
    expect(est.mean, `share above q: ${est.mean} ± ${est.se}`).toBeLessThanOrEqual(
      0.01 + tolerance(est.n) * est.se,
    );
    // Not vacuous: most admissions find the queue at its bound (n = 9), so the tail comes close
    // to the bound's; a queue cut at n ≤ 4 would give P(Erlang(5, 10 ms) > q) < 10⁻⁴.
    expect(est.mean).toBeGreaterThan(0.002);
    const bareWaits: number[] = [];
    await runScenario(overloaded('exp(10ms)', false, '30s', '5s'), { attach: collectWaits(bareWaits, 5000) });
    expect(bareWaits.filter((w) => w > q).length / bareWaits.length).toBeGreaterThan(0.9);
  });
});

/** The q-quantile of Erlang(k, mean per stage m): bisection on 1 − Σ_{j<k} e^(−x/m)(x/m)^j/j!. */
function erlangQuantile(k: number, m: number, q: number): number {
  const cdf = (x: number): number => {
    let term = Math.exp(-x / m);
    let sum = term;
    for (let j = 1; j < k; j++) {
      term *= x / m / j;
      sum += term;
    }
    return 1 - sum;
  };
  let lo = 0;
  let hi = 100 * k * m;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('retry amplification across two layers under partial failure', () => {
  // users → a → b → c; a retries its calls to b and b its calls to c, maxAttempts 3 each, no
  // backoff; c fails each attempt with p. A call b→c fails with q = p³ after A₁ attempts,
  // E[A₁] = 1 + p + p². An attempt a→b fails iff its call b→c fails, so a→b makes N attempts,
  // E[N] = 1 + q + q². The attempts at c per user request are the sum of A₁ over the N attempts;
  // N is a stopping time of the i.i.d. sequence of b's calls, so by Wald's identity
  // E[attempts at c] = E[N]·E[A₁] = (1 + q + q²)(1 + p + p²). Under total failure (p = 1) this is
  // (r + 1)^d = 9, the Google SRE book's amplification (ch. 22); here it is partial. The
  // availability is 1 − q³ = 1 − p⁹.
  const p = 0.6;

  it('p = 0.6: 2.475 attempts at c per request, availability 1 − p⁹', async () => {
    const retry = { retry: { maxAttempts: 3, backoff: 'none' } };
    const run = await runScenario({
      name: 'two-layer-retries',
      description,
      seed: 17,
      duration: '100s',
      services: {
        a: { workers: 1000, endpoints: { x: { work: '0ms', calls: ['b.x'] } }, clients: { b: retry } },
        b: { workers: 1000, endpoints: { x: { work: '0ms', calls: ['c.x'] } }, clients: { c: retry } },
        c: { workers: 1000, endpoints: { x: { work: '0ms' } } },
      },
      workloads: { users: { rate: '500/s', entry: 'a.x' } },
      chaos: [{ at: '0s', error: 'c', rate: p }],
    });
    const q = p ** 3;
    const wald = (1 + q + q * q) * (1 + p + p * p);
    const law = moments(retried(retried(attempt(p), 3), 3));
    expect(law.mean).toBeCloseTo(wald, 12);
    expect(law.failure).toBeCloseTo(p ** 9, 12);
    const users = run.workload('users');
    const requests = users.requests;
    expect(users.inFlight).toBe(0);
    const atC = run.edge('b', 'c').attempts;
    expect(run.service('c').requests).toBe(atC);
    // A wrong composition to reject: ignoring the upper layer's retries, E[A₁] = 1.96.
    expectWithin(
      'attempts at c per request',
      atC / requests,
      wald,
      Math.sqrt(law.variance / requests),
      1 + p + p * p,
    );
    expectWithin(
      'a→b attempts per call',
      run.edge('a', 'b').retryAmplification!,
      1 + q + q * q,
      Math.sqrt(moments(retried(attempt(q), 3)).variance / requests),
    );
    const availability = 1 - p ** 9;
    expectWithin(
      'availability',
      users.availability!,
      availability,
      binomialSe(availability, requests),
      1 - q,
    );
  });
});

describe('availability of a chain with retries at each hop', () => {
  // users → s1 → s2 → s3, every service failing each arrival with p (an injected error), every
  // hop retried up to n attempts. When each hop retries only its own transient error (retry on
  // error_injected, not on dependency_failed) the hops are independent series components, each
  // available with 1 − pⁿ: the chain's availability is Π(1 − pⁿ) = (1 − pⁿ)³ (series system
  // of reliability theory). When every reason is retried (the default), a failed lower call also
  // re-runs the upper hop, and the recursion f₃ = pⁿ, fᵢ = (1 − (1 − p)(1 − fᵢ₊₁))ⁿ gives the
  // availability 1 − f₁ — higher, at the price of more load.
  const p = 0.2;
  const n = 2;
  const chain = (on: FailureReason[] | undefined): ScenarioInput => {
    const retry = { retry: { maxAttempts: n, backoff: 'none', ...(on === undefined ? {} : { on }) } };
    return {
      name: 'chain',
      description,
      seed: 18,
      duration: '100s',
      services: {
        s1: { workers: 1000, endpoints: { x: { work: '0ms', calls: ['s2.x'] } }, clients: { s2: retry } },
        s2: { workers: 1000, endpoints: { x: { work: '0ms', calls: ['s3.x'] } }, clients: { s3: retry } },
        s3: { workers: 1000, endpoints: { x: { work: '0ms' } } },
      },
      workloads: { users: { rate: '500/s', entry: 's1.x', client: retry } },
      chaos: ['s1', 's2', 's3'].map((s) => ({ at: '0s', error: s, rate: p })),
    };
  };

  it('each hop retrying its own error: availability (1 − p²)³ = 0.8847', async () => {
    const run = await runScenario(chain(['error_injected']));
    const users = run.workload('users');
    const theory = (1 - p ** n) ** 3;
    // Wrong value to reject: the default policy's availability (below).
    expectWithin('availability', users.availability!, theory, binomialSe(theory, users.requests), 0.9409);
  });

  it('every reason retried: availability 1 − f₁ = 0.9409 by the recursion', async () => {
    const run = await runScenario(chain(undefined));
    const users = run.workload('users');
    let f = p ** n;
    for (let hop = 2; hop >= 1; hop--) f = (1 - (1 - p) * (1 - f)) ** n;
    const theory = 1 - f;
    expect(theory).toBeCloseTo(0.9409, 4);
    expectWithin(
      'availability',
      users.availability!,
      theory,
      binomialSe(theory, users.requests),
      (1 - p ** n) ** 3,
    );
  });
});
