/**
 * Completed hops held as columns (typed arrays), for the metrics collector: the executor writes a
 * hop's facts straight into them through `HopSink.hop`, with no payload object per hop and no
 * boxed number, and the collector reads them back in batches (`drain`), in completion order.
 * A batch is handed over when the columns are full, and by the collector before it handles any
 * signal that could read or name its service statistics and before it builds results.
 */
import type { FailureReason, HopSink, Outcome } from '../signals.ts';

/** Rows per batch: big enough that handing over is rare, small enough to stay in cache. */
const ROWS = 512;

export const OUTCOME_OK = 0;
export const OUTCOME_FALLBACK = 1;
export const OUTCOME_FAILED = 2;
/** `flags` bits. */
export const IN_PROCESS = 1;
export const WASTED = 2;

export interface EndpointName {
  readonly service: string;
  readonly endpoint: string;
}

export class HopColumns implements HopSink {
  /** Rows held. */
  size = 0;
  /** True once a world reports to it. */
  attached = false;
  /** Declared endpoints, by the number `hop` names them with. */
  readonly endpoints: EndpointName[] = [];
  /** Row → its endpoint's number (see `endpoints`). */
  readonly endpointId = new Int32Array(ROWS);
  readonly caller: string[] = new Array<string>(ROWS).fill('');
  readonly arrivedAt = new Float64Array(ROWS);
  readonly latencyMs = new Float64Array(ROWS);
  readonly waitMs = new Float64Array(ROWS);
  readonly residenceMs = new Float64Array(ROWS);
  readonly workMs = new Float64Array(ROWS);
  /** OUTCOME_OK, OUTCOME_FALLBACK or OUTCOME_FAILED. */
  readonly outcome = new Uint8Array(ROWS);
  readonly reason: (FailureReason | undefined)[] = new Array<FailureReason | undefined>(ROWS).fill(undefined);
  /** IN_PROCESS and WASTED bits. */
  readonly flags = new Uint8Array(ROWS);

  /**
   * `read` receives the columns with `size` rows; they are emptied after it returns. `onAttach`
   * is called when a world attaches (its owner then stops feeding it from signals).
   */
  constructor(
    private readonly read: (columns: HopColumns) => void,
    private readonly onAttach: () => void = () => {},
  ) {}

  attach(): void {
    if (this.attached) throw new Error('a hop sink serves one world: it is already attached');
    this.attached = true;
    this.onAttach();
  }

  endpoint(service: string, endpoint: string): number {
    this.endpoints.push({ service, endpoint });
    return this.endpoints.length - 1;
  }

  hop(
    endpoint: number,
    caller: string,
    arrivedAt: number,
    latencyMs: number,
    waitMs: number,
    residenceMs: number,
    workMs: number,
    outcome: Outcome,
    reason: FailureReason | undefined,
    inProcess: boolean,
    wasted: boolean,
  ): void {
    const i = this.size;
    this.endpointId[i] = endpoint;
    this.caller[i] = caller;
    this.arrivedAt[i] = arrivedAt;
    this.latencyMs[i] = latencyMs;
    this.waitMs[i] = waitMs;
    this.residenceMs[i] = residenceMs;
    this.workMs[i] = workMs;
    this.outcome[i] =
      outcome === 'ok' ? OUTCOME_OK : outcome === 'fallback' ? OUTCOME_FALLBACK : OUTCOME_FAILED;
    this.reason[i] = reason;
    this.flags[i] = (inProcess ? IN_PROCESS : 0) | (wasted ? WASTED : 0);
    this.size = i + 1;
    if (i + 1 >= ROWS) this.drain();
  }

  private draining = false;

  /**
   * Hands the rows held to the reader, then empties the columns. The reader should not throw (the
   * collector reports a failing row and goes on): rows it did not reach would be lost.
   */
  drain(): void {
    if (this.size === 0) return;
    if (this.draining) throw new Error('a hop was added to the hop columns while they were being read');
    this.draining = true;
    try {
      this.read(this);
    } finally {
      this.size = 0;
      this.draining = false;
    }
  }
}
