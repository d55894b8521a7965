/**
 * `microsim list [folder] [--lang en|es]`: the scenarios under a folder (the shipped ones by
 * default), grouped by folder, each with the first sentence of its description. A file that
 * does not load is listed with its first problem, never skipped silently.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadScenario } from '../scenario/index.ts';
import { LESSON_CARD } from '../scenario/lesson-card.ts';
import { ScenarioError } from '../scenario/scenario-error.ts';
import { EXIT_BAD_INPUT, EXIT_OK, type Output, parseFlags, parseLang, UsageError } from './commands.ts';

const SCENARIO_FILE = /\.(ya?ml|json)$/i;

/** The scenarios shipped with microsim. */
export const SHIPPED = new URL('../../scenarios/', import.meta.url).pathname;

/** Scenario files under `dir`, sorted, folders after the files of their parent. */
export function scenarioFiles(dir: string): string[] {
  const entries = readdirSync(dir).sort();
  const files = entries.filter(
    (e) => SCENARIO_FILE.test(e) && e !== LESSON_CARD && statSync(join(dir, e)).isFile(),
  );
  const folders = entries.filter((e) => statSync(join(dir, e)).isDirectory());
  return [...files.map((f) => join(dir, f)), ...folders.flatMap((f) => scenarioFiles(join(dir, f)))];
}

/** A command's optional folder argument (the shipped scenarios without one); a usage error otherwise. */
export function folderArgument(command: string, positionals: readonly string[]): string {
  if (positionals.length > 1) {
    throw new UsageError(`expected at most one folder, got ${positionals.length}`, command);
  }
  const dir = positionals[0] ?? SHIPPED;
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new UsageError(`${dir} is not a folder`, command);
  return dir;
}

/** The first sentence of `text` (up to a period, question or exclamation mark and a space). */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = /[.!?](\s|$)/.exec(flat);
  return end === null ? flat : flat.slice(0, end.index + 1);
}

export async function listCommand(args: readonly string[], io: Output): Promise<number> {
  const { values, positionals } = parseFlags('list', args, { lang: { type: 'string' } });
  const lang = parseLang(values.lang, io, 'list');
  const dir = folderArgument('list', positionals);
  const files = scenarioFiles(dir);
  if (files.length === 0) {
    io.out(`no scenario files (.yaml, .yml, .json) under ${dir}\n`);
    return EXIT_OK;
  }
  let broken = 0;
  let group: string | null = null;
  const rows: string[] = [];
  for (const file of files) {
    const rel = relative(dir, file);
    const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '.';
    if (folder !== group) {
      group = folder;
      rows.push(
        `${rows.length > 0 ? '\n' : ''}${folder === '.' ? relative(process.cwd(), dir) || '.' : folder}/`,
      );
    }
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    try {
      const s = await loadScenario(file);
      rows.push(`  ${name.padEnd(28)} ${firstSentence(s.description[lang])}`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      broken++;
      const first = error.message.split('\n')[0] ?? '';
      rows.push(`  ${name.padEnd(28)} ✗ ${lang === 'es' ? 'no es válido' : 'invalid'}: ${first}`);
    }
  }
  io.out(`${rows.join('\n')}\n`);
  return broken > 0 ? EXIT_BAD_INPUT : EXIT_OK;
}
