/**
 * The seven lessons shipped in scenarios/01-… to 07-… (docs/en/lessons.md): each card reads,
 * each claim's measured value lies in its stated range, every number the READMEs and narrations
 * quote is a checked claim or a given input, both languages are complete, and every scenario
 * narrates with at least one pause for the class.
 */
import { describe, expect, it } from 'vitest';
import { SHIPPED } from '../../src/cli/list.ts';
import { contrastTable, fitTable } from '../../src/cli/tour.ts';
import { measureLesson } from '../../src/runtime/lesson-run.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { type LessonCard, lessonFolders, readLessonCard } from '../../src/scenario/lesson-card.ts';
import { numberProblems, readmeProblems, readReadme } from '../../src/scenario/lesson-text.ts';
import type { ResolvedScenario } from '../../src/scenario/resolved.ts';

const folders = lessonFolders(SHIPPED);
const name = (dir: string): string => dir.slice(dir.lastIndexOf('/') + 1);

describe('the shipped lessons', () => {
  it('are seven, numbered 1 to 7 in teaching order', () => {
    expect(folders.map(name)).toEqual([
      '01-decentralization',
      '02-granularity',
      '03-technology',
      '04-communication',
      '05-deployment-scaling',
      '06-fault-tolerance',
      '07-evolution',
    ]);
    expect(folders.map((d) => readLessonCard(d).lesson)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  describe.each(folders.map((d) => [name(d), d]))('%s', (_, dir) => {
    // Read in each test, so one broken card fails its own lesson's tests, not the collection.
    let read: LessonCard | undefined;
    const lesson = (): LessonCard => {
      read ??= readLessonCard(dir);
      return read;
    };

    it.each(['en', 'es'] as const)(
      'has its README in %s, with the sections, three questions and three answers',
      (lang) => {
        const card = lesson();
        const readme = readReadme(card, lang);
        expect(readme, `${lang} README`).not.toBeNull();
        expect(readmeProblems(card, lang, readme!)).toEqual([]);
      },
    );

    it('quotes only checked numbers, in both languages, and every scenario narrates with a pause', async () => {
      const card = lesson();
      const scenarios = new Map<string, ResolvedScenario>();
      for (const file of card.play) scenarios.set(file, await loadScenario(`${dir}/${file}`));
      expect(numberProblems(card, scenarios, 'en')).toEqual([]);
      expect(numberProblems(card, scenarios, 'es')).toEqual([]);
      for (const [file, s] of scenarios) {
        expect((s.narration ?? []).length, `${file} narration`).toBeGreaterThan(0);
        expect(
          (s.narration ?? []).some((n) => n.pause),
          `${file} pauses for the class`,
        ).toBe(true);
      }
      // One seed for the whole lesson: its scenarios see the same arrivals where their worlds match.
      expect(new Set([...scenarios.values()].map((s) => s.seed)).size, 'one seed').toBe(1);
    });

    it('measures every claim within its stated range and every scenario meets its expectations', async () => {
      const measured = await measureLesson(lesson());
      const off = measured.scenarios.flatMap((s) =>
        s.claims
          .filter((c) => !c.passed)
          .map(
            (c) =>
              `${s.scenario}: "${c.claim.quote.en}" measured ${c.measured.text}, stated between ${c.range}`,
          ),
      );
      expect(off).toEqual([]);
      // The tour's contrast screen fits an 80-column terminal (2 cells of margin) in both languages.
      for (const lang of ['en', 'es'] as const) {
        const lines = fitTable(contrastTable(measured, lang), 78);
        expect(
          lines.filter((l) => [...l].length > 78),
          lang,
        ).toEqual([]);
      }
      for (const s of measured.scenarios) {
        expect(s.results.run.endReason, s.scenario).toBe('completed');
        expect(
          s.verdicts.filter((v) => !v.passed).map((v) => `${s.scenario}: ${v.name} ${v.measuredText}`),
        ).toEqual([]);
      }
    });
  });
});
