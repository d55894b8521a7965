/**
 * The `narration:` timeline: what it resolves to (texts in both languages, `pause`, in order),
 * that scenarios without it resolve as before, and the located messages of bad entries.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type NarrationSpec, parseScenarioText, resolveScenario } from '../../src/scenario/index.ts';
import { scenarioErrorMessage } from './error-message.ts';

const DOC = readFileSync(new URL('../../docs/en/scenario-format.md', import.meta.url), 'utf8');

/** A two-minute scenario; `narration` starts at line 9, its first entry at line 10. */
const HEAD = `name: lesson
description: { en: a lesson, es: una lección }
duration: 2m
services:
  api:
    replicas: 2
    endpoints: { get: { work: exp(10ms) } }
workloads: { users: { rate: 10/s, entry: api.get } }
`;

const withNarration = (entries: string): string => `${HEAD}narration:\n${entries}`;

function narrationOf(text: string): readonly NarrationSpec[] | undefined {
  return parseScenarioText(text, 'lesson.yaml').narration;
}

/** The formatted message of the ScenarioError that `text` raises. */
function messageOf(text: string): string {
  return scenarioErrorMessage(() => parseScenarioText(text, 'lesson.yaml'));
}

describe('narration that resolves', () => {
  it('the example of docs/en/scenario-format.md', () => {
    const start = DOC.indexOf('\n## Narration (`narration:`)\n');
    expect(start).toBeGreaterThan(0);
    const example = /```yaml\n([\s\S]*?)```/.exec(DOC.slice(start))![1]!;
    expect(narrationOf(`${HEAD}${example}`)).toEqual([
      {
        atMs: 0,
        text: {
          en: 'Three services, each with two instances. Watch the queue of checkout.',
          es: 'Tres servicios, cada uno con dos instancias. Mira la cola de checkout.',
        },
        pause: false,
      },
      {
        atMs: 60_000,
        text: {
          en: 'Payments hangs now. What will the callers do?',
          es: 'Payments se cuelga ahora. ¿Qué harán los que lo llaman?',
        },
        pause: true,
      },
    ]);
  });

  it('equal times keep the order of the file; texts are trimmed; block scalars work', () => {
    const entries = [
      '  - { at: 0, en: first, es: primero, pause: false }',
      '  - { at: 30s, en: "  second  ", es: segundo }',
      '  - at: 30s',
      '    en: |',
      '      third,',
      '      on two lines',
      '    es: >',
      '      tercero,',
      '      en una línea',
      '  - { at: 1.5m, en: "2024", es: "no" }',
    ].join('\n');
    expect(narrationOf(withNarration(`${entries}\n`))).toEqual([
      { atMs: 0, text: { en: 'first', es: 'primero' }, pause: false },
      { atMs: 30_000, text: { en: 'second', es: 'segundo' }, pause: false },
      { atMs: 30_000, text: { en: 'third,\non two lines', es: 'tercero, en una línea' }, pause: false },
      { atMs: 90_000, text: { en: '2024', es: 'no' }, pause: false },
    ]);
  });

  it('a file without narration resolves without the field; an empty list gives an empty timeline', () => {
    const without = parseScenarioText(HEAD, 'lesson.yaml');
    expect('narration' in without).toBe(false);
    expect(narrationOf(`${HEAD}narration: []\n`)).toEqual([]);
  });

  it('narration changes nothing else in the resolved scenario', () => {
    const { narration, ...rest } = parseScenarioText(
      withNarration('  - { at: 10s, en: hello, es: hola }\n'),
      'lesson.yaml',
    );
    expect(narration).toHaveLength(1);
    expect(rest).toEqual(parseScenarioText(HEAD, 'lesson.yaml'));
  });

  it('scenario data (JSON, TypeScript modules) takes narration as well', () => {
    const s = resolveScenario(
      {
        name: 'lesson',
        description: { en: 'a lesson', es: 'una lección' },
        duration: '2m',
        services: { api: { endpoints: { get: { work: '1ms' } } } },
        workloads: { users: { rate: '1/s', entry: 'api.get' } },
        narration: [{ at: '5s', en: 'hello', es: 'hola', pause: true }],
      },
      'lesson.ts',
    );
    expect(s.narration).toEqual([{ atMs: 5000, text: { en: 'hello', es: 'hola' }, pause: true }]);
  });
});

