/**
 * The numbers that docs/{en,es}/real-architectures.md and the narration of scenarios/real/
 * quote, each either checked against a run (QUOTES) or listed as an input (GIVEN). The runs are
 * named in RUNS, and each is run once by real.test.ts; a check reads windowed metrics through
 * probes (expectations appended to the run: observers only) or anything of the run's results.
 */
import type { ScenarioRun } from 'microsim';

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];

export type Window = readonly [string, string];

/** A windowed metric of a run, read as an expectation's `measured`. */
export interface Probe {
  readonly metric: string;
  readonly during: Window;
  readonly workload?: string;
  readonly endpoint?: string;
  readonly service?: string;
  readonly queue?: string;
}

/** A run of a scenario of scenarios/real/: the file, and what changes (nothing: its own run). */
export interface RunSpec {
  readonly file: string;
  readonly seed?: number;
  readonly overrides?: Readonly<Record<string, unknown>>;
}

const SHIPPING_QUEUE = 'rabbitmq.shipping-task';

export const RUNS = {
  boutique: { file: 'online-boutique.yaml' },
  // A study's baseline: the study's seed and length, so that the two runs differ by the fault only.
  boutiqueAsStudy: { file: 'online-boutique.yaml', seed: 42, overrides: { duration: '3m' } },
  currency: { file: 'online-boutique-currency-down.yaml' },
  recommendations: { file: 'online-boutique-recommendations-down.yaml' },
  // productHandler's recommendations call made hard (as the frontend was before it ignored the error).
  recommendationsHard: {
    file: 'online-boutique-recommendations-down.yaml',
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
  },
  sockShop: { file: 'sock-shop.yaml' },
  sockShopAsStudy: { file: 'sock-shop.yaml', seed: 7, overrides: { duration: '250s' } },
  queueDown: { file: 'sock-shop-queue-down.yaml' },
  // shipping waiting for RabbitMQ's confirm (publisher confirms) instead of accepting anyway.
  queueDownConfirmed: {
    file: 'sock-shop-queue-down.yaml',
    overrides: {
      services: {
        shipping: {
          endpoints: {
            'create-shipment': { calls: [{ publish: SHIPPING_QUEUE, confirm: true, timeout: '1s' }] },
          },
        },
      },
    },
  },
  compose: { file: 'deathstarbench-compose-post.yaml' },
  composeAsStudy: { file: 'deathstarbench-compose-post.yaml', seed: 3, overrides: { duration: '100s' } },
  slowBranch: { file: 'deathstarbench-compose-post-slow-branch.yaml' },
  // compose-post's four branches called one after another instead of at once.
  composeSequential: {
    file: 'deathstarbench-compose-post.yaml',
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
  },
} as const satisfies Record<string, RunSpec>;

export type RunName = keyof typeof RUNS;

/** A probe of a named run. */
export interface RunProbe extends Probe {
  readonly run: RunName;
}

/** What a check can read once the runs are done. */
export interface Got {
  /** The check's probes, by key; null when a probe had no data in its window. */
  readonly p: Readonly<Record<string, number | null>>;
  run(name: RunName): ScenarioRun;
}

/** Where a checked value comes from. */
export interface Source {
  readonly probes?: Readonly<Record<string, RunProbe>>;
  readonly read: (got: Got) => number | null;
}

export interface Check extends Source {
  /** What is measured, for the failure message. */
  readonly what: string;
  /** The measured value must lie in [low, high] (units of the metric: ratio, ms, count). */
  readonly between: readonly [number, number];
}

export interface Quote {
  /** Whose narration may hold the quote (when it is not in the docs page). */
  readonly run: RunName;
  readonly quote: Readonly<Record<Lang, string>>;
  readonly checks: readonly Check[];
}

// ---------------------------------------------------------------------------------------------
// Building blocks

function probe(
  run: RunName,
  metric: string,
  scope: Omit<Probe, 'metric' | 'during'>,
  during: Window,
): Source {
  return { probes: { v: { run, metric, ...scope, during } }, read: (g) => g.p.v ?? null };
}

function fromRun(run: RunName, read: (r: ScenarioRun) => number | null): Source {
  return { read: (g) => read(g.run(run)) };
}

function check(what: string, source: Source, between: readonly [number, number]): Check {
  return { what, ...source, between };
}

/** `value` written with `decimals` decimals in `lang` (a decimal comma in Spanish). */
function written(value: number, decimals: number, lang: Lang): string {
  const text = value.toFixed(decimals);
  return lang === 'es' ? text.replace('.', ',') : text;
}

