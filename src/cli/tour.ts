/**
 * `microsim tour`: the seven lessons (scenarios/01-… to 07-…), one after another. In a terminal
 * it plays each lesson's scenarios in the live dashboard with their narration, shows the
 * lesson's measured contrast after them, and lets the teacher choose, skip or quit; without one
 * (or with --no-ui) it runs every scenario headless and prints each lesson's contrast as text.
 */
import { join } from 'node:path';
import { type LessonMeasurement, measureLesson, prepareLesson } from '../runtime/lesson-run.ts';
import type { LiveRun } from '../runtime/live.ts';
import { loadScenario } from '../scenario/index.ts';
import { type LessonCard, lessonFolders, readLessonCard } from '../scenario/lesson-card.ts';
import { wrapWords } from '../ui/cells.ts';
import type { TourLesson } from '../ui/run-tour.tsx';
import { EXIT_EXPECTATIONS, EXIT_OK, type Output, parseFlags, parseLang, UsageError } from './commands.ts';
import { firstSentence, folderArgument, SHIPPED } from './list.ts';
import { finalView, parseSpeed, saveTimeline } from './run.ts';

type Lang = 'en' | 'es';

export const TOUR_TEXT = {
  en: {
    lesson: 'Lesson',
    expectations: 'expectations',
    held: (ok: number, all: number) => `${ok} of ${all} held`,
    notApplicable: '—',
    measured: (n: number) =>
      `measured headless with each scenario's own seed; ${n} lesson${n === 1 ? '' : 's'}`,
    allHeld: 'every expectation held',
    failed: (n: number) => `${n} expectation${n === 1 ? '' : 's'} or claim${n === 1 ? '' : 's'} failed`,
    measuredAs: 'measured',
    stated: 'the card states between',
    nothingLeft: 'no lesson left to play: --lesson and --skip leave out every lesson',
  },
  es: {
    lesson: 'Lección',
    expectations: 'expectativas',
    held: (ok: number, all: number) => `${ok} de ${all} se cumplen`,
    notApplicable: '—',
    measured: (n: number) =>
      `medido sin panel con la semilla de cada escenario; ${n} lecci${n === 1 ? 'ón' : 'ones'}`,
    allHeld: 'se cumplieron todas las expectativas',
    failed: (n: number) =>
      `fallaron ${n} expectativa${n === 1 ? '' : 's'} o afirmaci${n === 1 ? 'ón' : 'ones'}`,
    measuredAs: 'medido',
    stated: 'la ficha dice entre',
    nothingLeft: 'no queda ninguna lección: --lesson y --skip las dejan todas fuera',
  },
} as const;

/** The lessons under `root` (the shipped ones by default), in order. */
export function lessonsUnder(root: string = SHIPPED): LessonCard[] {
  return lessonFolders(root).map((dir) => readLessonCard(dir));
}

/** Which lessons to play: all, or those of `--lesson`, less those of `--skip`. */
export function pickLessons(
  cards: readonly LessonCard[],
  only: readonly number[],
  skip: readonly number[],
): LessonCard[] {
  const known = cards.map((c) => c.lesson);
  for (const n of [...only, ...skip]) {
    if (!known.includes(n)) {
      throw new UsageError(`there is no lesson ${n}; the lessons are ${known.join(', ')}`, 'tour');
    }
  }
  return cards.filter((c) => (only.length === 0 || only.includes(c.lesson)) && !skip.includes(c.lesson));
}

function lessonNumbers(flag: string, raw: unknown): number[] {
  if (raw === undefined) return [];
  const texts = (Array.isArray(raw) ? raw : [raw]).flatMap((r) => String(r).split(','));
  return texts.map((t) => {
    const n = Number(t.trim());
    if (!(Number.isInteger(n) && n >= 1)) {
      throw new UsageError(`--${flag} expects lesson numbers such as 3 or 2,5, got "${t}"`, 'tour');
    }
    return n;
  });
}

/** The scenario's column title: its file name without the extension. */
export function columnTitle(file: string): string {
  return file.replace(/\.(ya?ml|json)$/i, '');
}

/** A lesson's contrast as rows of cells: the header row first, then one row per measurement. */
export function contrastTable(m: LessonMeasurement, lang: Lang): string[][] {
  const t = TOUR_TEXT[lang];
  const header = ['', ...m.scenarios.map((s) => columnTitle(s.scenario))];
  const rows = m.card.contrast.map((row, i) => [
    row.label[lang],
    ...m.scenarios.map((s) => {
      const text = s.contrast[i]?.text;
      return text === undefined ? t.notApplicable : localNumber(text, lang);
    }),
  ]);
  return [header, ...rows];
}

/** A measured value as the language writes it: Spanish has a decimal comma and `50 %`. */
export function localNumber(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  return text.replace(/(\d)\.(\d)/g, '$1,$2').replace(/(\d)%/g, '$1 %');
}

/**
 * The table as lines of at most `width` cells: aligned columns when they fit; otherwise each
 * row's label on a line of its own and, under it, each scenario's value after its name (the
 * scenarios a row does not apply to left out).
 */
export function fitTable(table: readonly (readonly string[])[], width: number): string[] {
  const aligned = alignTable(table);
  if (aligned.every((l) => [...l].length <= width)) return aligned;
  const [header, ...rows] = table;
  return rows.flatMap((row) => {
    const values = row
      .slice(1)
      .map((cell, c) => (cell === '—' ? null : `${header![c + 1]} ${cell}`))
      .filter((v): v is string => v !== null);
    const lines: string[] = [row[0]!];
    let line = '   ';
    for (const v of values) {
      if (line.trim() !== '' && [...line].length + 3 + [...v].length > width) {
        lines.push(line);
        line = '   ';
      }
      line += `${line.trim() === '' ? '' : '   '}${v}`;
    }
    lines.push(line);
    return lines;
  });
}

