/**
 * Does a scenario match a closed-form queueing model? When it does — one service fed by one
 * Poisson workload at a constant rate, one endpoint with no calls, nothing that changes the
 * system during the run — this names the model (Kendall's notation: `M/M/1`, `M/M/2/5`,
 * `M/D/1`, `M/G/1`, `M/M/1-PS`, `3 × M/M/1` for random balancing over three instances) and lists
 * the values it predicts, keyed by their path in the results document; when it does not, it says
 * why, in English and Spanish. The formulas are in `src/observe/theory.ts`; what each model gives
 * is documented in docs/en/results-format.md ("Theory beside the simulation").
 */
import { type Distribution, distributionMean, distributionVariance } from '../engine/distributions.ts';
import type { ServiceSpec } from '../model/world-spec.ts';
import type { TheoryParameters, TheoryResults, TheoryValue } from '../observe/results.ts';
import { erlangB, mg1, mg1ps, mmc, mmck, mmcSojournQuantile, mmcWaitQuantile } from '../observe/theory.ts';
import type { LocalizedText, ResolvedScenario } from '../scenario/resolved.ts';

/** A match (the model, its inputs, its values and what is left out) or why there is none. */
export type TheoryMatch =
  | {
      readonly model: string;
      readonly parameters: TheoryParameters;
      readonly values: readonly TheoryValue[];
      readonly notes: readonly LocalizedText[];
    }
  | { readonly model: null; readonly reason: LocalizedText };

const text = (en: string, es: string): LocalizedText => ({ en, es });
const WORDS_EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const WORDS_ES = ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'];
const count = (n: number, words: readonly string[]): string => words[n] ?? String(n);
const list = (names: readonly string[]): string => names.join(', ');
const fixed = (x: number): string => String(Number(x.toPrecision(3)));

/** The paths the results document gives the one workload, service and endpoint. */
interface Paths {
  readonly service: string;
  readonly endpoint: string;
  readonly workload: string;
}

/** Reasons the scenario as a whole is not one queue (several services, brokers, faults…). */
function worldRefusals(s: ResolvedScenario): LocalizedText[] {
  const out: LocalizedText[] = [];
  const { services, workloads } = s.world;
  const brokers = s.world.brokers ?? [];
  if (brokers.length > 0) {
    out.push(
      text(
        `message brokers (${list(brokers.map((b) => b.name))}): not a single queue`,
        `brokers de mensajes (${list(brokers.map((b) => b.name))}): no es una sola cola`,
      ),
    );
  }
  if (services.length !== 1) {
    const names = list(services.map((v) => v.name));
    out.push(
      text(
        `${count(services.length, WORDS_EN)} services (${names}): only a single service is one queue`,
        `${count(services.length, WORDS_ES)} servicios (${names}): solo un servicio es una cola`,
      ),
    );
  }
  if (workloads.length !== 1) {
    const names = list(workloads.map((w) => w.name));
    out.push(
      text(
        `${count(workloads.length, WORDS_EN)} workloads (${names}): only one workload is matched`,
        `${count(workloads.length, WORDS_ES)} cargas (${names}): solo se reconoce una carga`,
      ),
    );
  }
  if ((s.world.chaos ?? []).length > 0) {
    out.push(
      text(
        'faults on the timeline (chaos): the system changes during the run',
        'fallos en la línea de tiempo (chaos): el sistema cambia durante la ejecución',
      ),
    );
  }
  if ((s.world.deploys ?? []).length > 0) {
    out.push(
      text(
        'rollouts (deploy): the system changes during the run',
        'despliegues (deploy): el sistema cambia durante la ejecución',
      ),
    );
  }
  return out;
}

/** The largest value `d` practically takes: its maximum, or mean + 10 standard deviations. */
function practicalMax(d: Distribution): number {
  if (d.kind === 'constant') return d.value;
  if (d.kind === 'uniform') return d.max;
  if (d.kind === 'empirical') return Math.max(...d.values);
  return distributionMean(d) + 10 * Math.sqrt(distributionVariance(d));
}

