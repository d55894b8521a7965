/**
 * `microsim run --runs N`, `--shard i/n` and `microsim merge`: intervals over replications, and a
 * study split over machines merged into exactly the document of the whole study.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicationSeed } from '../../src/runtime/replications.ts';
import { cli } from './harness.ts';

const FILE = 'scenarios/mm1.yaml';
const SHORT = ['--duration', '3m'];
const tmp = (): string => mkdtempSync(join(tmpdir(), 'microsim-study-'));

describe('run --runs N', () => {
  it('prints means with 95% intervals and writes every metric with its interval', async () => {
    const dir = tmp();
    const json = join(dir, 'study.json');
    const r = await cli(['run', FILE, ...SHORT, '--runs', '4', '--threads', '1', '--json', json]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('4 runs (seeds 1, ');
    expect(r.out).toMatch(/arrivals\s+availability\s+100%\s+± 0%/);
    expect(r.out).toMatch(/server\s+utilization\s+[\d.]+%\s+± [\d.]+%/);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'replications',
      runs: 4,
      completed: 4,
      confidence: 0.95,
    });
    expect(doc.replications.map((x: { seed: number }) => x.seed)).toEqual(
      [0, 1, 2, 3].map((k) => replicationSeed(1, k)),
    );
    const util = doc.metrics['services.server.utilization'];
    const values = doc.replications.map(
      (x: { metrics: Record<string, number> }) => x.metrics['services.server.utilization'],
    );
    expect(util.n).toBe(4);
    expect(util.mean).toBeCloseTo(values.reduce((s: number, v: number) => s + v, 0) / 4, 12);
    expect(util.low).toBeLessThan(util.mean);
    expect(util.high).toBeGreaterThan(util.mean);
    // Replication 1 is the run `microsim run` makes with the file's own seed.
    const single = join(dir, 'single.json');
    expect((await cli(['run', FILE, ...SHORT, '--no-ui', '--quiet', '--json', single])).code).toBe(0);
    const one = JSON.parse(readFileSync(single, 'utf8'));
    expect(doc.replications[0].metrics['workloads.arrivals.latencyMs.p99']).toBe(
      one.workloads.arrivals.latencyMs.p99,
    );
  });

  it('puts the intervals, with theory beside them, in the HTML report', async () => {
    const report = join(tmp(), 'study.html');
    const r = await cli([
      'run',
      FILE,
      ...SHORT,
      '--runs',
      '3',
      '--threads',
      '1',
      '--quiet',
      '--report',
      report,
    ]);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Replications');
    expect(html).toMatch(/<td[^>]*>server\/serve mean wait Wq<\/td>/);
    expect(html).toMatch(/<td[^>]*>arrivals p99<\/td>/);
  });

  it('names the expectations in the --lang language', async () => {
    const r = await cli([
      'run',
      'scenarios/06-fault-tolerance/cascade-contained.yaml',
      '--runs',
      '2',
      '--threads',
      '1',
      '--lang',
      'es',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('ok   navegar sigue disponible durante el fallo: held in 2 of 2 runs');
  });

  it('gives the same document on one thread and on two', async () => {
    const dir = tmp();
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    for (const [threads, out] of [
      ['1', a],
      ['2', b],
    ] as const) {
      expect(
        (await cli(['run', FILE, ...SHORT, '--runs', '3', '--threads', threads, '--quiet', '--json', out]))
          .code,
      ).toBe(0);
    }
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
  });

  it('exits 1 and says how often when an expectation fails in some runs', async () => {
    const dir = tmp();
    const file = join(dir, 'strict.yaml');
    writeFileSync(
      file,
      `${readFileSync(FILE, 'utf8')}expect:\n  - name: p99 under 2.3 s\n    workload: arrivals\n    metric: p99\n    atMost: 2300ms\n`,
    );
    const r = await cli(['run', file, '--duration', '5m', '--runs', '6', '--threads', '1']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL p99 under 2\.3 s: held in [0-5] of 6 runs/);
    expect(r.err).toMatch(/expectations failed in some runs: p99 under 2\.3 s \(held in [0-5] of 6\)/);
  });

  it.each([
    [['--runs', '0'], '--runs expects a whole number from 1 to 100000, got "0"'],
    [['--runs', '2.5'], '--runs expects a whole number'],
    [['--threads', '2'], '--threads needs --runs N'],
    [['--shard', '1/2'], '--shard needs --runs N'],
    [['--runs', '4', '--shard', '3/2'], '--shard expects i/n with 1 ≤ i ≤ n'],
    [['--runs', '4', '--shard', 'half'], '--shard expects i/n'],
    [['--runs', '2', '--shard', '1/3'], '3 shards for 2 runs leaves some shards empty'],
    [['--runs', '2', '--threads', '0'], '--threads expects a whole number from 1 to 256'],
    [['--runs', '2', '--events', 'x.jsonl'], '--events shows one run: give it without --runs'],
  ])('refuses %j', async (flags, message) => {
    const r = await cli(['run', FILE, ...flags]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('--shard i/n and merge', () => {
  it('merges the shards into exactly the document of the whole study', async () => {
    const dir = tmp();
    const whole = join(dir, 'whole.json');
    const args = ['run', FILE, ...SHORT, '--runs', '5', '--threads', '1', '--quiet'];
    expect((await cli([...args, '--json', whole])).code).toBe(0);
    const parts = [1, 2, 3].map((i) => join(dir, `part${i}.json`));
    for (const [i, part] of parts.entries()) {
      expect((await cli([...args, '--shard', `${i + 1}/3`, '--json', part])).code).toBe(0);
    }
    const second = JSON.parse(readFileSync(parts[1]!, 'utf8'));
    expect(second.shard).toEqual({ index: 2, count: 3 });
    expect(second.replications.map((x: { replication: number }) => x.replication)).toEqual([1, 4]);
    const merged = join(dir, 'merged.json');
    const r = await cli(['merge', parts[2]!, parts[0]!, parts[1]!, '--json', merged]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('5 runs');
    expect(readFileSync(merged, 'utf8')).toBe(readFileSync(whole, 'utf8'));
  });

  it('refuses missing, repeated and foreign shards, and files that are not shards', async () => {
    const dir = tmp();
    const args = ['run', FILE, ...SHORT, '--runs', '2', '--threads', '1', '--quiet'];
    const [p1, p2, other] = ['p1', 'p2', 'other'].map((n) => join(dir, `${n}.json`)) as [
      string,
      string,
      string,
    ];
    await cli([...args, '--shard', '1/2', '--json', p1]);
    await cli([...args, '--shard', '2/2', '--json', p2]);
    await cli([...args, '--seed', '9', '--shard', '2/2', '--json', other]);
    // The same study, but the file was edited before its second shard ran.
    const copy = join(dir, 'mm1.yaml');
    const edited = join(dir, 'edited.json');
    const shardOf = (i: number, out: string) =>
      cli([
        'run',
        copy,
        ...SHORT,
        '--runs',
        '2',
        '--threads',
        '1',
        '--quiet',
        '--shard',
        `${i}/2`,
        '--json',
        out,
      ]);
    writeFileSync(copy, readFileSync(FILE, 'utf8'));
    await shardOf(1, join(dir, 'e1.json'));
    writeFileSync(copy, readFileSync(FILE, 'utf8').replace('rate: 8/s', 'rate: 2/s'));
    await shardOf(2, edited);
    const notShard = join(dir, 'results.json');
    await cli(['run', FILE, ...SHORT, '--no-ui', '--quiet', '--json', notShard]);
    const cases: [string[], RegExp][] = [
      [[p1], /cannot merge: replications 1 of 2 are missing \(the study has 2 shards; 1 given\)/],
      [[p1, p2, p2], /replication 1 is in both .*p2\.json and .*p2\.json/],
      [[p1, other], /other\.json is another study than .*p1\.json: its base seed is 9, not 1/],
      [
        [join(dir, 'e1.json'), edited],
        /edited\.json is another study than .*e1\.json: its scenario file content \(SHA-256\) is/,
      ],
      [[notShard], /results\.json is not a replications document/],
      [[join(dir, 'none.json')], /cannot read .*none\.json \(no such file\)/],
      [[], /missing the shard files to merge/],
      [
        [p1, p2, '--json', '/nonexistent/m.json'],
        /cannot write the results to \/nonexistent\/m\.json: its folder does not exist/,
      ],
      [[p1, p2, `--json=${p1}`], /would overwrite a shard being merged/],
    ];
    for (const [files, message] of cases) {
      const r = await cli(['merge', ...files]);
      expect(r.code, files.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});
