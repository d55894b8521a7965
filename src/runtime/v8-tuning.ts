/**
 * V8 settings for long simulations, applied by the `microsim` command (and the benchmarks) before
 * any scenario runs.
 *
 * A simulated request is a long chain of small functions: the event loop calls the executor,
 * which calls the instance, the network, the engine and, through the bus, the metrics collector.
 * V8 inlines a call only while the caller's budget of inlined bytecode lasts (460 bytes per
 * callee and 920 in all, by default in Node 20), and those budgets run out half-way along this
 * chain, so the rest pays a call each and its objects (signal payloads) cannot be optimized away.
 * Larger budgets cut the instructions per request by about 11% (M/M/1) and 9% (the 11-service
 * shop); see docs/en/performance.md. They only change which functions V8 inlines, never what the
 * program computes: results are the same with and without them.
 *
 * A library user (e.g. a vitest suite) gets V8's defaults unless they call this themselves.
 */
import { setFlagsFromString } from 'node:v8';

/** The flags, as V8 reads them. */
export const V8_TUNING_FLAGS: readonly string[] = [
  '--max-inlined-bytecode-size=800',
  '--max-inlined-bytecode-size-cumulative=4000',
];

let tuned = false;

/** Applies `V8_TUNING_FLAGS` to this process (once). Call it before loading a scenario. */
export function tuneV8ForSimulation(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of V8_TUNING_FLAGS) setFlagsFromString(flag);
}
