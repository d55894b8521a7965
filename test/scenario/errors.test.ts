import { describe, expect, it } from 'vitest';
import {
  MAX_ISSUES,
  parseScenarioText,
  ScenarioError,
  type ScenarioIssue,
} from '../../src/scenario/index.ts';

/** Line numbers below refer to this text (line 1 is `name: mini`). */
const BASE = `name: mini
description:
  en: Minimal.
  es: Mínimo.
duration: 1m
services:
  api:
    replicas: 2
    endpoints:
      get:
        work: exp(20ms)
        calls:
          - db.query
  db:
    endpoints:
      query:
        work: 5ms
workloads:
  load:
    rate: 10/s
    entry: api.get
`;

function failure(text: string, file = 'scenarios/mini.yaml'): ScenarioError {
  try {
    parseScenarioText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

function onlyIssue(text: string, file?: string): ScenarioIssue {
  const { issues } = failure(text, file);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

function edit(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

describe('scenario errors name file, line, column, path and what was expected', () => {
  it('the base text is valid', () => {
    expect(parseScenarioText(BASE, 'scenarios/mini.yaml').name).toBe('mini');
  });

  it('unknown key: points at the key and suggests the closest allowed key', () => {
    const error = failure(edit('    replicas: 2', '    replica: 2'));
    expect(error.message).toBe(
      'scenarios/mini.yaml:8:5: services.api.replica: unknown key "replica" (did you mean "replicas"?)',
    );
  });

  it('unknown key with nothing close: lists the allowed keys', () => {
    const issue = onlyIssue(edit('duration: 1m', 'duration: 1m\ncolour: red'));
    expect(issue).toMatchObject({ line: 6, column: 1, path: 'colour' });
    expect(issue.message).toContain('allowed keys here: name, description, seed, duration, warmup');
  });

  it('duration without a unit', () => {
    const error = failure(edit('work: exp(20ms)', 'work: exp(100)'));
    expect(error.format()).toBe(
      'scenarios/mini.yaml:11:15: services.api.endpoints.get.work: expected a distribution such as "exp(100ms)", ' +
        'got "exp(100)" (durations need a unit, e.g. 100ms)',
    );
    const bare = onlyIssue(edit('duration: 1m', 'duration: 60'));
    expect(bare).toMatchObject({ line: 5, column: 11, path: 'duration' });
    expect(bare.message).toContain('durations need a unit, e.g. 60ms');
  });

  it('unknown call target: suggests a service.endpoint name', () => {
    const issue = onlyIssue(edit('- db.query', '- db.qeury'));
    expect(issue).toMatchObject({ line: 13, column: 13, path: 'services.api.endpoints.get.calls[0]' });
    expect(issue.message).toBe(
      'unknown call target "db.qeury" (did you mean "db.query"?): service "db" has no endpoint "qeury"',
    );
  });

  it('unknown entry of a workload', () => {
    const issue = onlyIssue(edit('entry: api.get', 'entry: apl.get'));
    expect(issue).toMatchObject({ line: 21, column: 12, path: 'workloads.load.entry' });
    expect(issue.message).toContain('did you mean "api.get"?');
  });

  it('wrong type: says what was expected and what was given', () => {
    const issue = onlyIssue(edit('replicas: 2', 'replicas: two'));
    expect(issue).toMatchObject({ line: 8, column: 15, path: 'services.api.replicas' });
    expect(issue.message).toBe('expected an integer >= 0, got "two"');
    const list = onlyIssue(
      edit('workloads:\n  load:\n    rate: 10/s\n    entry: api.get\n', 'workloads: [load]\n'),
    );
    expect(list).toMatchObject({ line: 18, column: 12, path: 'workloads' });
    expect(list.message).toBe('expected a map of names to definitions, got a list');
    expect(onlyIssue(edit('name: mini', 'name: [mini]')).message).toBe('expected text, got a list');
  });

  it('wrong choice of a fixed set: lists the options and suggests one', () => {
    const issue = onlyIssue(edit('replicas: 2', 'replicas: 2\n    discipline: FIFO'));
    expect(issue).toMatchObject({ line: 9, column: 17, path: 'services.api.discipline' });
    expect(issue.message).toBe('expected one of "fifo", "ps", got "FIFO" (did you mean "fifo"?)');
  });

  it('missing required field: points at the key of the map that lacks it', () => {
    const issue = onlyIssue(edit('        work: 5ms\n', '        order: calls-first\n'));
    expect(issue).toMatchObject({ line: 16, column: 7, path: 'services.db.endpoints.query.work' });
    expect(issue.message).toBe('missing required key "work": expected a distribution such as "exp(100ms)"');
  });

  it('a misspelt required key gives both the unknown key and the missing one', () => {
    const { issues } = failure(edit('        work: 5ms\n', '        wrk: 5ms\n'));
    expect(issues.map((i) => [i.line, i.path, i.message])).toEqual([
      [16, 'services.db.endpoints.query.work', expect.stringContaining('missing required key "work"')],
      [17, 'services.db.endpoints.query.wrk', 'unknown key "wrk" (did you mean "work"?)'],
    ]);
  });

  it('missing required field alone', () => {
    const issue = onlyIssue(edit('    rate: 10/s\n', ''));
    expect(issue).toMatchObject({ line: 19, column: 3, path: 'workloads.load.rate' });
    expect(issue.message).toContain('missing required key "rate"');
  });

  it('duplicate key', () => {
    const issue = onlyIssue(edit('duration: 1m', 'duration: 1m\nduration: 2m'));
    expect(issue).toMatchObject({ line: 6, column: 1, path: '' });
    expect(issue.message).toBe('duplicate key "duration": a key may appear only once in a map');
  });

  it('custom tags are refused, never executed', () => {
    const issue = onlyIssue(edit('work: 5ms', 'work: !!js/function "function () { return 1 }"'));
    expect(issue).toMatchObject({ line: 17, column: 15 });
    expect(issue.message).toContain('unsupported tag "!!js/function"');
    expect(onlyIssue(edit('work: 5ms', 'work: !env HOME')).message).toContain('unsupported tag "!env"');
  });

  it('too large a file', () => {
    const big = `${BASE}# ${'x'.repeat(1024 * 1024)}\n`;
    const issue = onlyIssue(big);
    expect(issue.file).toBe('scenarios/mini.yaml');
    expect(issue.message).toMatch(/^the file is too large \(\d+ KiB; the limit is 1024 KiB\)$/);
  });

  it('alias bomb (billion laughs)', () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const name of 'bcdefghi') {
      const prev = String.fromCharCode(name.charCodeAt(0) - 1);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const issue = onlyIssue(lines.join('\n'));
    expect(issue).toMatchObject({ line: 2, column: 8 });
    expect(issue.message).toContain('too many alias expansions');
  });

  it('a few aliases are fine', () => {
    const text = edit('        work: 5ms', '        work: *w').replace(
      'work: exp(20ms)',
      'work: &w exp(20ms)',
    );
    expect(parseScenarioText(text, 'a.yaml').world.services[1]!.endpoints[0]!.work).toEqual({
      kind: 'exponential',
      mean: 20,
    });
  });

  it('JSON syntax error', () => {
    const issue = onlyIssue('{\n  "name": "x",\n  "duration": "1m",\n}\n', 'scenarios/x.json');
    expect(issue).toMatchObject({ file: 'scenarios/x.json', line: 4, column: 1, path: '' });
    expect(issue.message).toMatch(/^invalid JSON: /);
  });

  it('JSON is checked like YAML, with positions', () => {
    const json = JSON.stringify(
      {
        name: 'j',
        description: { en: 'x', es: 'x' },
        duration: '1m',
        services: { api: { endpoints: { get: { work: 'exp(5)' } } } },
        workloads: { w: { rate: '1/s', entry: 'api.get' } },
      },
      null,
      2,
    );
    const issue = onlyIssue(json, 'x.json');
    expect(issue).toMatchObject({ line: 12, column: 19, path: 'services.api.endpoints.get.work' });
  });

  it('invalid YAML syntax', () => {
    const issue = failure(edit('    replicas: 2', '    replicas: [2')).issues[0]!;
    expect(issue).toMatchObject({ file: 'scenarios/mini.yaml', line: 9 });
    expect(issue.message).toMatch(/^invalid YAML: /);
  });

  it('an empty file', () => {
    expect(onlyIssue('# nothing here\n').message).toContain('the file is empty');
    expect(onlyIssue('[1, 2]').message).toBe('expected a map (key: value), got a list');
  });

  it('reports many problems at once, sorted by position, capped', () => {
    const error = failure(edit('replicas: 2', 'replicas: -1\n    workers: 0\n    queue: lots'));
    expect(error.issues.map((i) => [i.line, i.path])).toEqual([
      [8, 'services.api.replicas'],
      [9, 'services.api.workers'],
      [10, 'services.api.queue'],
    ]);
    const many = Array.from({ length: 30 }, (_, i) => `extra${i}: 1`).join('\n');
    const capped = failure(`${BASE}${many}\n`);
    expect(capped.issues).toHaveLength(MAX_ISSUES);
    expect(capped.omitted).toBe(10);
    expect(capped.message.split('\n').at(-1)).toBe('… and 10 more problems');
  });

  it('cross-field rules are checked after the schema', () => {
    const error = failure(edit('duration: 1m', 'duration: 1m\nwarmup: 2m'));
    expect(error.message).toBe(
      'scenarios/mini.yaml:6:9: warmup: the warm-up (2m) must be shorter than the duration (1m)',
    );
  });

  it('"__proto__" is refused wherever it appears (it would otherwise vanish from maps)', () => {
    const issue = onlyIssue(edit('  db:', '  __proto__: { endpoints: { x: { work: 1ms } } }\n  db:'));
    expect(issue).toMatchObject({ line: 14, column: 3, path: 'services.__proto__' });
    expect(issue.message).toBe('"__proto__" is not allowed as a key');
  });

  it('text of a code scenario cannot be parsed as data', () => {
    expect(onlyIssue('export default {}', 'x.ts').message).toContain('load it with loadScenario');
  });

  it('names must follow the rule and "client" is reserved', () => {
    const issue = onlyIssue(edit('  db:', '  DB_main:').replace('db.query', 'DB_main.query'));
    expect(issue).toMatchObject({ line: 14, column: 3, path: 'services.DB_main' });
    expect(issue.message).toContain('invalid service name "DB_main"');
    const client = failure(edit('  db:', '  client:').replace('db.query', 'client.query'));
    expect(client.issues[0]!.message).toContain('"client" is reserved');
  });
});
