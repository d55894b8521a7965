/** `microsim run --trace FILE --trace-chrome FILE --trace-sample RATE`. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseTraceSample } from '../../src/cli/trace-file.ts';
import type { createSession } from '../../src/runtime/session.ts';
import { chromeProblems, chromeTrace, otlpProblems, otlpTraceRequest } from '../observe/trace-schemas.ts';
import { cli } from './harness.ts';

/** When set, the next session's run throws halfway (a run that fails after it started). */
const failing = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/runtime/session.ts', async (importOriginal) => {
  const actual = await importOriginal<{ createSession: typeof createSession }>();
  return {
    ...actual,
    createSession: (...args: Parameters<typeof createSession>) => {
      const session = actual.createSession(...args);
      if (!failing.on) return session;
      const half = session.scenario.durationMs / 2;
      const broke = (): never => {
        session.advance(half);
        throw new Error('the run broke halfway');
      };
      return {
        ...session,
        advance: (untilMs: number) => (untilMs >= half ? broke() : session.advance(untilMs)),
        runToEnd: broke,
        finish: broke,
      };
    },
  };
});

const FILE = 'scenarios/06-fault-tolerance/retry-storm.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'microsim-trace-'));

describe('--trace and --trace-chrome', () => {
  it('write files that match their schemas, nest properly, and are byte-identical for the same seed', async () => {
    const dir = tmp();
    const files = (n: string) => [
      '--trace',
      join(dir, `${n}.otlp.json`),
      '--trace-chrome',
      join(dir, `${n}.chrome.json`),
    ];
    const args = ['run', FILE, '--no-ui', '--quiet', '--trace-sample', '5%'];
    expect(await cli([...args, ...files('a')])).toEqual({ code: 0, out: '', err: '' });
    expect((await cli([...args, ...files('b')])).code).toBe(0);
    for (const kind of ['otlp', 'chrome']) {
      expect(readFileSync(join(dir, `b.${kind}.json`), 'utf8')).toBe(
        readFileSync(join(dir, `a.${kind}.json`), 'utf8'),
      );
    }
    const otlp = otlpTraceRequest.parse(JSON.parse(readFileSync(join(dir, 'a.otlp.json'), 'utf8')));
    const chrome = chromeTrace.parse(JSON.parse(readFileSync(join(dir, 'a.chrome.json'), 'utf8')));
    expect(otlpProblems(otlp)).toEqual([]);
    expect(chromeProblems(chrome)).toEqual([]);
    const spans = otlp.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(chrome.traceEvents.filter((e) => e.ph === 'X')).toHaveLength(spans.length);
    expect(otlp.resourceSpans.map((r) => r.resource.attributes[0])).toEqual([
      { key: 'service.name', value: { stringValue: 'api' } },
      { key: 'service.name', value: { stringValue: 'clients' } },
    ]);
    // The storm's retries run in parallel with abandoned attempts: some requests need several lanes.
    expect(chrome.traceEvents.some((e) => e.ph === 'X' && e.tid > 1)).toBe(true);
    // No temporary file is left beside them.
    expect(readdirSync(dir).sort()).toEqual(['a.chrome.json', 'a.otlp.json', 'b.chrome.json', 'b.otlp.json']);
  });

  it('does not change the results document', async () => {
    const dir = tmp();
    const strip = (path: string) => {
      const doc = JSON.parse(readFileSync(path, 'utf8'));
      return { ...doc, run: { ...doc.run, wallTimeMs: 0 } };
    };
    await cli(['run', FILE, '--no-ui', '--quiet', '--json', join(dir, 'plain.json')]);
    await cli([
      'run',
      FILE,
      '--no-ui',
      '--quiet',
      '--json',
      join(dir, 'traced.json'),
      '--trace',
      join(dir, 't.json'),
      '--trace-sample',
      '1',
    ]);
    expect(strip(join(dir, 'traced.json'))).toEqual(strip(join(dir, 'plain.json')));
  });

  it('keeps at most 10,000 traces and says so on standard error', async () => {
    const dir = tmp();
    const out = join(dir, 'all.json');
    // 120 requests/s for 90 s: 10,800 requests, all sampled.
    const run = await cli([
      'run',
      'scenarios/default.yaml',
      '--no-ui',
      '--quiet',
      '--duration',
      '90s',
      '--trace',
      out,
      '--trace-sample',
      '100%',
    ]);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(
      /^microsim: tracing kept the first 10000 sampled requests \(the cap\); \d+ more sampled requests were not traced/,
    );
    const otlp = otlpTraceRequest.parse(JSON.parse(readFileSync(out, 'utf8')));
    const roots = otlp.resourceSpans
      .flatMap((r) => r.scopeSpans[0]!.spans)
      .filter((s) => s.parentSpanId === undefined);
    expect(roots).toHaveLength(10_000);
  });

  it('leaves no file when the run fails', async () => {
    const dir = tmp();
    failing.on = true;
    try {
      await expect(
        cli([
          'run',
          FILE,
          '--no-ui',
          '--quiet',
          '--trace',
          join(dir, 't.json'),
          '--trace-chrome',
          join(dir, 'c.json'),
        ]),
      ).rejects.toThrow('the run broke halfway');
    } finally {
      failing.on = false;
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('bad trace flags', () => {
  it('reads --trace-sample as a share: 5% or 0.05, above 0 and at most 1', () => {
    expect(parseTraceSample('5%')).toBeCloseTo(0.05, 12);
    expect(parseTraceSample('0.05')).toBe(0.05);
    expect(parseTraceSample('100%')).toBe(1);
    expect(parseTraceSample('0.5%')).toBeCloseTo(0.005, 12);
    for (const bad of ['0', '0%', '-1%', '150%', '1.5', 'abc', '', '5 percent']) {
      expect(() => parseTraceSample(bad), bad).toThrow(
        `--trace-sample expects a share of the requests above 0 and at most 1, like 5% or 0.05, got "${bad}"`,
      );
    }
  });

  it('refuses a bad rate, a rate without a file, and files that clash or cannot be written', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'folder'));
    const t = join(dir, 't.json');
    const cases: [string[], string][] = [
      [
        ['--trace', t, '--trace-sample', '0'],
        '--trace-sample expects a share of the requests above 0 and at most 1',
      ],
      [['--trace-sample', '5%'], '--trace-sample needs --trace FILE or --trace-chrome FILE'],
      [['--trace', FILE], `--trace ${FILE} would overwrite the scenario file itself`],
      [['--trace-chrome', t, '--json', t], '--trace-chrome and --json name the same file'],
      [['--trace', t, '--events', t], '--trace and --events name the same file'],
      [['--trace', t, '--trace-chrome', t], '--trace-chrome and --trace name the same file'],
      [['--trace', '-'], '--trace expects a file name (traces are not written to standard output)'],
      [
        ['--trace', '/nowhere/t.json'],
        'cannot write the traces to /nowhere/t.json: its folder does not exist',
      ],
      [
        ['--trace-chrome', join(dir, 'folder')],
        `cannot write the traces to ${join(dir, 'folder')}: it is a folder`,
      ],
      [['--trace', t, '--runs', '3'], '--trace shows one run'],
    ];
    for (const [flags, message] of cases) {
      const r = await cli(['run', FILE, '--no-ui', '--quiet', ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err, flags.join(' ')).toContain(message);
      expect(r.err.split('\n').filter((l) => l !== '').length, flags.join(' ')).toBeLessThanOrEqual(2);
    }
    expect(readdirSync(dir)).toEqual(['folder']);
    expect(existsSync('t.json')).toBe(false);
  });

  it('lists the flags in run --help', async () => {
    const help = (await cli(['run', '--help'])).out;
    for (const flag of ['--trace <FILE>', '--trace-chrome <FILE>', '--trace-sample <RATE>'])
      expect(help).toContain(flag);
  });
});
