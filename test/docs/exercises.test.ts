/**
 * docs/en/exercises.md and docs/es/exercises.md: "change a parameter, predict, run, explain".
 * Each exercise below is the scenario, the change (as `overrides`, exactly the edit the page
 * asks for) and every measured number its solution quotes, with the range the solution states.
 * The test runs each exercise and checks that every value lies in its range, that every quote
 * appears word for word in the solution in both languages, and that the solutions hold no
 * number that is neither a checked quote, the name of one of the scenario's expectations, nor a
 * listed input (`given`: parameters and arithmetic on them).
 */
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario, type ScenarioOverrides, type ScenarioRun } from 'microsim';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Lang = 'en' | 'es';
type Texts = Readonly<Record<Lang, string>>;

interface Check {
  /** What is measured, for the failure message. */
  readonly what: string;
  readonly measure: (run: ScenarioRun) => number | null;
  /** Inclusive, in the unit of `measure` (ratios for shares, ms for times). */
  readonly between: readonly [number, number];
  /** Text of the solution that states the value, in each language. */
  readonly quote: Texts;
}

interface Exercise {
  readonly n: number;
  readonly scenario: string;
  /** The change, as overrides; a function when the edit is inside a list (lists replace). */
  readonly change?: ScenarioOverrides | ((file: Record<string, unknown>) => ScenarioOverrides);
  /** Seeds to run with; default the scenario's own. */
  readonly seeds?: readonly number[];
  /** English names of the scenario's expectations the page tells the student to read. */
  readonly reads?: readonly string[];
  readonly checks: readonly Check[];
  /** Numbers of the solutions that are inputs, not measurements (with their words around). */
  readonly given?: Readonly<Record<Lang, readonly string[]>>;
}

/** The measured value of the scenario's expectation named `en` (in English). */
function line(run: ScenarioRun, en: string): number | null {
  const verdict = run.expectations.find((v) => (v.spec.names?.en ?? v.name) === en);
  if (verdict === undefined) {
    const known = run.expectations.map((v) => v.spec.names?.en ?? v.name).join(' | ');
    throw new Error(`the scenario has no expectation "${en}" (it has: ${known})`);
  }
  if (typeof verdict.measured === 'string') throw new Error(`"${en}" measures a state, not a number`);
  return verdict.measured;
}
const lineOf =
  (en: string) =>
  (run: ScenarioRun): number | null =>
    line(run, en);

const FT = 'scenarios/06-fault-tolerance';
const COMM = 'scenarios/04-communication';