/** The range a number written with `decimals` decimals stands for. */
function rounding(value: number, decimals: number): [number, number] {
  const half = 0.5 * 10 ** -decimals;
  return [value - half, value + half];
}

/**
 * The same for a percentile, widened by the histogram's precision (within 0.05%,
 * docs/en/results-format.md): a value on the edge of two roundings may be written either way.
 */
function percentile(value: number, decimals: number): [number, number] {
  const [low, high] = rounding(value, decimals);
  return [low * 0.9995, high * 1.0005];
}

/** A table cell: its text in each language and what it is checked against. */
interface Cell {
  readonly text: Readonly<Record<Lang, string>>;
  readonly checks?: readonly Check[];
}

type CellInput = string | Readonly<Record<Lang, string>> | Cell;

function cellOf(input: CellInput): Cell {
  if (typeof input === 'string') return { text: { en: input, es: input } };
  if ('text' in input) return input as Cell;
  return { text: input as Record<Lang, string> };
}

const bold = (c: Cell): Cell => ({ ...c, text: { en: `**${c.text.en}**`, es: `**${c.text.es}**` } });

/** A share written as a whole percentage; 100% and 0% mean within 0.05% of it. */
function pct(value: number, what: string, source: Source): Cell {
  const between: [number, number] =
    value === 100 ? [0.9995, 1] : value === 0 ? [0, 0.0005] : [(value - 0.5) / 100, (value + 0.5) / 100];
  return { text: { en: `${value}%`, es: `${value}%` }, checks: [check(what, source, between)] };
}

/** A number written with `decimals` decimals and `unit` (a value in ms written in s: scale 1000). */
function num(
  value: number,
  decimals: number,
  what: string,
  source: Source,
  options: { unit?: string; scale?: number; percentile?: boolean } = {},
): Cell {
  const scale = options.scale ?? 1;
  const [low, high] = (options.percentile ? percentile : rounding)(value, decimals);
  const text = (lang: Lang) => written(value, decimals, lang) + (options.unit ? ` ${options.unit}` : '');
  return {
    text: { en: text('en'), es: text('es') },
    checks: [check(what, source, [low * scale, high * scale])],
  };
}

/** A latency in ms with one decimal: a percentile, unless `mean`. */
const ms = (value: number, what: string, source: Source, mean = false) =>
  num(value, 1, what, source, { unit: 'ms', percentile: !mean });

/** A table row `| a | b | … |` as a quote: every checked cell is checked. */
function row(run: RunName, cells: readonly CellInput[]): Quote {
  const all = cells.map(cellOf);
  const line = (lang: Lang) => `| ${all.map((c) => c.text[lang]).join(' | ')} |`;
  return {
    run,
    quote: { en: line('en'), es: line('es') },
    checks: all.flatMap((c) => c.checks ?? []),
  };
}

function text(run: RunName, en: string, es: string, checks: readonly Check[]): Quote {
  return { run, quote: { en, es }, checks };
}

// ---------------------------------------------------------------------------------------------
// Online Boutique

const BOUTIQUE_FLOWS = ['index', 'set-currency', 'browse-product', 'add-to-cart', 'view-cart', 'checkout'];
const boutiqueSteady: Window = ['40s', '120s'];
const currencyBefore: Window = ['40s', '80s'];
const boutiqueFault: Window = ['80s', '130s'];
const currencyAfter: Window = ['135s', '180s'];

const everyFlowAnswers = (run: RunName, flows: readonly string[], during: Window): Check[] =>
  flows.map((w) =>
    check(
      `${run}: ${w} availability ${during.join('–')}`,
      probe(run, 'availability', { workload: w }, during),
      [0.9995, 1],
    ),
  );

/** Baseline, 40–120 s: requests, p50, p99. */
const boutiqueBaseline: Record<string, [number, number, number]> = {
  index: [75, 13.7, 18.7],
  'set-currency': [144, 13.9, 18.6],
  'browse-product': [711, 12.5, 17.6],
  'add-to-cart': [143, 29.3, 36.6],
  'view-cart': [234, 14.3, 20.7],
  checkout: [74, 49.3, 56.7],
};

const boutiqueBaselineRows = Object.entries(boutiqueBaseline).map(([w, [n, p50, p99]]) =>
  row('boutique', [
    w,
    num(n, 0, `boutique: ${w} requests 40–120 s`, {
      ...probe('boutique', 'throughput', { workload: w }, boutiqueSteady),
      read: (g) => (g.p.v == null ? null : g.p.v * 80),
    }),
    ms(p50, `boutique: ${w} p50 40–120 s`, probe('boutique', 'p50', { workload: w }, boutiqueSteady)),
    ms(p99, `boutique: ${w} p99 40–120 s`, probe('boutique', 'p99', { workload: w }, boutiqueSteady)),
  ]),
);

