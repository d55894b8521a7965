/**
 * The real architectures of scenarios/real/ (Online Boutique, Sock Shop, DeathStarBench's
 * compose-post; sources cited in the files and in docs/en/real-architectures.md). Each study is
 * compared with its baseline, flow by flow, in the same time windows: the baseline is run with
 * the study's seed and length, so the two runs differ only by the fault. Windowed numbers are
 * read through probes, expectations appended to the file's own (an expectation's `measured` is
 * the value in its window, whatever its comparison; observers only, the run is the same). The
 * contrasts are pinned by taking away what makes them (a soft call made hard, a publisher that
 * waits for the broker): the outcome must change. Every run of RUNS (./quotes.ts) is run once,
 * and serves the expectations, the contrasts and the numbers the docs page and the narration
 * quote.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario, type ScenarioRun } from 'microsim';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flat, prose, uncoveredNumbers } from '../../src/scenario/lesson-text.ts';
import {
  GIVEN,
  LANGS,
  type Lang,
  type Probe,
  QUOTES,
  RUNS,
  type RunName,
  type RunProbe,
  type Window,
} from './quotes.ts';

const dir = 'scenarios/real';

/** A probe's expectation: a comparison that always holds, so that only `measured` matters. */
function probeSpec(p: Probe, index: number): Record<string, unknown> {
  const scope = Object.fromEntries(
    (['workload', 'endpoint', 'service', 'queue'] as const).flatMap((k) => (p[k] ? [[k, p[k]]] : [])),
  );
  return {
    name: { en: `probe ${index}`, es: `sonda ${index}` },
    metric: p.metric,
    ...scope,
    during: [...p.during],
    atLeast: 0,
  };
}

const probeKey = (p: Probe) =>
  JSON.stringify([p.metric, p.during, p.workload, p.endpoint, p.service, p.queue]);

/** The probes asked of each run, registered while the tests are collected, read once all ran. */
class Runs {
  private readonly probes = new Map<RunName, Map<string, Probe>>();
  private readonly done = new Map<RunName, { run: ScenarioRun; own: number; keys: string[] }>();

  /** Registers `probe`; the getter reads its value once the runs are done. */
  probe(p: RunProbe): () => number | null {
    const { run, ...rest } = p;
    const key = probeKey(rest);
    const map = this.probes.get(run) ?? new Map<string, Probe>();
    map.set(key, rest);
    this.probes.set(run, map);
    return () => {
      const done = this.result(run);
      const m = done.run.expectations[done.own + done.keys.indexOf(key)]!.measured;
      return typeof m === 'number' ? m : null;
    };
  }

  /** Registers probes by name: the getter returns their values by the same names. */
  probeSet(run: RunName, probes: Record<string, Probe>): () => Record<string, number | null> {
    const got = Object.entries(probes).map(([k, p]) => [k, this.probe({ ...p, run })] as const);
    return () => Object.fromEntries(got.map(([k, g]) => [k, g()]));
  }

  async runAll(): Promise<void> {
    for (const [name, spec] of Object.entries(RUNS) as [RunName, (typeof RUNS)[RunName]][]) {
      const path = `${dir}/${spec.file}`;
      const own = ((parse(readFileSync(path, 'utf8')) as { expect?: unknown[] }).expect ?? []) as unknown[];
      const probes = [...(this.probes.get(name) ?? new Map<string, Probe>()).entries()];
      const overrides = 'overrides' in spec ? spec.overrides : {};
      const run = await runScenario(path, {
        seed: 'seed' in spec ? spec.seed : undefined,
        overrides: { ...overrides, expect: [...own, ...probes.map(([, p], i) => probeSpec(p, i))] },
      });
      this.done.set(name, { run, own: own.length, keys: probes.map(([k]) => k) });
    }
  }

  result(name: RunName): { run: ScenarioRun; own: number; keys: string[] } {
    const done = this.done.get(name);
    if (!done) throw new Error(`the run ${name} has not run`);
    return done;
  }

  run(name: RunName): ScenarioRun {
    return this.result(name).run;
  }
}

const runs = new Runs();

/** The checks of the quotes, their probes registered now. */
const quoteChecks = QUOTES.map((q) => ({
  quote: q,
  checks: q.checks.map((c) => {
    const getters = Object.entries(c.probes ?? {}).map(([k, p]) => [k, runs.probe(p)] as const);
    return {
      check: c,
      value: () =>
        c.read({ p: Object.fromEntries(getters.map(([k, g]) => [k, g()])), run: (n) => runs.run(n) }),
    };
  }),
}));

beforeAll(() => runs.runAll(), 120_000);

