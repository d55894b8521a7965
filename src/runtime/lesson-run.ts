/**
 * Measures a lesson: runs each of its scenarios once, headless, with its own seed, and reads the
 * contrast rows and claims of its card through the expectation machinery (each becomes an extra
 * expectation appended to the scenario: observers only, the run is the same). Used by
 * `microsim tour` (the contrast it prints) and by the tests that hold the lessons' texts to the
 * measurements.
 */
import { join } from 'node:path';
import type { ExpectationVerdict } from '../observe/expectations.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { METRIC_ALIASES, METRIC_UNITS } from '../scenario/expectations.ts';
import { loadScenario, resolveScenario, ScenarioError } from '../scenario/index.ts';
import type { Claim, LessonCard, Measure } from '../scenario/lesson-card.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import type { ScenarioIssue } from '../scenario/scenario-error.ts';
import { readScenarioData } from './run-scenario.ts';
import { createSession } from './session.ts';

/** A contrast row or claim as measured in one scenario. */
export interface Measured {
  /** In the metric's unit (ratio, ms, per second, count) or a breaker state; null without data. */
  readonly value: number | string | null;
  /** As the summary writes it, e.g. `99.2%`. */
  readonly text: string;
}

export interface ClaimResult {
  readonly claim: Claim;
  readonly measured: Measured;
  /** The range as the expectations read it, e.g. `≥ 40%` and `≤ 60%`. */
  readonly range: string;
  readonly passed: boolean;
}

export interface ScenarioMeasurement {
  /** The file name in the lesson's folder. */
  readonly scenario: string;
  readonly resolved: ResolvedScenario;
  readonly results: ResultsDocument;
  /** The verdicts of the scenario's own `expect:` entries. */
  readonly verdicts: readonly ExpectationVerdict[];
  /** One per contrast row of the card; null where the row does not apply to this scenario. */
  readonly contrast: readonly (Measured | null)[];
  readonly claims: readonly ClaimResult[];
  /** Why each contrast row does not apply (empty where it does). */
  readonly rowIssues: readonly (readonly ScenarioIssue[])[];
}

export interface LessonMeasurement {
  readonly card: LessonCard;
  /** In play order. */
  readonly scenarios: readonly ScenarioMeasurement[];
}

/** An expectation that always holds, to read a metric's measured value. */
function reading(measure: Measure): Record<string, unknown> {
  const metric = String(measure.metric);
  const canonical = (METRIC_ALIASES as Record<string, string>)[metric] ?? metric;
  const unit = (METRIC_UNITS as Record<string, string>)[canonical];
  // Only the measured value is read: any valid comparison does (a state needs a state's name).
  if (unit === 'state') return { ...measure, notEquals: 'disabled' };
  const zero = unit === 'duration' ? '0ms' : unit === 'rate' ? '0/s' : 0;
  return { ...measure, atLeast: zero };
}

function withExpectations(data: unknown, extra: readonly Record<string, unknown>[]): unknown {
  const base = data as Record<string, unknown>;
  const own = Array.isArray(base.expect) ? base.expect : [];
  return { ...base, expect: [...own, ...extra] };
}

/** The issues of appended expectation `index` (counted from the scenario's own ones). */
function issuesOf(error: ScenarioError, index: number): ScenarioIssue[] {
  return error.issues.filter((i) => i.path === `expect[${index}]` || i.path.startsWith(`expect[${index}].`));
}

/** Re-labels an appended expectation's problems as problems of the card entry `label`. */
function cardError(
  card: LessonCard,
  scenario: string,
  label: string,
  issues: readonly ScenarioIssue[],
): ScenarioError {
  return new ScenarioError(
    issues.map((i) => ({
      file: card.file,
      path: `${label}${i.path.replace(/^expect\[\d+\]/, '')}`,
      message: `${i.message} (in ${scenario})`,
    })),
  );
}

/** A scenario of a lesson, resolved with its contrast readings and claim bounds appended. */
interface PreparedScenario {
  readonly scenario: string;
  readonly resolved: ResolvedScenario;
  readonly ownCount: number;
  readonly applies: readonly boolean[];
  readonly rowIssues: readonly (readonly ScenarioIssue[])[];
  readonly claims: readonly Claim[];
}

