/** `microsim run --report FILE`: the path is checked before the run; the page is written whole. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './harness.ts';

const FILE = 'scenarios/mm1.yaml';
const SHORT = ['--duration', '2m', '--no-ui', '--quiet'];

describe('--report', () => {
  it('writes one self-contained page in the run language, the same bytes for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microsim-report-'));
    const a = join(dir, 'a.html');
    const b = join(dir, 'b.html');
    expect(await cli(['run', FILE, ...SHORT, '--report', a, '--lang', 'es'])).toMatchObject({
      code: 0,
      err: '',
    });
    expect((await cli(['run', FILE, ...SHORT, '--report', b, '--lang', 'es'])).code).toBe(0);
    const html = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).toBe(html);
    expect(html).toMatch(/^<!doctype html>\n<html lang="es">/);
    expect(html).toContain('<title>informe de microsim: mm1</title>');
    expect(html).toContain('Un servidor, un trabajador'); // the Spanish description
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script/i);
    // No temporary file is left beside it.
    expect(readdirSync(dir).sort()).toEqual(['a.html', 'b.html']);
  });

  it('refuses, before running, a path that is missing, a folder, the scenario or another output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microsim-report-'));
    const refused = async (args: string[], message: string) => {
      const run = await cli(['run', FILE, ...SHORT, ...args]);
      expect(run).toMatchObject({ code: 2, out: '', err: expect.stringContaining(message) });
    };
    await refused(
      ['--report', '/nowhere/r.html'],
      'cannot write the report to /nowhere/r.html: its folder does not exist',
    );
    await refused(['--report', dir], `cannot write the report to ${dir}: it is a folder`);
    await refused(['--report', FILE], `--report ${FILE} would overwrite the scenario file itself`);
    const same = join(dir, 'same');
    await refused(['--json', same, '--report', same], `--report and --json name the same file (${same})`);
    await refused(['--events', same, '--report', same], '--report and --events name the same file');
    await refused(
      ['--csv', dir, '--report', join(dir, 'timeseries.csv')],
      '--report and --csv name the same file',
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
