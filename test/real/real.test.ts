/**
 * The real architectures of scenarios/real/ (Online Boutique, Sock Shop, DeathStarBench's
 * compose-post; sources cited in the files and in docs/en/real-architectures.md). Each study is
 * compared with its baseline, flow by flow, in the same time windows: the baseline is run with
 * the study's seed and length, so the two runs differ only by the fault. Windowed numbers are
 * read through expectations added with `overrides` (an expectation's `measured` is the value in
 * its window, whatever its comparison). The contrasts are pinned by taking away what makes them
 * (a soft call made hard, a publisher that waits for the broker): the outcome must change.
 */
import { runScenario } from 'microsim';
import { describe, expect, it } from 'vitest';

const dir = 'scenarios/real';

type Window = readonly [string, string];

interface Probe {
  readonly metric: string;
  readonly during: Window;
  readonly workload?: string;
  readonly endpoint?: string;
  readonly service?: string;
  readonly queue?: string;
}

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

/**
 * Runs `file` with its `expect:` replaced by `probes`, and returns what each probe measured
 * (null: no data in its window). `overrides` may change anything else (duration, services).
 */
async function measure(
  file: string,
  probes: Record<string, Probe>,
  options: { seed?: number; overrides?: Record<string, unknown> } = {},
): Promise<Record<string, number | null>> {
  const entries = Object.entries(probes);
  const run = await runScenario(`${dir}/${file}`, {
    seed: options.seed,
    overrides: { ...options.overrides, expect: entries.map(([, p], i) => probeSpec(p, i)) },
  });
  expect(run.results.run.endReason).toBe('completed');
  return Object.fromEntries(
    entries.map(([key], i) => {
      const m = run.expectations[i]!.measured;
      return [key, typeof m === 'number' ? m : null];
    }),
  );
}

function byFlow(flows: readonly string[], metric: string, during: Window): Record<string, Probe> {
  return Object.fromEntries(flows.map((w) => [w, { metric, workload: w, during }]));
}

describe('the shipped files hold their own expectations', () => {
  it.each([
    'online-boutique.yaml',
    'online-boutique-currency-down.yaml',
    'online-boutique-recommendations-down.yaml',
    'sock-shop.yaml',
    'sock-shop-queue-down.yaml',
    'deathstarbench-compose-post.yaml',
    'deathstarbench-compose-post-slow-branch.yaml',
  ])('%s', async (file) => {
    const run = await runScenario(`${dir}/${file}`);
    const failed = run.expectations.filter((v) => !v.passed).map((v) => `${v.name}: ${v.measuredText}`);
    expect(failed).toEqual([]);
    expect(run.passed).toBe(true);
  });
});