/** Currency down: the mean time to fail of each flow's failed requests. */
const failedMean: Record<string, number> = {
  index: 2.9,
  'set-currency': 3.8,
  'browse-product': 3.2,
  'add-to-cart': 7.9,
  'view-cart': 2.6,
  checkout: 11.5,
};

const failedMeanOf = (w: string) => fromRun('currency', (r) => r.workload(w).failedLatencyMs.mean ?? null);

const currencyRows = BOUTIQUE_FLOWS.map((w) =>
  row('currency', [
    w,
    pct(100, `currency: ${w} before`, probe('currency', 'availability', { workload: w }, currencyBefore)),
    bold(pct(0, `currency: ${w} during`, probe('currency', 'availability', { workload: w }, boutiqueFault))),
    pct(100, `currency: ${w} after`, probe('currency', 'availability', { workload: w }, currencyAfter)),
    pct(
      100,
      `baseline: ${w} during`,
      probe('boutiqueAsStudy', 'availability', { workload: w }, boutiqueFault),
    ),
    ms(failedMean[w]!, `currency: ${w} mean time to fail`, failedMeanOf(w), true),
  ]),
);

/** Recommendations down, 80–130 s: p50 during, p50 of the baseline. */
const recommendationsP50: Record<string, [number, number, boolean]> = {
  index: [13.4, 13.5, false],
  'set-currency': [14.0, 13.8, false],
  'browse-product': [6.7, 12.2, true],
  'add-to-cart': [17.5, 28.9, true],
  'view-cart': [8.7, 14.3, true],
  checkout: [32.4, 49.3, true],
};

const recommendationsRows = Object.entries(recommendationsP50).map(([w, [during, base, faster]]) => {
  const p50 = ms(
    during,
    `recommendations: ${w} p50 during`,
    probe('recommendations', 'p50', { workload: w }, boutiqueFault),
  );
  return row('recommendations', [
    w,
    pct(
      100,
      `recommendations: ${w} availability during`,
      probe('recommendations', 'availability', { workload: w }, boutiqueFault),
    ),
    faster ? bold(p50) : p50,
    ms(base, `baseline: ${w} p50 80–130 s`, probe('boutiqueAsStudy', 'p50', { workload: w }, boutiqueFault)),
  ]);
});

