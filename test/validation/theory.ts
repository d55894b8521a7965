/**
 * Closed-form results of queueing theory that the validation tests compare the simulator with.
 * Rates are per second, times in seconds (convert with `* 1000` where a result is in ms).
 * Sources: Kleinrock, "Queueing Systems" vol. 1 (1975); Harchol-Balter, "Performance Modeling
 * and Design of Computer Systems" (2013); Lazowska et al., "Quantitative System Performance" (1984).
 */

/** M/M/1 FIFO with arrival rate λ and service rate μ (needs λ < μ). */
export function mm1(lambda: number, mu: number) {
  const rho = lambda / mu;
  // Time in system: exponential with rate μ − λ, so W = 1/(μ − λ), Wq = ρ/(μ − λ).
  const W = 1 / (mu - lambda);
  return {
    rho,
    /** L = ρ/(1 − ρ) (geometric number in system). */
    L: rho / (1 - rho),
    /** Lq = ρ²/(1 − ρ). */
    Lq: (rho * rho) / (1 - rho),
    W,
    Wq: rho * W,
    /** Probability of waiting: ρ (PASTA: an arrival sees the time-average state). */
    waitProbability: rho,
    /** Quantile of the time in system: −ln(1 − q)/(μ − λ) (exponential sojourn time). */
    sojournQuantile: (q: number): number => -Math.log(1 - q) * W,
  };
}

/**
 * Erlang B formula B(c, a): the loss probability of M/G/c/c with offered load a = λ/μ, by the
 * stable recursion B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)). Insensitive to the service distribution.
 */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C formula C(c, a) = c·B/(c − a(1 − B)): probability of waiting in M/M/c (a < c). */
export function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** M/M/c FIFO (one queue, c servers): Erlang C, Wq = C/(cμ − λ), W = Wq + 1/μ. */
export function mmc(lambda: number, mu: number, c: number) {
  const a = lambda / mu;
  const waitProbability = erlangC(c, a);
  const Wq = waitProbability / (c * mu - lambda);
  return { rho: a / c, waitProbability, Wq, W: Wq + 1 / mu, Lq: lambda * Wq, L: lambda * (Wq + 1 / mu) };
}

/**
 * M/M/c/K (c servers, at most K in system, so K − c waiting places): the birth–death stationary
 * distribution p_n = p_0·aⁿ/n! for n ≤ c and p_0·a^c/c!·(a/c)^(n−c) for c < n ≤ K. By PASTA an
 * arrival is blocked with probability p_K; the rest follows from Little's law with λ(1 − p_K).
 */
export function mmck(lambda: number, mu: number, c: number, K: number) {
  const a = lambda / mu;
  const weights: number[] = [1];
  for (let n = 1; n <= K; n++) weights.push((weights[n - 1]! * a) / Math.min(n, c));
  const total = weights.reduce((s, w) => s + w, 0);
  const p = weights.map((w) => w / total);
  const blocking = p[K]!;
  const L = p.reduce((s, pn, n) => s + n * pn, 0);
  const Lq = p.reduce((s, pn, n) => s + Math.max(0, n - c) * pn, 0);
  const throughput = lambda * (1 - blocking);
  return { p, blocking, L, Lq, throughput, W: L / throughput, Wq: Lq / throughput };
}

/**
 * Pollaczek–Khinchine mean-value formula for M/G/1 FIFO: Wq = λ·E[S²]/(2(1 − ρ)), ρ = λ·E[S].
 */
export function pollaczekKhinchine(lambda: number, meanS: number, secondMomentS: number) {
  const rho = lambda * meanS;
  const Wq = (lambda * secondMomentS) / (2 * (1 - rho));
  return { rho, Wq, W: Wq + meanS, Lq: lambda * Wq, L: lambda * (Wq + meanS) };
}

/** Second moments E[S²] of the work distributions used in the M/G/1 scenarios. */
export const secondMoment = {
  /** Constant s: E[S²] = s². */
  constant: (s: number): number => s * s,
  /** Exponential with mean m: E[S²] = 2m². */
  exponential: (m: number): number => 2 * m * m,
  /** Lognormal of ln-parameters μ, σ: E[Sⁿ] = exp(nμ + n²σ²/2), here n = 2. */
  lognormal: (mu: number, sigma: number): number => Math.exp(2 * mu + 2 * sigma * sigma),
};

/** Mean of a lognormal with ln-parameters μ, σ: exp(μ + σ²/2). */
export const lognormalMean = (mu: number, sigma: number): number => Math.exp(mu + (sigma * sigma) / 2);

/**
 * M/G/1 processor sharing: E[T | size s] = s/(1 − ρ) — the response time of a job is
 * proportional to its size and insensitive to the size distribution beyond its mean.
 */
export const psConditionalResponse = (size: number, rho: number): number => size / (1 - rho);

/**
 * Jackson traffic equations λ_i = γ_i + Σ_j λ_j·P[j][i] (γ: external arrivals, P: routing
 * probabilities), solved as (I − Pᵀ)λ = γ by Gaussian elimination with partial pivoting.
 */
export function jacksonTraffic(gamma: readonly number[], P: readonly (readonly number[])[]): number[] {
  const n = gamma.length;
  const m = gamma.map((g, i) => [...gamma.map((_, j) => (i === j ? 1 : 0) - P[j]![i]!), g]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k++) m[r]![k]! -= f * m[col]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * Quantile of a sum of two independent exponentials of rates a ≠ b (hypoexponential), whose tail
 * is P(T > t) = (b·e^(−at) − a·e^(−bt))/(b − a); solved by bisection. Burke's and Reich's theorems
 * make the sojourn times of a tandem of two M/M/1 queues independent exponentials.
 */
export function hypoexponentialQuantile(a: number, b: number, q: number): number {
  const tail = (t: number): number => (b * Math.exp(-a * t) - a * Math.exp(-b * t)) / (b - a);
  let lo = 0;
  let hi = 1;
  while (tail(hi) > 1 - q) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Exact mean value analysis (Reiser–Lavenberg) of a closed network of one FIFO exponential server
 * (mean service S) and a delay station of mean think time Z, with N users (the machine-repairman
 * model M/M/1//N): R(n) = S(1 + Q(n−1)), X(n) = n/(R(n) + Z), Q(n) = X(n)·R(n).
 */
export function mvaSingleServer(N: number, S: number, Z: number) {
  let Q = 0;
  let R = S;
  let X = 0;
  for (let n = 1; n <= N; n++) {
    R = S * (1 + Q);
    X = n / (R + Z);
    Q = X * R;
  }
  return { R, X, Q, utilization: X * S };
}
