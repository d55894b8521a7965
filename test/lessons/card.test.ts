/**
 * Lesson cards (lesson.yaml), their measurement and the checks on their texts, on a small
 * fixture lesson (test/fixtures/lessons/01-demo: one worker vs two).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alignTable, contrastTable, failedCount, fitTable, formatLesson } from '../../src/cli/tour.ts';
import { measureLesson, prepareLesson } from '../../src/runtime/lesson-run.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import {
  type LessonCard,
  lessonFolders,
  lessonScenarioFiles,
  parseLessonCard,
  readLessonCard,
} from '../../src/scenario/lesson-card.ts';
import { numberProblems, readmeProblems, uncoveredNumbers } from '../../src/scenario/lesson-text.ts';
import { scenarioErrorMessage } from '../scenario/error-message.ts';

const DIR = new URL('../fixtures/lessons/01-demo', import.meta.url).pathname;
const CARD = readFileSync(join(DIR, 'lesson.yaml'), 'utf8');

/** The fixture lesson copied to a temporary folder, its card replaced by `text`. */
function lessonWith(text: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lesson-')), '01-demo');
  cpSync(DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'lesson.yaml'), text);
  return dir;
}

const problems = (text: string): string =>
  scenarioErrorMessage(() => parseLessonCard(text, `${DIR}/lesson.yaml`, lessonScenarioFiles(DIR)));

describe('reading a lesson card', () => {
  it('reads the fixture', () => {
    const card = readLessonCard(DIR);
    expect(card.lesson).toBe(1);
    expect(card.play).toEqual(['one-worker.yaml', 'two-workers.yaml']);
    expect(card.contrast.map((r) => r.label.es)).toEqual(['tiempo medio en el sistema', 'rendimiento']);
    expect(card.claims[0]!.quote).toEqual({ en: 'about 0.6 s', es: 'ronda 0,6 s' });
    expect(card.given.es).toContain('100 ms');
  });

  it('names the file, the line and the field of each problem, with a "did you mean"', () => {
    const message = problems(CARD.replace('claim:', 'clam:'));
    expect(message).toMatch(/lesson\.yaml:3:1: clam: unknown key "clam" \(did you mean "claim"\?\)/);
    expect(message).toContain('claim: missing required key "claim": expected {en: …, es: …}');
  });

  it('refuses a play list that misses a scenario or names one that is not there', () => {
    expect(
      problems(CARD.replace('play: [one-worker.yaml, two-workers.yaml]', 'play: [one-worker.yaml]')),
    ).toContain('play: every scenario of the folder is played once; missing: two-workers.yaml');
    expect(problems(CARD.replace('two-workers.yaml]', 'three-workers.yaml]'))).toContain(
      'play[1]: expected a scenario file of this folder (one-worker.yaml, two-workers.yaml), got "three-workers.yaml"',
    );
  });

  it('refuses a lesson number other than the folder’s, a claim without a range, a language missing', () => {
    expect(problems(CARD.replace('lesson: 1', 'lesson: 2'))).toContain(
      'the folder is numbered 1 but the card says lesson 2',
    );
    expect(problems(CARD.replace('between: [500ms, 650ms]', 'between: 500ms'))).toContain(
      'claims[0].between: expected [low, high]',
    );
    expect(
      problems(
        CARD.replace(
          'title: { en: A second worker, es: Un segundo trabajador }',
          'title: { en: A second worker }',
        ),
      ),
    ).toContain('title.es: expected the text in Spanish');
  });
});

describe('more problems of a card', () => {
  it('an empty card says what a card needs; a claim on a state is refused', () => {
    expect(problems('')).toContain(
      'the file is empty: a lesson card needs lesson, title, claim, play and contrast',
    );
    expect(
      problems(
        CARD.replace(
          '    metric: mean\n    workload: arrivals\n    between: [500ms',
          '    metric: breaker_state\n    breaker: x\n    between: [500ms',
        ),
      ),
    ).toContain('claims[0].metric: a claim quotes a number: breaker_state is a state');
  });

  it('two lesson folders with one number are an error; folders sort by number, not as text', () => {
    const root = mkdtempSync(join(tmpdir(), 'lessons-'));
    for (const d of ['10-ten', '2-two', '02-again']) mkdirSync(join(root, d));
    expect(() => lessonFolders(root)).toThrow('two lesson folders are numbered 2: 02-again and 2-two');
    rmSync(join(root, '02-again'), { recursive: true });
    expect(lessonFolders(root).map((d) => d.slice(root.length + 1))).toEqual(['2-two', '10-ten']);
  });

  it('a reversed range and a range in the wrong unit are named on the card, at between', async () => {
    const reversed = lessonWith(CARD.replace('between: [500ms, 650ms]', 'between: [650ms, 500ms]'));
    await expect(prepareLesson(readLessonCard(reversed))).rejects.toThrow(
      /lesson\.yaml: claims\[0\]\.between: the range is reversed: write \[low, high\]/,
    );
    const unit = lessonWith(CARD.replace('between: [500ms, 650ms]', 'between: [50%, 650ms]'));
    await expect(prepareLesson(readLessonCard(unit))).rejects.toThrow(/claims\[0\]\.between\[0\]: /);
  });
});

