/**
 * Closed-form results of queueing theory: what a stationary queue does in the long run, to put
 * beside what a simulation measured (`src/runtime/theory-model.ts` decides when one applies) and
 * to validate the simulator (test/validation). Pure functions of numbers.
 * Rates are per second and times in seconds (multiply by 1000 for ms); λ is the arrival rate,
 * μ = 1/E[S] the service rate of one server, c the servers, ρ the utilization.
 * Sources: Kleinrock, "Queueing Systems" vol. 1 (1975) and vol. 2 (1976); Gross, Shortle,
 * Thompson & Harris, "Fundamentals of Queueing Theory", 4th ed. (2008); Harchol-Balter,
 * "Performance Modeling and Design of Computer Systems" (2013); Lazowska et al., "Quantitative
 * System Performance" (1984).
 */

/**
 * M/M/1 FIFO with arrival rate λ and service rate μ (needs λ < μ). The time in system is
 * exponential with rate μ − λ (Kleinrock vol. 1 §3.2; Harchol-Balter §13.2).
 */
export function mm1(lambda: number, mu: number) {
  const rho = lambda / mu;
  // W = 1/(μ − λ), Wq = ρ/(μ − λ).
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
    /** Quantile q of the time in system: −ln(1 − q)/(μ − λ) (exponential sojourn time). */
    sojournQuantile: (q: number): number => -Math.log(1 - q) * W,
  };
}

/**
 * Erlang B formula B(c, a): the loss probability of M/G/c/c with offered load a = λ/μ, by the
 * stable recursion B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)). Insensitive to the service
 * distribution beyond its mean (Gross et al. §2.6; Kleinrock vol. 1 §3.6).
 */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang C formula C(c, a) = c·B/(c − a(1 − B)): the probability of waiting in M/M/c (a < c),
 * from Erlang B (Gross et al. §2.3; Harchol-Balter §14.4).
 */
export function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/**
 * M/M/c FIFO (one queue, c servers, λ < cμ): probability of waiting C = Erlang C(c, λ/μ),
 * Wq = C/(cμ − λ), W = Wq + 1/μ, Lq = λWq, L = λW (Gross et al. §2.3).
 */
export function mmc(lambda: number, mu: number, c: number) {
  const a = lambda / mu;
  const waitProbability = erlangC(c, a);
  const Wq = waitProbability / (c * mu - lambda);
  return { rho: a / c, waitProbability, Wq, W: Wq + 1 / mu, Lq: lambda * Wq, L: lambda * (Wq + 1 / mu) };
}

/**
 * Tail of the waiting time of M/M/c FIFO: P(Wq > t) = C·e^(−(cμ − λ)t), C = Erlang C — a waiting
 * arrival waits an exponential time of rate cμ − λ (Gross et al. §2.3.1; Kleinrock vol. 1 §3.5).
 */
export function mmcWaitTail(lambda: number, mu: number, c: number, t: number): number {
  return erlangC(c, lambda / mu) * Math.exp(-(c * mu - lambda) * t);
}

/**
 * Quantile q of the waiting time of M/M/c FIFO, from `mmcWaitTail`: 0 when at most a share
 * 1 − q of the arrivals wait (C ≤ 1 − q), otherwise ln(C/(1 − q))/(cμ − λ).
 */
export function mmcWaitQuantile(lambda: number, mu: number, c: number, q: number): number {
  const C = erlangC(c, lambda / mu);
  return C <= 1 - q ? 0 : Math.log(C / (1 - q)) / (c * mu - lambda);
}

/**
 * Tail of the time in system of M/M/c FIFO: T = Wq + S with S ~ Exp(μ) independent of Wq, which
 * is 0 with probability 1 − C and Exp(θ), θ = cμ − λ, otherwise; so P(T > t) =
 * (1 − C)e^(−μt) + C·(μe^(−θt) − θe^(−μt))/(μ − θ), and C·(1 + μt)e^(−μt) for the second term
 * when θ = μ (Gross et al. §2.3.1). With c = 1 it is e^(−(μ − λ)t), as `mm1` says.
 */
export function mmcSojournTail(lambda: number, mu: number, c: number, t: number): number {
  const C = erlangC(c, lambda / mu);
  const theta = c * mu - lambda;
  const both =
    Math.abs(theta - mu) < 1e-12 * mu
      ? (1 + mu * t) * Math.exp(-mu * t)
      : (mu * Math.exp(-theta * t) - theta * Math.exp(-mu * t)) / (mu - theta);
  return (1 - C) * Math.exp(-mu * t) + C * both;
}

