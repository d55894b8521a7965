/**
 * A scenario after parsing, validation and unit resolution: what the runtime runs.
 */
import type { WorldSpec } from '../model/world-spec.ts';
import type { ExpectationSpec } from '../signals.ts';

export interface LocalizedText {
  readonly en: string;
  readonly es: string;
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
  /** Where it was loaded from (for messages); undefined for scenarios built in code. */
  readonly source?: string;
}
