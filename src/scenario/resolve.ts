/**
 * The synchronous entry points: validate and resolve scenario data (`resolveScenario`) or text
 * (`parseScenarioText`). Whatever goes wrong comes out as a `ScenarioError`, never as a raw
 * zod, yaml or runtime exception.
 */
import { buildScenario } from './build-scenario.ts';
import { forbiddenKeyIssues } from './forbidden-keys.ts';
import { InvalidValue, pathToString, type RawIssue } from './invalid-value.ts';
import type { Locate } from './positions.ts';
import type { ResolvedScenario } from './resolved.ts';
import { ScenarioError, type ScenarioIssue } from './scenario-error.ts';
import { scenarioSchema } from './schema.ts';
import { readSourceText } from './yaml-source.ts';
import { fromZodIssues } from './zod-issues.ts';

/** Extensions read as scenario text; anything else but code is read as YAML. */
const CODE_EXTENSIONS = /\.(?:ts|mts|cts|js|mjs|cjs)$/i;

function located(
  issues: readonly RawIssue[],
  file: string | undefined,
  locate: Locate | undefined,
): ScenarioIssue[] {
  return issues.map((issue) => {
    const position = locate?.(issue.path, issue.at);
    return {
      ...(file === undefined ? {} : { file }),
      ...(position === undefined ? {} : { line: position.line, column: position.column }),
      path: pathToString(issue.path),
      message: issue.message,
    };
  });
}

/** Starts the message of a failure that no check anticipated (a bug: please report it). */
export const INTERNAL_ERROR = 'internal error while reading the scenario';

/** Runs `body`; any exception other than a `ScenarioError` becomes one that names `file`. */
function guarded<T>(file: string | undefined, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    const message = `${INTERNAL_ERROR}: ${error instanceof Error ? error.message : String(error)}`;
    throw new ScenarioError([{ ...(file === undefined ? {} : { file }), path: '', message }]);
  }
}

/** Schema, then references and cross-field rules; problems located with `locate` when given. */
function resolveData(raw: unknown, source: string | undefined, locate: Locate | undefined): ResolvedScenario {
  const forbidden = forbiddenKeyIssues(raw);
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    // A forbidden key in a strict map is also an unknown key: report it once.
    const seen = new Set(forbidden.map((i) => pathToString(i.path)));
    const others = fromZodIssues(parsed.error.issues, raw).filter((i) => !seen.has(pathToString(i.path)));
    throw new ScenarioError(located([...forbidden, ...others], source, locate));
  }
  if (forbidden.length > 0) throw new ScenarioError(located(forbidden, source, locate));
  try {
    return buildScenario(parsed.data, source);
  } catch (error) {
    if (error instanceof InvalidValue) throw new ScenarioError(located(error.issues, source, locate));
    throw error;
  }
}

/**
 * Validates and resolves scenario data (e.g. the default export of a TypeScript scenario).
 * `source` names where it came from, for messages and `ResolvedScenario.source`.
 * Throws `ScenarioError` listing every problem with the path of its field.
 */
export function resolveScenario(raw: unknown, source?: string): ResolvedScenario {
  return guarded(source, () => resolveData(raw, source, undefined));
}

/**
 * Parses and resolves scenario text: JSON when `file` ends in `.json`, YAML otherwise.
 * Synchronous and side-effect free; problems carry `file:line:column`.
 */
export function parseScenarioText(text: string, file: string): ResolvedScenario {
  return guarded(file, () => {
    if (CODE_EXTENSIONS.test(file)) {
      throw new ScenarioError([
        { file, path: '', message: 'a TypeScript/JavaScript scenario is code: load it with loadScenario' },
      ]);
    }
    const { data, locate } = readSourceText(text, file, /\.json$/i.test(file) ? 'json' : 'yaml');
    return resolveData(data, file, locate);
  });
}
