/**
 * Output files of every command: checked before the work (a bad path fails at once, not after
 * minutes of simulation) and written beside the target, then renamed into place, so a failure
 * never leaves a half-written file.
 */
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Output, OutputError, UsageError } from './commands.ts';

/** The temporary file beside `path` that is renamed to it once complete. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Fails (OutputError) when `path` is a folder, or its folder is missing or not writable. */
export function checkWritable(path: string, what = 'the results'): void {
  const target = resolve(path);
  let isFolder = false;
  try {
    isFolder = statSync(target).isDirectory();
  } catch {
    // Not there yet: it will be created.
  }
  if (isFolder) throw new OutputError(`cannot write ${what} to ${path}: it is a folder`);
  try {
    accessSync(dirname(target), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(
      `cannot write ${what} to ${path}: its folder ${code === 'ENOENT' ? 'does not exist' : `is not writable (${code})`}`,
    );
  }
}

/**
 * Checks an output file given by `flag` before any work: a name (`example` shows one), not the
 * scenario file, not a file another flag of the command writes (`others`: flag → path, null when
 * not given), and writable (`checkWritable`).
 */
export function checkOutputPath(
  flag: string,
  path: string,
  run: {
    readonly command: string;
    readonly scenario: string;
    readonly others: Readonly<Record<string, string | null | undefined>>;
    readonly what: string;
    readonly example: string;
  },
): void {
  if (path === '') throw new UsageError(`${flag} expects a file name, such as ${run.example}`, run.command);
  const target = resolve(path);
  if (target === resolve(run.scenario)) {
    throw new UsageError(`${flag} ${path} would overwrite the scenario file itself`, run.command);
  }
  for (const [other, file] of Object.entries(run.others)) {
    if (file !== null && file !== undefined && target === resolve(file)) {
      throw new UsageError(`${flag} and ${other} name the same file (${path})`, run.command);
    }
  }
  checkWritable(path, run.what);
}

/** Writes `text` to a temporary file beside `path`, then renames it: never a half-written file. */
export function writeAtomically(path: string, text: string, what = 'the results'): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputError(`cannot write ${what} to ${path} (${code})`);
  }
}

/**
 * What every command prints at its end: the text (unless `quiet`) and the JSON document to
 * `json` — a file, `-` for standard output (the text then goes to standard error, so the JSON
 * stays parseable), or null for none.
 */
export function emitDocument(
  io: Output,
  output: { readonly text: () => string; readonly quiet: boolean; readonly json: string | null },
  doc: unknown,
): void {
  const toStdout = output.json === '-';
  if (!output.quiet) (toStdout ? io.err : io.out)(output.text());
  if (output.json === null) return;
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (toStdout) io.out(text);
  else writeAtomically(output.json, text);
}