/** Reasons the one service and its workload are not a stationary queue with Poisson arrivals. */
function queueRefusals(s: ResolvedScenario, svc: ServiceSpec): LocalizedText[] {
  const out: LocalizedText[] = [];
  const add = (en: string, es: string) => out.push(text(en, es));
  const w = s.world.workloads[0]!;
  if (w.kind === 'closed') {
    add(
      `a closed workload (${w.users} users who think): a closed network, not an open queue`,
      `una carga cerrada (${w.users} usuarios que piensan): una red cerrada, no una cola abierta`,
    );
  } else {
    if (w.arrivals !== 'poisson')
      add('arrivals are evenly spaced, not Poisson', 'las llegadas son regulares, no de Poisson');
    if (w.profile.length > 0)
      add('the rate changes during the run (profile)', 'la tasa cambia durante la ejecución (profile)');
    if (!(w.ratePerSec > 0)) add('the workload sends nothing', 'la carga no envía nada');
  }
  if (w.client != null)
    add('the client has call policies (timeout, retry…)', 'el cliente tiene políticas (timeout, retry…)');
  const endpoints = [...new Set(w.entries.map((e) => e.endpoint))];
  if (endpoints.length > 1) {
    add(
      `requests go to ${count(endpoints.length, WORDS_EN)} endpoints (${list(endpoints)}): several classes of requests`,
      `las peticiones van a ${count(endpoints.length, WORDS_ES)} endpoints (${list(endpoints)}): varias clases de peticiones`,
    );
  }
  for (const ep of svc.endpoints.filter((e) => endpoints.includes(e.name) && e.calls.length > 0)) {
    add(
      `${svc.name}.${ep.name} calls or publishes: a network of queues`,
      `${svc.name}.${ep.name} llama o publica: una red de colas`,
    );
  }
  if (svc.autoscale != null)
    add('an autoscaler changes the replicas', 'un autoescalador cambia las réplicas');
  if (svc.inbound != null && (svc.inbound.rateLimiter !== null || svc.inbound.shedQueueWaitMs !== null))
    add('inbound rate limiting or shedding', 'limitación o descarte a la entrada (inbound)');
  if (svc.outlierDetection != null)
    add('outlier detection may eject instances', 'la detección de atípicos puede expulsar instancias');
  if ((svc.subscriptions ?? []).length > 0)
    add('the service consumes messages', 'el servicio consume mensajes');
  const version = svc.versions?.[0];
  if (version !== undefined && version.errorRate > 0) {
    add(
      `version ${version.name} fails ${fixed(version.errorRate * 100)}% of requests`,
      `la versión ${version.name} falla el ${fixed(version.errorRate * 100)}% de las peticiones`,
    );
  }
  // Instances start ready after `startup`, then a technology profile may keep them slow for a
  // while: both must be over before the measured window starts.
  const profile = version?.technology ?? svc.technology?.profile;
  const startup = version?.technology?.startup ?? svc.startup;
  const warming = profile !== undefined && profile.warmupFactor > 1 ? profile.warmupMs : 0;
  if (practicalMax(startup) + warming > s.warmupMs) {
    add(
      'instances may still be starting or warming up after the warm-up',
      'las instancias pueden seguir arrancando o calentándose tras el calentamiento',
    );
  }
  if (svc.replicas === 0) {
    add(
      `${svc.name} has no replicas: every request fails (no_instance)`,
      `${svc.name} no tiene réplicas: todas las peticiones fallan (no_instance)`,
    );
  }
  if (svc.replicas > 1 && svc.loadBalancing !== 'random') {
    add(
      `${svc.loadBalancing} over ${svc.replicas} replicas is not a closed-form model (random balancing is)`,
      `${svc.loadBalancing} sobre ${svc.replicas} réplicas no es un modelo cerrado (el reparto aleatorio sí)`,
    );
  }
  if (svc.discipline === 'ps' && svc.workers > 1) {
    add(
      `processor sharing over ${svc.workers} cores: only one core (c = 1) is matched`,
      `reparto del procesador con ${svc.workers} núcleos: solo se reconoce un núcleo (c = 1)`,
    );
  }
  return out;
}

/** K: the requests one instance holds at most (workers + queue), or null when unbounded. */
const capacityOf = (svc: ServiceSpec): number | null =>
  Number.isFinite(svc.queueCapacity) ? svc.workers + svc.queueCapacity : null;

/** Kendall's letter of a work distribution: M (exponential), D (constant), G (general). */
const letter = (d: Distribution): 'M' | 'D' | 'G' =>
  d.kind === 'exponential' ? 'M' : d.kind === 'constant' ? 'D' : 'G';

/** The values one model predicts, and what it leaves out. */
interface Prediction {
  readonly name: string;
  readonly values: TheoryValue[];
  readonly notes: LocalizedText[];
}

/** How the results count refused requests, for the models of bounded queues. */
const REFUSED_COUNT_ZERO = text(
  'residence and wait average over all arrivals (refused ones count 0); latency is of answered requests',
  'residencia y espera promedian todas las llegadas (las rechazadas cuentan 0); la latencia, las respondidas',
);

/**
 * Predicts the queue of one instance (c workers, at most K requests, Poisson arrivals at `lambda`
 * per second, work of mean `S` seconds) — or says why no formula applies. `r` instances, each
 * such a queue, add up in the service's time-averages (queue, in system).
 */
