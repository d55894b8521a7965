/**
 * `microsim run <scenario>`: load, run headless, print the summary and/or the JSON results.
 */
import { accessSync, constants, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { mergeScenario, readScenarioData } from '../runtime/run-scenario.ts';
import { createSession } from '../runtime/session.ts';
import { loadScenario, parseDuration, resolveScenario, ScenarioError } from '../scenario/index.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import {
  EXIT_EXPECTATIONS,
  EXIT_OK,
  EXIT_STOPPED,
  type Output,
  OutputError,
  parseFlags,
  UsageError,
} from './commands.ts';
import { formatSummary } from './format-summary.ts';

export async function runScenarioCommand(args: readonly string[], io: Output): Promise<number> {
  const { json, rest } = extractJsonFlag(args);
  const { values, positionals } = parseFlags('run', rest, {
    seed: { type: 'string' },
    duration: { type: 'string' },
    quiet: { type: 'boolean' },
    lang: { type: 'string' },
  });
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'es') {
    throw new UsageError(`--lang expects en or es, got "${values.lang}"`, 'run');
  }
  const lang = (values.lang ?? 'en') as 'en' | 'es';
  const file = singleScenarioArg('run', positionals);
  if (json !== null && json !== '-' && resolve(json) === resolve(file)) {
    throw new UsageError(`--json ${json} would overwrite the scenario file itself`, 'run');
  }
  if (json !== null && json !== '-') checkWritable(json);
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
  const results = createSession(scenario).runToEnd();
  const toStdout = json === '-';
  if (values.quiet !== true) {
    const summary = formatSummary(results, { color: false, lang });
    if (toStdout) io.err(summary);
    else io.out(summary);
  }
  if (json !== null) {
    const text = `${JSON.stringify(results, null, 2)}\n`;
    if (toStdout) io.out(text);
    else writeAtomically(json, text);
  }
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

/** Extensions that mark an argument as a scenario file rather than the `--json` output file. */
const SCENARIO_EXTENSIONS = /\.(ya?ml|ts|mts|js|mjs)$/i;

/**
 * `--json` takes an optional FILE: the next argument, unless it is another flag or looks like a
 * scenario file (`.yaml`, `.yml`, `.ts`, …). `--json=FILE` is always FILE.
 */
function extractJsonFlag(args: readonly string[]): { json: string | null; rest: string[] } {
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
  if (typeof values.seed === 'string') {
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(Number(values.seed))) {
      throw new UsageError(`--seed expects a non-negative integer, got "${values.seed}"`, 'run');
    }
    result = { ...result, seed: Number(values.seed) };
  }
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

/** Fails before the run, not after it, when the results could not be written. */
function checkWritable(path: string): void {
  try {
    accessSync(dirname(resolve(path)), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(
      `cannot write the results to ${path}: its folder ${code === 'ENOENT' ? 'does not exist' : `is not writable (${code})`}`,
    );
  }
}

/** Writes to a temporary file beside the target, then renames: never a half-written file. */
function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(`cannot write the results to ${path} (${code})`);
  }
}
