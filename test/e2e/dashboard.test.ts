/**
 * End to end: the real CLI in a real terminal (tmux), driven by key presses, read from the
 * captured screen. tmux is required (Debian: apt install tmux); the test says so if it is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const sessions: string[] = [];

function tmux(...args: string[]): string {
  try {
    return execFileSync('tmux', args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('tmux is required for the end-to-end dashboard test (Debian: apt install tmux)');
    }
    throw error;
  }
}

/** Starts `microsim <command> …args` in a fresh 100×30 tmux session; the shell prints EXIT=<code> after. */
function start(args: string, cwd = ROOT, env = 'LANG=C.UTF-8', stdin = '', command = 'run'): string {
  const name = `microsim-e2e-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const cli = `${join(ROOT, 'node_modules/.bin/tsx')} ${join(ROOT, 'src/cli/main.ts')}`;
  tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '100',
    '-y',
    '30',
    '-c',
    cwd,
    `${stdin}env -u CI ${env} TERM=xterm-256color ${cli} ${command} ${args}; echo EXIT=$?; sleep 60`,
  );
  return name;
}

const screen = (name: string): string => tmux('capture-pane', '-p', '-t', name);
/** The screen with its escape sequences (colours and styles). */
const rawScreen = (name: string): string => tmux('capture-pane', '-p', '-e', '-t', name);

/** Waits (up to `ms`) until the screen matches `pattern`; returns the screen. */
async function waitFor(name: string, pattern: RegExp, ms = 30_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const text = screen(name);
    if (pattern.test(text)) return text;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; the screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const press = (name: string, ...keys: string[]): void => {
  tmux('send-keys', '-t', name, ...keys);
};
const simulatedTime = (text: string): string => /simulated time (\d\d:\d\d\.\d)/.exec(text)?.[1] ?? '';

afterEach(() => {
  for (const name of sessions.splice(0)) {
    try {
      tmux('kill-session', '-t', name);
    } catch {
      // already gone
    }
  }
});

describe('the dashboard in a real terminal', () => {
  it('opens, pauses, kills an instance of the selected service, shows help, and quits with the headless exit code', async () => {
    const s = start('scenarios/06-fault-tolerance/cascade-contained.yaml --speed 5');
    await waitFor(s, /microsim cascade-contained .*running/);
    press(s, 'Space');
    const paused = await waitFor(s, /paused/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(simulatedTime(screen(s))).toBe(simulatedTime(paused));
    // web → catalog → checkout
    press(s, 'Tab');
    press(s, 'Tab');
    await waitFor(s, /▸ checkout/);
    press(s, 'k');
    await waitFor(s, /crash 1 instance\(s\) of checkout/);
    press(s, 'Space');
    // checkout's two instances, one of them crashed (● ready, ✖ crashed, ◌ starting again)
    await waitFor(s, /running/);
    await waitFor(s, /▸ checkout\n\s+(●✖|✖●|●◌|◌●)/);
    press(s, '?');
    await waitFor(s, /as fast as possible/);
    press(s, '?');
    press(s, 'q');
    // Quit before the end: the run is interrupted (exit code 3), and the summary is printed.
    const after = await waitFor(s, /EXIT=\d/);
    expect(after).toContain('EXIT=3');
    expect(after).toMatch(/key-1-kill-checkout: kill checkout/);
  }, 90_000);

  it('runs to the end at max speed, shows the expectations, and saves the keys as a replayable timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microsim-e2e-'));
    const s = start(`${join(ROOT, 'scenarios/default.yaml')} --speed max --lang es`, dir);
    // The narration at 60 s waits for a key: meanwhile select the catalog and scale it up.
    await waitFor(s, /pulsa intro para continuar/i);
    press(s, 'Tab');
    press(s, 'u');
    await waitFor(s, /escalar catalog a 3/);
    press(s, 'w');
    await waitFor(s, /guardado en default-demo\.yaml/);
    press(s, 'Enter');
    await waitFor(s, /q para salir/);
    press(s, 'q');
    const after = await waitFor(s, /EXIT=\d/);
    expect(after).toContain('EXIT=0');
    expect(readdirSync(dir)).toEqual(['default-demo.yaml']);
    const saved = readFileSync(join(dir, 'default-demo.yaml'), 'utf8');
    expect(saved).toMatch(/scale: catalog\n\s+replicas: 3/);
    // The saved file is a valid scenario that replays the run headless.
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'run', join(dir, 'default-demo.yaml'), '--no-ui'],
      { encoding: 'utf8', cwd: ROOT },
    );
    expect(out).toMatch(/key-1-scale-catalog: scale catalog \(2 → 3 replicas\)/);
  }, 120_000);

  it('honours NO_COLOR, and without a keyboard runs to the end by itself', async () => {
    const s = start('scenarios/default.yaml --speed 20', ROOT, 'LANG=C.UTF-8 NO_COLOR=1', 'true | ');
    await waitFor(s, /microsim shop/);
    // No escape sequence for colours or styles (ESC [ … m) anywhere on the screen.
    const ESC = String.fromCharCode(27);
    expect(rawScreen(s).includes(`${ESC}[`)).toBe(false);
    // The narration at 60 s does not wait (no key could answer it): the run ends on its own.
    const after = await waitFor(s, /EXIT=\d/, 60_000);
    expect(after).toContain('EXIT=0');
  }, 90_000);

  it('the tour: a lesson card, a scenario in the dashboard with its narration pause, skipping, the measured contrast', async () => {
    const s = start('test/fixtures/lessons --speed max', ROOT, 'LANG=C.UTF-8', '', 'tour');
    await waitFor(s, /Lesson 1 — A second worker/);
    expect(screen(s)).toContain('Enter play · s skip this lesson · q quit the tour');
    press(s, 'Enter');
    await waitFor(s, /press enter to continue/);
    expect(screen(s)).toContain('One worker. The mean time in the system is about 0.6 s.');
    press(s, 'Enter');
    await waitFor(s, /microsim results/);
    press(s, 'q');
    await waitFor(s, /Next: two-workers\.yaml/);
    press(s, 's');
    const contrast = await waitFor(s, /mean time in system\s+\d+ ms\s+\d+ ms/);
    expect(contrast).toContain('Enter or q end the tour');
    press(s, 'Enter');
    await waitFor(s, /EXIT=0/);
  }, 60_000);
});
