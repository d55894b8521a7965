/**
 * A scenario after parsing, validation and unit resolution: what the runtime runs.
 */
import type { WorldSpec } from '../model/world-spec.ts';
import type { ExpectationSpec } from '../signals.ts';

export interface LocalizedText {
  readonly en: string;
  readonly es: string;
}

/**
 * One entry of the narration timeline (`narration:`): a text in both languages shown by the
 * dashboard from `atMs` on; with `pause`, the dashboard waits for a key before going on.
 */
export interface NarrationSpec {
  readonly atMs: number;
  readonly text: LocalizedText;
  readonly pause: boolean;
}

export interface ResolvedScenario {
  readonly name: string;
  readonly description: LocalizedText;
  readonly seed: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly world: WorldSpec;
  readonly metrics: { readonly intervalMs: number };
  readonly limits: {
    /** Simulation events after which the run stops. */
    readonly maxEvents: number;
    /** Wall-clock time after which the run stops (ms). */
    readonly wallTimeMs: number;
  };
  /**
   * What the run must show (`expect:`), in file order; the scenario loader always sets it ([]
   * when the file has none). Optional only so that scenarios built by hand may leave it out.
   */
  readonly expectations?: readonly ExpectationSpec[];
  /**
   * What the dashboard tells the class, in order of `atMs`; set only when the file has
   * `narration:`. Headless runs ignore it.
   */
  readonly narration?: readonly NarrationSpec[];
  /** Where it was loaded from (for messages); undefined for scenarios built in code. */
  readonly source?: string;
}
