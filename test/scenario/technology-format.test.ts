/**
 * `technology:` of a service and the top-level `technologies:`: what they resolve to, which of a
 * profile's defaults the service's own keys override, the messages for mistakes, and the docs'
 * table of built-ins kept equal to the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PROFILES,
  BUILTIN_TECHNOLOGIES,
  type TechnologyProfile,
} from '../../src/model/technology.ts';
import type { ServiceSpec } from '../../src/model/world-spec.ts';
import { parseScenarioText } from '../../src/scenario/index.ts';
import { scenarioErrorMessage } from './error-message.ts';

const text = (technologies: string, api: string, more = ''): string => `name: tech
description: { en: runtimes, es: entornos }
duration: 10m
${technologies}services:
  api:
${api}
    endpoints:
      get: { work: exp(10ms) }
${more}workloads:
  users: { rate: 10/s, entry: api.get }
`;

const load = (technologies: string, api: string, more = '') =>
  parseScenarioText(text(technologies, api, more), 'tech.yaml');

const api = (technologies: string, service: string): ServiceSpec =>
  load(technologies, service).world.services[0]!;

function messageOf(technologies: string, service: string): string {
  return scenarioErrorMessage(() => load(technologies, service));
}

const seconds = (s: number) => ({ kind: 'constant', value: s * 1000 }) as const;

/** A built-in profile without its rationale (documentation only). */
const builtin = (name: keyof typeof BUILTIN_PROFILES): TechnologyProfile => {
  const { rationale: _, ...profile } = BUILTIN_PROFILES[name];
  return profile;
};

describe('technology: a built-in profile', () => {
  it('gives the service its start-up and memory, and carries the profile', () => {
    const s = api('', '    technology: jvm');
    expect(s.startup).toEqual(seconds(20));
    expect(s.resources).toEqual({ cores: 1, memoryMb: 512, costPerHour: 0 });
    expect(s.technology).toEqual({ name: 'jvm', profile: builtin('jvm') });
  });

  it.each(BUILTIN_TECHNOLOGIES)('%s resolves to its documented values', (name) => {
    const s = api('', `    technology: ${name}`);
    expect(s.technology).toEqual({ name, profile: builtin(name) });
    expect(s.startup).toEqual(BUILTIN_PROFILES[name].startup);
    expect(s.resources?.memoryMb).toBe(BUILTIN_PROFILES[name].memoryMb);
  });

  it('a service without technology keeps the old defaults and no profile', () => {
    const s = api('', '    replicas: 1');
    expect(s.technology).toBeUndefined();
    expect(s.startup).toEqual(seconds(0));
    expect(s.resources).toBeUndefined();
  });

  it('services of one scenario may mix profiles', () => {
    const mixed = parseScenarioText(
      text(
        '',
        '    technology: go',
        '  db:\n    technology: python\n    endpoints:\n      q: { work: 5ms }\n  search:\n    endpoints:\n      find: { work: 5ms }\n',
      ),
      'tech.yaml',
    ).world.services;
    expect(mixed.map((x) => [x.name, x.technology?.name, x.startup])).toEqual([
      ['api', 'go', seconds(1)],
      ['db', 'python', seconds(3)],
      ['search', undefined, seconds(0)],
    ]);
  });
});

describe('what the service writes wins over its profile', () => {
  it('startup and resources.memoryMb, each on its own', () => {
    const s = api(
      '',
      '    technology: jvm\n    startup: 5s\n    resources: { memoryMb: 1024, costPerHour: 0.1 }',
    );
    expect(s.startup).toEqual(seconds(5));
    expect(s.resources).toEqual({ cores: 1, memoryMb: 1024, costPerHour: 0.1 });
    // the profile is carried unchanged: the model uses startup and resources from the service
    expect(s.technology?.profile.startup).toEqual(seconds(20));
  });

  it('resources without memoryMb take the profile memory', () => {
    const s = api('', '    technology: node\n    resources: { cores: 2 }');
    expect(s.resources).toEqual({ cores: 2, memoryMb: 128, costPerHour: 0 });
    expect(s.startup).toEqual(seconds(2));
  });
});