async function prepareScenario(card: LessonCard, scenario: string): Promise<PreparedScenario> {
  const path = join(card.dir, scenario);
  const plain = await loadScenario(path); // a broken scenario reports its own located problems
  const data = await readScenarioData(path);
  const ownCount = plain.expectations?.length ?? 0;
  // A contrast row applies when the scenario has what it names (a row scoped to a queue in a
  // scenario without a broker shows "—"); a row that applies nowhere is an error (prepareLesson).
  const rowIssues = card.contrast.map((row) => {
    try {
      resolveScenario(withExpectations(data, [reading(row.measure)]), path);
      return [];
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      const own = issuesOf(error, ownCount);
      if (own.length !== error.issues.length) throw error;
      return own;
    }
  });
  const applies = rowIssues.map((issues) => issues.length === 0);
  const rows = card.contrast.filter((_, i) => applies[i]).map((row) => reading(row.measure));
  const claims = card.claims
    .map((claim, index) => ({ claim, index }))
    .filter(({ claim }) => claim.scenario === scenario);
  const bounds = claims.flatMap(({ claim }) => [
    { ...claim.measure, atLeast: claim.between[0] },
    { ...claim.measure, atMost: claim.between[1] },
  ]);
  let resolved: ResolvedScenario;
  try {
    resolved = { ...resolveScenario(withExpectations(data, [...rows, ...bounds]), path), seed: plain.seed };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const first = ownCount + rows.length;
    // The bounds are the claim's `between` (its low end, then its high end): say so.
    const bad = claims.flatMap(({ index }, k) =>
      [0, 1].flatMap((half) =>
        issuesOf(error, first + 2 * k + half).map((i) => ({
          ...i,
          path: i.path
            .replace(/^expect\[\d+\]\.(atLeast|atMost)/, `claims[${index}].between[${half}]`)
            .replace(/^expect\[\d+\]/, `claims[${index}]`),
        })),
      ),
    );
    if (bad.length === 0) throw error;
    throw cardError(card, scenario, '', bad);
  }
  const specs = resolved.expectations ?? [];
  claims.forEach(({ index }, k) => {
    const low = specs[ownCount + rows.length + 2 * k]!.value;
    const high = specs[ownCount + rows.length + 2 * k + 1]!.value;
    if (typeof low === 'number' && typeof high === 'number' && low > high) {
      throw cardError(card, scenario, `claims[${index}].between`, [
        { path: '', message: 'the range is reversed: write [low, high]' },
      ]);
    }
  });
  return { scenario, resolved, ownCount, applies, rowIssues, claims: claims.map((c) => c.claim) };
}

function runPrepared(p: PreparedScenario): ScenarioMeasurement {
  const results = createSession(p.resolved).runToEnd();
  const verdicts = results.expectations ?? [];
  const read = (v: ExpectationVerdict): Measured => ({ value: v.measured, text: v.measuredText });
  let next = p.ownCount;
  const contrast = p.applies.map((a) => (a ? read(verdicts[next++]!) : null));
  const claimResults = p.claims.map((claim) => {
    const low = verdicts[next++]!;
    const high = verdicts[next++]!;
    return {
      claim,
      measured: read(low),
      range: `${low.expected} and ${high.expected}`,
      passed: low.passed && high.passed,
    };
  });
  return {
    scenario: p.scenario,
    resolved: p.resolved,
    results,
    verdicts: verdicts.slice(0, p.ownCount),
    contrast,
    claims: claimResults,
    rowIssues: p.rowIssues,
  };
}

/**
 * Checks, without running anything, that every contrast row applies to some scenario and every
 * claim names what its scenario has, in the right unit; throws `ScenarioError` naming the card.
 */
export async function prepareLesson(card: LessonCard): Promise<readonly PreparedScenario[]> {
  const prepared: PreparedScenario[] = [];
  for (const scenario of card.play) prepared.push(await prepareScenario(card, scenario));
  card.contrast.forEach((_, i) => {
    if (prepared.every((p) => !p.applies[i])) {
      const first = prepared[0]!;
      throw cardError(card, first.scenario, `contrast[${i}]`, first.rowIssues[i]!);
    }
  });
  return prepared;
}

/**
 * Runs every scenario of the lesson in play order and reads its contrast and claims.
 * `stop` is asked between scenarios (a tour that was quit stops measuring).
 */
export async function measureLesson(
  card: LessonCard,
  stop: () => boolean = () => false,
): Promise<LessonMeasurement> {
  const prepared = await prepareLesson(card);
  const scenarios: ScenarioMeasurement[] = [];
  for (const p of prepared) {
    if (stop()) break;
    scenarios.push(runPrepared(p));
    // Let a key press or a frame through between runs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { card, scenarios };
}
