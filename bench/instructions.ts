/**
 * `npm run bench:instructions -- <scenario.yaml> <short> <long>`: the warm cost of one request in
 * machine instructions, a figure that does not vary from run to run as wall time does here.
 *
 * It runs the scenario twice under `valgrind --tool=cachegrind` (instruction counting only), with
 * its duration set to <short> and to <long>, on a single-threaded V8 (so the JIT compiles on the
 * main thread, at the same points every time), and divides the difference in instructions by the
 * difference in requests: start-up, loading and JIT warm-up cancel out. Two runs of one build
 * agree within 0.02%. See docs/en/performance.md, "The hot path, second pass".
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { loadScenario } from '../src/scenario/index.ts';
import { durationMs } from '../src/scenario/units.ts';

const USAGE =
  'usage: npm run bench:instructions -- <scenario.yaml|.json> <short duration> <long duration>\n' +
  '  e.g. npm run bench:instructions -- bench/scenarios/mm1-1m.yaml 12500s 25000s';

interface Counted {
  readonly requests: number;
  readonly hops: number;
  readonly instructions: number;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const [given, short, long] = process.argv.slice(2);
if (given === undefined || short === undefined || long === undefined) fail(USAGE);
const file: string = given;
if (!['.yaml', '.yml', '.json'].includes(extname(file)))
  fail(`${file}: expected a YAML or JSON scenario\n${USAGE}`);
/** A duration argument in ms, or a clear message. */
function durationArg(name: string, raw: string): number {
  try {
    return durationMs(raw, { positive: true, example: '12500s' });
  } catch (error) {
    fail(`<${name}>: ${(error as Error).message}\n${USAGE}`);
  }
}
if (durationArg('long duration', long) <= durationArg('short duration', short)) {
  fail(`<long duration> (${long}) must be longer than <short duration> (${short})\n${USAGE}`);
}
if (spawnSync('valgrind', ['--version']).error !== undefined) {
  fail('valgrind is not installed: it counts the instructions (Debian: apt-get install valgrind)');
}

try {
  await loadScenario(file); // the loader's own messages (file, line, what was expected)
} catch (error) {
  fail((error as Error).message);
}
const scenario = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'microsim-instructions-'));

/** Writes a copy of the scenario lasting `duration` and counts what one run of it executes. */
async function count(duration: string): Promise<Counted> {
  const copy = join(dir, `${duration}-${basename(file)}`);
  const data = { ...scenario, duration };
  // A .json copy must stay JSON: the loader reads .json files as strict JSON.
  writeFileSync(copy, extname(file) === '.json' ? JSON.stringify(data, null, 2) : stringify(data));
  const { stdout, stderr } = await promisify(execFile)(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '--import',
      'tsx',
      'bench/one.ts',
      copy,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  if (refs === null) throw new Error(`no instruction count in valgrind's output:\n${stderr}`);
  const m = JSON.parse(stdout.trim().split('\n').pop()!) as {
    requests: number;
    hops: number;
    endReason: string;
  };
  if (m.endReason !== 'completed') throw new Error(`the ${duration} run ended early (${m.endReason})`);
  return { requests: m.requests, hops: m.hops, instructions: Number(refs[1]!.replaceAll(',', '')) };
}

try {
  const [a, b] = await Promise.all([count(short), count(long)]);
  const requests = b.requests - a.requests;
  if (requests <= 0) fail(`the ${long} run must have more requests than the ${short} run`);
  const instructions = b.instructions - a.instructions;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en');
  console.log(`${file}: ${short} → ${fmt(a.requests)} requests, ${fmt(a.instructions)} instructions`);
  console.log(`${file}: ${long} → ${fmt(b.requests)} requests, ${fmt(b.instructions)} instructions`);
  console.log(
    `warm cost: ${fmt(instructions / requests)} instructions per request` +
      ` (${fmt(instructions / (b.hops - a.hops))} per hop)`,
  );
} catch (error) {
  // A bad duration or scenario: the loader's own message is in the failed command's output.
  const e = error as Error & { stderr?: string };
  console.error(
    e.stderr
      ?.split('\n')
      .filter((l) => !l.startsWith('=='))
      .join('\n')
      .trim() || e.message,
  );
  process.exitCode = 2;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
