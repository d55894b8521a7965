/**
 * `microsim tour` headless: the lessons' measured contrasts as text, lesson choice and skipping,
 * and clear errors; the tour's screens as lines. The full shipped tour runs in
 * test/lessons/tour-headless.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { localNumber } from '../../src/cli/tour.ts';
import { readLessonCard } from '../../src/scenario/lesson-card.ts';
import { lineText, seg } from '../../src/ui/Lines.tsx';
import { cardLines, contrastLines, menuLines, windowLines } from '../../src/ui/TourScreens.tsx';
import { cli } from './harness.ts';

const FIXTURES = 'test/fixtures/lessons';

const tour = (args: string[]) => cli(['tour', ...args]);

describe('microsim tour without a terminal', () => {
  it('prints each lesson with its claim, contrast table and expectations, in the chosen language', async () => {
    const { code, out } = await tour([FIXTURES, '--lang', 'es']);
    expect(code).toBe(0);
    expect(out).toContain('Lección 1 — Un segundo trabajador');
    expect(out).toMatch(/tiempo medio en el sistema\s+\d+ ms\s+\d+ ms/);
    expect(out).toMatch(/rendimiento\s+\d+,\d+\/s\s+\d+,\d+\/s/);
    expect(out).toContain('expectativas: one-worker 1 de 1 se cumplen · two-workers 1 de 1 se cumplen');
    expect(out).toContain('1 lección: se cumplieron todas las expectativas');
  });

  it('refuses a lesson that is not there, a folder without lessons, and a bad flag', async () => {
    expect(await tour([FIXTURES, '--lesson', '4'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('there is no lesson 4; the lessons are 1'),
    });
    expect(await tour([FIXTURES, '--skip', 'two'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--skip expects lesson numbers such as 3 or 2,5, got "two"'),
    });
    expect(await tour(['test/fixtures', '--no-ui'])).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        'no lesson folders (named like 01-topic, with a lesson.yaml) under test/fixtures',
      ),
    });
    expect(await tour(['nowhere'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('nowhere is not a folder'),
    });
  });

  it('refuses to play nothing when --lesson and --skip leave out every lesson', async () => {
    expect(await tour([FIXTURES, '--skip', '1'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('no lesson left to play: --lesson and --skip leave out every lesson'),
    });
  });
});

describe('numbers in Spanish', () => {
  it('take a decimal comma and a space before %', () => {
    expect(localNumber('73.92%', 'es')).toBe('73,92 %');
    expect(localNumber('1.2 s', 'es')).toBe('1,2 s');
    expect(localNumber('9655', 'es')).toBe('9655');
    expect(localNumber('73.92%', 'en')).toBe('73.92%');
  });
});

describe('the tour screens', () => {
  const card = readLessonCard(`${FIXTURES}/01-demo`);

  it('the menu marks the chosen lesson and gives the keys', () => {
    const lines = menuLines([card], 0, 'en', 80).map(lineText);
    expect(lines).toContain('▸ 1. A second worker');
    expect(lines.at(-1)).toContain('Enter play from there');
    expect(menuLines([card], 0, 'es', 80).map(lineText).at(-1)).toContain('q salir');
  });

  it('a screen taller than the terminal shows a window, where it is, and keeps its keys line', () => {
    const lines = Array.from({ length: 30 }, (_, i) => [seg(`row ${i + 1}`)]);
    lines.push([seg('Enter next lesson')]);
    expect(windowLines(lines, 40, 0, 'en')).toHaveLength(31);
    const shown = windowLines(lines, 10, 5, 'en').map(lineText);
    expect(shown).toHaveLength(10);
    expect(shown[0]).toBe('row 6');
    expect(shown.slice(-2)).toEqual(['lines 6–13 of 30 · ↑/↓ scroll', 'Enter next lesson']);
    // Scrolled past the end: the window stops at the last body row.
    expect(windowLines(lines, 10, 99, 'es').map(lineText).slice(-3)).toEqual([
      'row 30',
      'líneas 23–30 de 30 · ↑/↓ desplazar',
      'Enter next lesson',
    ]);
  });

  it('a lesson card lists what it plays; the contrast screen says how it was measured', () => {
    const lines = cardLines(card, [{ file: 'one-worker.yaml', summary: 'One worker.' }], 'en', 80).map(
      lineText,
    );
    expect(lines[1]).toMatch(/^── Lesson 1 — A second worker ─+$/);
    expect(lines).toContain('  • one-worker.yaml');
    const measuring = contrastLines(card, null, 'es', 80, false).map(lineText);
    expect(measuring).toContain('midiendo cada escenario sin panel, con su propia semilla…');
    const done = contrastLines(card, ['  a   b', 'x   1   2'], 'en', 80, true).map(lineText);
    expect(done.at(-1)).toBe('Enter or q end the tour');
  });
});
