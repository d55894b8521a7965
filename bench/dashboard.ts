/**
 * Runs one scenario in the live dashboard at "as fast as possible", rendering at its frame rate
 * into a discarding 120×40 terminal, and prints one JSON line like bench/one.ts: what the
 * dashboard costs next to a headless run of the same scenario.
 */

import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { loadScenario } from '../src/scenario/index.ts';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: tsx bench/dashboard.ts <scenario>');
  process.exit(2);
}
// As the CLI does: React's production build (imported only after this line).
process.env.NODE_ENV ??= 'production';
const { runDashboard } = await import('../src/ui/run-dashboard.tsx');
const scenario = await loadScenario(file);
let frames = 0;
const screen = Object.assign(
  new Writable({
    write(_chunk, _encoding, done) {
      frames++;
      done();
    },
  }),
  { columns: 120, rows: 40, isTTY: true },
) as unknown as NodeJS.WriteStream;
const started = performance.now();
const results = await runDashboard(scenario, {
  lang: 'en',
  speed: 'max',
  stdout: screen,
  // No keys: the dashboard closes by itself when the run is over.
  stdin: Object.assign(new Writable(), { isTTY: false }) as unknown as NodeJS.ReadStream,
  conclude: () => ({ summary: [], verdicts: [] }),
  save: () => '',
});
const wallMs = performance.now() - started;
const requests = Object.values(results.workloads).reduce((n, w) => n + w.requests, 0);
console.log(
  JSON.stringify({
    scenario: scenario.name,
    requests,
    hops: 0,
    events: results.simulated.events,
    wallMs,
    requestsPerSec: requests / (wallMs / 1000),
    eventsPerSec: results.simulated.events / (wallMs / 1000),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    endReason: results.run.endReason,
    frames,
  }),
);
