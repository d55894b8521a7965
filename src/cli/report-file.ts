import type { ReportOptions } from '../observe/report/index.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { checkOutputPath, writeAtomically } from './output-file.ts';

/**
 * Fails (UsageError / OutputError) when the report could not, or should not, be written to
 * `path`. `outputs` are the run's other files by flag (`--json` → path; null or absent when not
 * asked for).
 */
export function checkReportPath(
  path: string,
  run: {
    readonly scenario: string;
    readonly outputs: Readonly<Record<string, string | null | undefined>>;
    readonly command?: string;
  },
): void {
  checkOutputPath('--report', path, {
    command: run.command ?? 'run',
    scenario: run.scenario,
    others: run.outputs,
    what: 'the report',
    example: 'report.html',
  });
}

/** Renders the report of a run and writes it atomically to `path`. */
export async function writeReportFile(
  path: string,
  results: ResultsDocument,
  options: ReportOptions = {},
): Promise<void> {
  // Loaded here, not at start-up: vega and vega-lite take a while to load, and most runs need neither.
  const { renderReport } = await import('../observe/report/index.ts');
  const html = await renderReport(results, options);
  writeAtomically(path, html, 'the report');
}
