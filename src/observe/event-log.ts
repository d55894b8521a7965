/**
 * A JSON-lines log of every signal, for golden-run and determinism tests only (it keeps one
 * string per signal, so memory grows with the run). Each line is `{"signal":"…",…payload}`,
 * serialized at once with `JSON.stringify`, so two runs of the same code and seed produce
 * byte-identical logs.
 */
import type { Bus } from '../engine/bus.ts';

export interface EventLog {
  /** The lines so far, in emission order (a copy). */
  lines(): string[];
  /** Stops recording. */
  stop(): void;
}

export function createEventLog<Catalogue>(bus: Bus<Catalogue>): EventLog {
  const lines: string[] = [];
  const off = bus.onAny((signal, payload) => {
    const fields = typeof payload === 'object' && payload !== null ? payload : { value: payload };
    lines.push(JSON.stringify({ signal, ...fields }));
  });
  return {
    lines: () => lines.slice(),
    stop: off,
  };
}
