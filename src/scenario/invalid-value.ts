/**
 * The internal currency of validation: problems found in a value, each with the path of the
 * offending part relative to that value, plus helpers to describe values in messages.
 * Parsers throw {@link InvalidValue}; the entry points turn it into a `ScenarioError`.
 */

/** One step of a path into the scenario data: an object key or a list index. */
export type Segment = string | number;

/**
 * Where in the file a problem should point: at the offending value (default), at the key that
 * holds it (unknown or badly named keys), or at the parent (a missing key).
 */
export type IssueTarget = 'value' | 'key' | 'parent';

/** A problem with a path relative to the value being checked. */
export interface RawIssue {
  readonly path: readonly Segment[];
  readonly message: string;
  readonly at?: IssueTarget;
}

/** Thrown by the scenario parsers; carries one or more problems. */
export class InvalidValue extends Error {
  readonly issues: readonly RawIssue[];

  constructor(issues: readonly RawIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'InvalidValue';
    this.issues = issues;
  }
}

/** Builds an {@link InvalidValue} with a single problem (throw it). */
export function invalid(message: string, path: readonly Segment[] = [], at?: IssueTarget): InvalidValue {
  return new InvalidValue([at === undefined ? { path, message } : { path, message, at }]);
}

/** Prefixes every issue of `issues` with `prefix`. */
export function prefixIssues(prefix: readonly Segment[], issues: readonly RawIssue[]): RawIssue[] {
  return issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
}

/**
 * Collects problems from several independent checks so that all of them are reported, not only
 * the first: `attempt` runs a check and records its `InvalidValue` instead of throwing.
 */
export class IssueCollector {
  readonly issues: RawIssue[] = [];

  /** Runs `check`; on `InvalidValue` records its issues under `prefix` and returns undefined. */
  attempt<T>(prefix: readonly Segment[], check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      this.issues.push(...prefixIssues(prefix, error.issues));
      return undefined;
    }
  }

  add(message: string, path: readonly Segment[] = [], at?: IssueTarget): void {
    this.issues.push(at === undefined ? { path, message } : { path, message, at });
  }

  /** Throws the collected issues, if any. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new InvalidValue(this.issues);
  }
}

const MAX_SHOWN = 40;

/** A short human description of a value for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `${value} (not finite)`;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value;
}

/** Renders a path as `services.api.endpoints.get.calls[2].to`. */
export function pathToString(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** True for a plain object (a YAML/JSON map), not a list or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
