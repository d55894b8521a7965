/**
 * `scale` in the `chaos:` timeline: a service's replicas set by hand at one moment. What it
 * resolves to, that a `FaultSpec` it produced writes back as the same entry (the dashboard writes
 * timelines), how expectations see it, and the located messages of bad entries.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { FaultSpec } from '../../src/model/fault-spec.ts';
import { parseScenarioText, type ResolvedScenario } from '../../src/scenario/index.ts';
import { scenarioErrorMessage } from './error-message.ts';

const DOC = readFileSync(new URL('../../docs/en/scenario-format.md', import.meta.url), 'utf8');

/** A two-minute scenario with a service and a broker; `chaos` entries start at line 12. */
const HEAD = `name: lesson
description: { en: a lesson, es: una lección }
duration: 2m
services:
  api:
    replicas: 2
    endpoints: { get: { work: exp(10ms) } }
brokers:
  mq: { queues: { jobs: {} } }
workloads: { users: { rate: 10/s, entry: api.get } }
`;

const withChaos = (entries: string): string => `${HEAD}chaos:\n${entries}\n`;

function resolved(text: string): ResolvedScenario {
  return parseScenarioText(text, 'lesson.yaml');
}

/** The formatted message of the ScenarioError that `text` raises. */
function messageOf(text: string): string {
  return scenarioErrorMessage(() => resolved(text));
}

const scaleApi = (replicas: number, atMs: number, name: string): FaultSpec => ({
  name,
  action: { kind: 'scale', replicas },
  target: { kind: 'service', service: 'api', endpoint: null, instances: { kind: 'all' } },
  atMs,
  forMs: null,
});

describe('scale entries that resolve', () => {
  it('sets replicas at once, with a generated or a written name, in the order of the timeline', () => {
    const s = resolved(
      withChaos(
        [
          '  - { at: 90s, scale: api, replicas: 0 }',
          '  - { at: 30s, scale: api, replicas: 4 }',
          '  - { name: back-to-two, at: 60s, scale: api, replicas: 2 }',
          '  - { at: 30s, for: 10s, kill: api, instances: 1 }',
        ].join('\n'),
      ),
    );
    expect(s.world.chaos).toEqual([
      scaleApi(4, 30_000, 'scale api@30s'),
      {
        name: 'kill api@30s',
        action: { kind: 'kill' },
        target: { kind: 'service', service: 'api', endpoint: null, instances: { kind: 'count', count: 1 } },
        atMs: 30_000,
        forMs: 10_000,
      },
      scaleApi(2, 60_000, 'back-to-two'),
      scaleApi(0, 90_000, 'scale api@90s'),
    ]);
  });

  it('the example of docs/en/scenario-format.md', () => {
    // The second yaml block of the Faults section holds the scale examples (on checkout).
    const start = DOC.indexOf('\n## Faults (`chaos:`)\n');
    expect(start).toBeGreaterThan(0);
    const section = DOC.slice(start, DOC.indexOf('\n## ', start + 5));
    const example = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)][1]![1]!;
    const s = resolved(HEAD.replaceAll('api', 'checkout') + example);
    expect(s.world.chaos!.map((f) => [f.name, f.action, f.target])).toEqual(
      [
        ['scale checkout@30s', 4],
        ['back-to-two', 2],
      ].map(([name, replicas]) => [
        name,
        { kind: 'scale', replicas },
        { kind: 'service', service: 'checkout', endpoint: null, instances: { kind: 'all' } },
      ]),
    );
  });

  it('expectations see a scale as a moment: before and after it, nothing during it', () => {
    const chaos = '  - { at: 30s, scale: api, replicas: 4 }\nexpect:\n';
    const s = resolved(
      withChaos(
        `${chaos}  - { metric: replicas, service: api, during: { after: scale api@30s }, atLeast: 3 }\n` +
          '  - { metric: replicas, service: api, during: { before: scale api@30s }, atMost: 2 }',
      ),
    );
    expect(s.expectations!.map((e) => e.window)).toEqual([
      { kind: 'fault', fault: 'scale api@30s', phase: 'after' },
      { kind: 'fault', fault: 'scale api@30s', phase: 'before' },
    ]);
    expect(
      messageOf(
        withChaos(`${chaos}  - { metric: replicas, service: api, during: scale api@30s, atLeast: 3 }`),
      ),
    ).toBe(
      'lesson.yaml:14:47: expect[0].during: a scale happens at once: nothing lasts during it; use {after: scale api@30s} (or before)',
    );
  });
});