describe('Online Boutique', () => {
  const flows = ['index', 'set-currency', 'browse-product', 'add-to-cart', 'view-cart', 'checkout'];
  // The studies' fault: 80 s → 130 s, seed 42, 3 minutes.
  const fault: Window = ['80s', '130s'];
  const asStudy = { duration: '3m' };

  it('currency down: every flow that answered in the baseline fails, though the requests that need no currency work', async () => {
    const probes = {
      ...byFlow(flows, 'availability', fault),
      setCurrencyPost: { metric: 'availability', endpoint: 'frontend.set-currency', during: fault },
      addToCartPost: { metric: 'availability', endpoint: 'frontend.add-to-cart', during: fault },
    };
    const base = await measure('online-boutique.yaml', probes, { seed: 42, overrides: asStudy });
    const study = await measure('online-boutique-currency-down.yaml', probes);
    for (const flow of flows) {
      expect(base[flow], `baseline ${flow}`).toBe(1);
      expect(study[flow], `study ${flow}`).toBe(0);
    }
    // POST /setCurrency and POST /cart call no currency: they go on working.
    expect(study.setCurrencyPost).toBe(1);
    expect(study.addToCartPost).toBe(1);
  });

  it('currency down: every failure starts at the currency service, and no failed order reaches payment', async () => {
    const run = await runScenario(`${dir}/online-boutique-currency-down.yaml`);
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

  it('recommendations down: every flow still answers, without recommendations and faster', async () => {
    const probes = {
      ...byFlow(flows, 'availability', fault),
      recommendations: { metric: 'availability', endpoint: 'frontend.recommendations', during: fault },
      browseP50: { metric: 'p50', workload: 'browse-product', during: fault },
    };
    const base = await measure('online-boutique.yaml', probes, { seed: 42, overrides: asStudy });
    const study = await measure('online-boutique-recommendations-down.yaml', probes);
    for (const flow of flows) {
      expect(base[flow], `baseline ${flow}`).toBe(1);
      expect(study[flow], `study ${flow}`).toBe(1);
    }
    expect(base.recommendations).toBe(1);
    expect(study.recommendations).toBe(0);
    // The recommendation call fails at once and its five product lookups are skipped.
    expect(study.browseP50!).toBeLessThan(base.browseP50! - 3);
  });

  it('made a hard dependency, the recommendation service takes product pages down with it', async () => {
    // The same study with productHandler's recommendations call made hard (as the frontend was
    // before it ignored the error): the soft call is what keeps the product pages up.
    const probes = byFlow(['browse-product', 'index'], 'availability', fault);
    const hard = await measure('online-boutique-recommendations-down.yaml', probes, {
      overrides: {
        services: {
          frontend: {
            endpoints: {
              product: {
                calls: [
                  'productcatalogservice.get-product',
                  'currencyservice.get-supported-currencies',
                  'cartservice.get-cart',
                  'currencyservice.convert',
                  'recommendations',
                  { to: 'adservice.get-ads', soft: true },
                ],
              },
            },
          },
        },
      },
    });
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

  it('queue down: every flow answers as in the baseline; a consumer outage delays the shipping tasks, a broker outage loses them', async () => {
    const base = await measure('sock-shop.yaml', probes, { seed: 7, overrides: { duration: '250s' } });
    const study = await measure('sock-shop-queue-down.yaml', probes);
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

  it('the lost tasks are exactly the failed publishes of the outage, and every other message is conserved', async () => {
    const run = await runScenario(`${dir}/sock-shop-queue-down.yaml`);
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

  it('a publisher that waits for the broker would have made the orders fail instead', async () => {
    // The same study with shipping waiting for RabbitMQ's confirm (publisher confirms): the
    // "accept anyway" is what keeps orders up while the broker is down.
    const confirmed = await measure(
      'sock-shop-queue-down.yaml',
      {
        order: { metric: 'availability', workload: 'order', during: brokerDown },
        browse: { metric: 'availability', workload: 'browse', during: brokerDown },
      },
      {
        overrides: {
          services: {
            shipping: {
              endpoints: {
                'create-shipment': { calls: [{ publish: queue, confirm: true, timeout: '1s' }] },
              },
            },
          },
        },
      },
    );
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

  it('a slow branch of the fan-out: compose latency follows it only once it is the slowest; reads never notice', async () => {
    const base = await measure('deathstarbench-compose-post.yaml', probes, {
      seed: 3,
      overrides: { duration: '100s' },
    });
    const study = await measure('deathstarbench-compose-post-slow-branch.yaml', probes);
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

  it('called one after another, the four branches would add up instead of overlapping', async () => {
    const window: Window = ['5s', '70s'];
    const p50 = { compose: { metric: 'p50', workload: 'compose-post', during: window } };
    const parallel = await measure('deathstarbench-compose-post.yaml', p50);
    const sequential = await measure('deathstarbench-compose-post.yaml', p50, {
      overrides: {
        services: {
          'compose-post-service': {
            endpoints: {
              'compose-post': {
                calls: [
                  'text-service.compose-text',
                  'user-service.compose-creator-with-user-id',
                  'media-service.compose-media',
                  'unique-id-service.compose-unique-id',
                  'post-storage-service.store-post',
                  'user-timeline-service.write-user-timeline',
                  'home-timeline-service.write-home-timeline',
                ],
              },
            },
          },
        },
      },
    });
    // Three more round trips (user, media, unique-id) of about 0.4 ms each.
    expect(sequential.compose! - parallel.compose!).toBeGreaterThan(0.8);
  });
});