describe('narration that is refused, with located messages', () => {
  const cases: [string, string, string][] = [
    [
      'an entry without es',
      '  - { at: 0s, en: hello }',
      'lesson.yaml:10:5: narration[0].es: missing required key "es": expected the text in Spanish',
    ],
    [
      'an entry without en',
      '  - { at: 0s, es: hola }',
      'lesson.yaml:10:5: narration[0].en: missing required key "en": expected the text in English',
    ],
    [
      'an entry without at',
      '  - { en: hello, es: hola }',
      'lesson.yaml:10:5: narration[0].at: missing required key "at": expected a duration such as "60s" (when the text is shown)',
    ],
    [
      'an empty text',
      '  - { at: 0s, en: "", es: hola }',
      'lesson.yaml:10:19: narration[0].en: expected the narration in English (some text), got ""',
    ],
    [
      'a blank text',
      '  - { at: 0s, en: hello, es: "   " }',
      'lesson.yaml:10:30: narration[0].es: expected the narration in Spanish (some text), got "   "',
    ],
    [
      'a text that YAML reads as a number',
      '  - { at: 0s, en: hello, es: 2024 }',
      'lesson.yaml:10:30: narration[0].es: expected the narration in Spanish (some text), got 2024 (put it in quotes to keep it as text)',
    ],
    [
      'a text given as a map',
      '  - { at: 0s, en: { text: hello }, es: hola }',
      'lesson.yaml:10:19: narration[0].en: expected the narration in English (some text), got a map',
    ],
    [
      'a time without a unit',
      '  - { at: 5, en: hello, es: hola }',
      'lesson.yaml:10:11: narration[0].at: expected a duration such as "60s", got 5 (durations need a unit, e.g. 5ms)',
    ],
    [
      'a negative time',
      '  - { at: -5s, en: hello, es: hola }',
      'lesson.yaml:10:11: narration[0].at: expected a duration such as "60s", got "-5s" (a duration cannot be negative)',
    ],
    [
      'a time at the end of the run',
      '  - { at: 2m, en: hello, es: hola }',
      'lesson.yaml:10:11: narration[0].at: the narration comes at 120s, at or after the end of the run (duration 120s)',
    ],
    [
      'a time after the end of the run',
      '  - { at: 5m, en: hello, es: hola }',
      'lesson.yaml:10:11: narration[0].at: the narration comes at 300s, at or after the end of the run (duration 120s)',
    ],
    [
      'entries out of order',
      '  - { at: 60s, en: later, es: después }\n  - { at: 30s, en: sooner, es: antes }',
      'lesson.yaml:11:11: narration[1].at: narration[1] (at 30s) comes before narration[0] (at 60s): write the entries in the order they are shown',
    ],
    [
      'pause that is not a boolean',
      '  - { at: 0s, en: hello, es: hola, pause: yes }',
      'lesson.yaml:10:43: narration[0].pause: expected true or false, got "yes"',
    ],
    [
      'a misspelt key',
      '  - { at: 0s, en: hello, es: hola, pasue: true }',
      'lesson.yaml:10:36: narration[0].pasue: unknown key "pasue" (did you mean "pause"?)',
    ],
    [
      'a key far from any',
      '  - { at: 0s, en: hello, es: hola, speaker: teacher }',
      'lesson.yaml:10:36: narration[0].speaker: unknown key "speaker"; allowed keys here: at, en, es, pause',
    ],
    [
      'another language',
      '  - { at: 0s, en: hello, es: hola, fr: salut }',
      'lesson.yaml:10:36: narration[0].fr: narration is written in English (en) and Spanish (es), not "fr": write the text in both languages: en: … and es: …',
    ],
    [
      'a regional variant',
      '  - { at: 0s, en: hello, es-MX: hola }',
      'lesson.yaml:10:5: narration[0].es: missing required key "es": expected the text in Spanish\n' +
        'lesson.yaml:10:26: narration[0].es-MX: narration is written in English (en) and Spanish (es), not "es-MX": write the text in both languages: en: … and es: …',
    ],
    [
      'a single text',
      '  - { at: 0s, text: hello }',
      'lesson.yaml:10:5: narration[0].en: missing required key "en": expected the text in English\n' +
        'lesson.yaml:10:5: narration[0].es: missing required key "es": expected the text in Spanish\n' +
        'lesson.yaml:10:15: narration[0].text: write the text in both languages: en: … and es: …',
    ],
    [
      'wait instead of pause',
      '  - { at: 0s, en: hello, es: hola, wait: true }',
      'lesson.yaml:10:36: narration[0].wait: to wait for a key, write pause: true',
    ],
    [
      'an entry that is not a map',
      '  - hello',
      'lesson.yaml:10:5: narration[0]: expected a narration entry such as {at: 60s, en: …, es: …}, got "hello"',
    ],
  ];

  it.each(cases)('%s', (_what, entries, message) => {
    expect(messageOf(withNarration(`${entries}\n`))).toBe(message);
  });

  it('narration that is not a list', () => {
    expect(messageOf(`${HEAD}narration: { at: 0s, en: hello, es: hola }\n`)).toBe(
      'lesson.yaml:9:12: narration: expected a list, got a map',
    );
  });

  it('every problem of every entry is reported at once', () => {
    const message = messageOf(
      withNarration('  - { at: 0s, en: hello }\n  - { at: 10s, es: hola, pause: 1 }\n'),
    );
    expect(message.split('\n')).toEqual([
      'lesson.yaml:10:5: narration[0].es: missing required key "es": expected the text in Spanish',
      'lesson.yaml:11:5: narration[1].en: missing required key "en": expected the text in English',
      'lesson.yaml:11:33: narration[1].pause: expected true or false, got 1',
    ]);
  });
});
