/**
 * A lesson folder's card, `lesson.yaml` (see docs/en/lessons.md): the lesson's number, title and
 * claim in both languages, the order the tour plays its scenarios in, the contrast the tour
 * prints, every measured number its texts quote (with the range it must lie in), and the
 * numbers that are inputs. Read without running anything; what a contrast row or a claim
 * measures is checked against its scenario when the lesson is measured (runtime/lesson-run.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { unknownKeyMessage } from './did-you-mean.ts';
import { SCOPE_KEYS } from './expectations.ts';
import { describeValue, isPlainObject, type Segment } from './invalid-value.ts';
import type { Locate } from './positions.ts';
import type { LocalizedText } from './resolved.ts';
import { ScenarioError, type ScenarioIssue } from './scenario-error.ts';
import { readSourceText } from './yaml-source.ts';

/** The file name of a lesson's card. */
export const LESSON_CARD = 'lesson.yaml';

/** The keys of an expectation that say what is measured (no comparison). */
export const MEASURE_KEYS: readonly string[] = ['metric', ...SCOPE_KEYS, 'reason', 'during'];

/** What a contrast row or a claim measures, written as the keys of an expectation. */
export type Measure = Readonly<Record<string, unknown>>;

export interface ContrastRow {
  readonly label: LocalizedText;
  readonly measure: Measure;
}

export interface Claim {
  /** A scenario of the lesson (a file name in its folder). */
  readonly scenario: string;
  readonly measure: Measure;
  /** The range the measured value must lie in, as written (`40%`, `1.2s`, `3`). */
  readonly between: readonly [unknown, unknown];
  /** The words that quote it, as written in each language's texts. */
  readonly quote: LocalizedText;
}

export interface LessonCard {
  /** The card's path. */
  readonly file: string;
  /** The lesson's folder. */
  readonly dir: string;
  readonly lesson: number;
  readonly title: LocalizedText;
  readonly claim: LocalizedText;
  /** Scenario file names in the folder, in the order the tour plays them. */
  readonly play: readonly string[];
  readonly contrast: readonly ContrastRow[];
  readonly claims: readonly Claim[];
  /** Numbers written in the texts that are inputs, per language. */
  readonly given: { readonly en: readonly string[]; readonly es: readonly string[] };
}

const TOP_KEYS = ['lesson', 'title', 'claim', 'play', 'contrast', 'claims', 'given'];
const SCENARIO_FILE = /\.(ya?ml|json)$/i;
/** The number a lesson folder's name starts with (`03-technology` → 3); NaN without one. */
const folderNumber = (name: string): number => Number(/^(\d+)-/.exec(name)?.[1] ?? Number.NaN);

class Issues {
  readonly list: ScenarioIssue[] = [];
  constructor(
    private readonly file: string,
    private readonly locate: Locate,
  ) {}
  add(path: readonly Segment[], message: string, at?: 'key'): void {
    const position = this.locate(path, at);
    this.list.push({
      file: this.file,
      ...(position === undefined ? {} : { line: position.line, column: position.column }),
      path: pathText(path),
      message,
    });
  }
}