function byFlow(flows: readonly string[], metric: string, during: Window): Record<string, Probe> {
  return Object.fromEntries(flows.map((w) => [w, { metric, workload: w, during }]));
}

describe('the shipped files hold their own expectations', () => {
  const own = (Object.entries(RUNS) as [RunName, { file: string }][]).filter(
    ([, spec]) => Object.keys(spec).length === 1,
  );
  it.each(own)('%s', (name, spec) => {
    const { run, own: n } = runs.result(name);
    expect(spec.file).toBe(run.scenario.name + '.yaml');
    expect(run.results.run.endReason).toBe('completed');
    const failed = run.expectations
      .slice(0, n)
      .filter((v) => !v.passed)
      .map((v) => `${v.name}: ${v.measuredText}`);
    expect(failed).toEqual([]);
  });
});

describe('Online Boutique', () => {
  const flows = ['index', 'set-currency', 'browse-product', 'add-to-cart', 'view-cart', 'checkout'];
  // The studies' fault: 80 s → 130 s, seed 42, 3 minutes.
  const fault: Window = ['80s', '130s'];

  const currencyProbes = {
    ...byFlow(flows, 'availability', fault),
    setCurrencyPost: { metric: 'availability', endpoint: 'frontend.set-currency', during: fault },
    addToCartPost: { metric: 'availability', endpoint: 'frontend.add-to-cart', during: fault },
  };
  const currencyBase = runs.probeSet('boutiqueAsStudy', currencyProbes);
  const currencyStudy = runs.probeSet('currency', currencyProbes);

  it('currency down: every flow that answered in the baseline fails, though the requests that need no currency work', () => {
    const base = currencyBase();
    const study = currencyStudy();
    for (const flow of flows) {
      expect(base[flow], `baseline ${flow}`).toBe(1);
      expect(study[flow], `study ${flow}`).toBe(0);
    }
    // POST /setCurrency and POST /cart call no currency: they go on working.
    expect(study.setCurrencyPost).toBe(1);
    expect(study.addToCartPost).toBe(1);
  });

  it('currency down: every failure starts at the currency service, and no failed order reaches payment', () => {
    const run = runs.run('currency');
    for (const flow of flows) {
      const causes = Object.keys(run.workload(flow).rootCauses);
      expect(causes.length, flow).toBeGreaterThan(0);
      for (const cause of causes) expect(cause, flow).toMatch(/^no_instance at currencyservice\//);
    }
    // Checkout converts each item's price before charging the card: every call that reached
    // payment belongs to an order that went through, and orders did fail.
    const placeOrder = run.endpoint('checkoutservice.place-order');
    expect(placeOrder.failed).toBeGreaterThan(20);
    expect(run.service('paymentservice').requests).toBe(placeOrder.ok);
    expect(run.fault('currency-down').timeToRecoverMs).toBeLessThanOrEqual(10_000);
  });

  const recommendationsProbes = {
    ...byFlow(flows, 'availability', fault),
    recommendations: { metric: 'availability', endpoint: 'frontend.recommendations', during: fault },
    browseP50: { metric: 'p50', workload: 'browse-product', during: fault },
  };
  const recommendationsBase = runs.probeSet('boutiqueAsStudy', recommendationsProbes);
  const recommendationsStudy = runs.probeSet('recommendations', recommendationsProbes);

  it('recommendations down: every flow still answers, without recommendations and faster', () => {
    const base = recommendationsBase();
    const study = recommendationsStudy();
    for (const flow of flows) {
      expect(base[flow], `baseline ${flow}`).toBe(1);
      expect(study[flow], `study ${flow}`).toBe(1);
    }
    expect(base.recommendations).toBe(1);
    expect(study.recommendations).toBe(0);
    // The recommendation call fails at once and its five product lookups are skipped.
    expect(study.browseP50!).toBeLessThan(base.browseP50! - 3);
  });

  const hardProbes = runs.probeSet(
    'recommendationsHard',
    byFlow(['browse-product', 'index'], 'availability', fault),
  );

  it('made a hard dependency, the recommendation service takes product pages down with it', () => {
    // The same study with productHandler's recommendations call made hard (as the frontend was
    // before it ignored the error): the soft call is what keeps the product pages up.
    const hard = hardProbes();
    expect(hard['browse-product']).toBe(0);
    expect(hard.index).toBe(1); // the home page asks for no recommendations
  });
});

describe('Sock Shop', () => {
  const flows = ['browse', 'login', 'cart', 'order'];
  const consumerDown: Window = ['100s', '140s'];
  const brokerDown: Window = ['190s', '220s'];
  const queue = 'rabbitmq.shipping-task';
  const probes = {
    ...Object.fromEntries(
      flows.map((w) => [`${w}@consumer`, { metric: 'availability', workload: w, during: consumerDown }]),
    ),
    ...Object.fromEntries(
      flows.map((w) => [`${w}@broker`, { metric: 'availability', workload: w, during: brokerDown }]),
    ),
    backlog: { metric: 'backlog_max', queue, during: consumerDown },
    lostWhileConsumerDown: { metric: 'messages_lost', queue, during: ['100s', '185s'] as Window },
    lostWhileBrokerDown: { metric: 'messages_lost', queue, during: brokerDown },
    processedWhileBrokerDown: { metric: 'messages_processed', queue, during: brokerDown },
  };
  const baseProbes = runs.probeSet('sockShopAsStudy', probes);
  const studyProbes = runs.probeSet('queueDown', probes);

  it('queue down: every flow answers as in the baseline; a consumer outage delays the shipping tasks, a broker outage loses them', () => {
    const base = baseProbes();
    const study = studyProbes();
    for (const flow of flows) {
      for (const phase of ['consumer', 'broker']) {
        expect(base[`${flow}@${phase}`], `baseline ${flow}@${phase}`).toBe(1);
        expect(study[`${flow}@${phase}`], `study ${flow}@${phase}`).toBe(1);
      }
    }
    // queue-master down: the tasks wait (5 a second for 40 s) and none is lost.
    expect(base.backlog!).toBeLessThanOrEqual(5);
    expect(study.backlog!).toBeGreaterThanOrEqual(150);
    expect(study.lostWhileConsumerDown).toBe(0);
    // RabbitMQ down: shipping "accepts anyway", and the tasks of those 30 s are lost.
    expect(base.lostWhileBrokerDown).toBe(0);
    expect(study.lostWhileBrokerDown!).toBeGreaterThanOrEqual(100);
    expect(base.processedWhileBrokerDown!).toBeGreaterThan(100);
    expect(study.processedWhileBrokerDown).toBe(0);
  });

  it('the lost tasks are exactly the failed publishes of the outage, and every other message is conserved', () => {
    const run = runs.run('queueDown');
    const q = run.queue(queue);
    expect(q.conservation.conserved).toBe(true);
    expect(q.dropped + q.expired + q.deadLettered).toBe(0);
    const failures = run.results.messaging!.publishFailures['rabbitmq/shipping-task']!;
    expect(Object.keys(failures.reasons)).toEqual(['no_instance']);
    // Every order was accepted: orders = tasks stored + tasks lost.
    const orders = run.endpoint('shipping.create-shipment');
    expect(orders.failed).toBe(0);
    expect(q.published + failures.failed).toBe(orders.requests);
  });

  const confirmedProbes = runs.probeSet('queueDownConfirmed', {
    order: { metric: 'availability', workload: 'order', during: brokerDown },
    browse: { metric: 'availability', workload: 'browse', during: brokerDown },
  });

  it('a publisher that waits for the broker would have made the orders fail instead', () => {
    // The same study with shipping waiting for RabbitMQ's confirm (publisher confirms): the
    // "accept anyway" is what keeps orders up while the broker is down.
    const confirmed = confirmedProbes();
    expect(confirmed.order!).toBeLessThan(0.05);
    expect(confirmed.browse).toBe(1);
  });
});

describe('DeathStarBench compose-post', () => {
  const before: Window = ['5s', '35s'];
  const slow5: Window = ['35s', '60s'];
  const slow200: Window = ['65s', '90s'];
  const flows = ['compose-post', 'read-home-timeline', 'read-user-timeline'];
  const probes = {
    ...Object.fromEntries(flows.map((w) => [`${w}@5x`, { metric: 'p50', workload: w, during: slow5 }])),
    ...Object.fromEntries(flows.map((w) => [`${w}@200x`, { metric: 'p50', workload: w, during: slow200 }])),
    'compose-post@before': { metric: 'p50', workload: 'compose-post', during: before },
    composeAvailability: { metric: 'availability', workload: 'compose-post', during: slow200 },
    media: { metric: 'p50', endpoint: 'media-service.compose-media', during: slow200 },
    text: { metric: 'p50', endpoint: 'text-service.compose-text', during: slow200 },
  };
  const baseProbes = runs.probeSet('composeAsStudy', probes);
  const studyProbes = runs.probeSet('slowBranch', probes);

  it('a slow branch of the fan-out: compose latency follows it only once it is the slowest; reads never notice', () => {
    const base = baseProbes();
    const study = studyProbes();
    const delta = (key: string) => study[key]! - base[key]!;
    // Before the fault the two runs are the same world with the same seed.
    expect(Math.abs(delta('compose-post@before'))).toBeLessThan(0.5);
    // Media 5× slower is still faster than text: composing a post barely changes.
    expect(Math.abs(delta('compose-post@5x'))).toBeLessThan(1);
    // Media 200× slower is the slowest branch: every post waits for it.
    expect(delta('compose-post@200x')).toBeGreaterThan(15);
    expect(study['compose-post@200x']!).toBeGreaterThan(study.media!);
    expect(study.media!).toBeGreaterThan(study.text! * 5);
    expect(study.composeAvailability).toBe(1);
    // The timeline reads never call media-service.
    for (const flow of ['read-home-timeline', 'read-user-timeline']) {
      for (const phase of ['5x', '200x']) expect(Math.abs(delta(`${flow}@${phase}`)), flow).toBeLessThan(0.3);
    }
  });

  const window: Window = ['5s', '70s'];
  const p50 = { compose: { metric: 'p50', workload: 'compose-post', during: window } };
  const parallelProbes = runs.probeSet('compose', p50);
  const sequentialProbes = runs.probeSet('composeSequential', p50);

  it('called one after another, the four branches would add up instead of overlapping', () => {
    const parallel = parallelProbes();
    const sequential = sequentialProbes();
    // Three more round trips (user, media, unique-id) of about 0.4 ms each.
    expect(sequential.compose! - parallel.compose!).toBeGreaterThan(0.8);
  });
});

// ---------------------------------------------------------------------------------------------
// The numbers of the docs page and of the narration (docs/en/lessons.md: the same rule as a
// lesson's texts).

const docPath = (lang: Lang) => `docs/${lang}/real-architectures.md`;

/**
 * The prose of the docs page: code removed (`prose`), and the "Sources" sections, whose tables
 * list the files read from the real systems (commits, file names, counts: inputs, not
 * measurements).
 */
function docText(lang: Lang): string {
  const markdown = readFileSync(docPath(lang), 'utf8').replace(
    /^### (Sources|Fuentes)\n[\s\S]*?(?=^#)/gm,
    '',
  );
  return prose(markdown);
}

/** Every narration text of scenarios/real/, by file. */
function narrations(): { file: string; index: number; text: Record<Lang, string> }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const data = parse(readFileSync(join(dir, file), 'utf8')) as {
        narration?: { en: string; es: string }[];
      };
      return (data.narration ?? []).map((n, index) => ({ file, index, text: { en: n.en, es: n.es } }));
    });
}

