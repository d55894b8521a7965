/**
 * `--report FILE.html`: the run's HTML report (src/observe/report). The path is checked before
 * the run (so a bad path fails at once, not after minutes of simulation): not the scenario file,
 * not another output of the same run, not a folder, in a folder that exists and can be written.
 * After the run the page is written beside its target and renamed into place (never half-written).
 */
import { resolve } from 'node:path';
import type { ReportOptions } from '../observe/report/index.ts';
import type { ResultsDocument } from '../observe/results.ts';
import { UsageError } from './commands.ts';
import { checkWritable, writeAtomically } from './output-file.ts';

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
  const command = run.command ?? 'run';
  if (path === '') throw new UsageError('--report expects a file name, such as report.html', command);
  const target = resolve(path);
  if (target === resolve(run.scenario)) {
    throw new UsageError(`--report ${path} would overwrite the scenario file itself`, command);
  }
  for (const [flag, other] of Object.entries(run.outputs)) {
    if (other !== null && other !== undefined && target === resolve(other)) {
      throw new UsageError(`--report and ${flag} name the same file (${path})`, command);
    }
  }
  checkWritable(path, 'the report');
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