describe('technologies: profiles of the scenario', () => {
  it('extends a built-in: the keys left out come from it', () => {
    const s = api(
      'technologies:\n  fast-jvm: { extends: jvm, startup: 2s, warmup: 30s, memoryMb: 256 }\n',
      '    technology: fast-jvm',
    );
    expect(s.technology).toEqual({
      name: 'fast-jvm',
      profile: { ...builtin('jvm'), startup: seconds(2), warmupMs: 30_000, memoryMb: 256 },
    });
    expect(s.startup).toEqual(seconds(2));
    expect(s.resources?.memoryMb).toBe(256);
  });

  it('extends another of the file, defined before or after it', () => {
    const s = api(
      'technologies:\n  native: { extends: quarkus, startup: 100ms, warmup: 0s, workFactor: 1.2 }\n  quarkus: { extends: jvm, startup: 2s }\n',
      '    technology: native',
    );
    expect(s.technology?.profile).toEqual({
      ...builtin('jvm'),
      startup: { kind: 'constant', value: 100 },
      warmupMs: 0,
      workFactor: 1.2,
    });
  });

  it('without extends, a key left out changes nothing', () => {
    const s = api('technologies:\n  legacy: { warmup: 2m, warmupFactor: 4 }\n', '    technology: legacy');
    expect(s.technology?.profile).toEqual({
      startup: seconds(0),
      warmupMs: 120_000,
      warmupFactor: 4,
      memoryMb: 512,
      workFactor: 1,
    });
  });

  it('a distribution as start-up', () => {
    const s = api('technologies:\n  x: { startup: "uniform(30s, 60s)" }\n', '    technology: x');
    expect(s.startup).toEqual({ kind: 'uniform', min: 30_000, max: 60_000 });
  });
});

describe('mistakes are refused with located messages', () => {
  it.each([
    [
      'a misspelt built-in',
      '',
      '    technology: jvn',
      'tech.yaml:6:17: services.api.technology: unknown technology "jvn" (did you mean "jvm"?); the built-in ones are go, node, jvm, python, dotnet, rust (define your own under technologies:)',
    ],
    [
      'a misspelt profile of the file',
      'technologies:\n  slow-node: { extends: node, workFactor: 2 }\n',
      '    technology: slow-nod',
      'tech.yaml:8:17: services.api.technology: unknown technology "slow-nod" (did you mean "slow-node"?); the built-in ones are go, node, jvm, python, dotnet, rust, and technologies: defines slow-node',
    ],
    [
      'not a name',
      '',
      '    technology: 3',
      'tech.yaml:6:17: services.api.technology: expected the name of a technology profile such as jvm, got 3',
    ],
    [
      'an unknown extends',
      'technologies:\n  x: { extends: pyton }\n',
      '    technology: x',
      'tech.yaml:5:17: technologies.x.extends: unknown technology "pyton" (did you mean "python"?); the built-in ones are go, node, jvm, python, dotnet, rust, and technologies: defines x',
    ],
    [
      'extends in a circle',
      'technologies:\n  a: { extends: b }\n  b: { extends: a }\n',
      '    technology: a',
      'tech.yaml:6:17: technologies.b.extends: extends goes round in a circle: a → b → a',
    ],
    [
      'a profile that extends itself',
      'technologies:\n  a: { extends: a }\n',
      '    technology: a',
      'tech.yaml:5:17: technologies.a.extends: extends goes round in a circle: a → a',
    ],
    [
      'a built-in redefined',
      'technologies:\n  jvm: { memoryMb: 1024 }\n',
      '    technology: jvm',
      'tech.yaml:5:3: technologies.jvm: "jvm" is a built-in technology: give yours another name (it may say extends: jvm)',
    ],
    [
      'a badly formed name',
      'technologies:\n  Fast JVM: { extends: jvm }\n',
      '    technology: jvm',
      'tech.yaml:5:3: technologies["Fast JVM"]: invalid technology name "Fast JVM": use lower-case letters, digits and dashes, starting with a letter',
    ],
    [
      'a warm-up factor without a warm-up',
      'technologies:\n  x: { extends: go, warmupFactor: 2 }\n',
      '    technology: x',
      'tech.yaml:5:35: technologies.x.warmupFactor: warmupFactor 2 has no effect without a warm-up: give warmup as well, such as warmup: 30s',
    ],
    [
      'a profile that is not a map',
      'technologies:\n  x: fast\n',
      '    technology: x',
      'tech.yaml:5:6: technologies.x: expected a map {extends: jvm, warmup: 30s, memoryMb: 1024}, got "fast"',
    ],
  ])('%s', (_what, technologies, service, expected) => {
    expect(messageOf(technologies, service)).toBe(expected);
  });

  it('every bad value of a profile at once', () => {
    const message = messageOf(
      'technologies:\n  x: { workFactor: 0, memoryMb: -1, warmupFactor: 0.5, warmup: 1, startup: exp(1), cpu: 2 }\n',
      '    technology: x',
    );
    expect(message.split('\n')).toEqual([
      'tech.yaml:5:20: technologies.x.workFactor: expected a number above 0 such as 1.3 (work × this; 1: as written), got 0',
      'tech.yaml:5:33: technologies.x.memoryMb: expected a memory size in MB above 0 such as 512, got -1',
      'tech.yaml:5:51: technologies.x.warmupFactor: expected a number ≥ 1 such as 3 (work × this right after ready; 1: no warm-up), got 0.5',
      'tech.yaml:5:64: technologies.x.warmup: expected a duration such as "60s", got 1 (durations need a unit, e.g. 1ms)',
      'tech.yaml:5:76: technologies.x.startup: expected a distribution such as "exp(100ms)", got "exp(1)" (durations need a unit, e.g. 1ms)',
      'tech.yaml:5:84: technologies.x.cpu: unknown key "cpu"; allowed keys here: extends, startup, warmup, warmupFactor, memoryMb, workFactor',
    ]);
  });
});

