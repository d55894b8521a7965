/** `microsim list`: every scenario under a folder, one line each, problems shown, never skipped. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstSentence, SHIPPED, scenarioFiles } from '../../src/cli/list.ts';
import { cli } from './harness.ts';

const TMP = mkdtempSync(join(tmpdir(), 'microsim-list-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const list = (args: string[], env: Record<string, string> = {}) => cli(['list', ...args], env);

describe('microsim list', () => {
  it('lists every shipped scenario, grouped by folder, with the first sentence of its description', async () => {
    const { code, out } = await list([]);
    expect(code).toBe(0);
    const files = scenarioFiles(SHIPPED);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(out).toContain(f.slice(f.lastIndexOf('/') + 1));
    expect(out).toContain('\nmessaging/\n');
    expect(out).toMatch(
      / {2}notify-sync\.yaml +Placing an order saves it and then calls the notification service synchronously to send the confirmation email\.\n/,
    );
  });

  it('speaks Spanish with --lang es or a Spanish locale', async () => {
    const flag = await list(['--lang', 'es']);
    const locale = await list([], { LANG: 'es_ES.UTF-8' });
    expect(flag.out).toMatch(/notify-sync\.yaml +Hacer un pedido lo guarda/);
    expect(locale.out).toBe(flag.out);
  });

  it('lists a broken file with its first problem and exits 2; a missing folder is a usage error', async () => {
    mkdirSync(join(TMP, 'lessons'));
    writeFileSync(
      join(TMP, 'lessons', 'good.yaml'),
      'name: good\ndescription: {en: One API. More text., es: Una API.}\nduration: 1m\nservices:\n  api:\n    endpoints:\n      get: {work: 1ms}\nworkloads:\n  w: {rate: 1/s, entry: api.get}\n',
    );
    writeFileSync(join(TMP, 'lessons', 'bad.yaml'), 'name: bad\nduration: soon\n');
    const { code, out } = await list([TMP]);
    expect(code).toBe(2);
    expect(out).toMatch(/lessons\/\n {2}bad\.yaml +✗ invalid: .*bad\.yaml:1:1/);
    expect(out).toMatch(/ {2}good\.yaml +One API\.\n/);
    const missing = await list([join(TMP, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('is not a folder');
  });

  it('first sentences', () => {
    expect(firstSentence('A shop. With more.')).toBe('A shop.');
    expect(firstSentence('Why? Because.')).toBe('Why?');
    expect(firstSentence('v1.2 is out. Yes.')).toBe('v1.2 is out.');
    expect(firstSentence('  no   period  ')).toBe('no period');
  });
});
