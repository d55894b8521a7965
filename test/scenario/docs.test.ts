/**
 * Keeps docs/en/scenario-format.md honest: its examples parse, and its error example prints the
 * messages the page shows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, ScenarioError } from '../../src/scenario/index.ts';

const DOC = readFileSync(new URL('../../docs/en/scenario-format.md', import.meta.url), 'utf8');

/** The fenced blocks of `lang` in the part of the page after `heading` (and before the next `## `). */
function blocks(lang: string, heading: string): string[] {
  const start = DOC.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const end = DOC.indexOf('\n## ', start + heading.length + 2);
  const section = DOC.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

describe('docs/en/scenario-format.md', () => {
  it('the complete example resolves', () => {
    const [example] = blocks('yaml', '## A complete example');
    const scenario = parseScenarioText(example!, 'scenarios/shop.yaml');
    expect(scenario.world.services.map((s) => s.name)).toEqual(['api', 'db', 'cache']);
  });

  it('the error example prints the messages shown', () => {
    const [bad] = blocks('yaml', '## Errors');
    const [firstRound, secondRound] = blocks('text', '## Errors');
    const messageOf = (text: string) => {
      try {
        parseScenarioText(text, 'scenarios/shop.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(ScenarioError);
        return (error as ScenarioError).message;
      }
      throw new Error('expected the example to fail');
    };
    expect(messageOf(bad!)).toBe(firstRound!.trim());
    const fixed = bad!
      .replace('replica:', 'replicas:')
      .replace('exp(100)', 'exp(100ms)')
      .replace('rate: 8', 'rate: 8/s');
    expect(messageOf(fixed)).toBe(secondRound!.trim());
  });

  it('the workload and network examples resolve inside a scenario', () => {
    const [network] = blocks('yaml', '## Network');
    const [workloads] = blocks('yaml', '## Workloads');
    const services =
      'services:\n  api: { endpoints: { get: { work: 1ms }, list: { work: 1ms } } }\n  db: { endpoints: { q: { work: 1ms } } }\n';
    const text = `name: x\ndescription: { en: x, es: x }\nduration: 10m\n${services}${network}${workloads}`;
    const { world } = parseScenarioText(text, 'x.yaml');
    expect(world.workloads.map((w) => w.kind)).toEqual(['open', 'closed']);
    expect(world.network.edges).toHaveLength(2);
  });
});