const boutiqueQuotes: Quote[] = [
  text('boutique', 'Every flow answers (100%). Medians', 'Todos los flujos responden (100%). Medianas', [
    ...everyFlowAnswers('boutique', BOUTIQUE_FLOWS, boutiqueSteady),
  ]),
  ...boutiqueBaselineRows,
  text(
    'boutique',
    'The product catalog receives 140 calls a second and the currency service 78',
    'El catálogo de productos recibe 140 llamadas por segundo y el servicio de divisas 78',
    [
      check(
        'boutique: productcatalogservice throughput 40–120 s',
        probe('boutique', 'throughput', { service: 'productcatalogservice' }, boutiqueSteady),
        [139.5, 140.5],
      ),
      check(
        'boutique: currencyservice throughput 40–120 s',
        probe('boutique', 'throughput', { service: 'currencyservice' }, boutiqueSteady),
        [77.5, 78.5],
      ),
    ],
  ),
  ...currencyRows,
  text('currency', 'answer 100% of the time', 'responden el 100% de las veces', [
    check(
      'currency: POST /setCurrency during',
      probe('currency', 'availability', { endpoint: 'frontend.set-currency' }, boutiqueFault),
      [0.9995, 1],
    ),
    check(
      'currency: POST /cart during',
      probe('currency', 'availability', { endpoint: 'frontend.add-to-cart' }, boutiqueFault),
      [0.9995, 1],
    ),
  ]),
  text(
    'currency',
    'In the run, 52 orders failed inside checkoutservice and the payment service received exactly as many calls as there were successful orders (76)',
    'En la ejecución fallaron 52 pedidos dentro de checkoutservice, y el servicio de pagos recibió exactamente tantas llamadas como pedidos salieron bien (76)',
    [
      check(
        'currency: failed orders',
        fromRun('currency', (r) => r.endpoint('checkoutservice.place-order').failed),
        [52, 52],
      ),
      check(
        'currency: successful orders',
        fromRun('currency', (r) => r.endpoint('checkoutservice.place-order').ok),
        [76, 76],
      ),
      check(
        'currency: calls to payment',
        fromRun('currency', (r) => r.service('paymentservice').requests ?? null),
        [76, 76],
      ),
    ],
  ),
  text(
    'currency',
    'Failures are fast (2.6 to 11.5 ms on average',
    'Los fallos son rápidos (de 2,6 a 11,5 ms de media',
    [
      check(
        'currency: the fastest mean time to fail',
        { read: (g) => Math.min(...BOUTIQUE_FLOWS.map((w) => failedMeanOf(w).read(g) ?? Number.NaN)) },
        [2.55, 2.65],
      ),
      check(
        'currency: the slowest mean time to fail',
        { read: (g) => Math.max(...BOUTIQUE_FLOWS.map((w) => failedMeanOf(w).read(g) ?? Number.NaN)) },
        [11.45, 11.55],
      ),
    ],
  ),
  text(
    'currency',
    'the shop is back 2 s after the service returns',
    'la tienda vuelve 2 s después de que vuelva el servicio',
    [
      check(
        'currency: time to recover',
        fromRun('currency', (r) => r.fault('currency-down').timeToRecoverMs),
        [1500, 2500],
      ),
    ],
  ),
  ...recommendationsRows,
  text('recommendations', 'fails 100% of the time', 'falla el 100% de las veces', [
    check(
      'recommendations: frontend.recommendations during',
      probe('recommendations', 'availability', { endpoint: 'frontend.recommendations' }, boutiqueFault),
      [0, 0.0005],
    ),
  ]),
  text(
    'recommendationsHard',
    'product pages then fail 100% of the time during the fault',
    'las páginas de producto fallan entonces el 100% de las veces durante el fallo',
    [
      check(
        'recommendations, hard call: browse-product during',
        probe('recommendationsHard', 'availability', { workload: 'browse-product' }, boutiqueFault),
        [0, 0.0005],
      ),
    ],
  ),
];

// ---------------------------------------------------------------------------------------------
// Sock Shop

const SOCK_FLOWS = ['browse', 'login', 'cart', 'order'];
const sockSteady: Window = ['80s', '150s'];
const consumerDown: Window = ['100s', '140s'];
const brokerDown: Window = ['190s', '220s'];

const sockBaseline: Record<string, [number, number]> = {
  browse: [6.5, 9.3],
  login: [7.1, 10.3],
  cart: [10.1, 13.1],
  order: [11.7, 15.8],
};

const sockAvailabilityRows = SOCK_FLOWS.map((w) => {
  const both: Source = {
    probes: {
      consumer: { run: 'sockShopAsStudy', metric: 'availability', workload: w, during: consumerDown },
      broker: { run: 'sockShopAsStudy', metric: 'availability', workload: w, during: brokerDown },
    },
    read: (g) => (g.p.consumer == null || g.p.broker == null ? null : Math.min(g.p.consumer, g.p.broker)),
  };
  const consumer = pct(
    100,
    `queue down: ${w} 100–140 s`,
    probe('queueDown', 'availability', { workload: w }, consumerDown),
  );
  const broker = pct(
    100,
    `queue down: ${w} 190–220 s`,
    probe('queueDown', 'availability', { workload: w }, brokerDown),
  );
  return row('queueDown', [
    w,
    w === 'order' ? bold(consumer) : consumer,
    w === 'order' ? bold(broker) : broker,
    pct(100, `baseline: ${w} both windows`, both),
  ]);
});

/** The shipping tasks by window: published, processed, lost, most waiting, oldest waiting (s). */
const taskWindows: [Record<Lang, string>, Window, [number, number, number, number, number]][] = [
  [{ en: 'before (80–100 s)', es: 'antes (80–100 s)' }, ['80s', '100s'], [105, 105, 0, 1, 0]],
  [
    { en: 'queue-master down (100–140 s)', es: 'queue-master caído (100–140 s)' },
    ['100s', '140s'],
    [199, 0, 0, 199, 39],
  ],
  [
    { en: 'restart and drain (140–190 s)', es: 'reinicio y vaciado (140–190 s)' },
    ['140s', '190s'],
    [258, 457, 0, 286, 59],
  ],
  [
    { en: 'RabbitMQ down (190–220 s)', es: 'RabbitMQ caído (190–220 s)' },
    ['190s', '220s'],
    [0, 0, 125, 0, 0],
  ],
  [{ en: 'after (220–250 s)', es: 'después (220–250 s)' }, ['220s', '250s'], [147, 147, 0, 2, 0]],
];