/** Cells padded into aligned columns (the first left-aligned, the others right-aligned). */
export function alignTable(table: readonly (readonly string[])[]): string[] {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => [...(r[c] ?? '')].length)));
  return table.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('   ')
      .trimEnd(),
  );
}

/** How many of each scenario's own expectations held, in words. */
export function expectationLine(m: LessonMeasurement, lang: Lang): string {
  const t = TOUR_TEXT[lang];
  const parts = m.scenarios.map((s) => {
    const ok = s.verdicts.filter((v) => v.passed).length;
    return `${columnTitle(s.scenario)} ${t.held(ok, s.verdicts.length)}`;
  });
  return `${t.expectations}: ${parts.join(' · ')}`;
}

/** Expectations that failed, runs stopped early, and claims measured outside their stated range. */
export function failedCount(m: LessonMeasurement): number {
  return m.scenarios.reduce(
    (n, s) =>
      n +
      s.verdicts.filter((v) => !v.passed).length +
      (s.results.run.endReason === 'completed' ? 0 : 1) +
      s.claims.filter((c) => !c.passed).length,
    0,
  );
}

/** The claims of a lesson measured outside the range its card states, one line each. */
export function claimProblems(m: LessonMeasurement, lang: Lang): string[] {
  const t = TOUR_TEXT[lang];
  return m.scenarios.flatMap((s) =>
    s.claims
      .filter((c) => !c.passed)
      .map(
        (c) =>
          `✗ ${columnTitle(s.scenario)}: "${c.claim.quote[lang]}" — ${t.measuredAs} ${localNumber(c.measured.text, lang)}, ${t.stated} ${localNumber(c.range, lang)}`,
      ),
  );
}

/** One lesson's measured contrast as text. */
export function formatLesson(m: LessonMeasurement, lang: Lang): string {
  const t = TOUR_TEXT[lang];
  const lines = [
    `${t.lesson} ${m.card.lesson} — ${m.card.title[lang]}`,
    ...wrapWords(m.card.claim[lang], 96).map((l) => `  ${l}`),
    '',
    ...fitTable(contrastTable(m, lang), 110).map((l) => `  ${l}`),
    '',
    `  ${expectationLine(m, lang)}`,
    ...claimProblems(m, lang).map((l) => `  ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function tourCommand(args: readonly string[], io: Output): Promise<number> {
  const { values, positionals } = parseFlags('tour', args, {
    lang: { type: 'string' },
    lesson: { type: 'string', multiple: true },
    skip: { type: 'string', multiple: true },
    speed: { type: 'string' },
    'no-ui': { type: 'boolean' },
  });
  const root = folderArgument('tour', positionals);
  const cards = lessonsUnder(root);
  if (cards.length === 0) {
    throw new UsageError(`no lesson folders (named like 01-topic, with a lesson.yaml) under ${root}`, 'tour');
  }
  const lang = parseLang(values.lang, io, 'tour');
  const speed = typeof values.speed === 'string' ? parseSpeed(values.speed, 'tour') : 1;
  const lessons = pickLessons(
    cards,
    lessonNumbers('lesson', values.lesson),
    lessonNumbers('skip', values.skip),
  );
  if (lessons.length === 0) throw new UsageError(TOUR_TEXT.en.nothingLeft, 'tour');
  const live =
    values['no-ui'] !== true && io.terminal !== undefined && io.terminal.stdout.isTTY === true && !io.env?.CI;
  if (live) {
    process.env.NODE_ENV ??= 'production';
    if (io.env?.NO_COLOR) process.env.FORCE_COLOR = '0';
    const { runTour } = await import('../ui/run-tour.tsx');
    const plan = await Promise.all(lessons.map((card) => tourLesson(card, lang)));
    // A card's mistakes are reported before the class starts, not after its scenarios played.
    for (const lesson of plan) await lesson.prepare();
    return runTour(plan, {
      lang,
      speed,
      stdout: io.terminal!.stdout,
      stdin: io.terminal!.stdin,
      conclude: (r) => finalView(r, lang),
    });
  }
  let failed = 0;
  for (const card of lessons) {
    const measured = await measureLesson(card);
    failed += failedCount(measured);
    io.out(`${formatLesson(measured, lang)}\n`);
  }
  const t = TOUR_TEXT[lang];
  io.out(`${t.measured(lessons.length)}: ${failed === 0 ? t.allHeld : t.failed(failed)}\n`);
  return failed === 0 ? EXIT_OK : EXIT_EXPECTATIONS;
}

/** A lesson as the dashboard tour plays it: its scenarios loaded, its contrast measured on demand. */
async function tourLesson(card: LessonCard, lang: Lang): Promise<TourLesson> {
  const scenarios = await Promise.all(
    card.play.map(async (file) => {
      const path = join(card.dir, file);
      const scenario = await loadScenario(path);
      return {
        file,
        scenario,
        summary: firstSentence(scenario.description[lang]),
        save: (run: LiveRun) =>
          saveTimeline(path, { seed: scenario.seed, duration: undefined }, run.commands, lang),
      };
    }),
  );
  return {
    lesson: card.lesson,
    title: card.title,
    claim: card.claim,
    scenarios,
    prepare: async () => {
      await prepareLesson(card);
    },
    contrast: async (width, stop) => {
      const measured = await measureLesson(card, stop);
      return [...fitTable(contrastTable(measured, lang), width), ...claimProblems(measured, lang)];
    },
  };
}