function pathText(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function text(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

/** `{en, es}`, both non-empty text; `plain` also accepts one text for both languages. */
function localized(raw: unknown, path: Segment[], issues: Issues, plain = false): LocalizedText {
  const one = text(raw);
  if (plain && one !== undefined) return { en: one, es: one };
  if (raw === undefined) {
    issues.add(
      path,
      `missing required key "${path[path.length - 1]}": expected {en: …, es: …}${plain ? ' or one text for both' : ''}`,
    );
    return { en: '', es: '' };
  }
  if (!isPlainObject(raw)) {
    issues.add(
      path,
      `expected {en: …, es: …}${plain ? ' or one text for both' : ''}, got ${describeValue(raw)}`,
    );
    return { en: '', es: '' };
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'en' && key !== 'es') issues.add([...path, key], unknownKeyMessage(key, ['en', 'es']), 'key');
  }
  const en = text(raw.en);
  const es = text(raw.es);
  if (en === undefined)
    issues.add([...path, 'en'], `expected the text in English, got ${describeValue(raw.en)}`);
  if (es === undefined)
    issues.add([...path, 'es'], `expected the text in Spanish, got ${describeValue(raw.es)}`);
  return { en: en ?? '', es: es ?? '' };
}

function measureOf(
  raw: Record<string, unknown>,
  path: Segment[],
  own: readonly string[],
  issues: Issues,
): Measure {
  const allowed = [...own, ...MEASURE_KEYS];
  const measure: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (MEASURE_KEYS.includes(key)) measure[key] = value;
    else if (!own.includes(key)) issues.add([...path, key], unknownKeyMessage(key, allowed), 'key');
  }
  if (measure.metric === undefined) {
    issues.add(
      [...path, 'metric'],
      'missing required key "metric": expected an expectation metric such as availability or p99',
    );
  }
  return measure;
}

function listOf(raw: unknown, path: Segment[], issues: Issues, what: string): unknown[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    issues.add(path, `expected a list of ${what}, got ${describeValue(raw)}`);
    return [];
  }
  return raw;
}

/** The scenario files of a lesson folder (the card left out), sorted. */
export function lessonScenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => SCENARIO_FILE.test(f) && f !== LESSON_CARD && statSync(join(dir, f)).isFile())
    .sort();
}