describe('measuring a lesson', () => {
  it('reads the contrast of every scenario and checks each claim against its range', async () => {
    const measured = await measureLesson(readLessonCard(DIR));
    const [one, two] = measured.scenarios;
    expect(one!.claims.map((c) => c.passed)).toEqual([true]);
    expect(two!.claims.map((c) => c.passed)).toEqual([true]);
    expect(one!.contrast[0]!.value as number).toBeGreaterThan(two!.contrast[0]!.value as number);
    // The appended readings are observers: the scenario's own verdicts are only its own.
    expect(one!.verdicts.map((v) => v.passed)).toEqual([true]);
    const table = alignTable(contrastTable(measured, 'es'));
    expect(table[0]).toMatch(/one-worker\s+two-workers$/);
    expect(table[1]).toMatch(/^tiempo medio en el sistema\s+\d+ ms\s+\d+ ms$/);
    expect(formatLesson(measured, 'en')).toContain(
      'expectations: one-worker 1 of 1 held · two-workers 1 of 1 held',
    );
  });

  it('a table too wide for the screen puts each label on its own line, its values under it', () => {
    const table = [
      ['', 'first-scenario', 'second-scenario'],
      ['a rather long label for one row', '12.3 ms', '—'],
    ];
    expect(fitTable(table, 80)).toEqual(alignTable(table));
    expect(fitTable(table, 40)).toEqual(['a rather long label for one row', '   first-scenario 12.3 ms']);
  });

  it('fails a claim whose measured value is outside its range, and the tour says so', async () => {
    const dir = lessonWith(CARD.replace('between: [100ms, 140ms]', 'between: [200ms, 300ms]'));
    const measured = await measureLesson(readLessonCard(dir));
    const claim = measured.scenarios[1]!.claims[0]!;
    expect(claim.passed).toBe(false);
    expect(claim.range).toBe('≥ 200 ms and ≤ 300 ms');
    expect(failedCount(measured)).toBe(1);
    expect(formatLesson(measured, 'en')).toMatch(
      /✗ two-workers: "about 0\.12 s" — measured \d+ ms, the card states between ≥ 200 ms and ≤ 300 ms/,
    );
  });

  it('reports a claim or contrast row that names nothing of its scenario, on the card', async () => {
    const typo = lessonWith(
      CARD.replace(
        '    workload: arrivals\n    between: [100ms',
        '    workload: arrival\n    between: [100ms',
      ),
    );
    await expect(measureLesson(readLessonCard(typo))).rejects.toThrow(
      /lesson\.yaml: claims\[1\]\.workload: .*arrival.*\(in two-workers\.yaml\)/,
    );
    const row = lessonWith(CARD.replace('metric: throughput', 'metric: throughput\n    service: nowhere'));
    await expect(measureLesson(readLessonCard(row))).rejects.toThrow(/lesson\.yaml: contrast\[1\]/);
  });
});

describe('the texts of a lesson', () => {
  const load = async (card: LessonCard) =>
    new Map(
      await Promise.all(card.play.map(async (f) => [f, await loadScenario(join(card.dir, f))] as const)),
    );

  it('the fixture quotes only checked numbers, and its READMEs have their sections', async () => {
    const card = readLessonCard(DIR);
    const scenarios = await load(card);
    expect(numberProblems(card, scenarios, 'en')).toEqual([]);
    expect(numberProblems(card, scenarios, 'es')).toEqual([]);
    expect(readmeProblems(card, 'en', readFileSync(join(DIR, 'README.md'), 'utf8'))).toEqual([]);
    expect(readmeProblems(card, 'es', readFileSync(join(DIR, 'README.es.md'), 'utf8'))).toEqual([]);
  });

  it('finds a number no claim or given covers, even across a line break, and a quote nowhere in the texts', async () => {
    expect(uncoveredNumbers('about\n0.6 s and 3 more', ['about 0.6 s'])).toEqual([
      '"3" in "… ◦  and 3 more…"',
    ]);
    const dir = lessonWith(
      CARD.replace(
        'quote: { en: about 0.12 s, es: "unos 0,12 s" }',
        'quote: { en: about 0.13 s, es: "unos 0,12 s" }',
      ),
    );
    const card = readLessonCard(dir);
    const found = numberProblems(card, await load(card), 'en');
    expect(found).toContain(
      'claims[1]: the quote "about 0.13 s" appears neither in README.md nor in the narration of two-workers.yaml',
    );
    expect(found.some((p) => p.startsWith('README.md: the number "0.12"'))).toBe(true);
  });

  it('finds a README without its sections or with two questions', () => {
    const card = readLessonCard(DIR);
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    expect(readmeProblems(card, 'en', readme.replace('## Run it', '## Try it'))).toContain(
      'missing the section "## Run it"',
    );
    expect(readmeProblems(card, 'en', readme.replace('3. Why so different?\n', ''))).toContain(
      '"## Questions" must be an ordered list of three questions, found 2',
    );
    expect(readmeProblems(card, 'es', readme)[0]).toContain(
      'the first line must be "# Lección 1 — Un segundo trabajador"',
    );
  });
});