describe('a scale spec writes back as the same entry', () => {
  /** The chaos entry a writer (the dashboard) makes of a scale spec: `at` in exact ms. */
  function entryOf(spec: FaultSpec, withName: boolean): Record<string, unknown> {
    if (spec.action.kind !== 'scale' || spec.target.kind !== 'service') throw new Error('not a scale');
    return {
      at: `${spec.atMs}ms`,
      scale: spec.target.service,
      replicas: spec.action.replicas,
      ...(withName ? { name: spec.name } : {}),
    };
  }

  function roundTrip(chaos: readonly FaultSpec[], withName: boolean): readonly FaultSpec[] | undefined {
    const written = stringify({ chaos: chaos.map((f) => entryOf(f, withName)) });
    return resolved(`${HEAD}${written}`).world.chaos;
  }

  it('with a name or without one (the generated name is the same)', () => {
    const first = resolved(
      withChaos(
        '  - { at: 1.5s, scale: api, replicas: 3 }\n  - { at: 250.5ms, scale: api, replicas: 0 }\n' +
          '  - { name: "más réplicas", at: 1m, scale: api, replicas: 10000 }',
      ),
    ).world.chaos!;
    expect(first.map((f) => f.name)).toEqual(['scale api@250.5ms', 'scale api@1.5s', 'más réplicas']);
    expect(roundTrip(first, true)).toEqual(first);
    expect(roundTrip(first.slice(0, 2), false)).toEqual(first.slice(0, 2));
  });

  it('for any replicas and start inside the run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 119_999 }),
        fc.boolean(),
        (replicas, atMs, named) => {
          const spec = scaleApi(replicas, atMs, named ? 'scale by hand' : 'placeholder');
          const [read] = roundTrip([spec], named)!;
          expect(read).toEqual(named ? spec : { ...spec, name: read!.name });
          expect(roundTrip([read!], true)).toEqual([read]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('scale entries that are refused, with located messages', () => {
  const cases: [string, string, string][] = [
    [
      'a scale with "for"',
      '  - { at: 30s, for: 10s, scale: api, replicas: 4 }',
      'lesson.yaml:12:16: chaos[0].for: a scale happens at once: "for" does not apply (to scale back, add another scale entry later)',
    ],
    [
      'a scale with an invalid "for" (still: it does not apply)',
      '  - { at: 30s, for: 0, scale: api, replicas: 4 }',
      'lesson.yaml:12:16: chaos[0].for: a scale happens at once: "for" does not apply (to scale back, add another scale entry later)',
    ],
    [
      'a scale with "instances"',
      '  - { at: 30s, scale: api, replicas: 4, instances: 1 }',
      'lesson.yaml:12:41: chaos[0].instances: a scale sets the replicas of the whole service: "instances" does not apply',
    ],
    [
      'a scale of a broker',
      '  - { at: 30s, scale: mq, replicas: 4 }',
      'lesson.yaml:12:23: chaos[0].scale: "mq" is a broker: brokers cannot be scaled (a scale sets the replicas of a service)',
    ],
    [
      'a scale of an endpoint',
      '  - { at: 30s, scale: api.get, replicas: 4 }',
      'lesson.yaml:12:23: chaos[0].scale: a scale targets a whole service, not an endpoint ("api.get"): it sets the replicas of the service',
    ],
    [
      'a scale of an edge',
      '  - { at: 30s, scale: client->api, replicas: 4 }',
      'lesson.yaml:12:23: chaos[0].scale: a scale targets a service, not an edge: write the service alone',
    ],
    [
      'a scale without replicas',
      '  - { at: 30s, scale: api }',
      'lesson.yaml:12:5: chaos[0].replicas: missing required key "replicas": expected the number of replicas to set, an integer from 0 to 10,000 such as 4',
    ],
    [
      'replicas -1',
      '  - { at: 30s, scale: api, replicas: -1 }',
      'lesson.yaml:12:38: chaos[0].replicas: expected a number of replicas, an integer from 0 to 10,000, got -1',
    ],
    [
      'replicas 2.5',
      '  - { at: 30s, scale: api, replicas: 2.5 }',
      'lesson.yaml:12:38: chaos[0].replicas: expected a number of replicas, an integer from 0 to 10,000, got 2.5',
    ],
    [
      'replicas as text',
      '  - { at: 30s, scale: api, replicas: "4" }',
      'lesson.yaml:12:38: chaos[0].replicas: expected a number of replicas, an integer from 0 to 10,000, got "4"',
    ],
    [
      'more replicas than a service may have',
      '  - { at: 30s, scale: api, replicas: 10001 }',
      'lesson.yaml:12:38: chaos[0].replicas: expected a number of replicas, an integer from 0 to 10,000, got 10001',
    ],
    [
      'a scale of an unknown service',
      '  - { at: 30s, scale: apx, replicas: 4 }',
      'lesson.yaml:12:23: chaos[0].scale: unknown service "apx" (did you mean "api"?)',
    ],
    [
      'a scale of a workload',
      '  - { at: 30s, scale: users, replicas: 4 }',
      'lesson.yaml:12:23: chaos[0].scale: unknown service "users" ("users" is a workload; its requests come from "client")',
    ],
    [
      'a scale without a target',
      '  - { at: 30s, scale: "", replicas: 4 }',
      'lesson.yaml:12:23: chaos[0].scale: expected a service such as payments, got ""',
    ],
    [
      'a scale after the end of the run',
      '  - { at: 2m, scale: api, replicas: 4 }',
      'lesson.yaml:12:11: chaos[0].at: the fault starts at 120s, at or after the end of the run (duration 120s)',
    ],
    [
      'two scales with the same generated name',
      '  - { at: 30s, scale: api, replicas: 4 }\n  - { at: 30s, scale: api, replicas: 3 }',
      'lesson.yaml:13:5: chaos[1]: fault name "scale api@30s" is already used by chaos[0]: give one of them a "name"',
    ],
    [
      'replicas on another action',
      '  - { at: 30s, kill: api, replicas: 4 }',
      'lesson.yaml:12:27: chaos[0].replicas: "replicas" applies to scale only, not to kill',
    ],
    [
      'scale together with another action',
      '  - { at: 30s, kill: api, scale: api, replicas: 4 }',
      'lesson.yaml:12:27: chaos[0].scale: a fault has exactly one action; this one has kill and scale\n' +
        'lesson.yaml:12:39: chaos[0].replicas: "replicas" applies to scale only, not to kill',
    ],
    [
      'a misspelt replicas',
      '  - { at: 30s, scale: api, replica: 4 }',
      'lesson.yaml:12:5: chaos[0].replicas: missing required key "replicas": expected the number of replicas to set, an integer from 0 to 10,000 such as 4\n' +
        'lesson.yaml:12:28: chaos[0].replica: unknown key "replica" (did you mean "replicas"?)',
    ],
  ];

  it.each(cases)('%s', (_what, entries, message) => {
    expect(messageOf(withChaos(entries))).toBe(message);
  });
});