/** Reads and checks a card's text; `file` names it in messages. Throws `ScenarioError`. */
export function parseLessonCard(source: string, file: string, scenarios: readonly string[]): LessonCard {
  if (source.trim() === '') {
    throw new ScenarioError([
      {
        file,
        path: '',
        message: 'the file is empty: a lesson card needs lesson, title, claim, play and contrast',
      },
    ]);
  }
  const { data, locate } = readSourceText(source, file, 'yaml');
  const issues = new Issues(file, locate);
  if (!isPlainObject(data)) {
    throw new ScenarioError([
      { file, path: '', message: `expected a lesson card (a map), got ${describeValue(data)}` },
    ]);
  }
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.includes(key)) issues.add([key], unknownKeyMessage(key, TOP_KEYS), 'key');
  }
  const lesson = data.lesson;
  const numbered = folderNumber(basename(dirname(file)));
  if (!(typeof lesson === 'number' && Number.isInteger(lesson) && lesson >= 1)) {
    issues.add(
      ['lesson'],
      `expected the lesson's number (a whole number from 1), got ${describeValue(lesson)}`,
    );
  } else if (Number.isFinite(numbered) && numbered !== lesson) {
    issues.add(['lesson'], `the folder is numbered ${numbered} but the card says lesson ${lesson}`);
  }
  const title = localized(data.title, ['title'], issues);
  const claim = localized(data.claim, ['claim'], issues);

  const play: string[] = [];
  const playList = listOf(data.play, ['play'], issues, 'scenario files');
  if (data.play === undefined)
    issues.add(
      ['play'],
      'missing required key "play": expected the scenario files in the order the tour plays them',
    );
  playList.forEach((entry, i) => {
    const name = text(entry);
    if (name === undefined || !scenarios.includes(name)) {
      issues.add(
        ['play', i],
        `expected a scenario file of this folder (${scenarios.join(', ') || 'none'}), got ${describeValue(entry)}`,
      );
    } else if (play.includes(name)) issues.add(['play', i], `${name} is listed twice`);
    else play.push(name);
  });
  const missing = scenarios.filter((s) => !play.includes(s));
  if (data.play !== undefined && missing.length > 0) {
    issues.add(['play'], `every scenario of the folder is played once; missing: ${missing.join(', ')}`);
  }
  if (play.length + missing.length < 2) {
    issues.add(['play'], 'a lesson is a contrast: it needs at least two scenarios');
  }

  const contrast: ContrastRow[] = [];
  listOf(data.contrast, ['contrast'], issues, 'rows').forEach((raw, i) => {
    const path: Segment[] = ['contrast', i];
    if (!isPlainObject(raw)) {
      issues.add(path, `expected a row {label, metric, …}, got ${describeValue(raw)}`);
      return;
    }
    contrast.push({
      label: localized(raw.label, [...path, 'label'], issues),
      measure: measureOf(raw, path, ['label'], issues),
    });
  });
  if (contrast.length === 0)
    issues.add(['contrast'], 'expected at least one row: the contrast is what the tour shows');

  const claims: Claim[] = [];
  listOf(data.claims, ['claims'], issues, 'claims').forEach((raw, i) => {
    const path: Segment[] = ['claims', i];
    if (!isPlainObject(raw)) {
      issues.add(path, `expected a claim {scenario, metric, between, quote, …}, got ${describeValue(raw)}`);
      return;
    }
    const measure = measureOf(raw, path, ['scenario', 'between', 'quote'], issues);
    const scenario = text(raw.scenario);
    if (scenario === undefined || !scenarios.includes(scenario)) {
      issues.add(
        [...path, 'scenario'],
        `expected a scenario file of this folder (${scenarios.join(', ')}), got ${describeValue(raw.scenario)}`,
      );
    }
    const between = raw.between;
    if (!(Array.isArray(between) && between.length === 2)) {
      issues.add(
        [...path, 'between'],
        `expected [low, high] in the metric's unit, e.g. [40%, 60%], got ${describeValue(between)}`,
      );
    }
    if (measure.metric === 'breaker_state') {
      issues.add(
        [...path, 'metric'],
        'a claim quotes a number: breaker_state is a state (show it in contrast: instead)',
      );
    }
    const quote = localized(raw.quote, [...path, 'quote'], issues, true);
    if (scenario !== undefined && Array.isArray(between) && between.length === 2) {
      claims.push({ scenario, measure, between: [between[0], between[1]], quote });
    }
  });

  const given = { en: [] as string[], es: [] as string[] };
  if (data.given !== undefined) {
    if (!isPlainObject(data.given)) {
      issues.add(['given'], `expected {en: [texts], es: [texts]}, got ${describeValue(data.given)}`);
    } else {
      for (const key of Object.keys(data.given)) {
        if (key !== 'en' && key !== 'es')
          issues.add(['given', key], unknownKeyMessage(key, ['en', 'es']), 'key');
      }
      for (const lang of ['en', 'es'] as const) {
        listOf(data.given[lang], ['given', lang], issues, 'texts').forEach((entry, i) => {
          const t = text(entry);
          if (t === undefined)
            issues.add(['given', lang, i], `expected some text, got ${describeValue(entry)}`);
          else given[lang].push(t);
        });
      }
    }
  }
  if (issues.list.length > 0) throw new ScenarioError(issues.list);
  return { file, dir: dirname(file), lesson: lesson as number, title, claim, play, contrast, claims, given };
}

/** Reads the card of the lesson folder `dir`. Throws `ScenarioError`. */
export function readLessonCard(dir: string): LessonCard {
  const file = join(dir, LESSON_CARD);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError([
      {
        file,
        path: '',
        message: 'no lesson card: a lesson folder needs a lesson.yaml (see docs/en/lessons.md)',
      },
    ]);
  }
  return parseLessonCard(source, file, lessonScenarioFiles(dir));
}

/** The lesson folders under `root` (named `NN-name`), in lesson order; two with one number are an error. */
export function lessonFolders(root: string): string[] {
  const names = readdirSync(root)
    .filter((d) => /^\d+-/.test(d) && statSync(join(root, d)).isDirectory())
    .sort((a, b) => folderNumber(a) - folderNumber(b) || a.localeCompare(b));
  names.forEach((name, i) => {
    if (i > 0 && folderNumber(name) === folderNumber(names[i - 1]!)) {
      throw new ScenarioError([
        {
          file: join(root, name),
          path: '',
          message: `two lesson folders are numbered ${folderNumber(name)}: ${names[i - 1]} and ${name}`,
        },
      ]);
    }
  });
  return names.map((d) => join(root, d));
}