const EXERCISES: readonly Exercise[] = [
  {
    n: 1,
    scenario: `${FT}/cascade-uncontained.yaml`,
    change: { services: { web: { workers: 100 } } },
    reads: [
      'during the fault, browsing collapses although it never calls payments',
      'buying fails during the fault',
    ],
    checks: [
      {
        what: 'browsers answered during the hang',
        measure: lineOf('during the fault, browsing collapses although it never calls payments'),
        between: [0.999, 1],
        quote: {
          en: 'practically all of its requests (at least 99.9%)',
          es: 'prácticamente a todas sus peticiones (al menos el 99,9 %)',
        },
      },
      {
        what: 'p99 of browsers over the run',
        measure: (r) => r.workload('browsers').latencyMs.p99,
        between: [50, 56],
        quote: { en: 'about 53 ms (between 50 and 56 ms)', es: 'unos 53 ms (entre 50 y 56 ms)' },
      },
      {
        what: 'buyers answered during the hang',
        measure: lineOf('buying fails during the fault'),
        between: [0.03, 0.08],
        quote: {
          en: 'about 5% of the buyers who arrive during the hang get an answer (between 3% and 8%)',
          es: 'alrededor del 5 % de los compradores que llegan durante el cuelgue recibe respuesta (entre el 3 y el 8 %)',
        },
      },
    ],
    given: {
      en: [
        'p99',
        '2 × (10 + 50) = 120',
        '2 × 100 = 200',
        'at most 120',
        'the other 80',
        '2 × 20 = 40',
        'the 120 held',
        'number 120',
      ],
      es: [
        'p99',
        '2 × (10 + 50) = 120',
        '2 × 100 = 200',
        'como mucho 120',
        'los otros 80',
        '2 × 20 = 40',
        'los 120 retenidos',
        'número 120',
      ],
    },
  },
  {
    n: 2,
    scenario: `${FT}/cascade-contained.yaml`,
    change: { services: { web: { clients: { checkout: { fallback: false } } } } },
    reads: [
      'browsing stays available during the fault',
      'browsing stays fast during the fault',
      'buyers get an answer (the fallback) during the fault',
    ],
    checks: [
      {
        what: 'browsers answered during the hang',
        measure: lineOf('browsing stays available during the fault'),
        between: [0.999, 1],
        quote: { en: 'at least 99.9% of its requests', es: 'al menos al 99,9 % de sus peticiones' },
      },
      {
        what: 'p99 of browsers during the hang',
        measure: lineOf('browsing stays fast during the fault'),
        between: [48, 58],
        quote: {
          en: 'a p99 of about 53 ms (between 48 and 58 ms)',
          es: 'un p99 de unos 53 ms (entre 48 y 58 ms)',
        },
      },
      {
        what: 'buyers answered during the hang',
        measure: lineOf('buyers get an answer (the fallback) during the fault'),
        between: [0, 0.01],
        quote: { en: 'under 1% of them are answered', es: 'se responde a menos del 1 %' },
      },
      {
        what: 'buyers answered over the run',
        measure: (r) => r.workload('buyers').availability,
        between: [0.56, 0.64],
        quote: {
          en: 'about 60% of the buyers are answered (between 56% and 64%)',
          es: 'alrededor del 60 % de los compradores (entre el 56 y el 64 %)',
        },
      },
      {
        what: "buyers' mean time to fail (ms)",
        measure: (r) => r.workload('buyers').failedLatencyMs.mean,
        between: [10, 16],
        quote: { en: 'about 13 ms (between 10 and 16 ms)', es: 'unos 13 ms (entre 10 y 16 ms)' },
      },
      {
        what: "share of the buyers' failures with the root cause circuit_open",
        measure: (r) => {
          const w = r.workload('buyers');
          const open = Object.entries(w.rootCauses)
            .filter(([cause]) => cause.startsWith('circuit_open at checkout/pay'))
            .reduce((sum, [, count]) => sum + count, 0);
          return w.failed === 0 ? null : open / w.failed;
        },
        between: [0.95, 0.99],
        quote: {
          en: 'about 97% of them (between 95% and 99%)',
          es: 'alrededor del 97 % de ellos (entre el 95 y el 99 %)',
        },
      },
    ],
    given: {
      en: ['p99', '60 s of the 160 s measured', '500 ms'],
      es: ['p99', '60 s de los 160 s medidos', '500 ms'],
    },
  },
  {
    n: 3,
    scenario: `${FT}/retry-storm.yaml`,
    change: { services: { api: { queue: 20 } } },
    reads: [
      'still down long after the slowdown ended',
      'retries multiply the load',
      'most work is wasted on requests nobody waits for',
    ],
    checks: [
      {
        what: 'answered a minute after the slowdown',
        measure: lineOf('still down long after the slowdown ended'),
        between: [0.999, 1],
        quote: {
          en: 'at least 99.9% of the requests succeed',
          es: 'salen bien al menos el 99,9 % de las peticiones',
        },
      },
      {
        what: 'attempts per request a minute after the slowdown',
        measure: lineOf('retries multiply the load'),
        between: [1, 1.05],
        quote: {
          en: 'about 1 attempt per request (between 1 and 1.05)',
          es: 'más o menos 1 intento por petición (entre 1 y 1,05)',
        },
      },
      {
        what: 'wasted work a minute after the slowdown (ms)',
        measure: lineOf('most work is wasted on requests nobody waits for'),
        between: [0, 1000],
        quote: { en: 'less than a second', es: 'menos de un segundo' },
      },
      {
        what: 'answered over the run',
        measure: (r) => r.workload('clients').availability,
        between: [0.92, 0.96],
        quote: {
          en: 'about 94% of the requests are answered (between 92% and 96%)',
          es: 'alrededor del 94 % de las peticiones (entre el 92 y el 96 %)',
        },
      },
    ],
    given: {
      en: [
        '4 workers / 20 ms = 200 requests per second',
        'a queue of 20',
        '20 × 5 ms = 100 ms',
        '200 ms',
        'room for 1000',
        'up to 5 s',
      ],
      es: [
        '4 workers / 20 ms = 200 peticiones por segundo',
        'una cola de 20',
        '20 × 5 ms = 100 ms',
        '200 ms',
        'sitio para 1000',
        'hasta 5 s',
      ],
    },
  },
  {
    n: 4,
    scenario: `${FT}/retry-storm-fixed.yaml`,
    change: { workloads: { clients: { client: { retry: { budget: false } } } } },
    reads: [
      'recovered long after the slowdown ended',
      "recovers within 30 s of the slowdown's end",
      'retries stay few',
    ],
    checks: [
      {
        what: 'answered a minute after the slowdown',
        measure: lineOf('recovered long after the slowdown ended'),
        between: [0, 0.01],
        quote: { en: '(under 1%)', es: '(menos del 1 %)' },
      },
      {
        what: 'never recovered (1 when the recovery time has no data)',
        measure: (r) => (line(r, "recovers within 30 s of the slowdown's end") === null ? 1 : 0),
        between: [1, 1],
        quote: {
          en: 'the recovery expectation reads `no data`',
          es: 'la expectativa de recuperación dice `no data`',
        },
      },
      {
        what: 'attempts per request a minute after the slowdown',
        measure: lineOf('retries stay few'),
        between: [3.9, 4],
        quote: { en: 'makes 4 attempts (between 3.9 and 4)', es: 'hace 4 intentos (entre 3,9 y 4)' },
      },
    ],
    given: {
      en: [
        '200 ms of work',
        'sends 4 of them',
        '140 × 4 = 560 attempts per second',
        'capacity of 200 per second',
        '20% of the active requests',
        '140 × 1.2 = 168 per second',
        'the 200 the API serves',
      ],
      es: [
        '200 ms de trabajo',
        'envía 4:',
        '140 × 4 = 560 intentos por segundo',
        'capacidad de 200 por segundo',
        '20 % de las peticiones activas',
        '140 × 1,2 = 168 por segundo',
        'las 200 que atiende la API',
      ],
    },
  },
  {
    n: 5,
    scenario: `${COMM}/notify-sync.yaml`,
    change: { services: { orders: { clients: { notifier: { fallback: true } } } } },
    reads: ['while notifier is down, orders fail'],
    checks: [
      {
        what: 'orders answered during the outage',
        measure: lineOf('while notifier is down, orders fail'),
        between: [0.999, 1],
        quote: { en: 'measures at least 99.9%', es: 'mide al menos el 99,9 %' },
      },
      {
        what: 'share of the orders answered by the fallback',
        measure: (r) => (r.workload('shoppers').fallback ?? 0) / r.workload('shoppers').requests,
        between: [0.26, 0.3],
        quote: {
          en: 'about 28% of the orders are answered by the fallback (between 26% and 30%',
          es: 'alrededor del 28 % de los pedidos se responde con el fallback (entre el 26 y el 30 %',
        },
      },
    ],
    given: {
      en: ['lasts 60 s, plus 5 s', 'out of 230 s measured'],
      es: ['dura 60 s, más 5 s', 'de 230 s medidos'],
    },
  },
  {
    n: 6,
    scenario: `${COMM}/notify-async.yaml`,
    change: (file) => ({
      chaos: (file.chaos as Record<string, unknown>[]).map((c) =>
        c.name === 'notifier-down' ? { ...c, for: '120s' } : c,
      ),
    }),
    reads: [
      'the backlog grows during the outage (about 40 messages a second)',
      'the oldest waiting message gets close to a minute old',
      'the emails of orders placed during the outage go out about a minute late',
      'no message is lost',
      'while notifier is down, orders keep succeeding',
    ],
    checks: [
      {
        what: 'largest backlog during the outage',
        measure: lineOf('the backlog grows during the outage (about 40 messages a second)'),
        between: [4600, 5000],
        quote: {
          en: 'about 4,800 messages (between 4,600 and 5,000)',
          es: 'unos 4800 mensajes (entre 4600 y 5000)',
        },
      },
      {
        what: 'age of the oldest waiting message (ms)',
        measure: lineOf('the oldest waiting message gets close to a minute old'),
        between: [118_000, 122_000],
        quote: { en: 'about 120 s old (between 118 and 122 s)', es: 'unos 120 s (entre 118 y 122 s)' },
      },
      {
        what: 'longest delivery latency (ms)',
        measure: lineOf('the emails of orders placed during the outage go out about a minute late'),
        between: [122_000, 128_000],
        quote: {
          en: 'about 125 s late (between 122 and 128 s)',
          es: 'unos 125 s de retraso (entre 122 y 128 s)',
        },
      },
      {
        what: 'messages lost',
        measure: lineOf('no message is lost'),
        between: [0, 0],
        quote: { en: '(0 lost)', es: '(0 perdidos)' },
      },
      {
        what: 'orders answered during the outage',
        measure: lineOf('while notifier is down, orders keep succeeding'),
        between: [0.999, 1],
        quote: { en: '(at least 99.9%)', es: '(al menos el 99,9 %)' },
      },
      {
        what: 'backlog at the end of the run',
        measure: lineOf(
          'the backlog has drained by the end of the run (only the few messages being processed)',
        ),
        between: [0, 10],
        quote: {
          en: 'the backlog has drained by the end of the run',
          es: 'la cola se ha vaciado al final de la ejecución',
        },
      },
    ],
    given: {
      en: [
        '40 per second × 120 s',
        '5 s notifier needs',
        '2 × 4 / 30 ms ≈ 267 messages per second',
        'about 227 more',
        '4,800 messages take about 21 s',
      ],
      es: [
        '40 por segundo × 120 s',
        '5 s que tarda notifier',
        '2 × 4 / 30 ms ≈ 267 mensajes por segundo',
        'unos 227 más',
        '4800 mensajes tardan unos 21 s',
      ],
    },
  },
  {
    n: 7,
    scenario: 'scenarios/07-evolution/canary-rollback.yaml',
    change: { services: { checkout: { versions: { v2: { errorRate: '1%' } } } } },
    reads: [
      "the canary's errors reach only a few shoppers",
      'after the rollback every purchase succeeds again',
    ],
    checks: [
      {
        what: 'the rollout completed (1) rather than rolled back (0)',
        measure: (r) => (r.results.deploys?.[0]?.outcome === 'completed' ? 1 : 0),
        between: [1, 1],
        quote: { en: 'the rollout completes', es: 'el despliegue se completa' },
      },
      {
        what: 'purchases answered during the canary step',
        measure: lineOf("the canary's errors reach only a few shoppers"),
        between: [0.997, 0.9997],
        quote: {
          en: 'about 99.9% of the purchases succeed (between 99.7% and 99.97%)',
          es: 'alrededor del 99,9 % de las compras (entre el 99,7 y el 99,97 %)',
        },
      },
      {
        what: 'purchases answered from 200 s on',
        measure: lineOf('after the rollback every purchase succeeds again'),
        between: [0.988, 0.993],
        quote: {
          en: 'only about 99.1% do (between 98.8% and 99.3%)',
          es: 'solo alrededor del 99,1 % (entre el 98,8 y el 99,3 %)',
        },
      },
    ],
    given: {
      en: [
        'v2',
        'from 200 s on',
        '1% of errors',
        'the 2% allowed',
        '200 × 10% = 20 purchases per second',
        'about 1,200 in all',
      ],
      es: [
        'v2',
        'a partir de los 200 s',
        'un 1 % de fallos',
        'del 2 % permitido',
        '200 × 10 % = 20 compras por segundo',
        'unas 1200 en total',
      ],
    },
  },
  {
    n: 8,
    scenario: 'scenarios/05-deployment-scaling/monolith-hot-module.yaml',
    change: { services: { shop: { autoscale: { max: 2 } } } },
    reads: ['searches stay fast enough'],
    checks: [
      {
        what: 'p99 of searches (ms)',
        measure: lineOf('searches stay fast enough'),
        between: [10_000, 13_500],
        quote: {
          en: 'The p99 of the searches is about 12 s (between 10 and 13.5 s)',
          es: 'El p99 de las búsquedas es de unos 12 s (entre 10 y 13,5 s)',
        },
      },
      {
        what: 'p99 of browsing (ms)',
        measure: (r) => r.workload('browsing').latencyMs.p99,
        between: [10_000, 13_500],
        quote: {
          en: 'the p99 of browsing and of accounts is about 11.5 s (between 10 and 13.5 s)',
          es: 'el p99 de la navegación y de las cuentas, de unos 11,5 s (entre 10 y 13,5 s)',
        },
      },
      {
        what: 'p99 of accounts (ms)',
        measure: (r) => r.workload('accounts').latencyMs.p99,
        between: [10_000, 13_500],
        quote: {
          en: 'the p99 of browsing and of accounts is about 11.5 s (between 10 and 13.5 s)',
          es: 'el p99 de la navegación y de las cuentas, de unos 11,5 s (entre 10 y 13,5 s)',
        },
      },
      {
        what: 'cost of the run',
        measure: lineOf('the run costs more than the same system as services (about 0.27)'),
        between: [0.2, 0.22],
        quote: { en: 'about 0.21 (between 0.20 and 0.22)', es: 'unos 0,21 (entre 0,20 y 0,22)' },
      },
    ],
    given: {
      en: [
        '6 workers',
        '300 × 40 ms = 12 workers',
        '100 × 5 ms = 0.5',
        '50 × 5 ms = 0.25',
        '12.75',
        '2 × 6 = 12 workers',
        'to 6 there',
      ],
      es: [
        '6 workers',
        '300 × 40 ms = 12 workers',
        '100 × 5 ms = 0,5',
        '50 × 5 ms = 0,25',
        '12,75',
        '2 × 6 = 12 workers',
        'de search a 6 allí',
      ],
    },
  },
  {
    n: 9,
    scenario: 'scenarios/theory/closed-loop.yaml',
    change: { workloads: { users: { users: 20 } } },
    checks: [
      {
        what: 'throughput (per second)',
        measure: (r) => r.workload('users').throughputPerSec,
        between: [9.8, 10.2],
        quote: {
          en: 'about 10 per second (between 9.8 and 10.2)',
          es: 'unas 10 por segundo (entre 9,8 y 10,2)',
        },
      },
      {
        what: "the server's utilization",
        measure: (r) => r.service('server').utilization,
        between: [0.99, 1],
        quote: { en: 'at least 99% of the time', es: 'al menos el 99 % del tiempo' },
      },
      {
        what: 'mean response time (ms)',
        measure: (r) => r.workload('users').latencyMs.mean,
        between: [950, 1050],
        quote: { en: 'about 1 s (between 0.95 and 1.05 s)', es: 'alrededor de 1 s (entre 0,95 y 1,05 s)' },
      },
      {
        what: 'mean number of requests at the server',
        measure: (r) => r.service('server').meanInSystem,
        between: [9.5, 10.4],
        quote: {
          en: 'about 10 requests on average (between 9.5 and 10.4)',
          es: 'de media unas 10 peticiones (entre 9,5 y 10,4)',
        },
      },
    ],
    given: {
      en: [
        '100 ms per request',
        'R = 20 / 10 − 1 = 1 s',
        'L = X × R = 10 per second × 1 s',
        '7.854 per second',
        'beyond 10',
      ],
      es: [
        '100 ms por petición',
        'R = 20 / 10 − 1 = 1 s',
        'L = X × R = 10 por segundo × 1 s',
        '7,854 por segundo',
        'pasar de 10',
      ],
    },
  },
  {
    n: 10,
    scenario: 'scenarios/theory/mmc-vs-separate.yaml',
    change: { services: { separate: { loadBalancing: 'least-requests' } } },
    checks: [
      {
        what: 'mean time in system, separate with least-requests (ms)',
        measure: (r) => r.workload('to-separate').latencyMs.mean,
        between: [260, 310],
        quote: { en: 'about 0.29 s (between 0.26 and 0.31 s)', es: 'unos 0,29 s (entre 0,26 y 0,31 s)' },
      },
      {
        what: 'mean time in system, pool (ms)',
        measure: (r) => r.workload('to-pool').latencyMs.mean,
        between: [190, 225],
        quote: {
          en: 'about 0.20 s for the pool in the same run (between 0.19 and 0.225 s)',
          es: 'unos 0,20 s del pool en la misma ejecución (entre 0,19 y 0,225 s)',
        },
      },
    ],
  },
  {
    n: 11,
    scenario: 'scenarios/theory/mmck.yaml',
    seeds: [1, 2, 3, 4],
    checks: [
      {
        what: 'availability',
        measure: (r) => r.workload('arrivals').availability,
        between: [0.84, 0.88],
        quote: { en: 'between 84% and 88%', es: 'entre el 84 y el 88 %' },
      },
    ],
    given: {
      en: ["the theory's 85.9%", '14.5 minutes measured, at 18 requests per second'],
      es: ['85,9 % de la teoría', '14,5 minutos medidos, a 18 peticiones por segundo'],
    },
  },
];

