/** The progress bar: on a terminal's standard error only, erased at the end. */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/commands.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { cli } from './harness.ts';

function fakeTerminal(isTTY: boolean, env: Record<string, string> = {}): { io: Output; written: string[] } {
  const written: string[] = [];
  const stderr = { isTTY, write: (t: string) => written.push(t) } as unknown as NodeJS.WriteStream;
  const io: Output = {
    out: () => {},
    err: () => {},
    env,
    terminal: {
      stdout: { isTTY: false } as NodeJS.WriteStream,
      stdin: {} as NodeJS.ReadStream,
      stderr,
    },
  };
  return { io, written };
}

describe('createProgress', () => {
  it('draws a bar with the count, and erases it at the end', () => {
    const { io, written } = fakeTerminal(true);
    const bar = createProgress(io, 10, 'runs', { firstDrawMs: 0 });
    bar.update(4);
    bar.end();
    expect(written[0]).toBe(
      `\r\x1b[K[${'█'.repeat(10)}${'░'.repeat(14)}] 4/10 runs · ${written[0]!.split('· ')[1]}`,
    );
    expect(written[0]).toMatch(/ · \d+ s left$/);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
  it('shows a share for a total that is not a count', () => {
    const { io, written } = fakeTerminal(true);
    createProgress(io, 7.5, 's simulated', { firstDrawMs: 0 }).update(3.75);
    expect(written[0]).toContain('] 50% s simulated');
    createProgress(io, 7200, 'of 2 h simulated', { firstDrawMs: 0, percent: true }).update(1800);
    expect(written[1]).toContain('] 25% of 2 h simulated');
  });
  it('stays silent off a terminal, under CI, and for work that ends before its first draw', () => {
    for (const { io, written } of [fakeTerminal(false), fakeTerminal(true, { CI: 'true' })]) {
      const bar = createProgress(io, 10, 'runs', { firstDrawMs: 0 });
      bar.update(5);
      bar.end();
      expect(written).toEqual([]);
    }
    const { io, written } = fakeTerminal(true);
    const bar = createProgress(io, 10, 'runs'); // the default: nothing in the first 500 ms
    bar.update(5);
    bar.end();
    expect(written).toEqual([]);
  });
  it('never reaches standard output or the captured error text', async () => {
    const r = await cli(['run', 'scenarios/mm1.yaml', '--duration', '2m', '--runs', '2', '--threads', '1']);
    expect(r.code).toBe(0);
    expect(r.out + r.err).not.toContain('█');
  });
});