describe('the numbers that the docs page and the narration quote', () => {
  describe.each(quoteChecks.map((q) => [q.quote.quote.en, q] as const))('%s', (_, { quote, checks }) => {
    it('appears in both languages', () => {
      for (const lang of LANGS) {
        const wanted = flat(quote.quote[lang]);
        const file = RUNS[quote.run].file;
        const where = [
          docText(lang),
          ...narrations()
            .filter((n) => n.file === file)
            .map((n) => n.text[lang]),
        ];
        expect(
          where.some((t) => flat(t).includes(wanted)),
          `"${wanted}" in ${docPath(lang)} or the narration of ${file}`,
        ).toBe(true);
      }
    });

    it('is what the runs measure', () => {
      const wrong = checks.flatMap(({ check, value }) => {
        const v = value();
        const [low, high] = check.between;
        return v !== null && Number.isFinite(v) && v >= low && v <= high
          ? []
          : [`${check.what}: measured ${v}, quoted [${low}, ${high}]`];
      });
      expect(wrong).toEqual([]);
    });
  });

  it.each(LANGS)('every given input of %s appears in the docs page or a narration', (lang) => {
    const texts = [docText(lang), ...narrations().map((n) => n.text[lang])].map(flat);
    expect(GIVEN[lang].filter((g) => !texts.some((t) => t.includes(flat(g))))).toEqual([]);
  });

  it.each(LANGS)('every number of the %s docs page and narration is quoted or given', (lang) => {
    const quoteText = (file: string | null) =>
      QUOTES.filter((q) => file === null || RUNS[q.run].file === file).map((q) => q.quote[lang]);
    const problems = [
      ...uncoveredNumbers(docText(lang), [...quoteText(null), ...GIVEN[lang]]).map(
        (n) => `${docPath(lang)}: ${n}`,
      ),
      ...narrations().flatMap((n) =>
        uncoveredNumbers(n.text[lang], [...quoteText(n.file), ...GIVEN[lang]]).map(
          (u) => `${n.file} narration[${n.index}]: ${u}`,
        ),
      ),
    ];
    expect(problems).toEqual([]);
  });
});
