/**
 * The checks that hold a lesson's texts to its card (docs/en/lessons.md): both READMEs with
 * their sections, three questions and three answers; every claim quoted somewhere; and no number
 * in a README or a narration text that is neither part of a claim's quote nor a `given` input.
 * Pure functions over text: the measuring itself is runtime/lesson-run.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonCard } from './lesson-card.ts';
import type { ResolvedScenario } from './resolved.ts';

export type Lang = 'en' | 'es';

export const README_FILES: Readonly<Record<Lang, string>> = { en: 'README.md', es: 'README.es.md' };

/** The sections of a lesson README, in order. */
export const README_SECTIONS: Readonly<Record<Lang, readonly string[]>> = {
  en: ['What to watch', 'Questions', 'Answers', 'Run it'],
  es: ['Qué observar', 'Preguntas', 'Respuestas', 'Ejecútalo'],
};

const TITLE_WORD: Readonly<Record<Lang, string>> = { en: 'Lesson', es: 'Lección' };

/** Whitespace (line breaks of a wrapped paragraph included) as single spaces. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The prose of a markdown text: code blocks, inline code, link targets and comments removed. */
export function prose(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\]\([^)]*\)/g, '] ')
    .replace(/^#\s+(Lesson|Lección)\s+\d+/gm, '# $1')
    .replace(/^\s*\d+\.\s/gm, ' ');
}

/**
 * The numbers of `text` not inside one of `allowed` (each matched with its whitespace
 * normalized), each with a little context.
 */
export function uncoveredNumbers(text: string, allowed: readonly string[]): string[] {
  let rest = flat(text);
  for (const a of [...allowed].map(flat).sort((x, y) => y.length - x.length)) {
    if (a !== '') rest = rest.split(a).join(' ◦ ');
  }
  const out: string[] = [];
  for (const m of rest.matchAll(/\d+(?:[.,]\d+)*/g)) {
    const from = Math.max(0, m.index - 30);
    out.push(`"${m[0]}" in "…${rest.slice(from, m.index + m[0].length + 30)}…"`);
  }
  return out;
}

/** The items of the first ordered list under `## heading` (up to the next heading). */
export function listItems(markdown: string, heading: string): string[] {
  const start = markdown.search(new RegExp(`^## ${heading}\\s*$`, 'm'));
  if (start < 0) return [];
  const body = markdown.slice(start).split('\n').slice(1);
  const end = body.findIndex((l) => l.startsWith('#'));
  const section = (end < 0 ? body : body.slice(0, end)).join('\n');
  return [...section.matchAll(/^\d+\.\s+(.*(?:\n(?!\d+\.\s|\n).*)*)/gm)].map((m) => flat(m[1]!));
}

/** Problems of a lesson's README in `lang` (empty when it is as docs/en/lessons.md says). */
export function readmeProblems(card: LessonCard, lang: Lang, markdown: string): string[] {
  const problems: string[] = [];
  const title = `# ${TITLE_WORD[lang]} ${card.lesson} — ${card.title[lang]}`;
  const lines = markdown.split('\n');
  if (lines[0]?.trim() !== title) problems.push(`the first line must be "${title}", got "${lines[0] ?? ''}"`);
  const other = README_FILES[lang === 'en' ? 'es' : 'en'];
  const firstText = lines.slice(1).find((l) => l.trim() !== '') ?? '';
  if (!firstText.includes(`(${other})`)) problems.push(`the line under the title must link ${other}`);
  let at = -1;
  for (const section of README_SECTIONS[lang]) {
    const found = lines.findIndex((l) => l.trim() === `## ${section}`);
    if (found < 0) problems.push(`missing the section "## ${section}"`);
    else if (found < at) problems.push(`the section "## ${section}" is out of order`);
    else at = found;
  }
  const [, questions, answers] = README_SECTIONS[lang];
  const q = listItems(markdown, questions!);
  const a = listItems(markdown, answers!);
  if (q.length !== 3)
    problems.push(`"## ${questions}" must be an ordered list of three questions, found ${q.length}`);
  if (a.length !== 3)
    problems.push(`"## ${answers}" must be an ordered list of three answers, found ${a.length}`);
  return problems;
}

/** A lesson's README text in `lang`, or null when the file is missing. */
export function readReadme(card: LessonCard, lang: Lang): string | null {
  const path = join(card.dir, README_FILES[lang]);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** The texts of a lesson in `lang` that may quote numbers: the README and every narration. */
export function lessonTexts(
  card: LessonCard,
  scenarios: ReadonlyMap<string, ResolvedScenario>,
  lang: Lang,
): { readonly where: string; readonly scenario: string | null; readonly text: string }[] {
  const readme = readReadme(card, lang);
  const texts: { where: string; scenario: string | null; text: string }[] = [];
  if (readme !== null) texts.push({ where: README_FILES[lang], scenario: null, text: prose(readme) });
  for (const file of card.play) {
    (scenarios.get(file)?.narration ?? []).forEach((n, i) => {
      texts.push({ where: `${file} narration[${i}]`, scenario: file, text: n.text[lang] });
    });
  }
  return texts;
}

/** Problems with the numbers of a lesson's texts in `lang`: uncovered numbers, unquoted claims. */
export function numberProblems(
  card: LessonCard,
  scenarios: ReadonlyMap<string, ResolvedScenario>,
  lang: Lang,
): string[] {
  const texts = lessonTexts(card, scenarios, lang);
  // Any text of a lesson may quote any of its claims: a narration compares with the other scenario.
  const allowed = [...card.claims.map((c) => c.quote[lang]), ...card.given[lang]];
  const problems: string[] = [];
  for (const t of texts) {
    for (const n of uncoveredNumbers(t.text, allowed)) {
      problems.push(
        `${t.where}: the number ${n} is neither a claim's quote nor a given input in lesson.yaml`,
      );
    }
  }
  card.claims.forEach((claim, i) => {
    const quote = flat(claim.quote[lang]);
    const where = texts.filter((t) => t.scenario === null || t.scenario === claim.scenario);
    if (!where.some((t) => flat(t.text).includes(quote))) {
      problems.push(
        `claims[${i}]: the quote "${quote}" appears neither in ${README_FILES[lang]} nor in the narration of ${claim.scenario}`,
      );
    }
  });
  return problems;
}
