/**
 * Reading YAML and JSON text safely: plain data only (YAML 1.2 core schema, no custom tags,
 * no merge keys), unique keys, bounded alias expansion and a size limit. Nothing in a data file
 * can run code. Syntax problems carry their line and column; the parsed document is kept so
 * that later problems can be located too.
 */
import { Buffer } from 'node:buffer';
import { type Document, isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import { createLocator, type Locate } from './positions.ts';
import { ScenarioError, type ScenarioIssue } from './scenario-error.ts';
import { findExcessiveNesting, MAX_NESTING_DEPTH } from './yaml-depth.ts';

/** Largest accepted scenario file (bytes of UTF-8). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Most alias expansions allowed when building the data (defeats "billion laughs" files). */
export const MAX_ALIAS_COUNT = 100;

/** Syntax errors shown at most (later ones are mostly consequences of the first). */
const MAX_SYNTAX_ISSUES = 5;

/** The data of a file and a way to find where a field came from. */
export interface SourceData {
  readonly data: unknown;
  readonly locate: Locate;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/** True when `prefix` already contains a JSON syntax error (not merely an early end). */
function jsonPrefixBroken(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    if (at !== null) return Number(at[1]) < prefix.length;
    return !/unexpected end/i.test(message);
  }
}

/** Offset of a JSON syntax error; V8 omits it for "Unexpected token", so bisect the prefixes. */
function jsonErrorOffset(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at !== null) return Number(at[1]);
  if (/unexpected end/i.test(message)) return text.length;
  let [good, broken] = [0, text.length];
  while (broken - good > 1) {
    const middle = Math.floor((good + broken) / 2);
    if (jsonPrefixBroken(text.slice(0, middle))) broken = middle;
    else good = middle;
  }
  return broken - 1;
}

/** Reports a JSON syntax error with its position (JSON.parse is the reference for JSON syntax). */
function checkJsonSyntax(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const offset = jsonErrorOffset(text, error.message);
    const message = error.message
      .replace(/^(Unexpected token .+?), ".*" is not valid JSON$/s, '$1')
      .replace(/ (?:in JSON )?at position \d+.*$/s, '')
      .replace(/ \(line \d+ column \d+\)$/, '');
    throw new ScenarioError([
      { file, ...lineAndColumn(text, offset), path: '', message: `invalid JSON: ${message}` },
    ]);
  }
}

function tagAsWritten(message: string): string {
  const tag = message.replace(/^Unresolved tag: /, '');
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/** The text of the map key that starts at `offset`, if any. */
function keyAt(doc: Document, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function syntaxIssue(
  error: YAMLError,
  doc: Document,
  file: string,
  format: string,
  lines: LineCounter,
): ScenarioIssue {
  const { line, col } = lines.linePos(error.pos[0]);
  let message: string;
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = keyAt(doc, error.pos[0]);
      message = `duplicate key${key === undefined ? '' : ` "${key}"`}: a key may appear only once in a map`;
      break;
    }
    case 'TAG_RESOLVE_FAILED':
      message = `unsupported tag "${tagAsWritten(error.message)}": scenario files hold plain data only (no custom tags)`;
      break;
    case 'MULTIPLE_DOCS':
      message = 'a scenario file holds a single YAML document: remove the extra "---" separator';
      break;
    default:
      message = `invalid ${format}: ${error.message}`;
  }
  return { file, line, column: col, path: '', message };
}

/** The position of the first alias (`*name`) of the document, for the alias-limit message. */
function firstAlias(doc: Document, lines: LineCounter): { line: number; column: number } | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** Parses YAML (`format: 'yaml'`) or JSON text into plain data; throws `ScenarioError`. */
export function readSourceText(text: string, file: string, format: 'yaml' | 'json'): SourceData {
  const bytes = text.length > MAX_FILE_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    const size = `${Math.ceil(bytes / 1024)} KiB`;
    throw new ScenarioError([
      { file, path: '', message: `the file is too large (${size}; the limit is 1024 KiB)` },
    ]);
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const label = format === 'json' ? 'JSON' : 'YAML';
  if (format === 'json') checkJsonSyntax(source, file);
  const deep = findExcessiveNesting(source);
  if (deep !== undefined) {
    const message = `the data is nested too deeply (more than ${MAX_NESTING_DEPTH} levels of maps and lists)`;
    throw new ScenarioError([{ file, ...lineAndColumn(source, deep.offset), path: '', message }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(source, {
    version: '1.2',
    schema: 'core',
    customTags: [],
    merge: false,
    uniqueKeys: true,
    strict: true,
    prettyErrors: false,
    lineCounter: lines,
  });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new ScenarioError(
      problems.map((e) => syntaxIssue(e, doc, file, label, lines)),
      MAX_SYNTAX_ISSUES,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const excessive = /excessive alias count/i.test(error.message);
    const message = excessive
      ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}): the aliases multiply the data like a "billion laughs" attack`
      : `invalid ${label}: ${error.message}`;
    throw new ScenarioError([{ file, ...firstAlias(doc, lines), path: '', message }]);
  }
  if (data === null || data === undefined) {
    const message = 'the file is empty: a scenario needs name, description, duration, services and workloads';
    throw new ScenarioError([{ file, line: 1, column: 1, path: '', message }]);
  }
  return { data, locate: createLocator(doc, lines) };
}
