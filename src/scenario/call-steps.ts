/**
 * The `calls` of an endpoint, read but not yet resolved: each step is a single call (a target
 * string, or `{to, probability, soft}`), a `parallel` fan-out, a weighted `choice`, or a
 * `publish` to a broker (publish-step.ts). Targets stay text here; build-services.ts resolves
 * them once every service and broker is known.
 */
import { describeValue, IssueCollector, invalid, type Segment } from './invalid-value.ts';
import { checkKnownKeys, expectList, expectMap, ownValue, requiredValue } from './object-reader.ts';
import {
  PUBLISH_KEYS,
  type PublishStepInput,
  publishNotAllowedIn,
  readPublish,
  type UnresolvedPublish,
} from './publish-step.ts';
import { ratioValue } from './units.ts';

/** A call as written: `"db.query"` (always, hard) or `{to, probability?, soft?}`. */
export type CallInput = string | { to: string; probability?: string | number; soft?: boolean };

/** One branch of a `choice`; `weight` is a probability (`60%` or `0.6`). */
export interface ChoiceBranchInput {
  to: string;
  weight: string | number;
  soft?: boolean;
}

/** One step of an endpoint's `calls` as written in a scenario file. */
export type CallStepInput =
  | CallInput
  | { parallel: CallInput[] }
  | { choice: ChoiceBranchInput[] }
  | PublishStepInput;

/** A call with its target still as text; `targetPath` locates the text within the step. */
export interface UnresolvedCall {
  readonly target: string;
  readonly targetPath: readonly Segment[];
  readonly probability: number;
  readonly soft: boolean;
}

/** A step of `calls` after reading, its targets still as text. */
export type UnresolvedStep =
  | { readonly kind: 'call'; readonly call: UnresolvedCall }
  | { readonly kind: 'parallel'; readonly calls: readonly UnresolvedCall[] }
  | { readonly kind: 'choice'; readonly branches: readonly { weight: number; call: UnresolvedCall }[] }
  | { readonly kind: 'publish'; readonly publish: UnresolvedPublish };

/** Choice weights may exceed 1 by this much (rounding of percentages). */
const WEIGHT_TOLERANCE = 1e-9;

function targetText(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw invalid(`expected a call target such as "db.query" (service.endpoint), got ${describeValue(raw)}`);
  }
  return raw.trim();
}

function softFlag(raw: unknown): boolean {
  if (raw === undefined) return false;
  if (typeof raw !== 'boolean') throw invalid(`expected true or false, got ${describeValue(raw)}`);
  return raw;
}

/**
 * A call: a target string, or a map `{to, probability?, soft?}`; `prefix` is its path within the
 * step. `group` is set inside a parallel group, where a publish is refused.
 */
function readCall(raw: unknown, prefix: readonly Segment[], group?: 'parallel'): UnresolvedCall {
  if (typeof raw === 'string')
    return { target: targetText(raw), targetPath: prefix, probability: 1, soft: false };
  const map = expectMap(raw, 'a call such as "db.query" or {to: db.query, probability: 30%, soft: true}');
  if (group !== undefined && Object.hasOwn(map, 'publish')) publishNotAllowedIn(group);
  const issues = new IssueCollector();
  checkKnownKeys(map, ['to', 'probability', 'soft'], issues);
  const target = issues.attempt(['to'], () => targetText(requiredValue(map, 'to')));
  const probability = issues.attempt(['probability'], () => {
    const value = ownValue(map, 'probability');
    return value === undefined ? 1 : ratioValue(value);
  });
  const soft = issues.attempt(['soft'], () => softFlag(ownValue(map, 'soft')));
  issues.throwIfAny();
  return { target: target!, targetPath: [...prefix, 'to'], probability: probability!, soft: soft! };
}

function readBranch(raw: unknown, prefix: readonly Segment[]): { weight: number; call: UnresolvedCall } {
  const map = expectMap(raw, 'a branch such as {to: a.x, weight: 60%}');
  if (Object.hasOwn(map, 'publish')) publishNotAllowedIn('choice');
  const issues = new IssueCollector();
  checkKnownKeys(map, ['to', 'weight', 'soft'], issues);
  const target = issues.attempt(['to'], () => targetText(requiredValue(map, 'to')));
  const weight = issues.attempt(['weight'], () => ratioValue(requiredValue(map, 'weight')));
  const soft = issues.attempt(['soft'], () => softFlag(ownValue(map, 'soft')));
  issues.throwIfAny();
  const call = { target: target!, targetPath: [...prefix, 'to'], probability: 1, soft: soft! };
  return { weight: weight!, call };
}

/** Reads every item of a non-empty list with `read`, collecting the problems of all items. */
function readItems<T>(raw: unknown, key: string, read: (item: unknown, path: Segment[]) => T): T[] {
  const list = expectList(raw, `a list under "${key}"`);
  if (list.length === 0) throw invalid(`"${key}" needs at least one call`);
  const issues = new IssueCollector();
  const items = list.map((item, i) => issues.attempt([key, i], () => read(item, [key, i])));
  issues.throwIfAny();
  return items as T[];
}

/** Reads one step of `calls`; throws `InvalidValue` with paths relative to the step. */
export function readCallStep(raw: unknown): UnresolvedStep {
  if (typeof raw === 'string') return { kind: 'call', call: readCall(raw, []) };
  const map = expectMap(
    raw,
    'a call step: "db.query", {to: …}, {parallel: […]}, {choice: […]} or {publish: broker.queue}',
  );
  const forms = ['to', 'parallel', 'choice', 'publish'].filter((key) => Object.hasOwn(map, key));
  if (forms.length > 1) {
    throw invalid(
      `a step is one of {to: …}, {parallel: […]}, {choice: […]} or {publish: …}; this one has ${forms.join(' and ')}`,
    );
  }
  if (forms.length === 0) {
    const issues = new IssueCollector();
    const publishOnly = PUBLISH_KEYS.filter((k) => k !== 'publish' && k !== 'probability' && k !== 'soft');
    checkKnownKeys(
      map,
      ['to', 'probability', 'soft', 'parallel', 'choice', 'publish', ...publishOnly],
      issues,
    );
    issues.add('missing required key "to" (or "parallel", "choice" or "publish")', ['to'], 'parent');
    issues.throwIfAny();
  }
  if (forms[0] === 'to') return { kind: 'call', call: readCall(map, []) };
  if (forms[0] === 'publish') return { kind: 'publish', publish: readPublish(map) };
  const key = forms[0]!;
  const issues = new IssueCollector();
  checkKnownKeys(map, [key], issues);
  if (key === 'parallel') {
    const calls = issues.attempt([], () =>
      readItems(map[key], key, (item, path) => readCall(item, path, 'parallel')),
    );
    issues.throwIfAny();
    return { kind: 'parallel', calls: calls! };
  }
  const branches = issues.attempt([], () => readItems(map[key], key, (item, path) => readBranch(item, path)));
  issues.throwIfAny();
  const total = branches!.reduce((sum, b) => sum + b.weight, 0);
  if (total > 1 + WEIGHT_TOLERANCE) {
    const shown = Math.round(total * 1e6) / 1e4;
    throw invalid(`choice weights are probabilities and must sum to at most 100%, got ${shown}%`, ['choice']);
  }
  return { kind: 'choice', branches: branches! };
}
