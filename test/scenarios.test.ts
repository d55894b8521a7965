/**
 * Every scenario shipped with microsim (scenarios/, bench/scenarios/) loads, and carries its
 * teaching text in both languages: a description in English and in Spanish, not left empty or
 * copied from one to the other; so are the names of their expectations.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../src/scenario/index.ts';

const ROOTS = ['scenarios', 'bench/scenarios'];

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scenarioFiles(path);
    // A lesson folder's card (lesson.yaml) is not a scenario: test/lessons/ checks it.
    return /\.(ya?ml|json|ts)$/.test(name) && name !== 'lesson.yaml' ? [path] : [];
  });
}

const files = ROOTS.flatMap(scenarioFiles);

describe('shipped scenarios', () => {
  it('there are scenarios to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files).toContain(join('scenarios', 'default.yaml'));
  });

  for (const file of files) {
    it(`${file} loads and is described in English and Spanish`, async () => {
      const s = await loadScenario(file);
      expect(s.description.en.trim().length).toBeGreaterThan(20);
      expect(s.description.es.trim().length).toBeGreaterThan(20);
      expect(s.description.es).not.toBe(s.description.en);
      // Expectations are shown in class too: each carries its name in both languages.
      for (const e of s.expectations ?? []) {
        expect(e.names, `expectation "${e.name}" of ${file}`).toBeDefined();
        expect(e.names!.es).not.toBe(e.names!.en);
      }
      for (const n of s.narration ?? [])
        expect(n.text.es, `narration at ${n.atMs} ms of ${file}`).not.toBe(n.text.en);
    });
  }
});
