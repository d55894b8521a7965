/**
 * A scenario after parsing, validation and unit resolution: what the runtime runs.
 */
import type { WorldSpec } from '../model/world-spec.ts';

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
  /** Where it was loaded from (for messages); undefined for scenarios built in code. */
  readonly source?: string;
}
