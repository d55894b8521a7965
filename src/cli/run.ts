/**
 * `microsim run <scenario>`: load, run headless, print the summary and/or the JSON results.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Bus } from '../engine/bus.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { type RecordedCommand, timelineEntries } from '../runtime/live.ts';
import { mergeScenario, readScenarioData } from '../runtime/run-scenario.ts';
import { createSession } from '../runtime/session.ts';
import { loadScenario, parseDuration, resolveScenario, ScenarioError } from '../scenario/index.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { Signals } from '../signals.ts';
import type { FinalView } from '../ui/LiveApp.tsx';
import {
  EXIT_EXPECTATIONS,
  EXIT_OK,
  EXIT_STOPPED,
  type Output,
  parseFlags,
  parseLang,
  UsageError,
} from './commands.ts';
import { prepareCsvFolder, TIMESERIES_CSV, writeCsv } from './csv.ts';
import { openEventFile } from './event-file.ts';
import { formatSpan, formatSummary } from './format-summary.ts';
import { checkOutputPath, emitDocument, writeAtomically } from './output-file.ts';
import { createProgress } from './progress.ts';
import {
  parseRuns,
  parseSeed,
  parseShard,
  parseThreads,
  reportIntervals,
  runReplicationsCommand,
} from './replications.ts';
import { checkReportPath, writeReportFile } from './report-file.ts';
import { openTraceFiles, traceRequest } from './trace-file.ts';

export async function runScenarioCommand(args: readonly string[], io: Output): Promise<number> {
  const { json, rest } = extractJsonFlag(args);
  const { values, positionals } = parseFlags('run', rest, {
    seed: { type: 'string' },
    duration: { type: 'string' },
    quiet: { type: 'boolean' },
    lang: { type: 'string' },
    'no-ui': { type: 'boolean' },
    speed: { type: 'string' },
    events: { type: 'string' },
    csv: { type: 'string' },
    report: { type: 'string' },
    trace: { type: 'string' },
    'trace-chrome': { type: 'string' },
    'trace-sample': { type: 'string' },
    runs: { type: 'string' },
    threads: { type: 'string' },
    shard: { type: 'string' },
  });
  const lang = parseLang(values.lang, io, 'run');
  const speed = typeof values.speed === 'string' ? parseSpeed(values.speed) : 1;
  const file = singleScenarioArg('run', positionals);
  const jsonFile = json === '-' ? null : json;
  const check = (flag: string, path: string, others: Record<string, string | null>, what: string): void =>
    checkOutputPath(flag, path, { command: 'run', scenario: file, others, what, example: 'results.json' });
  if (jsonFile !== null) check('--json', jsonFile, {}, 'the results');
  const events = typeof values.events === 'string' ? values.events : null;
  if (events !== null) check('--events', events, { '--json': jsonFile }, 'the event log');
  const traces = traceRequest(values, file, { '--json': jsonFile, '--events': events });
  const csv = typeof values.csv === 'string' ? values.csv : null;
  const report = typeof values.report === 'string' ? values.report : null;
  if (report !== null) {
    const outputs = {
      '--json': jsonFile,
      '--events': events,
      '--trace': traces?.otlp,
      '--trace-chrome': traces?.chrome,
      '--csv': csv === null ? null : join(csv, TIMESERIES_CSV),
    };
    checkReportPath(report, { scenario: file, outputs });
  }
  const study = studyFlags(values);
  if (csv !== null) prepareCsvFolder(csv);
  const loaded = await loadScenario(file);
  let scenario = applyOverrides(loaded, values, file);
  if (
    typeof values.duration === 'string' &&
    ((loaded.world.chaos?.length ?? 0) > 0 || (loaded.expectations?.length ?? 0) > 0)
  ) {
    // Faults and expectation windows are checked against the duration: validate again with it.
    const data = mergeScenario(await readScenarioData(file), { duration: values.duration });
    try {
      scenario = { ...resolveScenario(data, file), seed: scenario.seed };
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      throw new UsageError(`--duration ${values.duration} does not fit ${file}:\n${error.message}`, 'run');
    }
  }
  if (study !== null) {
    const { code, doc, first } = await runReplicationsCommand(
      {
        file,
        scenario,
        overrides: typeof values.duration === 'string' ? { duration: values.duration } : {},
        ...study,
        quiet: values.quiet === true,
        json,
        lang,
      },
      io,
    );
    // The report's charts over time show the study's first run; its intervals, every run.
    if (report !== null && first !== undefined) {
      await writeReportFile(report, first, { lang, intervals: reportIntervals(doc, lang) });
    }
    return code;
  }
  // The dashboard needs a terminal; CI, pipes, --json to stdout and --no-ui run headless.
  const live =
    values['no-ui'] !== true &&
    json !== '-' &&
    io.terminal !== undefined &&
    io.terminal.stdout.isTTY === true &&
    !io.env?.CI;
  if (live) {
    // React's production build: its development build checks and measures every render.
    process.env.NODE_ENV ??= 'production';
    // https://no-color.org: chalk (under ink) reads FORCE_COLOR, not NO_COLOR.
    if (io.env?.NO_COLOR) process.env.FORCE_COLOR = '0';
  }
  const eventFile = events === null ? null : openEventFile(events);
  const traceFiles = traces === null ? null : openTraceFiles(traces);
  const attach =
    eventFile === null && traceFiles === null
      ? undefined
      : (bus: Bus<Signals>) => {
          eventFile?.attach(bus);
          traceFiles?.attach(bus);
        };
  let results: ResultsDocument;
  try {
    results = live
      ? await (await import('../ui/run-dashboard.tsx')).runDashboard(scenario, {
          ...(attach === undefined ? {} : { attach }),
          lang,
          speed,
          stdout: io.terminal!.stdout,
          stdin: io.terminal!.stdin,
          conclude: (r) => finalView(r, lang),
          save: (run) =>
            saveTimeline(file, { seed: scenario.seed, duration: values.duration }, run.commands, lang),
        })
      : runHeadless(scenario, attach, io);
    eventFile?.finish();
  } catch (error) {
    eventFile?.abandon();
    throw error;
  }
  const traceNote = traceFiles?.finish() ?? null;
  if (traceNote !== null) io.err(traceNote);
  if (csv !== null) writeCsv(csv, results);
  emitDocument(
    io,
    { text: () => formatSummary(results, { color: false, lang }), quiet: values.quiet === true, json },
    results,
  );
  if (report !== null) await writeReportFile(report, results, { lang });
  if (results.run.endReason !== 'completed') {
    io.err(`microsim: the run stopped early: ${results.run.message ?? results.run.endReason}\n`);
    return EXIT_STOPPED;
  }
  const failed = (results.expectations ?? []).filter((v) => !v.passed);
  if (failed.length > 0) {
    io.err(
      `microsim: ${failed.length} of ${results.expectations!.length} expectation${results.expectations!.length === 1 ? '' : 's'} failed: ${failed.map((v) => v.name).join('; ')}\n`,
    );
    return EXIT_EXPECTATIONS;
  }
  return EXIT_OK;
}

/** A run without the dashboard, with a progress bar on a terminal's standard error. */
function runHeadless(
  scenario: ResolvedScenario,
  attach: ((bus: Bus<Signals>) => void) | undefined,
  io: Output,
): ResultsDocument {
  const session = createSession(scenario, attach === undefined ? {} : { attach });
  const totalS = scenario.durationMs / 1000;
  const progress = createProgress(io, totalS, `of ${formatSpan(scenario.durationMs)} simulated`, {
    percent: true,
  });
  const step = scenario.durationMs / 200;
  for (let at = step; !session.advance(Math.min(at, scenario.durationMs)); at += step) {
    progress.update(Math.min(at, scenario.durationMs) / 1000);
  }
  progress.end();
  return session.finish();
}