const taskRows = taskWindows.map(([label, during, [published, processed, lost, most, oldest]]) => {
  const q = (metric: string) => probe('queueDown', metric, { queue: SHIPPING_QUEUE }, during);
  const where = `queue down: shipping tasks ${during.join('–')}`;
  const lostCell = num(lost, 0, `${where}, lost`, q('messages_lost'));
  const oldestSource = q('oldest_message_age_ms');
  return row('queueDown', [
    label,
    num(published, 0, `${where}, published`, q('messages_published')),
    num(processed, 0, `${where}, processed`, q('messages_processed')),
    lost > 0 ? bold(lostCell) : lostCell,
    num(most, 0, `${where}, most waiting`, q('backlog_max')),
    oldest === 0
      ? { text: { en: '0', es: '0' }, checks: [check(`${where}, oldest waiting`, oldestSource, [0, 500])] }
      : num(oldest, 0, `${where}, oldest waiting`, oldestSource, { unit: 's', scale: 1000 }),
  ]);
});

const sockQuotes: Quote[] = [
  text(
    'sockShop',
    'Every flow answers (100%). The load test',
    'Todos los flujos responden (100%). La prueba de carga',
    [...everyFlowAnswers('sockShop', SOCK_FLOWS, sockSteady)],
  ),
  ...Object.entries(sockBaseline).map(([w, [p50, p99]]) =>
    row('sockShop', [
      w,
      ms(p50, `sock shop: ${w} p50 80–150 s`, probe('sockShop', 'p50', { workload: w }, sockSteady)),
      ms(p99, `sock shop: ${w} p99 80–150 s`, probe('sockShop', 'p99', { workload: w }, sockSteady)),
    ]),
  ),
  text(
    'sockShop',
    "An order's median inside orders is about 5 ms",
    'La mediana de un pedido dentro de orders es de unos 5 ms',
    [
      check(
        'sock shop: orders.create p50',
        probe('sockShop', 'p50', { endpoint: 'orders.create' }, sockSteady),
        [4.5, 5.5],
      ),
    ],
  ),
  text(
    'sockShop',
    'queue-master has processed each within 3 ms of its sending',
    'queue-master procesa cada una en menos de 3 ms desde su envío',
    [
      check(
        'sock shop: the slowest delivery 80–150 s',
        probe('sockShop', 'delivery_latency_max', { queue: SHIPPING_QUEUE }, sockSteady),
        [0, 3],
      ),
    ],
  ),
  ...sockAvailabilityRows,
  ...taskRows,
  text('queueDown', '(286 at the peak)', '(286 en el pico)', [
    check(
      'queue down: backlog peak 100–190 s',
      probe('queueDown', 'backlog_max', { queue: SHIPPING_QUEUE }, ['100s', '190s']),
      [286, 286],
    ),
  ]),
  text(
    'queueDown',
    'The oldest task waited 59 s (40 s down + 20 s to start)',
    'La tarea más antigua esperó 59 s (40 s caído + 20 s de arranque)',
    [
      check(
        'queue down: the oldest waiting task 100–190 s',
        probe('queueDown', 'oldest_message_age_ms', { queue: SHIPPING_QUEUE }, ['100s', '190s']),
        [58_500, 59_500],
      ),
    ],
  ),
  text(
    'queueDown',
    'the 125 shipping tasks of those 30 s are lost',
    'las 125 tareas de envío de esos 30 s se pierden',
    [
      check(
        'queue down: tasks lost 190–220 s',
        probe('queueDown', 'messages_lost', { queue: SHIPPING_QUEUE }, brokerDown),
        [125, 125],
      ),
    ],
  ),
];

// ---------------------------------------------------------------------------------------------
// DeathStarBench compose-post

const COMPOSE_FLOWS = ['compose-post', 'read-home-timeline', 'read-user-timeline'];
const composeSteady: Window = ['5s', '70s'];
const slowWindows: Record<string, Window> = {
  before: ['5s', '35s'],
  x5: ['35s', '60s'],
  x200: ['65s', '90s'],
};

const composeBaseline: Record<string, [number, number]> = {
  'compose-post': [7.4, 9.9],
  'read-home-timeline': [2.4, 4.1],
  'read-user-timeline': [2.4, 4.4],
};

