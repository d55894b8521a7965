/**
 * `--trace FILE` (OTLP/JSON), `--trace-chrome FILE` (Chrome trace-event format, for Perfetto) and
 * `--trace-sample RATE`: parsing and checking the flags before the run, collecting during it
 * (through a session's `attach`, so live and headless runs give the same files), and writing the
 * files after it — each to a temporary file beside its target, renamed into place only once every
 * file is written, so a run or a write that fails leaves no file.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Bus } from '../engine/bus.ts';
import { encodeChrome } from '../observe/trace-chrome.ts';
import { encodeOtlp } from '../observe/trace-otlp.ts';
import { createTraceCollector, DEFAULT_TRACE_SAMPLE, type TraceCollector } from '../observe/traces.ts';
import { parseRatio, ScenarioError } from '../scenario/index.ts';
import type { Signals } from '../signals.ts';
import { OutputError, packageVersion, UsageError } from './commands.ts';
import { checkOutputPath, tempPathFor } from './output-file.ts';

export interface TraceRequest {
  /** The OTLP/JSON file, or null. */
  readonly otlp: string | null;
  /** The Chrome trace-event file, or null. */
  readonly chrome: string | null;
  /** Share of requests traced, in (0, 1]. */
  readonly rate: number;
}

/** `--trace-sample`: `5%` or `0.05`, more than 0 and at most 1 (100%). */
export function parseTraceSample(text: string): number {
  let n = Number.NaN;
  try {
    n = parseRatio(text);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
  }
  if (!(n > 0)) {
    throw new UsageError(
      `--trace-sample expects a share of the requests above 0 and at most 1, like 5% or 0.05, got "${text}"`,
      'run',
    );
  }
  return n;
}

/**
 * Reads the trace flags; null when neither file is asked for. Refuses a file that is the scenario,
 * another output of the run (`others`: flag → path), the other trace file, or a folder.
 */
export function traceRequest(
  values: Record<string, string | boolean | undefined>,
  scenario: string,
  others: Readonly<Record<string, string | null>>,
): TraceRequest | null {
  const otlp = typeof values.trace === 'string' ? values.trace : null;
  const chrome = typeof values['trace-chrome'] === 'string' ? values['trace-chrome'] : null;
  const sample = typeof values['trace-sample'] === 'string' ? values['trace-sample'] : null;
  if (otlp === null && chrome === null) {
    if (sample !== null) {
      throw new UsageError('--trace-sample needs --trace FILE or --trace-chrome FILE', 'run');
    }
    return null;
  }
  const rate = sample === null ? DEFAULT_TRACE_SAMPLE : parseTraceSample(sample);
  const targets: [string, string | null][] = [
    ['--trace', otlp],
    ['--trace-chrome', chrome],
  ];
  const taken: [string, string][] = Object.entries(others).filter(
    (e): e is [string, string] => e[1] !== null,
  );
  for (const [flag, path] of targets) {
    if (path === null) continue;
    if (path === '-') {
      throw new UsageError(`${flag} expects a file name (traces are not written to standard output)`, 'run');
    }
    checkOutputPath(flag, path, {
      command: 'run',
      scenario,
      others: Object.fromEntries(taken),
      what: 'the traces',
      example: 'traces.json',
    });
    taken.push([flag, path]);
  }
  return { otlp, chrome, rate };
}

export interface TraceFiles {
  /** Subscribes the collector to the run's bus (pass as, or call from, a session's `attach`). */
  attach(bus: Bus<Signals>): void;
  /**
   * Writes the files (call after the run); returns a note for standard error when the cap on
   * traces was reached, else null.
   */
  finish(): string | null;
}

export function openTraceFiles(request: TraceRequest): TraceFiles {
  let collector: TraceCollector | null = null;
  return {
    attach(bus) {
      collector = createTraceCollector(bus, { rate: request.rate });
    },
    finish() {
      if (collector === null) throw new Error('openTraceFiles: finish() before attach()');
      const set = collector.result();
      const files: [string, () => string][] = [];
      if (request.otlp !== null)
        files.push([request.otlp, () => JSON.stringify(encodeOtlp(set, packageVersion()))]);
      if (request.chrome !== null) files.push([request.chrome, () => JSON.stringify(encodeChrome(set))]);
      writeAllOrNothing(files);
      if (set.skipped === 0) return null;
      return `microsim: tracing kept the first ${set.maxTraces} sampled requests (the cap); ${set.skipped} more sampled requests were not traced (lower --trace-sample or --duration to see them all)\n`;
    },
  };
}

/**
 * Each text to a temporary file beside its target, then all renamed: a write that fails leaves no
 * file of the run (only a failing rename, after every text was written, could leave the first).
 */
function writeAllOrNothing(files: readonly [string, () => string][]): void {
  const written: [string, string][] = [];
  let current = '';
  try {
    for (const [path, text] of files) {
      current = path;
      const tmp = tempPathFor(path);
      written.push([tmp, path]);
      writeFileSync(tmp, `${text()}\n`);
    }
    for (const [tmp, path] of written) {
      current = path;
      renameSync(tmp, path);
    }
  } catch (error) {
    for (const [tmp] of written) rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(`cannot write the traces to ${current} (${code})`);
  }
}
