/** `microsim run --events FILE`: every signal as JSON lines, byte-identical for the same seed. */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventLog, type EventLog } from '../../src/observe/event-log.ts';
import { runScenario } from '../../src/runtime/run-scenario.ts';
import { cli } from './harness.ts';

const FILE = 'scenarios/06-fault-tolerance/cascade-contained.yaml';

describe('--events', () => {
  it('writes every signal of the run, the same lines as the event log, the same bytes for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microsim-events-'));
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    expect((await cli(['run', FILE, '--no-ui', '--quiet', '--events', a])).code).toBe(0);
    expect((await cli(['run', FILE, '--no-ui', '--quiet', '--events', b])).code).toBe(0);
    const text = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).toBe(text);
    let log: EventLog | undefined;
    await runScenario(FILE, { attach: (bus) => (log = createEventLog(bus)) });
    const lines = text.trimEnd().split('\n');
    expect(lines).toEqual(log!.lines());
    expect(lines.length).toBeGreaterThan(10_000);
    expect(JSON.parse(lines.at(-1)!).signal).toBe('run.ended');
    // No temporary file is left beside it.
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'b.jsonl']);
  });

  it('refuses a folder that does not exist, the scenario itself, or the --json file', async () => {
    expect(await cli(['run', FILE, '--no-ui', '--events', '/nowhere/x.jsonl'])).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        'cannot write the event log to /nowhere/x.jsonl: its folder does not exist',
      ),
    });
    expect(await cli(['run', FILE, '--events', FILE])).toMatchObject({
      code: 2,
      err: expect.stringContaining('would overwrite the scenario file itself'),
    });
    expect(await cli(['run', FILE, '--json', 'x.json', '--events', 'x.json'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--events and --json name the same file'),
    });
    expect(existsSync('x.json')).toBe(false);
  });
});