/** Branches and steps of compose-post, baseline 5–70 s: p50 (ms), and their names in the text. */
const composeSteps: [string, string, number][] = [
  ['text', 'text-service.compose-text', 1.36],
  ['media', 'media-service.compose-media', 0.09],
  ['user', 'user-service.compose-creator-with-user-id', 0.03],
  ['unique-id', 'unique-id-service.compose-unique-id', 0.03],
  ['store-post', 'post-storage-service.store-post', 0.78],
  ['write-user-timeline', 'user-timeline-service.write-user-timeline', 1.17],
  ['write-home-timeline', 'home-timeline-service.write-home-timeline', 1.38],
];
const stepCheck = (name: string, endpoint: string, value: number) =>
  check(
    `compose: ${name} p50 5–70 s`,
    probe('compose', 'p50', { endpoint }, composeSteady),
    percentile(value, 2),
  );

/** Slow branch, p50 (p99) in each window, and the baseline's in 65–90 s. */
const slowTable: Record<string, [number, number][]> = {
  'compose-post': [
    [7.4, 9.8],
    [7.8, 9.9],
    [29.1, 91.6],
    [7.4, 10.7],
  ],
  'read-home-timeline': [
    [2.3, 4.0],
    [2.4, 4.2],
    [2.3, 4.2],
    [2.3, 4.2],
  ],
  'read-user-timeline': [
    [2.4, 4.4],
    [2.4, 4.2],
    [2.4, 4.5],
    [2.4, 4.5],
  ],
};

/** A latency cell `p50 ms (p99)`, both checked. */
function latencyCell(run: RunName, workload: string, during: Window, [p50, p99]: [number, number]): Cell {
  const where = `${run}: ${workload} ${during.join('–')}`;
  const text = (lang: Lang) => `${written(p50, 1, lang)} ms (${written(p99, 1, lang)})`;
  return {
    text: { en: text('en'), es: text('es') },
    checks: [
      check(`${where} p50`, probe(run, 'p50', { workload }, during), percentile(p50, 1)),
      check(`${where} p99`, probe(run, 'p99', { workload }, during), percentile(p99, 1)),
    ],
  };
}

const slowRows = Object.entries(slowTable).map(([w, [before, x5, x200, base]]) => {
  const underFault = latencyCell('slowBranch', w, slowWindows.x200!, x200!);
  return row('slowBranch', [
    w,
    latencyCell('slowBranch', w, slowWindows.before!, before!),
    latencyCell('slowBranch', w, slowWindows.x5!, x5!),
    w === 'compose-post' ? bold(underFault) : underFault,
    latencyCell('composeAsStudy', w, slowWindows.x200!, base!),
  ]);
});

const mediaP50 = (during: Window) =>
  probe('slowBranch', 'p50', { endpoint: 'media-service.compose-media' }, during);
const composeP50 = (run: RunName, during: Window) => probe(run, 'p50', { workload: 'compose-post' }, during);