// ---- the pages ----

const LANGS: readonly Lang[] = ['en', 'es'];
const page = (lang: Lang): string =>
  readFileSync(new URL(`../../docs/${lang}/exercises.md`, import.meta.url), 'utf8');
const PAGES: Texts = { en: page('en'), es: page('es') };

/** Whitespace (line breaks of a wrapped paragraph included) as single spaces. */
const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The prose of some markdown: code, inline code, link targets and HTML tags removed. */
const prose = (markdown: string): string =>
  markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\]\([^)]*\)/g, '] ')
    .replace(/<[^>\n]+>/g, ' ');

/** The exercise sections of a page (`## N. Title`), by number. */
function sections(markdown: string): Map<number, string> {
  const out = new Map<number, string>();
  const text = markdown.replace(/```[\s\S]*?```/g, (block) => block.replace(/^##/gm, '  '));
  for (const part of text.split(/^(?=## )/m)) {
    const m = /^## (\d+)\. /.exec(part);
    if (m !== null) out.set(Number(m[1]), part);
  }
  return out;
}

const SOLUTION: Texts = { en: '<summary>Solution</summary>', es: '<summary>Solución</summary>' };
const PARTS: Readonly<Record<Lang, readonly string[]>> = {
  en: ['**Scenario**', '**Change**', '**Predict**', '**Run**'],
  es: ['**Escenario**', '**Cambio**', '**Predicción**', '**Ejecución**'],
};

function solution(section: string, lang: Lang): string {
  const start = section.indexOf(SOLUTION[lang]);
  const end = section.indexOf('</details>', start);
  return start < 0 || end < 0 ? '' : section.slice(start + SOLUTION[lang].length, end);
}

/** The numbers of `text` left once every allowed string is taken out. */
function uncovered(text: string, allowed: readonly string[]): string[] {
  let rest = flat(prose(text));
  for (const a of allowed.map((s) => flat(prose(s))).sort((x, y) => y.length - x.length)) {
    if (a !== '') rest = rest.split(a).join(' ◦ ');
  }
  return [...rest.matchAll(/\d+(?:[.,]\d+)*/g)].map(
    (m) => `"${m[0]}" in "…${rest.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}…"`,
  );
}

const SECTIONS: Readonly<Record<Lang, Map<number, string>>> = {
  en: sections(PAGES.en),
  es: sections(PAGES.es),
};

describe('docs/*/exercises.md', () => {
  it('has at least 8 exercises, numbered in order, the same in both languages and in this test', () => {
    expect(EXERCISES.length).toBeGreaterThanOrEqual(8);
    const numbers = EXERCISES.map((e) => e.n);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    for (const lang of LANGS) expect([...SECTIONS[lang].keys()], lang).toEqual(numbers);
  });

  describe.each(EXERCISES.map((e) => [e.n, e] as const))('exercise %i', (_, ex) => {
    it.each(LANGS)(
      'in %s: names its scenario, has every part, and quotes only checked numbers',
      async (lang) => {
        const section = SECTIONS[lang].get(ex.n) ?? '';
        expect(section, `the scenario's path in exercise ${ex.n}`).toContain(`\`${ex.scenario}\``);
        for (const part of PARTS[lang]) expect(section, `${part} in exercise ${ex.n}`).toContain(part);
        expect(section).toContain('npx microsim run');
        const sol = solution(section, lang);
        expect(sol, `the folded solution of exercise ${ex.n}`).not.toBe('');
        for (const check of ex.checks) {
          expect(flat(sol), `the quote of "${check.what}"`).toContain(flat(check.quote[lang]));
        }
        const scenario = await loadScenario(ex.scenario);
        const names = (scenario.expectations ?? []).map((s) => s.names?.[lang] ?? s.name);
        for (const en of ex.reads ?? []) {
          const spec = (scenario.expectations ?? []).find((s) => (s.names?.en ?? s.name) === en);
          expect(spec, `an expectation "${en}" in ${ex.scenario}`).toBeDefined();
          expect(flat(section), `the expectation "${en}" named in ${lang}`).toContain(
            flat(spec?.names?.[lang] ?? en),
          );
        }
        const allowed = [...ex.checks.map((c) => c.quote[lang]), ...(ex.given?.[lang] ?? []), ...names];
        expect(uncovered(sol, allowed)).toEqual([]);
      },
    );

    it('measures every quoted value within its stated range', async () => {
      const file = parse(readFileSync(ex.scenario, 'utf8')) as Record<string, unknown>;
      const overrides = typeof ex.change === 'function' ? ex.change(file) : ex.change;
      for (const seed of ex.seeds ?? [undefined]) {
        const run = await runScenario(ex.scenario, {
          ...(seed === undefined ? {} : { seed }),
          ...(overrides === undefined ? {} : { overrides }),
        });
        expect(run.results.run.endReason).toBe('completed');
        const off = ex.checks.flatMap((check) => {
          const value = check.measure(run);
          const [low, high] = check.between;
          return value !== null && value >= low && value <= high
            ? []
            : [`${check.what}: measured ${value}, stated between ${low} and ${high} ("${check.quote.en}")`];
        });
        expect(off, `exercise ${ex.n}, seed ${seed ?? run.scenario.seed}`).toEqual([]);
      }
    });
  });
});
