/**
 * The tour end to end without a terminal, as `npm start` runs it in CI or through a pipe: every
 * shipped lesson measured and printed with its contrast, in both languages' words, exit code 0.
 */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.ts';

describe('npm start without a terminal', () => {
  it('prints the seven lessons with their measured contrasts and every expectation held', async () => {
    let out = '';
    let err = '';
    const code = await runCommand(['tour', '--lang', 'en'], {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
      env: { CI: 'true' },
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const titles = [...out.matchAll(/^Lesson (\d) — (.+)$/gm)].map((m) => Number(m[1]));
    expect(titles).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      "measured headless with each scenario's own seed; 7 lessons: every expectation held",
    );
  }, 300_000);
});