const composeQuotes: Quote[] = [
  text(
    'compose',
    'Every flow answers (100%). From 5 s to 70 s',
    'Todos los flujos responden (100%). De 5 s a 70 s',
    [...everyFlowAnswers('compose', COMPOSE_FLOWS, composeSteady)],
  ),
  ...Object.entries(composeBaseline).map(([w, [p50, p99]]) =>
    row('compose', [
      w,
      ms(p50, `compose: ${w} p50 5–70 s`, probe('compose', 'p50', { workload: w }, composeSteady)),
      ms(p99, `compose: ${w} p99 5–70 s`, probe('compose', 'p99', { workload: w }, composeSteady)),
    ]),
  ),
  text(
    'compose',
    'text 1.36 ms (its own fan-out included), media 0.09 ms, user 0.03 ms, unique-id 0.03 ms; then store-post 0.78 ms, write-user-timeline 1.17 ms, write-home-timeline 1.38 ms',
    'text 1,36 ms (con su propio reparto), media 0,09 ms, user 0,03 ms, unique-id 0,03 ms; luego store-post 0,78 ms, write-user-timeline 1,17 ms, write-home-timeline 1,38 ms',
    composeSteps.map(([name, endpoint, value]) => stepCheck(name, endpoint, value)),
  ),
  text('compose', 'the four branches would add about 1.3 ms', 'las cuatro ramas añadirían unos 1,3 ms', [
    check(
      'compose: sequential minus parallel p50 5–70 s',
      {
        probes: {
          sequential: {
            run: 'composeSequential',
            metric: 'p50',
            workload: 'compose-post',
            during: composeSteady,
          },
          parallel: { run: 'compose', metric: 'p50', workload: 'compose-post', during: composeSteady },
        },
        read: (g) => (g.p.sequential == null || g.p.parallel == null ? null : g.p.sequential - g.p.parallel),
      },
      percentile(1.3, 1),
    ),
  ]),
  text('slowBranch', 'a median of about 20 ms', 'una mediana de unos 20 ms', [
    check('slow branch: media p50 ×200', mediaP50(slowWindows.x200!), [15, 25]),
  ]),
  ...slowRows,
  text(
    'slowBranch',
    "Media's own median: 0.09 ms, then 0.44 ms at ×5, 22.6 ms at ×200; text's stays between 1.3 and 1.4 ms",
    'La mediana de media: 0,09 ms, luego 0,44 ms a ×5 y 22,6 ms a ×200; la de text se queda entre 1,3 y 1,4 ms',
    [
      check('slow branch: media p50 before', mediaP50(slowWindows.before!), percentile(0.09, 2)),
      check('slow branch: media p50 ×5', mediaP50(slowWindows.x5!), percentile(0.44, 2)),
      check('slow branch: media p50 ×200', mediaP50(slowWindows.x200!), percentile(22.6, 1)),
      ...Object.entries(slowWindows).map(([k, during]) =>
        check(
          `slow branch: text p50 ${k}`,
          probe('slowBranch', 'p50', { endpoint: 'text-service.compose-text' }, during),
          [1.25, 1.45],
        ),
      ),
    ],
  ),
  text(
    'slowBranch',
    'composing a post barely changes (+0.1 ms on the baseline in the same window)',
    'publicar un post apenas cambia (+0,1 ms sobre la línea base en la misma ventana)',
    [
      check(
        'slow branch: compose p50 ×5 minus the baseline',
        {
          probes: {
            study: composeP50('slowBranch', slowWindows.x5!).probes!.v!,
            base: composeP50('composeAsStudy', slowWindows.x5!).probes!.v!,
          },
          read: (g) => (g.p.study == null || g.p.base == null ? null : g.p.study - g.p.base),
        },
        rounding(0.1, 1),
      ),
    ],
  ),
  text('slowBranch', "29 ms = media's 22.6 ms", '29 ms = los 22,6 ms de media', [
    check('slow branch: compose p50 ×200', composeP50('slowBranch', slowWindows.x200!), percentile(29, 0)),
    check('slow branch: media p50 ×200', mediaP50(slowWindows.x200!), percentile(22.6, 1)),
  ]),
  text('slowBranch', '(p99 92 ms)', '(p99 de 92 ms)', [
    check(
      'slow branch: compose p99 ×200',
      probe('slowBranch', 'p99', { workload: 'compose-post' }, slowWindows.x200!),
      percentile(92, 0),
    ),
  ]),
  // The narration: media ×200 is an input, its measured median is a quote.
  text('slowBranch', '200 times slower, about 20 ms', '200 veces más lento, unos 20 ms', [
    check('slow branch: media p50 ×200', mediaP50(slowWindows.x200!), [15, 25]),
  ]),
];

export const QUOTES: readonly Quote[] = [...boutiqueQuotes, ...sockQuotes, ...composeQuotes];

// ---------------------------------------------------------------------------------------------
// Inputs: numbers the texts quote that are not measurements.