/** `--runs`, `--threads` and `--shard`, checked; null for a single run. */
function studyFlags(
  values: Record<string, string | boolean | undefined>,
): { runs: number; threads: number; shard?: { index: number; count: number } } | null {
  if (typeof values.runs !== 'string') {
    for (const flag of ['threads', 'shard'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --runs N`, 'run');
    }
    return null;
  }
  // One run's outputs: with replications they would be ambiguous (which run?).
  for (const flag of ['events', 'csv', 'speed', 'trace', 'trace-chrome', 'trace-sample'] as const) {
    if (values[flag] !== undefined) {
      throw new UsageError(`--${flag} shows one run: give it without --runs (or run that seed alone)`, 'run');
    }
  }
  const runs = parseRuns(values.runs, 'run');
  const threads = parseThreads(values.threads as string | undefined, 'run');
  return typeof values.shard === 'string'
    ? { runs, threads, shard: parseShard(values.shard, runs, 'run') }
    : { runs, threads };
}

/** What the dashboard's final screen shows for a run's results. */
export function finalView(r: ResultsDocument, lang: 'en' | 'es'): FinalView {
  return {
    summary: formatSummary(r, { color: false, lang }).split('\n'),
    verdicts: (r.expectations ?? []).map((v) => ({
      name: v.name,
      passed: v.passed,
      measuredText: v.measuredText,
      expectedText: v.expected,
    })),
  };
}

/** `--speed`: simulated seconds per wall second, from 0.1 to 1000, or `max`. */
export function parseSpeed(text: string, command = 'run'): number | 'max' {
  if (text === 'max') return 'max';
  const n = Number(text.replace(/^x|x$/i, ''));
  if (!Number.isFinite(n) || n < 0.1 || n > 1000) {
    throw new UsageError(
      `--speed expects a number from 0.1 to 1000 (simulated seconds per second) or max, got "${text}"`,
      command,
    );
  }
  return n;
}

/**
 * Writes the scenario with the commands given live appended to its `chaos:` timeline, next to
 * the current directory as `<name>-demo.yaml` (`-demo-2.yaml`… when taken); returns the status
 * line the dashboard shows.
 */
export function saveTimeline(
  file: string,
  run: { readonly seed: number; readonly duration: string | boolean | undefined },
  commands: readonly RecordedCommand[],
  lang: 'en' | 'es',
): string {
  if (commands.length === 0) {
    return lang === 'es' ? 'no hay acciones con teclas que guardar' : 'no actions by keys to save yet';
  }
  const base = basename(file).replace(/\.[^.]+$/, '');
  let target = `${base}-demo.yaml`;
  for (let n = 2; existsSync(target); n++) target = `${base}-demo-${n}.yaml`;
  try {
    const data = readScenarioDataSync(file) as Record<string, unknown>;
    const chaos = Array.isArray(data.chaos) ? data.chaos : [];
    // The run as it was: its seed, and its duration when --duration changed it.
    const merged = {
      ...data,
      seed: run.seed,
      ...(typeof run.duration === 'string' ? { duration: run.duration } : {}),
      chaos: [...chaos, ...timelineEntries(commands)],
    };
    writeAtomically(
      target,
      `# ${file} with ${commands.length} action(s) given live in the dashboard; replays that run exactly.\n${stringifyYaml(merged)}`,
    );
  } catch (error) {
    return `${lang === 'es' ? 'no se pudo guardar' : 'could not save'}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return lang === 'es'
    ? `guardado en ${target} (microsim run ${target} repite esta ejecución)`
    : `saved to ${target} (microsim run ${target} replays this run)`;
}

/** The data of a YAML or JSON scenario file (a `.ts` scenario cannot be rewritten as a timeline). */
function readScenarioDataSync(file: string): unknown {
  if (/\.json$/i.test(file)) return JSON.parse(readFileSync(file, 'utf8'));
  if (/\.ya?ml$/i.test(file)) return parseYaml(readFileSync(file, 'utf8'));
  throw new Error(`${file} is a module: copy the timeline by hand (only YAML and JSON files are rewritten)`);
}

/** Extensions that mark an argument as a scenario file rather than the `--json` output file. */
const SCENARIO_EXTENSIONS = /\.(ya?ml|ts|mts|js|mjs)$/i;

/**
 * `--json` takes an optional FILE: the next argument, unless it is another flag or looks like a
 * scenario file (`.yaml`, `.yml`, `.ts`, …). `--json=FILE` is always FILE.
 */
export function extractJsonFlag(args: readonly string[]): { json: string | null; rest: string[] } {
  const rest: string[] = [];
  let json: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--json=')) {
      json = a.slice('--json='.length) || '-';
    } else if (a === '--json') {
      const next = args[i + 1];
      if (
        next !== undefined &&
        (next === '-' || (!next.startsWith('-') && !SCENARIO_EXTENSIONS.test(next)))
      ) {
        json = next;
        i++;
      } else {
        json = '-';
      }
    } else {
      rest.push(a);
    }
  }
  return { json, rest };
}

export function singleScenarioArg(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError('missing the scenario file argument', command);
  if (positionals.length > 1) {
    throw new UsageError(
      `expected one scenario file, got ${positionals.length}: ${positionals.join(' ')}`,
      command,
    );
  }
  return positionals[0]!;
}

function applyOverrides(
  scenario: ResolvedScenario,
  values: Record<string, string | boolean | undefined>,
  file: string,
): ResolvedScenario {
  let result = scenario;
  const seed = parseSeed(values.seed, 'run');
  if (seed !== undefined) result = { ...result, seed };
  if (typeof values.duration === 'string') {
    let durationMs: number;
    try {
      durationMs = parseDuration(values.duration);
    } catch (error) {
      throw new UsageError(`--duration: ${error instanceof Error ? error.message : String(error)}`, 'run');
    }
    if (!(durationMs > result.warmupMs)) {
      throw new UsageError(
        `--duration ${values.duration} must be longer than the warm-up of ${file} (${result.warmupMs} ms)`,
        'run',
      );
    }
    result = { ...result, durationMs };
  }
  return result;
}
