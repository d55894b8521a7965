// @jsxRuntime automatic
// @jsxImportSource react
/**
 * Opens the live dashboard on the terminal for one scenario and resolves with the results when
 * the user quits. Without a terminal that can read keys, the dashboard still shows the run (and
 * its final screen), and ends by itself when the run is over.
 */
import { render } from 'ink';
import type { Lang, Speed } from '../observe/dashboard-model.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { createLiveRun, type LiveOptions, type LiveRun, type LiveScenario } from '../runtime/live.ts';
import { type FinalView, LiveApp } from './LiveApp.tsx';

export interface DashboardOptions {
  readonly lang: Lang;
  readonly speed: Speed;
  readonly conclude: (results: ResultsDocument) => FinalView;
  /** Writes the commands given live as a scenario timeline; returns the status line to show. */
  readonly save: (run: LiveRun) => string;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Extra listeners on the run's bus (e.g. an event log file). */
  readonly attach?: LiveOptions['attach'];
  /** Called when the user ended the dashboard with Ctrl-C (rather than `q`). */
  readonly onInterrupt?: () => void;
}

export async function runDashboard(
  scenario: LiveScenario,
  options: DashboardOptions,
): Promise<ResultsDocument> {
  const stdin = options.stdin ?? process.stdin;
  const interactive = stdin.isTTY === true;
  const run = createLiveRun(scenario, {
    lang: options.lang,
    speed: options.speed,
    interactive,
    ...(options.attach === undefined ? {} : { attach: options.attach }),
  });
  let results: ResultsDocument | null = null;
  const app = render(
    <LiveApp
      run={run}
      conclude={options.conclude}
      save={() => options.save(run)}
      onQuit={(r) => {
        results = r;
      }}
    />,
    {
      stdout: options.stdout ?? process.stdout,
      stdin,
      exitOnCtrlC: true,
      patchConsole: true,
    },
  );
  if (!interactive) {
    // No keys to quit with: end when the run is over (after one frame of the final screen).
    const timer = setInterval(() => {
      if (run.ended) {
        clearInterval(timer);
        setTimeout(() => app.unmount(), 200);
      }
    }, 100);
  }
  await app.waitUntilExit();
  if (results === null && interactive) options.onInterrupt?.();
  return results ?? run.finish();
}