export const GIVEN: Readonly<Record<Lang, readonly string[]>> = {
  en: [
    // Metric names, not numbers.
    'p50',
    'p99',
    '99th percentiles',
    // The measurement windows and the seeds: choices of the page.
    'measured from 40 s to 120 s',
    'before (40–80 s) | during (80–130 s) | after (135–180 s)',
    'measured from 80 s (when they are warm) to 150 s',
    'queue-master down (100–140 s) | RabbitMQ down (190–220 s)',
    'before (5–35 s) | media ×5 (35–60 s) | media ×200 (65–90 s) | baseline, 65–90 s',
    'seed 42',
    'seed 7',
    'seed 3',
    // The faults, as the study files write them.
    'from 80 s to 130 s',
    'killed from 100 s to 140 s',
    'from 190 s to 220 s',
    '×5 from 35 s to 60 s, then ×200 from 65 s to 90 s',
    '**×5**',
    '**×200**',
    // What the encoded systems are made of: counted from the sources and the files.
    '11 services in five languages',
    'an online shop of 11 services',
    '1 for every service of the three',
    'get 2 cores (Online Boutique, DeathStarBench) or 1 (Sock Shop',
    'each container to 0.2–0.5 CPU',
    'get 1.',
    'each of the 9 products (9 calls, one after another)',
    'per recommended id: 5)',
    'HTTP 500',
    '**2 items**',
    '**3** when checked out',
    'per checkout (weight 1) there are 2',
    'collects 2 additions on average',
    'a viewed cart holds about 2',
    '5 users per unit of weight (95 users, 9.5× the manifest',
    's 10,',
    'uniform(1 s, 10 s)',
    'the home page makes 13 calls one after another',
    'alone 13 more',
    'each product page makes 7 catalog calls',
    'and 2 currency calls',
    'have a 5 s timeout',
    'sent from 60 s as four open streams of 5 a second (the real test runs 4 clients',
    'The load test starts at 60 s',
    'Gan et al., ASPLOS 2019',
    '(22 in all)',
    'a 10% probability',
    'a constant 50 requests a second',
    'read-home-timeline 30/s, read-user-timeline 15/s, compose-post 5/s',
    '(publisher confirms, a 1 s timeout)',
    'wrk2',
    '(Sock Shop: 0.2–0.5 CPU)',
    '(100 ms,',
    'a 100 ms deadline',
    // Technology profiles: start-up times.
    'is not ready for 20 s',
    '(Node.js starts in 2 s)',
    'needs 20 s to start again',
    // Narration: the faults and start-ups the scenario files set.
    'At 80 s',
    'goes down for 50 s',
    'Go in 1 s',
    '.NET in 5 s',
    'the JVM ad service in 20 s',
    'At 100 s',
    'goes down for 40 s',
    'takes 20 s before it consumes again',
    'goes down for 30 s',
    'every shipping task of these 30 s',
    'take 20 s to start',
    'starts at 60 s',
    '5 times slower',
  ],
  es: [
    'p50',
    'p99',
    'percentiles 99',
    'medidos de 40 s a 120 s',
    'antes (40–80 s) | durante (80–130 s) | después (135–180 s)',
    'medido de 80 s (cuando ya están calientes) a 150 s',
    'queue-master caído (100–140 s) | RabbitMQ caído (190–220 s)',
    'antes (5–35 s) | media ×5 (35–60 s) | media ×200 (65–90 s) | línea base, 65–90 s',
    'semilla 42',
    'semilla 7',
    'semilla 3',
    'de 80 s a 130 s',
    'cae de 100 s a 140 s',
    'de 190 s a 220 s',
    '×5 de 35 s a 60 s, y luego ×200 de 65 s a 90 s',
    '**×5**',
    '**×200**',
    '11 servicios en cinco lenguajes',
    'una tienda en línea de 11 servicios',
    '1 para todos los servicios de los tres',
    'tienen 2 núcleos (Online Boutique, DeathStarBench) o 1 (Sock',
    'cada contenedor a 0,2–0,5 CPU',
    'tienen 1.',
    'cada uno de los 9 productos (9 llamadas, una tras otra)',
    'por id recomendado: 5)',
    'HTTP 500',
    '**2 artículos**',
    '**3** al comprar',
    'por cada compra (peso 1) hay 2',
    'acumula 2 adiciones de media',
    'un carrito visto tiene unas 2',
    '5 usuarios por unidad de peso (95 usuarios, 9,5 veces los 10 del manifiesto',
    'uniform(1 s, 10 s)',
    'la portada hace 13 llamadas una tras otra',
    'otras 13 por sí solo',
    'cada página de producto hace 7 llamadas al catálogo',
    'y 2 a divisas',
    'tienen un timeout de 5 s',
    'enviados desde los 60 s como cuatro flujos abiertos de 5 por segundo (la prueba real lanza 4 clientes',
    'La prueba de carga empieza a los 60 s',
    'Gan et al., ASPLOS 2019',
    '(22 en total)',
    'una probabilidad del 10%',
    'a 50 peticiones por segundo constantes',
    'read-home-timeline 30/s, read-user-timeline 15/s, compose-post 5/s',
    '(publisher confirms, timeout de 1 s)',
    'wrk2',
    '(Sock Shop: 0,2–0,5 CPU)',
    '(100 ms,',
    'un plazo de 100 ms',
    'no está listo hasta los 20 s',
    '(Node.js arranca en 2 s)',
    'necesita 20 s para volver a arrancar',
    'A los 80 s',
    'cae durante 50 s',
    'Go en 1 s',
    '.NET en 5 s',
    'en la JVM en 20 s',
    'A los 100 s',
    'cae 40 s',
    'tarda 20 s en volver a consumir',
    'RabbitMQ durante 30 s',
    'todas las tareas de envío de estos 30 s',
    'tardan 20 s en arrancar',
    'empieza a los 60 s',
    '5 veces más lento',
  ],
};
