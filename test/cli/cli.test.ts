/**
 * The real command line, driven as a child process (`node --import tsx src/cli/main.ts …` from the
 * repository root, and once through bin/microsim.js): help, version, validate, run, output
 * formats, exit codes (0 ok, 1 an expectation failed, 2 bad input, 3 stopped early) and messages without stack traces.
 * Each process costs about a second to start, so the tests run concurrently.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIO = 'test/golden/scenarios/single-queue.yaml';
const TMP = mkdtempSync(join(tmpdir(), 'microsim-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args` from the repository root and collects its output. */
function cli(args: readonly string[], entry: 'main' | 'bin' = 'main'): Promise<Result> {
  const prefix = entry === 'bin' ? ['bin/microsim.js'] : ['--import', 'tsx', 'src/cli/main.ts'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...prefix, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A file in the temporary directory, with `text` in it. */
function tmpFile(name: string, text: string): string {
  const path = join(TMP, name);
  writeFileSync(path, text);
  return path;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const hasStackTrace = (text: string): boolean => /^ {4}at /m.test(text);

const BAD = `name: bad
description: { en: x, es: y }
duration: 10s
services:
  api:
    endpoints:
      get:
        work: exp(10 ms
workloads:
  users: { rate: 5/s, entry: api.get }
`;

const UNSTABLE = `name: overload
description: { en: More arrivals than one worker can serve., es: Más llegadas de las que un trabajador puede servir. }
duration: 10m
limits: { maxQueueLength: 1000 }
services:
  api:
    endpoints:
      get: { work: const(100ms) }
workloads:
  users: { rate: 20/s, entry: api.get }
`;

describe.concurrent('microsim CLI', () => {
  it('--help prints the usage and exits 0', async ({ expect }) => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage:');
    expect(r.stdout).toContain('microsim run <scenario>');
    expect(r.stderr).toBe('');
  });

  it('--version (through bin/microsim.js) prints the package version', async ({ expect }) => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version'], 'bin');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`microsim ${version}\n`);
  });

  it('run --help lists the run options', async ({ expect }) => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--seed', '--duration', '--json', '--quiet']) expect(r.stdout).toContain(flag);
  });

  it('validate accepts a good file with a one-line overview', async ({ expect }) => {
    const r = await cli(['validate', SCENARIO]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stdout).toMatch(/^ok: .*single-queue\.yaml/);
  });

  it('validate rejects a bad file with exit 2, naming file:line:col, no stack trace', async ({ expect }) => {
    const file = tmpFile('bad.yaml', BAD);
    const r = await cli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:8:15:`);
    expect(r.stderr).toContain('services.api.endpoints.get.work');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('run prints the summary and exits 0', async ({ expect }) => {
    const r = await cli(['run', SCENARIO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('single-queue (seed 7)');
    expect(r.stdout).toContain('Workloads');
    expect(r.stdout).toContain('arrivals');
    expect(r.stderr).toBe('');
  });

  it('run --json FILE writes the results document, with --seed and --duration applied', async ({
    expect,
  }) => {
    const out = join(TMP, 'results.json');
    const r = await cli(['run', SCENARIO, '--json', out, '--seed', '9', '--duration', '1s']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('single-queue (seed 9)');
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc).toMatchObject({ schemaVersion: 1, scenario: { name: 'single-queue', seed: 9 } });
    expect(doc.simulated.plannedDurationMs).toBe(1000);
    expect(doc.run.endReason).toBe('completed');
  });

  it('run --json alone writes JSON to stdout and the summary to stderr', async ({ expect }) => {
    const r = await cli(['run', SCENARIO, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.workloads.arrivals.requests).toBeGreaterThan(0);
    expect(r.stderr).toContain('single-queue (seed 7)');
  });

  it.for([
    { flag: ['--seed', 'abc'], message: /^microsim: --seed\b.*integer.*"abc"/ },
    { flag: ['--duration', '5'], message: /^microsim: --duration\b.*"5".*unit/ },
    { flag: ['--bogus'], message: /^microsim: .*'--bogus'/ },
  ])('run $flag exits 2 with a one-line message and a hint', async ({ flag, message }, { expect }) => {
    const r = await cli(['run', SCENARIO, ...flag]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, hint, ...more] = lines(r.stderr);
    expect(first).toMatch(message);
    expect(hint).toBe('Run "microsim run --help" for usage.');
    expect(more).toEqual([]);
  });

  it('an unknown command exits 2 and suggests the closest', async ({ expect }) => {
    const r = await cli(['runn', SCENARIO]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'microsim: unknown command "runn" (did you mean "run"?)',
      'Run "microsim --help" for usage.',
    ]);
  });

  it('a missing file exits 2 with a plain message', async ({ expect }) => {
    const missing = join(TMP, 'missing.yaml');
    const r = await cli(['run', missing]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([`${missing}: cannot read the scenario: no such file`]);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('an unstable scenario exits 3 and explains it in plain words', async ({ expect }) => {
    const file = tmpFile('unstable.yaml', UNSTABLE);
    const r = await cli(['run', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/api receives 20\.0\/s but can serve about 10\.0\/s/);
    expect(r.stderr).toContain('queue grows without bound');
    expect(r.stdout).toContain('stopped early: unstable');
    expect(hasStackTrace(r.stderr + r.stdout)).toBe(false);
  });

  it('an unwritable --json folder fails before the run with one plain line', async ({ expect }) => {
    const r = await cli(['run', SCENARIO, '--json', join(TMP, 'no-such-folder', 'r.json')]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `microsim: cannot write the results to ${join(TMP, 'no-such-folder', 'r.json')}: its folder does not exist`,
    ]);
    expect(r.stdout).toBe('');
  });

  it('help for something that is not a command exits 2 with a suggestion', async ({ expect }) => {
    const r = await cli(['help', 'runn']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toBe(
      'microsim: no help for "runn": it is not a command (did you mean "run"?)',
    );
  });

  it('--lang es shows the description in Spanish; another language is refused', async ({ expect }) => {
    const [es, fr] = await Promise.all([
      cli(['run', 'scenarios/default.yaml', '--lang', 'es', '--duration', '20s']),
      cli(['run', 'scenarios/default.yaml', '--lang', 'fr']),
    ]);
    expect(es.code).toBe(0);
    expect(es.stdout.split('\n')[1]).toMatch(/^ {2}Una pequeña tienda en línea/);
    expect(fr.code).toBe(2);
    expect(lines(fr.stderr)[0]).toBe('microsim: --lang expects en or es, got "fr"');
  });

  it('expectations print ✓/✗ with the measured value; any ✗ makes the exit code 1; the JSON lists them', async ({
    expect,
  }) => {
    const file = tmpFile(
      'expect.yaml',
      `name: expect
description: { en: checks expectations, es: comprueba expectativas }
seed: 3
duration: 20s
services:
  api:
    workers: 2
    endpoints:
      get:
        work: constant(10ms)
workloads:
  users:
    rate: 50/s
    arrivals: constant
    entry: api.get
expect:
  - name: every request answered
    metric: availability
    workload: users
    atLeast: 100%
  - name: impossible latency
    metric: p99
    workload: users
    below: 5ms
`,
    );
    const json = join(TMP, 'expect.json');
    const r = await cli(['run', file, '--json', json]);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out).toContain('Expectations (1 of 2 failed)');
    expect(out).toContain('  ✓ every request answered: 100% (expected ≥ 100%)');
    expect(out).toContain('  ✗ impossible latency: 10 ms (expected < 5 ms)');
    expect(lines(r.stderr)).toEqual(['microsim: 1 of 2 expectations failed: impossible latency']);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      expectations: { name: string; passed: boolean; measured: number }[];
    };
    expect(doc.expectations.map((v) => [v.name, v.passed, v.measured])).toEqual([
      ['every request answered', true, 1],
      ['impossible latency', false, 10],
    ]);
    const quiet = await cli(['run', file, '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toBe('');
  });
});