function predict(
  svc: ServiceSpec,
  work: { readonly dist: Distribution; readonly S: number; readonly variance: number },
  lambda: number,
  r: number,
  at: Paths,
): Prediction | LocalizedText {
  const c = svc.workers;
  const K = capacityOf(svc);
  const kind = letter(work.dist);
  const mu = 1 / work.S;
  const rho = lambda / (c * mu);
  const ps = svc.discipline === 'ps';
  const name = `M/${kind}/${c}${K === null ? '' : `/${K}`}${ps ? '-PS' : ''}`;
  const values: TheoryValue[] = [];
  const notes: LocalizedText[] = [];
  const v = (path: string, label: string, value: number, unit: TheoryValue['unit']) =>
    values.push({ path, label, value, unit });
  const ms = (seconds: number) => seconds * 1000;
  const { service: sv, endpoint: ep, workload: wl } = at;
  const refuse = (en: string, es: string) => text(`${name}: ${en}`, `${name}: ${es}`);
  if (K === null && rho >= 1) {
    return text(
      `unstable: the load per worker is ρ = ${fixed(rho)} ≥ 1, the queue grows without bound`,
      `inestable: la carga por trabajador es ρ = ${fixed(rho)} ≥ 1, la cola crece sin límite`,
    );
  }
  if (kind !== 'M' && K !== null && K > c) {
    return refuse(
      `${work.dist.kind} work with a finite queue has no closed form (only exponential work, or no queue)`,
      `trabajo ${work.dist.kind} con una cola finita no tiene fórmula cerrada (solo trabajo exponencial, o sin cola)`,
    );
  }
  if (!ps && kind !== 'M' && K === null && c > 1) {
    return refuse(
      `${work.dist.kind} work with ${c} workers has no closed form`,
      `trabajo ${work.dist.kind} con ${c} trabajadores no tiene fórmula cerrada`,
    );
  }
  if (K === c) {
    // A loss system: Erlang B, insensitive to the work distribution beyond its mean.
    const B = erlangB(c, lambda / mu);
    const busy = (lambda / mu) * (1 - B);
    v(`${sv}.utilization`, 'utilization', busy / c, 'fraction');
    v(`${sv}.meanInSystem`, 'mean in system L', r * busy, 'requests');
    v(`${sv}.residenceMs.mean`, 'mean residence per arrival', ms(work.S * (1 - B)), 'ms');
    v(`${wl}.latencyMs.mean`, 'mean latency E[S]', ms(work.S), 'ms');
    v(`${wl}.availability`, 'availability 1 − B', 1 - B, 'fraction');
    notes.push(REFUSED_COUNT_ZERO);
    return { name, values, notes };
  }
  if (K !== null) {
    // Exponential work, finite room (for PS with one core the same birth–death chain as FIFO).
    const q = mmck(lambda, mu, c, K);
    v(`${sv}.utilization`, 'utilization', q.throughput / (c * mu), 'fraction');
    if (!ps) v(`${sv}.meanQueueLength`, 'mean queue Lq', r * q.Lq, 'requests');
    v(`${sv}.meanInSystem`, 'mean in system L', r * q.L, 'requests');
    v(`${sv}.residenceMs.mean`, 'mean residence per arrival', ms(q.L / lambda), 'ms');
    if (!ps) {
      v(`${ep}.waitMs.mean`, 'mean wait per arrival', ms(q.Lq / lambda), 'ms');
      v(`${ep}.waitedFraction`, 'P(wait)', q.waitProbability, 'fraction');
    }
    v(`${wl}.latencyMs.mean`, 'mean latency W', ms(q.W), 'ms');
    v(`${wl}.availability`, 'availability 1 − P(K)', 1 - q.blocking, 'fraction');
    notes.push(REFUSED_COUNT_ZERO);
    return { name, values, notes };
  }
  if (ps) {
    const q = mg1ps(lambda, work.S);
    v(`${sv}.utilization`, 'utilization ρ', q.rho, 'fraction');
    v(`${sv}.meanInSystem`, 'mean in system L', r * q.L, 'requests');
    v(`${sv}.residenceMs.mean`, 'mean residence W', ms(q.W), 'ms');
    v(`${wl}.latencyMs.mean`, 'mean latency W', ms(q.W), 'ms');
    notes.push(
      text(
        'processor sharing: nobody waits in a queue, and only the means have a closed form',
        'reparto del procesador: nadie espera en una cola, y solo las medias tienen fórmula cerrada',
      ),
    );
    return { name, values, notes };
  }
  const q = kind === 'M' ? mmc(lambda, mu, c) : mg1(lambda, work.S, work.variance);
  v(`${sv}.utilization`, 'utilization ρ', q.rho, 'fraction');
  v(`${sv}.meanQueueLength`, 'mean queue Lq', r * q.Lq, 'requests');
  v(`${sv}.meanInSystem`, 'mean in system L', r * q.L, 'requests');
  v(`${sv}.residenceMs.mean`, 'mean residence W', ms(q.W), 'ms');
  v(`${ep}.waitMs.mean`, 'mean wait Wq', ms(q.Wq), 'ms');
  if (kind === 'M') v(`${ep}.waitMs.p99`, 'p99 wait', ms(mmcWaitQuantile(lambda, mu, c, 0.99)), 'ms');
  v(`${ep}.waitedFraction`, 'P(wait)', q.waitProbability, 'fraction');
  v(`${wl}.latencyMs.mean`, 'mean latency W', ms(q.W), 'ms');
  if (kind === 'M')
    v(`${wl}.latencyMs.p99`, 'p99 latency', ms(mmcSojournQuantile(lambda, mu, c, 0.99)), 'ms');
  else {
    notes.push(
      text(
        `${work.dist.kind} work: only mean values (Pollaczek–Khinchine), no percentiles`,
        `trabajo ${work.dist.kind}: solo valores medios (Pollaczek–Khinchine), sin percentiles`,
      ),
    );
  }
  return { name, values, notes };
}

