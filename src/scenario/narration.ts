/**
 * The `narration:` timeline: what the dashboard tells the class, and when, in English and in
 * Spanish (`{at: 60s, en: …, es: …, pause: true}`). Entries are read one at a time, then checked
 * against the run: each inside it, and written in the order they are shown. Headless runs carry
 * the narration but ignore it.
 */
import { booleanValue, FieldReader, mapOf, shortDuration } from './field-reader.ts';
import type { DurationInput } from './fields.ts';
import { describeValue, type IssueCollector, invalid } from './invalid-value.ts';
import type { NarrationSpec } from './resolved.ts';
import { durationMs } from './units.ts';

/** One narration entry as written in a scenario. */
export interface NarrationInput {
  /** When it is shown: a duration from the start of the run, before its end. */
  at: DurationInput;
  /** The text in English. */
  en: string;
  /** The text in Spanish. */
  es: string;
  /** The dashboard waits for a key before the run goes on (default false). */
  pause?: boolean;
}

const KEYS = ['at', 'en', 'es', 'pause'];
const LANGUAGES = { en: 'English', es: 'Spanish' } as const;
const BOTH = 'write the text in both languages: en: … and es: …';

/** The text of one language: non-empty, trimmed (a YAML block scalar ends in a newline). */
function textIn(language: keyof typeof LANGUAGES, raw: unknown): string {
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  // `en: 2024` or `es: no` is read by YAML as a number or a boolean: quoting keeps it as text.
  const quote =
    typeof raw === 'number' || typeof raw === 'boolean' ? ' (put it in quotes to keep it as text)' : '';
  throw invalid(
    `expected the narration in ${LANGUAGES[language]} (some text), got ${describeValue(raw)}${quote}`,
  );
}

/** Languages a teacher may try to add (the region forms `es-MX`, `en_GB` are caught apart). */
const OTHER_LANGUAGES = new Set(['ca', 'de', 'eu', 'fr', 'gl', 'it', 'ja', 'nl', 'pt', 'zh']);

/** Keys worth a word of their own: another language, and the usual names of a single text. */
function explainedKeys(map: Record<string, unknown>): Record<string, string> {
  const explained: Record<string, string> = {
    text: BOTH,
    message: BOTH,
    wait: 'to wait for a key, write pause: true',
  };
  for (const key of Object.keys(map)) {
    if (OTHER_LANGUAGES.has(key) || /^[a-z]{2}[-_][A-Za-z]{2}$/.test(key)) {
      explained[key] = `narration is written in English (en) and Spanish (es), not "${key}": ${BOTH}`;
    }
  }
  return explained;
}

/** Reads one entry of `narration:`; throws `InvalidValue` with paths within the entry. */
export function readNarration(raw: unknown): NarrationSpec {
  const map = mapOf(raw, 'a narration entry such as {at: 60s, en: …, es: …}');
  const r = new FieldReader(map, KEYS, explainedKeys(map));
  const atMs = r.required('at', 'a duration such as "60s" (when the text is shown)', (v) =>
    durationMs(v, { example: '60s' }),
  );
  const en = r.required('en', 'the text in English', (v) => textIn('en', v));
  const es = r.required('es', 'the text in Spanish', (v) => textIn('es', v));
  const pause = r.optional('pause', booleanValue) ?? false;
  r.done();
  return { atMs: atMs!, text: { en: en!, es: es! }, pause };
}

/** Checks the timeline against the run: inside it, and in order of `at` (ties keep the file's order). */
export function buildNarration(
  entries: readonly NarrationSpec[],
  durationMs: number,
  issues: IssueCollector,
): NarrationSpec[] {
  entries.forEach((n, i) => {
    const at = ['narration', i, 'at'];
    if (n.atMs >= durationMs) {
      issues.add(
        `the narration comes at ${shortDuration(n.atMs)}, at or after the end of the run (duration ${shortDuration(durationMs)})`,
        at,
      );
    }
    const before = entries[i - 1];
    if (before !== undefined && n.atMs < before.atMs) {
      issues.add(
        `narration[${i}] (at ${shortDuration(n.atMs)}) comes before narration[${i - 1}] (at ${shortDuration(before.atMs)}): write the entries in the order they are shown`,
        at,
      );
    }
  });
  return [...entries];
}
