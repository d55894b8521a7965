/**
 * A progress bar on standard error for long headless work (a long run, replications, a sweep):
 * drawn only when standard error is a terminal and CI is not set, redrawn at most ten times a
 * second, and erased when the work ends, so pipes, files and CI logs never see it.
 */
import type { Output } from './commands.ts';

export interface Progress {
  /** `done` of `total` units are finished. */
  update(done: number): void;
  /** Erases the bar. */
  end(): void;
}

const WIDTH = 24;
const REDRAW_MS = 100;
/** Work that ends sooner than this never shows a bar (it would only flicker). */
const FIRST_DRAW_MS = 500;

const SILENT: Progress = { update() {}, end() {} };

/**
 * A bar for `total` units named `unit` (`runs`, `s simulated`), on `io`'s standard error when it
 * is a terminal; a silent one otherwise.
 */
export function createProgress(
  io: Output,
  total: number,
  unit: string,
  options: {
    readonly label?: string;
    readonly firstDrawMs?: number;
    /** Show the share done (`37%`) rather than the count (`37/100`). */
    readonly percent?: boolean;
  } = {},
): Progress {
  const stream = io.terminal?.stderr;
  if (stream === undefined || stream.isTTY !== true || io.env?.CI || !(total > 0)) return SILENT;
  const label = options.label ?? '';
  const started = Date.now();
  let last = started - REDRAW_MS + (options.firstDrawMs ?? FIRST_DRAW_MS);
  let drawn = false;
  const draw = (done: number): void => {
    const share = Math.min(1, done / total);
    const filled = Math.round(share * WIDTH);
    const elapsed = Date.now() - started;
    const left = share > 0 && share < 1 ? ` · ${formatSeconds((elapsed * (1 - share)) / share)} left` : '';
    const count =
      options.percent === true || !Number.isInteger(total)
        ? `${Math.round(share * 100)}%`
        : `${Math.round(done)}/${total}`;
    stream.write(
      `\r\x1b[K${label}[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${count} ${unit}${left}`,
    );
    drawn = true;
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      draw(done);
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

function formatSeconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
