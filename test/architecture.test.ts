/**
 * Enforces the import table of DESIGN.md ("Architecture: layers, and which way they may import")
 * by reading every src file's import/export-from lines and literal dynamic imports, and bans
 * wall-clock time, timers and Math.random from engine, patterns and model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS = [
  'engine',
  'patterns',
  'model',
  'scenario',
  'observe',
  'runtime',
  'ui',
  'cli',
  'signals',
  'index',
] as const;
type Layer = (typeof LAYERS)[number];
/** Where a file is or an import points: a layer, `outside` src/, or `unknown:<folder>`. */
type Target = Layer | 'outside' | `unknown:${string}`;

interface Rule {
  /** Layers of ours it may import, besides its own. */
  readonly layers: 'any' | readonly Target[];
  readonly npm: 'any' | readonly string[];
  readonly node: boolean;
  /** Pure layers: no wall clock, no wall-clock timers, no Math.random. */
  readonly pure?: boolean;
}

const RULES: Record<Layer, Rule> = {
  engine: { layers: [], npm: ['seedrandom', 'eventemitter3'], node: false, pure: true },
  patterns: { layers: ['engine', 'signals'], npm: ['xstate'], node: false, pure: true },
  model: { layers: ['engine', 'patterns', 'signals'], npm: ['xstate'], node: false, pure: true },
  // Patterns sit below model, so scenario may name their types; DESIGN.md forbids only the rest.
  scenario: { layers: ['model', 'patterns', 'engine', 'signals'], npm: 'any', node: true },
  observe: { layers: ['engine', 'signals'], npm: 'any', node: true },
  runtime: {
    layers: ['scenario', 'model', 'patterns', 'engine', 'observe', 'signals'],
    npm: 'any',
    node: true,
  },
  ui: { layers: ['observe', 'runtime', 'signals'], npm: 'any', node: true },
  cli: { layers: 'any', npm: 'any', node: true },
  signals: { layers: [], npm: 'any', node: true },
  // The package entry (`import … from 'microsim'`): re-exports the public API of every layer.
  index: { layers: 'any', npm: 'any', node: true },
};

interface Violation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const REGEX_CAN_START =
  /^(?:[(,=:[!&|?{};+\-*%<>~^]|return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)?$/;

/** The token before index `i` (a word or one punctuation character), ignoring whitespace. */
function prevToken(code: string[], i: number): string {
  let j = i - 1;
  while (j >= 0 && /\s/.test(code[j]!)) j--;
  if (j < 0 || !/[\w$]/.test(code[j]!)) return code[j] ?? '';
  let word = '';
  while (j >= 0 && /[\w$]/.test(code[j]!)) word = code[j--] + word;
  return word;
}

/** Index of the closing delimiter of the string or regex literal opening at `i` (or of the line end). */
function endOfLiteral(src: string, i: number): number {
  const q = src[i];
  let inClass = false;
  let j = i + 1;
  for (; j < src.length && src[j] !== '\n'; j++) {
    if (src[j] === '\\') j++;
    else if (q === '/' && (src[j] === '[' || src[j] === ']')) inClass = src[j] === '[';
    else if (src[j] === q && !inClass) break;
  }
  return j;
}

/**
 * Returns `src` twice, same length and line breaks: `code` with comments blanked, and `bare` with
 * comments and the contents of string, template and regex literals blanked too (`${…}` stays code).
 * Quoted literals end at the line end, so an apostrophe in JSX text spoils at most one line.
 */
function blank(src: string, jsx: boolean): { code: string; bare: string } {
  const code = src.split('');
  const bare = src.split('');
  const wipe = (from: number, to: number, alsoCode: boolean): void => {
    for (let k = from; k < to && k < src.length; k++) {
      if (src[k] === '\n') continue;
      bare[k] = ' ';
      if (alsoCode) code[k] = ' ';
    }
  };
  const after = (s: string, from: number): number => (src.indexOf(s, from) + 1 || src.length + 1) - 1;
  const interpolations: number[] = []; // brace depth at each open `${`
  let depth = 0;
  let inTemplate = false;
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    const two = src.slice(i, i + 2);
    if (inTemplate) {
      if (c === '`') inTemplate = false;
      else if (two === '${') interpolations.push(depth++);
      else wipe(i, i + (c === '\\' ? 2 : 1), false);
      inTemplate = inTemplate && two !== '${';
      i += c === '\\' || two === '${' ? 2 : 1;
    } else if (two === '//' || two === '/*') {
      const end = two === '//' ? after('\n', i) : after('*/', i + 2) + 2;
      wipe(i, end, true);
      i = end;
    } else if (c === "'" || c === '"' || (c === '/' && !jsx && REGEX_CAN_START.test(prevToken(code, i)))) {
      const end = endOfLiteral(src, i);
      wipe(i + 1, end, false);
      i = end + 1;
    } else {
      if (c === '`') inTemplate = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === interpolations.at(-1)) {
        interpolations.pop();
        inTemplate = true;
      }
      i++;
    }
  }
  return { code: code.join(''), bare: bare.join('') };
}