/** Which closed-form model `scenario` matches and what it predicts, or why none does. */
export function matchTheoryModel(scenario: ResolvedScenario): TheoryMatch {
  const refused = (reasons: readonly LocalizedText[]): TheoryMatch => ({
    model: null,
    reason: text(reasons.map((r) => r.en).join('; '), reasons.map((r) => r.es).join('; ')),
  });
  const world = worldRefusals(scenario);
  if (world.length > 0) return refused(world);
  const svc = scenario.world.services[0]!;
  const queue = queueRefusals(scenario, svc);
  if (queue.length > 0) return refused(queue);
  const w = scenario.world.workloads[0]!;
  const rate = w.kind === 'open' ? w.ratePerSec : 0; // a closed workload was refused above
  const endpoint = svc.endpoints.find((e) => e.name === w.entries[0]!.endpoint)!;
  // The model multiplies the work by the version's factor and its technology profile's.
  const version = svc.versions?.[0];
  const profile = version?.technology ?? svc.technology?.profile;
  const workFactor = (version?.workFactor ?? 1) * (profile?.workFactor ?? 1);
  const S = (distributionMean(endpoint.work) * workFactor) / 1000;
  if (!(S > 0)) return refused([text('the work takes no time', 'el trabajo no lleva tiempo')]);
  const work = {
    dist: endpoint.work,
    S,
    variance: (distributionVariance(endpoint.work) * workFactor ** 2) / 1e6,
  };
  const r = svc.replicas;
  const at: Paths = {
    service: `services.${svc.name}`,
    endpoint: `services.${svc.name}.endpoints.${endpoint.name}`,
    workload: `workloads.${w.name}`,
  };
  const prediction = predict(svc, work, rate / r, r, at);
  if (!('name' in prediction)) return refused([prediction]);
  const edge = scenario.world.network.edges.find((e) => e.from === 'client' && e.to === svc.name);
  const latency = edge?.latency ?? scenario.world.network.defaultLatency;
  const networked = !(latency.kind === 'constant' && latency.value === 0);
  const values = networked
    ? prediction.values.filter((x) => !x.path.startsWith(`${at.workload}.latencyMs.`))
    : prediction.values;
  const notes = networked
    ? [
        text(
          `the network adds latency between the client and ${svc.name}: no values for the workload's latency (the queue's own time is ${at.service}.residenceMs)`,
          `la red añade latencia entre el cliente y ${svc.name}: sin valores para la latencia de la carga (el tiempo propio de la cola es ${at.service}.residenceMs)`,
        ),
        ...prediction.notes,
      ]
    : prediction.notes;
  return {
    model: r > 1 ? `${r} × ${prediction.name}` : prediction.name,
    parameters: {
      arrivalsPerSec: rate,
      meanWorkMs: S * 1000,
      workers: svc.workers,
      capacity: capacityOf(svc),
      replicas: r,
      load: (rate * S) / (r * svc.workers),
    },
    values,
    notes,
  };
}

/** The `theory` field of the results document: the match, in English. */
export function theoryResults(scenario: ResolvedScenario): TheoryResults {
  const match = matchTheoryModel(scenario);
  if (match.model === null) return { model: null, reason: match.reason.en };
  const { model, parameters, values, notes } = match;
  return notes.length === 0 ? { model, parameters, values } : { model, parameters, values, notes };
}
