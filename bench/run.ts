/**
 * `npm run bench`: the performance benchmarks of docs/en/performance.md. Each runs in a fresh Node
 * process (so peak memory is its own) and is compared with its target. Figures vary with the
 * machine and its load; record them with the machine's description.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

interface Measurement {
  scenario: string;
  requests: number;
  hops: number;
  events: number;
  wallMs: number;
  requestsPerSec: number;
  /** Wall time of the first tenth of simulated time (it holds V8's warm-up). */
  firstTenthMs: number;
  /** Requests per second over the other nine tenths (null if the run stopped before them). */
  steadyRequestsPerSec: number | null;
  eventsPerSec: number;
  maxRssMB: number;
  endReason: string;
}

interface Benchmark {
  readonly title: string;
  readonly file: string;
  readonly target: string;
  readonly met: (m: Measurement) => boolean;
  /** Runs to take; the median (by wall time) is reported. Throughput varies ±20% run to run here. */
  readonly repeats: number;
}

const benchmarks: Benchmark[] = [
  {
    title: 'M/M/1 at ρ = 0.8, ~1,000,000 requests, full metrics',
    file: 'bench/scenarios/mm1-1m.yaml',
    target: '>= 1,000,000 simulated requests per wall-clock second',
    met: (m) => m.requestsPerSec >= 1_000_000,
    repeats: 5,
  },
  {
    title: '11 services, ~10 calls per user request, network latency',
    file: 'bench/scenarios/shop-11.yaml',
    target: '>= 100,000 user requests per wall-clock second',
    met: (m) => m.requestsPerSec >= 100_000,
    repeats: 3,
  },
  {
    title: 'the same 11 services with timeout + retry + circuit breaker on every call',
    file: 'bench/scenarios/shop-11-policies.yaml',
    target: 'no target: shows what the patterns cost next to the plain topology',
    met: () => true,
    repeats: 3,
  },
  {
    title: '~1,000,000 messages through a broker queue (publish → store → deliver → consume → ack)',
    file: 'bench/scenarios/messaging-1m.yaml',
    target: 'no target: what a message costs (3 hops and about 10 events each)',
    met: () => true,
    repeats: 3,
  },
  {
    title: 'M/M/1, ~10,000,000 requests: peak memory',
    file: 'bench/scenarios/mm1-10m.yaml',
    target: 'peak RSS < 250 MB',
    met: (m) => m.maxRssMB < 250,
    repeats: 1,
  },
];

/** Runs one benchmark script in a fresh Node process and reads its JSON line. */
function run(args: string[]): Measurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

const only = process.argv[2];
console.log(
  `microsim benchmarks — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`,
);
const floor = run(['bench/floor.ts']);
console.log(
  'REFERENCE bare hand-written M/M/1 loop (bench/floor.ts: a heap, two events per request, no metrics)\n' +
    `       ${Math.round(floor.requestsPerSec).toLocaleString('en')} requests/s — the least any simulator in JS does on this machine\n`,
);
let missed = 0;
for (const b of benchmarks) {
  if (only !== undefined && !b.file.includes(only)) continue;
  const runs = Array.from({ length: b.repeats }, () => run(['bench/one.ts', b.file]));
  runs.sort((x, y) => x.wallMs - y.wallMs);
  const m = runs[Math.floor(runs.length / 2)]!;
  const ok = b.met(m) && m.endReason === 'completed';
  if (!ok) missed++;
  console.log(`${ok ? 'MET   ' : 'MISSED'} ${b.title}`);
  console.log(`       target: ${b.target}`);
  console.log(
    `       ${m.requests.toLocaleString('en')} requests (${m.hops.toLocaleString('en')} hops), ` +
      `${m.events.toLocaleString('en')} events in ${(m.wallMs / 1000).toFixed(2)} s: ` +
      `${Math.round(m.requestsPerSec).toLocaleString('en')} requests/s, ` +
      `${Math.round(m.eventsPerSec).toLocaleString('en')} events/s, peak RSS ${m.maxRssMB.toFixed(0)} MB` +
      (runs.length > 1
        ? ` (median of ${runs.length} runs; fastest ${Math.round(runs[0]!.requestsPerSec).toLocaleString('en')}/s, ` +
          `slowest ${Math.round(runs.at(-1)!.requestsPerSec).toLocaleString('en')}/s)\n`
        : '\n') +
      `       the first tenth of simulated time took ${(m.firstTenthMs / 1000).toFixed(2)} s (V8 warm-up included); ` +
      (m.steadyRequestsPerSec === null
        ? 'the run stopped before the other nine tenths\n'
        : `the other nine tenths ran at ${Math.round(m.steadyRequestsPerSec).toLocaleString('en')} requests/s\n`),
  );
}
// The dashboard at "as fast as possible" against headless, interleaved run by run on the same
// scenario so that the machine's drift affects both alike.
if (only === undefined || 'dashboard'.includes(only)) {
  const file = 'bench/scenarios/shop-11.yaml';
  const ratios: number[] = [];
  for (let i = 0; i < 3; i++) {
    const headless = run(['bench/one.ts', file]);
    const live = run(['bench/dashboard.ts', file]);
    ratios.push(live.requestsPerSec / headless.requestsPerSec);
  }
  ratios.sort((a, b) => a - b);
  const ratio = ratios[1]!;
  const ok = ratio >= 0.5;
  if (!ok) missed++;
  console.log(
    `${ok ? 'MET   ' : 'MISSED'} the live dashboard at "as fast as possible" (shop-11, 120×40, rendering)`,
  );
  console.log('       target: >= 50% of the headless speed');
  console.log(
    `       ${(ratio * 100).toFixed(0)}% of headless (median of 3 interleaved pairs: ` +
      `${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(', ')})\n`,
  );
}
process.exitCode = missed === 0 ? 0 : 1;
