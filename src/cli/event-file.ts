/**
 * `--events FILE`: every signal of the run as JSON lines, streamed to the file as the run goes
 * (memory does not grow with the run), written beside the target and renamed at the end, so a
 * run that fails leaves no half-written file. The lines are those of `observe/event-log.ts`:
 * `{"signal":"…",…payload}`, byte-identical for the same scenario and seed.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Bus } from '../engine/bus.ts';
import type { Signals } from '../signals.ts';
import { OutputError } from './commands.ts';
import { tempPathFor } from './output-file.ts';

/** Buffered text is written once it reaches this many characters. */
const FLUSH_CHARS = 1 << 16;

export interface EventFile {
  /** Subscribes to the run's bus (pass as a session's `attach`). */
  attach(bus: Bus<Signals>): void;
  /** Writes what is left and puts the file in place. */
  finish(): void;
  /** Removes the partial file (the run did not end normally). */
  abandon(): void;
}

export function openEventFile(path: string): EventFile {
  const tmp = tempPathFor(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(`cannot write the event log to ${path} (${code})`);
  }
  let buffer = '';
  let closed = false;
  const flush = (): void => {
    if (buffer !== '') writeSync(fd, buffer);
    buffer = '';
  };
  return {
    attach(bus) {
      bus.onAny((signal, payload) => {
        const fields = typeof payload === 'object' && payload !== null ? payload : { value: payload };
        buffer += `${JSON.stringify({ signal, ...fields })}\n`;
        if (buffer.length >= FLUSH_CHARS) flush();
      });
    },
    finish() {
      if (closed) return;
      closed = true;
      try {
        flush();
        closeSync(fd);
        renameSync(tmp, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new OutputError(`cannot write the event log to ${path} (${code})`);
      }
    },
    abandon() {
      if (closed) return;
      closed = true;
      closeSync(fd);
      rmSync(tmp, { force: true });
    },
  };
}
