/**
 * The one error type of the scenario layer: every problem in a scenario (syntax, types, units,
 * references) ends up here, with the file, line, column and field path when known.
 */

/** One problem in a scenario. `path` is the field path (`services.api.replicas`), or empty. */
export interface ScenarioIssue {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly path: string;
  readonly message: string;
}

/** At most this many issues are kept and shown; the rest are counted. */
export const MAX_ISSUES = 20;

/** Formats one issue as `file:line:column: path: message` (missing parts left out). */
export function formatIssue(issue: ScenarioIssue): string {
  let location = issue.file ?? '';
  if (issue.line !== undefined) location += `${location === '' ? '' : ':'}${issue.line}:${issue.column ?? 1}`;
  const parts = [location, issue.path, issue.message].filter((p) => p !== '');
  return parts.join(': ');
}

function compareIssues(a: ScenarioIssue, b: ScenarioIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * A scenario could not be loaded. `issues` lists the problems (sorted by position, at most
 * {@link MAX_ISSUES}); `omitted` counts those left out. The message is {@link ScenarioError.format}.
 */
export class ScenarioError extends Error {
  readonly issues: readonly ScenarioIssue[];
  readonly omitted: number;

  /** `limit` caps the issues kept (default {@link MAX_ISSUES}). */
  constructor(issues: readonly ScenarioIssue[], limit = MAX_ISSUES) {
    const all = issues.length > 0 ? issues : [{ path: '', message: 'invalid scenario' }];
    const sorted = [...all].sort(compareIssues);
    const kept = sorted.slice(0, Math.min(limit, MAX_ISSUES));
    const omitted = sorted.length - kept.length;
    super(renderIssues(kept, omitted));
    this.name = 'ScenarioError';
    this.issues = kept;
    this.omitted = omitted;
  }

  /** One line per issue, plus a closing "… and N more problems" line when some were omitted. */
  format(): string {
    return renderIssues(this.issues, this.omitted);
  }
}

function renderIssues(issues: readonly ScenarioIssue[], omitted: number): string {
  const lines = issues.map(formatIssue);
  if (omitted > 0) lines.push(`… and ${omitted} more problem${omitted === 1 ? '' : 's'}`);
  return lines.join('\n');
}