/** Quantile q of the time in system of M/M/c FIFO (`mmcSojournTail` solved by bisection). */
export function mmcSojournQuantile(lambda: number, mu: number, c: number, q: number): number {
  return quantileOfTail((t) => mmcSojournTail(lambda, mu, c, t), q);
}

/**
 * M/M/c/K (c servers, at most K in system, so K − c waiting places): the birth–death stationary
 * distribution p_n = p_0·aⁿ/n! for n ≤ c and p_0·a^c/c!·(a/c)^(n−c) for c < n ≤ K (Gross et al.
 * §2.5). By PASTA an arrival is blocked with probability p_K and waits with probability
 * Σ_{c≤n<K} p_n; the means follow from Little's law with the accepted rate λ(1 − p_K).
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
  const waitProbability = p.reduce((s, pn, n) => (n >= c && n < K ? s + pn : s), 0);
  const throughput = lambda * (1 - blocking);
  return { p, blocking, waitProbability, L, Lq, throughput, W: L / throughput, Wq: Lq / throughput };
}

/**
 * Pollaczek–Khinchine mean-value formula for M/G/1 FIFO: Wq = λ·E[S²]/(2(1 − ρ)), ρ = λ·E[S]
 * (Kleinrock vol. 1 §5.7; Harchol-Balter §23.2). An arrival waits with probability ρ (PASTA).
 */
export function pollaczekKhinchine(lambda: number, meanS: number, secondMomentS: number) {
  const rho = lambda * meanS;
  const Wq = (lambda * secondMomentS) / (2 * (1 - rho));
  return { rho, Wq, W: Wq + meanS, Lq: lambda * Wq, L: lambda * (Wq + meanS), waitProbability: rho };
}

/** M/G/1 FIFO from the work's mean and variance: Pollaczek–Khinchine with E[S²] = Var[S] + E[S]². */
export function mg1(lambda: number, meanS: number, varianceS: number) {
  return pollaczekKhinchine(lambda, meanS, varianceS + meanS * meanS);
}

/**
 * M/D/1 (constant work s): Pollaczek–Khinchine with E[S²] = s², so Wq = ρs/(2(1 − ρ)) — half the
 * wait of M/M/1 at the same load (Kleinrock vol. 1 §5.7).
 */
export function md1(lambda: number, s: number) {
  return pollaczekKhinchine(lambda, s, s * s);
}

/**
 * M/G/1 processor sharing: L = ρ/(1 − ρ) and W = E[S]/(1 − ρ), whatever the work distribution
 * (insensitivity; Kleinrock vol. 2 §4.4; Harchol-Balter §22.4). With exponential work these are
 * M/M/1's means.
 */
export function mg1ps(lambda: number, meanS: number) {
  const rho = lambda * meanS;
  return { rho, L: rho / (1 - rho), W: meanS / (1 - rho) };
}

/** Second moments E[S²] of work distributions. */
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
 * proportional to its size and insensitive to the size distribution beyond its mean
 * (Kleinrock vol. 2 §4.4).
 */
export const psConditionalResponse = (size: number, rho: number): number => size / (1 - rho);

/**
 * Jackson traffic equations λ_i = γ_i + Σ_j λ_j·P[j][i] (γ: external arrivals, P: routing
 * probabilities), solved as (I − Pᵀ)λ = γ by Gaussian elimination with partial pivoting
 * (Jackson 1963; Gross et al. §4.2).
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
 * The t with tail(t) = 1 − q, by bisection, for a tail (complementary distribution function)
 * that decreases from 1 to 0 on t ≥ 0; 0 when tail(0) ≤ 1 − q already.
 */
export function quantileOfTail(tail: (t: number) => number, q: number): number {
  const target = 1 - q;
  if (tail(0) <= target) return 0;
  let lo = 0;
  let hi = 1;
  while (tail(hi) > target) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Quantile of a sum of two independent exponentials of rates a ≠ b (hypoexponential), whose tail
 * is P(T > t) = (b·e^(−at) − a·e^(−bt))/(b − a). Burke's and Reich's theorems make the sojourn
 * times of a tandem of two M/M/1 queues independent exponentials (Kleinrock vol. 1 §4.8).
 */
export function hypoexponentialQuantile(a: number, b: number, q: number): number {
  return quantileOfTail((t) => (b * Math.exp(-a * t) - a * Math.exp(-b * t)) / (b - a), q);
}

/**
 * Exact mean value analysis (Reiser–Lavenberg 1980; Lazowska et al. ch. 6) of a closed network of
 * one FIFO exponential server (mean service S) and a delay station of mean think time Z, with N
 * users (the machine-repairman model M/M/1//N): R(n) = S(1 + Q(n−1)), X(n) = n/(R(n) + Z),
 * Q(n) = X(n)·R(n).
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
