/**
 * Loading a scenario from a path: YAML/JSON files are read as data; TypeScript/JavaScript
 * modules are imported (which runs their code) and their default export, or their export named
 * `scenario`, is resolved like data.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseScenarioText, resolveScenario } from './resolve.ts';
import type { ResolvedScenario } from './resolved.ts';
import { ScenarioError } from './scenario-error.ts';
import { MAX_FILE_BYTES } from './yaml-source.ts';

const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

function fail(file: string, message: string): never {
  throw new ScenarioError([{ file, path: '', message }]);
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}

async function loadData(path: string): Promise<ResolvedScenario> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) fail(path, 'cannot read the scenario: it is a directory');
    size = info.size;
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    fail(path, `cannot read the scenario: ${reason(error)}`);
  }
  if (size > MAX_FILE_BYTES) {
    fail(path, `the file is too large (${Math.ceil(size / 1024)} KiB; the limit is 1024 KiB)`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    fail(path, `cannot read the scenario: ${reason(error)}`);
  }
  return parseScenarioText(text, path);
}

async function loadModule(path: string): Promise<ResolvedScenario> {
  const absolute = resolvePath(path);
  try {
    await stat(absolute);
  } catch (error) {
    fail(path, `cannot read the scenario: ${reason(error)}`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    fail(
      path,
      `the scenario module failed to load: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const raw = module.default ?? module.scenario;
  if (raw === undefined) {
    fail(path, 'the module exports no scenario: use `export default defineScenario({...})`');
  }
  return resolveScenario(raw, path);
}

/**
 * Loads and resolves the scenario at `path`, by extension: `.yaml`, `.yml`, `.json` as data;
 * `.ts`, `.mts`, `.js`, `.mjs` as a module (this executes the module's code). Every failure,
 * including a missing or unreadable file, is a `ScenarioError`.
 */
export async function loadScenario(path: string): Promise<ResolvedScenario> {
  const extension = extname(path).toLowerCase();
  if (DATA_EXTENSIONS.has(extension)) return loadData(path);
  if (MODULE_EXTENSIONS.has(extension)) return loadModule(path);
  const known = [...DATA_EXTENSIONS, ...MODULE_EXTENSIONS].join(', ');
  return fail(path, `unknown scenario file type "${extension || '(none)'}": use one of ${known}`);
}
