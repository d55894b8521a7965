// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The tour in a terminal: a menu of the lessons, then for each lesson its card, its scenarios in
 * the live dashboard (with their narration and pauses), and its measured contrast. The teacher
 * chooses where to start, skips a lesson or the rest of one, or quits. Without a keyboard each
 * screen goes on by itself after a few seconds and each dashboard ends when its run is over.
 */
import { render } from 'ink';
import type { ReactElement } from 'react';
import type { Lang, Speed } from '../observe/dashboard-model.ts';
import type { ResultsDocument } from '../observe/results.ts';
import type { LiveRun, LiveScenario } from '../runtime/live.ts';
import type { Line } from './Lines.tsx';
import type { FinalView } from './LiveApp.tsx';
import { runDashboard } from './run-dashboard.tsx';
import {
  cardLines,
  contrastLines,
  nextLines,
  type TourAction,
  type TourLessonView,
  TourMenu,
  TourScreen,
} from './TourScreens.tsx';

/** One scenario of a lesson, loaded, with the first sentence of its description. */
export interface TourScenario {
  readonly file: string;
  readonly summary: string;
  readonly scenario: LiveScenario;
  /** Saves the keys' actions of its live run as a timeline; returns the status line. */
  readonly save: (run: LiveRun) => string;
}

export interface TourLesson extends TourLessonView {
  readonly scenarios: readonly TourScenario[];
  /** Checks the lesson's card against its scenarios without running them; rejects with what is wrong. */
  readonly prepare: () => Promise<void>;
  /** The lesson's measured contrast as lines of at most `width` cells; `stop` ends the measuring early. */
  readonly contrast: (width: number, stop: () => boolean) => Promise<readonly string[]>;
}

export interface TourOptions {
  readonly lang: Lang;
  readonly speed: Speed;
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  /** The final screen of each scenario's dashboard. */
  readonly conclude: (results: ResultsDocument) => FinalView;
}

/** Without a keyboard, how long a tour screen stays before the tour goes on. */
export const AUTO_ADVANCE_MS = 3000;

/** Shows one screen until it reports a value (Ctrl-C counts as `onExit`). */
function show<T>(
  options: TourOptions,
  build: (done: (value: T) => void) => ReactElement,
  auto: T,
  onExit: T,
  after?: (rerender: (element: ReactElement) => void, done: (value: T) => void, ready: () => void) => void,
): Promise<T> {
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (value: T): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      app.unmount();
      resolve(value);
    };
    clearScreen(options.stdout);
    const app = render(build(done), {
      stdout: options.stdout,
      stdin: options.stdin,
      exitOnCtrlC: true,
      patchConsole: true,
    });
    void app.waitUntilExit().then(() => done(onExit));
    // Without a keyboard the screen goes on by itself, once it shows what it is for.
    const ready = (): void => {
      if (options.stdin.isTTY !== true && !settled) timer = setTimeout(() => done(auto), AUTO_ADVANCE_MS);
    };
    if (after === undefined) ready();
    else
      after(
        (element) => {
          if (!settled) app.rerender(element);
        },
        done,
        ready,
      );
  });
}

/** Each screen of the tour starts on a clean terminal (the scrollback is left alone). */
function clearScreen(stdout: NodeJS.WriteStream): void {
  stdout.write('\x1b[2J\x1b[H');
}

function width(options: TourOptions): number {
  return Math.max(40, Math.min(options.stdout.columns || 80, 120));
}

/** Plays the tour; resolves with the exit code (1 when an expectation failed in a dashboard run). */
export async function runTour(lessons: readonly TourLesson[], options: TourOptions): Promise<number> {
  const { lang } = options;
  const interactive = options.stdin.isTTY === true;
  const w = width(options);
  // The last row of the terminal stays free (ink writes a newline after the frame).
  const rows = Math.max(10, (options.stdout.rows || 24) - 1);
  const cardKeys: Record<string, TourAction> = { return: 'play', s: 'skip', q: 'quit', escape: 'quit' };
  /** A screen of lines that asks: play (Enter), skip (s) or quit (q). */
  const ask = (lines: readonly Line[]): Promise<TourAction> =>
    show<TourAction>(
      options,
      (done) => (
        <TourScreen lines={lines} width={w} keys={cardKeys} onAction={done} interactive={interactive} />
      ),
      'play',
      'quit',
    );
  let failed = 0;
  const start =
    lessons.length <= 1
      ? 0
      : await show<number | null>(
          options,
          (done) => (
            <TourMenu lessons={lessons} lang={lang} width={w} interactive={interactive} onChoose={done} />
          ),
          0,
          null,
        );
  if (start === null) return 0;
  let interrupted = false;
  for (let i = start; i < lessons.length; i++) {
    const card = lessons[i]!;
    const scenarios = card.scenarios;
    const onCard = await ask(cardLines(card, scenarios, lang, w));
    if (onCard === 'quit') return failed > 0 ? 1 : 0;
    if (onCard === 'skip') continue;
    for (let k = 0; k < scenarios.length; k++) {
      const s = scenarios[k]!;
      if (k > 0) {
        const onNext = await ask(nextLines(card, s.file, s.summary, lang, w));
        if (onNext === 'quit') return failed > 0 ? 1 : 0;
        if (onNext === 'skip') break;
      }
      clearScreen(options.stdout);
      const results = await runDashboard(s.scenario, {
        lang,
        speed: options.speed,
        stdout: options.stdout,
        stdin: options.stdin,
        conclude: options.conclude,
        save: s.save,
        onInterrupt: () => {
          interrupted = true;
        },
      });
      // Ctrl-C ends the tour; a scenario ended early with q is not judged.
      if (interrupted) return failed > 0 ? 1 : 0;
      if (results.run.endReason === 'completed') {
        failed += (results.expectations ?? []).filter((v) => !v.passed).length;
      }
    }
    const last = i === lessons.length - 1;
    const contrastKeys: Record<string, TourAction> = last
      ? { return: 'quit', q: 'quit', escape: 'quit' }
      : { return: 'next', q: 'quit', escape: 'quit' };
    const screen = (table: readonly string[] | null, done: (a: TourAction) => void): ReactElement => (
      <TourScreen
        lines={contrastLines(card, table, lang, w, last)}
        width={w}
        keys={table === null ? { q: 'quit' } : contrastKeys}
        onAction={done}
        interactive={interactive}
        height={rows}
        lang={lang}
      />
    );
    let quit = false;
    const onContrast = await show<TourAction>(
      options,
      (done) => screen(null, done),
      last ? 'quit' : 'next',
      'quit',
      (rerender, done, ready) => {
        // Let the "measuring…" line paint before the scenarios run.
        setTimeout(() => {
          card
            .contrast(w - 2, () => quit)
            .catch((error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n'))
            .then((table) => {
              rerender(screen(table, done));
              ready();
            });
        }, 50);
      },
    );
    if (onContrast === 'quit') {
      quit = true;
      break;
    }
  }
  return failed > 0 ? 1 : 0;
}
