/**
 * Golden runs: each scenario of test/golden/scenarios/, run with a given seed, must produce exactly
 * the committed JSON-lines event log in test/golden/expected/<scenario>.seed-<seed>.jsonl. A change
 * of event ordering, of a random stream or of a payload shows up as a line-by-line diff.
 *
 * When a change is intended, regenerate the files and review their diff before committing:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/golden
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEventLog, type EventLog } from '../../src/observe/event-log.ts';
import { createSession } from '../../src/runtime/session.ts';
import { loadScenario } from '../../src/scenario/index.ts';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SCENARIOS = fileURLToPath(new URL('./scenarios/', import.meta.url));
const EXPECTED = fileURLToPath(new URL('./expected/', import.meta.url));

interface GoldenCase {
  readonly scenario: string;
  readonly seed: number;
  /** Text that must appear in the log, so the scenario keeps exercising what it is meant to. */
  readonly covers: readonly string[];
}

const CASES: readonly GoldenCase[] = [
  {
    scenario: 'single-queue',
    seed: 7,
    covers: ['"signal":"run.warmup_ended"', '"waitMs":0,', '"outcome":"ok"'],
  },
  { scenario: 'single-queue', seed: 8, covers: ['"signal":"gauges.sampled"'] },
  {
    scenario: 'call-graph',
    seed: 11,
    covers: [
      '"reason":"queue_full"',
      '"reason":"no_instance"',
      '"reason":"dependency_failed"',
      '"inProcess":true',
      '"state":"starting"',
      '"instance":"catalog#2"',
    ],
  },
  {
    scenario: 'closed-ps',
    seed: 3,
    covers: ['"workload":"users"', '"workload":"batch"', '"service":"store"', '"inProcess":true'],
  },
  {
    scenario: 'messaging',
    seed: 4,
    covers: [
      '"signal":"message.published"',
      '"signal":"message.processed"',
      '"queue":"events/mail"',
      '"duplicate":true',
      '"cause":"consumer_lost"',
      '"reason":"poison_message"',
      '"signal":"message.dead_lettered"',
      '"signal":"message.expired"',
      '"queues":[',
    ],
  },
];

/** The whole event log of one run, as lines. */
async function eventLog(scenarioName: string, seed: number): Promise<string[]> {
  const scenario = await loadScenario(`${SCENARIOS}${scenarioName}.yaml`);
  let log: EventLog | undefined;
  createSession({ ...scenario, seed }, { attach: (bus) => (log = createEventLog(bus)) }).runToEnd();
  return log!.lines();
}

describe('golden runs', () => {
  it.each(CASES)('$scenario with seed $seed matches its committed event log', async (c) => {
    const lines = await eventLog(c.scenario, c.seed);
    const file = `${EXPECTED}${c.scenario}.seed-${c.seed}.jsonl`;
    if (UPDATE) {
      mkdirSync(EXPECTED, { recursive: true });
      writeFileSync(file, `${lines.join('\n')}\n`);
    }
    expect(existsSync(file), `${file} is missing; run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
    const expected = readFileSync(file, 'utf8').split('\n');
    if (expected.at(-1) === '') expected.pop();
    expect(lines).toEqual(expected);
    for (const text of c.covers)
      expect(
        lines.some((l) => l.includes(text)),
        `the log contains ${text}`,
      ).toBe(true);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ signal: 'run.ended', reason: 'completed' });
  });
});