const STATIC_IMPORT = /^[ \t]*(?:import|export)\b(?:[^;'"`()=]*?\bfrom)?\s*(['"])([^'"\n]*)\1/dgm;
const DYNAMIC_IMPORT = /(?<![\w$.])(?:import|require)\s*\(\s*(['"`])([^'"`\n]*)\1\s*\)/dg;
const lineAt = (src: string, index: number): number => src.slice(0, index).split('\n').length;

/** Module specifiers of static imports/re-exports and literal dynamic imports, with their lines. */
function extractImports(src: string, jsx = false): Array<{ spec: string; line: number }> {
  const { code, bare } = blank(src, jsx);
  const found = [...bare.matchAll(STATIC_IMPORT), ...bare.matchAll(DYNAMIC_IMPORT)].map(
    (m) => m.indices![2]!,
  );
  return found
    .sort((a, b) => a[0] - b[0])
    .map(([from, to]) => ({ spec: code.slice(from, to), line: lineAt(src, from) }));
}

const timer = (name: string): RegExp =>
  new RegExp(`(?:(?<![\\w$.])|(?<=\\b(?:globalThis|window|global|self)\\s*\\.\\s*))${name}\\b`, 'g');
const FORBIDDEN: Array<[string, RegExp]> = [
  ['Math.random', /(?<![\w$])Math\s*\.\s*random\b/g],
  ['Date.now', /(?<![\w$])Date\s*\.\s*now\b/g],
  ['new Date(', /\bnew\s+Date\b/g],
  ['performance.now', /(?<![\w$])performance\s*\.\s*now\b/g],
  ['setTimeout', timer('setTimeout')],
  ['setInterval', timer('setInterval')],
];

/** True when the name ending at `i` is a member being declared: `setTimeout(a) {`, `setTimeout(): T`, `setTimeout: …`. */
function isMemberDeclaration(bare: string, i: number): boolean {
  const skip = (): void => {
    while (/[\s?]/.test(bare[i] ?? '')) i++;
  };
  skip();
  if (bare[i] !== '(') return bare[i] === ':';
  for (let open = 0; i < bare.length; i++) {
    if (bare[i] === '(') open++;
    else if (bare[i] === ')' && --open === 0) break;
  }
  i++;
  skip();
  return bare[i] === '{' || bare[i] === ':';
}

/** The layer of a path relative to src/ (`engine/bus.ts` → engine). */
function layerOf(rel: string): Target {
  if (rel.startsWith('..')) return 'outside';
  const first = rel.split('/')[0]!;
  if (/^signals(\.[jt]s)?$/.test(first)) return 'signals';
  if (/^index\.[jt]s$/.test(first)) return 'index';
  return rel.includes('/') && (LAYERS as readonly string[]).includes(first)
    ? (first as Layer)
    : `unknown:${first}`;
}

/** Checks one file; `file` is relative to the repository root, like `src/engine/engine.ts`. */
function checkFile(file: string, src: string): Violation[] {
  const layer = layerOf(path.posix.relative('src', file));
  if (!(LAYERS as readonly string[]).includes(layer)) {
    return [{ file, line: 1, message: `is in no known layer (${layer}): add it to DESIGN.md and this test` }];
  }
  const rule = RULES[layer as Layer];
  const jsx = file.endsWith('x');
  const out: Violation[] = [];
  for (const { spec, line } of extractImports(src, jsx)) {
    let problem = '';
    if (spec.startsWith('.') || spec.startsWith('/')) {
      const target = layerOf(path.posix.relative('src', path.posix.join(path.posix.dirname(file), spec)));
      if (target !== layer && rule.layers !== 'any' && !rule.layers.includes(target)) {
        problem = `${layer} may not import ${target} (allowed: ${[layer, ...rule.layers].join(', ')})`;
      }
    } else if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) {
      if (!rule.node) problem = `${layer} may not import node built-ins`;
    } else {
      const pkg = spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
      if (rule.npm !== 'any' && !rule.npm.includes(pkg))
        problem = `${layer} may import only the packages ${rule.npm}`;
    }
    if (problem) out.push({ file, line, message: `imports '${spec}': ${problem}` });
  }
  const { bare } = blank(src, jsx);
  for (const [name, re] of rule.pure ? FORBIDDEN : []) {
    for (const m of bare.matchAll(re)) {
      if (name.startsWith('set') && isMemberDeclaration(bare, m.index + m[0].length)) continue;
      out.push({
        file,
        line: lineAt(src, m.index),
        message: `uses ${name}: ${layer} runs on simulated time only`,
      });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

const ROOT = path.resolve(import.meta.dirname, '..');
const sourceFiles = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return sourceFiles(`${dir}/${e.name}`);
    return /\.[mc]?tsx?$/.test(e.name) ? [`${dir}/${e.name}`] : [];
  });

describe('architecture: the import table of DESIGN.md', () => {
  const files = sourceFiles('src');

  it('finds the source files and their imports', () => {
    expect(files).toEqual(
      expect.arrayContaining(['src/engine/engine.ts', 'src/engine/random.ts', 'src/signals.ts']),
    );
    const random = extractImports(readFileSync(path.join(ROOT, 'src/engine/random.ts'), 'utf8'));
    expect(random.map((i) => i.spec)).toContain('seedrandom');
  });

  it('every src file respects its layer', () => {
    const violations = files.flatMap((f) => checkFile(f, readFileSync(path.join(ROOT, f), 'utf8')));
    const report = violations.map((v) => `  ${v.file}:${v.line} ${v.message}`).join('\n');
    expect(violations.length, `layer violations (see DESIGN.md, "Architecture"):\n${report}\n`).toBe(0);
  });
});

describe('architecture checker, on fake files (it must catch what it claims to)', () => {
  const check = (file: string, src: string): string[] =>
    checkFile(file, src).map((v) => `${v.line}: ${v.message}`);

  it.each([
    ['src/engine/x.ts', "import { a } from '../model/service.ts';", 'engine may not import model'],
    ['src/engine/x.ts', "import type { S } from '../signals.ts';", 'engine may not import signals'],
    ['src/engine/x.ts', "import { readFileSync } from 'node:fs';", 'may not import node built-ins'],
    ['src/engine/x.ts', "import { readFile } from 'fs/promises';", 'may not import node built-ins'],
    ['src/engine/x.ts', "import { setup } from 'xstate';", 'only the packages seedrandom,eventemitter3'],
    ['src/engine/x.ts', "import pkg from '../../package.json';", 'engine may not import outside'],
    ['src/patterns/p.ts', "import { m } from '../model/m.ts';", 'patterns may not import model'],
    ['src/patterns/p.ts', "import { o } from '../observe/o.ts';", 'patterns may not import observe'],
    ['src/model/m.ts', "import { s } from '../scenario/s.ts';", 'model may not import scenario'],
    ['src/model/m.ts', "import { Box } from 'ink';", 'only the packages xstate'],
    ['src/scenario/s.ts', "import { o } from '../observe/o.ts';", 'scenario may not import observe'],
    ['src/scenario/s.ts', "import { r } from '../runtime/r.ts';", 'scenario may not import runtime'],
    ['src/observe/o.ts', "import type { W } from '../model/w.ts';", 'observe may not import model'],
    ['src/observe/o.ts', "import { s } from '../scenario/s.ts';", 'observe may not import scenario'],
    ['src/runtime/r.ts', "import { A } from '../ui/App.tsx';", 'runtime may not import ui'],
    ['src/runtime/r.ts', "import { c } from '../cli/c.ts';", 'runtime may not import cli'],
    ['src/ui/A.tsx', "import type { Engine } from '../engine/engine.ts';", 'ui may not import engine'],
    ['src/ui/A.tsx', "import { w } from '../model/w.ts';", 'ui may not import model'],
    ['src/ui/A.tsx', "import { p } from '../scenario/p.ts';", 'ui may not import scenario'],
    ['src/signals.ts', "import type { E } from './engine/engine.ts';", 'signals may not import engine'],
    ['src/util/u.ts', '', 'no known layer (unknown:util)'],
  ])('%s: %s is a violation', (file, src, why) => {
    const found = check(file, src);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(why);
  });

  it.each([
    ['src/engine/x.ts', "import sr from 'seedrandom';\nimport { Q } from './event-queue.ts';"],
    ['src/patterns/b.ts', "import { setup } from 'xstate';\nimport type { E } from '../engine/engine.ts';"],
    ['src/model/m.ts', "import type { S } from '../signals.ts';\nimport { r } from '../patterns/retry.ts';"],
    ['src/scenario/p.ts', "import YAML from 'yaml';\nimport { w } from '../model/w.ts';\nimport 'node:fs';"],
    ['src/observe/m.ts', "import * as hdr from 'hdr-histogram-js';\nimport { B } from '../engine/bus.ts';"],
    ['src/ui/App.tsx', "import { Box } from 'ink';\nimport type { S } from '../runtime/session.ts';"],
    ['src/cli/main.ts', "import { App } from '../ui/App.tsx';\nimport { w } from '../model/w.ts';"],
  ])('%s: allowed imports pass', (file, src) => {
    expect(check(file, src)).toEqual([]);
  });

  it('reads every import form: multi-line, type-only, re-exports, side effects, dynamic', () => {
    const forms = [
      "import {\n  a,\n  type B,\n} from '../ui/one.ts';",
      "import type { C } from '../ui/two.ts';",
      "export * from '../ui/three.ts';",
      "export { d } from '../ui/four.ts';",
      "import '../ui/five.ts';",
      "const m = await import('../ui/six.ts');",
      'const n = await import(`../ui/seven.ts`);',
    ];
    expect(check('src/model/m.ts', forms.join('\n'))).toEqual(
      ['one', 'two', 'three', 'four', 'five', 'six', 'seven'].map(
        (name, k) =>
          `${k === 0 ? 4 : k + 4}: imports '../ui/${name}.ts': model may not import ui (allowed: model, engine, patterns, signals)`,
      ),
    );
  });

  it('ignores imports in comments and strings', () => {
    const src = [
      "// import { x } from '../ui/a.ts';",
      "/*\nimport { y } from '../ui/b.ts';\n*/",
      '/** Example: `await import("../ui/c.ts")` */',
      "const s = `\nimport { z } from '../ui/d.ts';\n`;",
      'const t = \'import("../ui/e.ts")\';',
    ].join('\n');
    expect(check('src/engine/x.ts', src)).toEqual([]);
  });

  it('flags wall-clock time and Math.random in pure layers, not in comments, strings or member names', () => {
    const src = [
      'const a = Math.random();',
      'const b = Date.now();',
      'const c = new Date();',
      'const d = performance.now();',
      'setTimeout(() => {}, 10);',
      'const e = setInterval(f, 5);',
      'globalThis.setTimeout(f, 1);',
      '// Math.random() Date.now() setTimeout(f, 1)',
      "const msg = 'do not call Date.now() or new Date()';",
      'engine.clock.setTimeout(f, 10);',
      'const clock = { setTimeout(fn, timeout) { return 1; }, clearTimeout(id) {} };',
      'interface C { setTimeout(fn: () => void, ms: number): number; setInterval: number }',
      "const re = /Date.now()'/; const mySetTimeout = 1; const x = a / b / c; Date.now();",
    ].join('\n');
    const uses = [
      'Math.random',
      'Date.now',
      'new Date(',
      'performance.now',
      'setTimeout',
      'setInterval',
      'setTimeout',
    ];
    expect(check('src/model/m.ts', src)).toEqual([
      ...uses.map((name, k) => `${k + 1}: uses ${name}: model runs on simulated time only`),
      '13: uses Date.now: model runs on simulated time only',
    ]);
    expect(check('src/runtime/pacer.ts', src)).toEqual([]); // the wall clock is allowed in runtime
  });

  it('treats template interpolations as code and their text as text', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the source text of a template literal
    const src = 'const s = `Date.now() t=${Date.now()} ${`${Math.random()}`}`;\nconst t = Date.now();';
    expect(check('src/engine/x.ts', src)).toEqual([
      '1: uses Math.random: engine runs on simulated time only',
      '1: uses Date.now: engine runs on simulated time only',
      '2: uses Date.now: engine runs on simulated time only',
    ]);
  });
});
