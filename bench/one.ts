/**
 * Runs one scenario headless with full metrics and prints one JSON line of measurements:
 * wall time of the run (loading excluded), simulated requests, events, and peak RSS; also the
 * wall time of the first tenth of simulated time and the request rate over the other nine.
 * Used by bench/run.ts, which starts each benchmark in a fresh process.
 */
import { performance } from 'node:perf_hooks';
import { createSession } from '../src/runtime/session.ts';
import { loadScenario } from '../src/scenario/index.ts';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: tsx bench/one.ts <scenario>');
  process.exit(2);
}
const scenario = await loadScenario(file);
const session = createSession(scenario);
/** User requests arrived so far (warm-up included). */
const arrived = (): number =>
  Object.values(session.metrics.snapshot().workloads).reduce((n, w) => n + w.arrived, 0);
const started = performance.now();
// The first tenth of simulated time separately: it holds V8's warm-up (interpreted code while the
// hot functions are being compiled), which the rest of the run no longer pays.
session.advance(scenario.durationMs / 10);
const firstTenthMs = performance.now() - started;
const arrivedFirstTenth = arrived();
const stoppedInFirstTenth = session.ended;
const results = session.runToEnd();
const wallMs = performance.now() - started;
// null when a limit stopped the run within its first tenth: there is no rest to measure.
const steadyRequestsPerSec = stoppedInFirstTenth
  ? null
  : (arrived() - arrivedFirstTenth) / ((wallMs - firstTenthMs) / 1000);
const requests = Object.values(results.workloads).reduce((n, w) => n + w.requests, 0);
const hops = Object.values(results.services).reduce(
  (n, s) => n + Object.values(s.endpoints).reduce((m, e) => m + e.requests, 0),
  0,
);
console.log(
  JSON.stringify({
    scenario: scenario.name,
    requests,
    hops,
    events: results.simulated.events,
    wallMs,
    requestsPerSec: requests / (wallMs / 1000),
    firstTenthMs,
    steadyRequestsPerSec,
    eventsPerSec: results.simulated.events / (wallMs / 1000),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    endReason: results.run.endReason,
  }),
);