describe('docs/en/technology-profiles.md', () => {
  const doc = readFileSync(new URL('../../docs/en/technology-profiles.md', import.meta.url), 'utf8');

  it('its table of built-ins is the code, value for value, with the same one-line rationale', () => {
    const rows = [
      ...doc.matchAll(
        /^\| `(\w+)` \| ([\d.]+)s \| (none|[\d.]+s) \| ×([\d.]+) \| (\d+) MB \| ×([\d.]+) \| (.+) \|$/gm,
      ),
    ];
    expect(rows.map((r) => r[1])).toEqual([...BUILTIN_TECHNOLOGIES]);
    for (const [, name, startup, warmup, warmupFactor, memory, work, rationale] of rows) {
      const p = BUILTIN_PROFILES[name as keyof typeof BUILTIN_PROFILES];
      expect(p.startup).toEqual(seconds(Number(startup)));
      expect(p.warmupMs).toBe(warmup === 'none' ? 0 : Number(warmup!.slice(0, -1)) * 1000);
      expect(p.warmupFactor).toBe(Number(warmupFactor));
      expect(p.memoryMb).toBe(Number(memory));
      expect(p.workFactor).toBe(Number(work));
      expect(p.rationale).toBe(rationale);
    }
  });

  it('says the values are illustrative, not benchmarks, and gives each one a reason', () => {
    expect(doc).toContain('**These numbers are illustrative, not benchmarks.**');
    for (const name of BUILTIN_TECHNOLOGIES) {
      const section = doc.slice(doc.indexOf(`**\`${name}\`**\n`)).split('\n\n')[0]!;
      expect(section.match(/^- /gm), name).toHaveLength(4);
    }
  });

  it('its examples resolve and its error message is the one printed', () => {
    const yaml = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const [, using, defining] = yaml;
    const world = parseScenarioText(
      `name: x\ndescription: { en: x, es: x }\nduration: 10m\n${defining}${using!.replace(
        /\n {4}resources: (.*)/g,
        '\n    resources: $1\n    endpoints: { get: { work: 1ms } }',
      )}workloads:\n  users: { rate: 1/s, entry: checkout.get }\n`,
      'x.yaml',
    ).world;
    expect(world.services.map((s) => [s.name, s.startup, s.resources?.memoryMb])).toEqual([
      ['checkout', seconds(8), 512],
      ['payments', seconds(1), 128],
    ]);
    const shown = doc.match(/```text\n(.*): (services\.api\.technology: .*)\n```/)![2]!;
    expect(messageOf('', '    technology: jvn')).toBe(`tech.yaml:6:17: ${shown}`);
  });
});

describe('docs/en/scenario-format.md', () => {
  it('the technology example resolves', () => {
    const doc = readFileSync(new URL('../../docs/en/scenario-format.md', import.meta.url), 'utf8');
    const start = doc.indexOf('\n## Technology profiles\n');
    const section = doc.slice(start, doc.indexOf('\n## ', start + 5));
    const [example] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const world = parseScenarioText(
      `name: x\ndescription: { en: x, es: x }\nduration: 10m\n${example}workloads:\n  users: { rate: 1/s, entry: orders.place }\n`,
      'x.yaml',
    ).world;
    expect(world.services.map((s) => [s.name, s.technology?.name, s.startup, s.resources?.memoryMb])).toEqual(
      [
        ['orders', 'jvm', seconds(20), 512],
        ['catalog', 'quarkus', seconds(2), 384],
      ],
    );
    expect(section).toContain('(technology-profiles.md)');
  });
});
