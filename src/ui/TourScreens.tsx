// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The tour's own screens, between the dashboards of its scenarios: the lesson menu, a lesson's
 * card (its claim and what will play), the next scenario, and the lesson's measured contrast.
 * Each screen is plain lines (built by the functions below, tested alone) and a key map; the
 * component reports the action of the key pressed.
 */
import { useInput } from 'ink';
import { useState } from 'react';
import type { Lang } from '../observe/dashboard-model.ts';
import { wrapWords } from './cells.ts';
import { type Line, Lines, rule, seg } from './Lines.tsx';

/** What the tour's screens show of a lesson (the card's number, title and claim). */
export interface TourLessonView {
  readonly lesson: number;
  readonly title: { readonly en: string; readonly es: string };
  readonly claim: { readonly en: string; readonly es: string };
}

export type TourAction = 'play' | 'skip' | 'quit' | 'next' | 'up' | 'down' | `lesson:${number}`;

export const TOUR_LABELS = {
  en: {
    tour: 'guided tour',
    lessons: 'the seven lessons',
    lesson: 'Lesson',
    menuHint: '↑/↓ choose · Enter play from there · 1–9 jump to a lesson · q quit',
    cardHint: 'Enter play · s skip this lesson · q quit the tour',
    nextHint: 'Enter play · s skip the rest of this lesson · q quit the tour',
    contrastHint: 'Enter next lesson · q quit the tour',
    lastHint: 'Enter or q end the tour',
    plays: 'Plays, one after another:',
    next: 'Next',
    contrast: 'What was measured',
    measuring: 'measuring each scenario headless, with its own seed…',
    measuredNote: 'headless, with each scenario’s own seed (without the keys pressed live)',
    more: (from: number, to: number, of: number) => `lines ${from}–${to} of ${of} · ↑/↓ scroll`,
  },
  es: {
    tour: 'visita guiada',
    lessons: 'las siete lecciones',
    lesson: 'Lección',
    menuHint: '↑/↓ elegir · Intro reproducir desde ahí · 1–9 ir a una lección · q salir',
    cardHint: 'Intro reproducir · s saltar esta lección · q salir de la visita',
    nextHint: 'Intro reproducir · s saltar el resto de la lección · q salir de la visita',
    contrastHint: 'Intro siguiente lección · q salir de la visita',
    lastHint: 'Intro o q terminan la visita',
    plays: 'Se reproducen, uno tras otro:',
    next: 'A continuación',
    contrast: 'Lo que se midió',
    measuring: 'midiendo cada escenario sin panel, con su propia semilla…',
    measuredNote: 'sin panel, con la semilla de cada escenario (sin las teclas pulsadas en vivo)',
    more: (from: number, to: number, of: number) => `líneas ${from}–${to} de ${of} · ↑/↓ desplazar`,
  },
} as const;

function wrapped(text: string, width: number, style: Parameters<typeof seg>[1] = {}): Line[] {
  return wrapWords(text, Math.max(10, width)).map((l) => [seg(l, style)]);
}

function header(title: string, lang: Lang, width: number): Line[] {
  return [[seg('microsim ', { dim: true }), seg(TOUR_LABELS[lang].tour, { bold: true })], rule(width, title)];
}

/** The menu: every lesson on one line; the chosen one highlighted, with its claim under it. */
export function menuLines(
  lessons: readonly TourLessonView[],
  chosen: number,
  lang: Lang,
  width: number,
): Line[] {
  const l = TOUR_LABELS[lang];
  const out: Line[] = header(l.lessons, lang, width);
  lessons.forEach((card, i) => {
    const on = i === chosen;
    out.push([
      seg(on ? '▸ ' : '  ', { color: 'cyan', bold: true }),
      seg(`${card.lesson}. ${card.title[lang]}`, { bold: on, inverse: on }),
    ]);
    if (on)
      for (const line of wrapWords(card.claim[lang], Math.max(10, width - 5)))
        out.push([seg(`     ${line}`)]);
  });
  out.push([], [seg(l.menuHint, { bold: true })]);
  return out;
}

/** A lesson's card: its claim and the scenarios it plays, with their first sentences. */
export function cardLines(
  card: TourLessonView,
  scenarios: readonly { readonly file: string; readonly summary: string }[],
  lang: Lang,
  width: number,
): Line[] {
  const l = TOUR_LABELS[lang];
  const out: Line[] = header(`${l.lesson} ${card.lesson} — ${card.title[lang]}`, lang, width);
  out.push(...wrapped(card.claim[lang], width, { bold: true }), [], [seg(l.plays, { dim: true })]);
  for (const s of scenarios) {
    out.push([seg('  • '), seg(s.file, { color: 'cyan', bold: true })]);
    out.push(...wrapped(s.summary, width - 4).map((line) => [seg('    '), ...line]));
  }
  out.push([], [seg(l.cardHint, { bold: true })]);
  return out;
}

/** Before each scenario after the first: what plays next. */
export function nextLines(
  card: TourLessonView,
  file: string,
  summary: string,
  lang: Lang,
  width: number,
): Line[] {
  const l = TOUR_LABELS[lang];
  return [
    ...header(`${l.lesson} ${card.lesson} — ${card.title[lang]}`, lang, width),
    [seg(`${l.next}: `, { dim: true }), seg(file, { color: 'cyan', bold: true })],
    ...wrapped(summary, width),
    [],
    [seg(l.nextHint, { bold: true })],
  ];
}

/** The lesson's contrast: the table (aligned lines), or a note while it is being measured. */
export function contrastLines(
  card: TourLessonView,
  table: readonly string[] | null,
  lang: Lang,
  width: number,
  last: boolean,
): Line[] {
  const l = TOUR_LABELS[lang];
  const out: Line[] = header(`${l.lesson} ${card.lesson} — ${card.title[lang]}`, lang, width);
  out.push(...wrapped(card.claim[lang], width, { bold: true }), [], [seg(l.contrast, { bold: true })]);
  if (table === null) out.push([seg(l.measuring, { dim: true })]);
  else {
    table.forEach((row, i) => {
      out.push([seg(`  ${row}`, i === 0 ? { dim: true } : {})]);
    });
    out.push([seg(l.measuredNote, { dim: true })]);
  }
  out.push([], [seg(last ? l.lastHint : l.contrastHint, { bold: true })]);
  return out;
}

export interface TourScreenProps {
  readonly lines: readonly Line[];
  readonly width: number;
  /** The action of each key (`return` for Enter, `up`/`down` for the arrows). */
  readonly keys: Readonly<Record<string, TourAction>>;
  readonly onAction: (action: TourAction) => void;
  /** False without a keyboard (the screen then goes on by itself). */
  readonly interactive: boolean;
  /** The rows available: longer content scrolls with ↑/↓ (with `lang`, for the hint). */
  readonly height?: number;
  readonly lang?: Lang;
}

/**
 * The rows a screen shows within `height`: all of them when they fit; otherwise a window of the
 * body from `offset`, a line saying where it is and how to scroll, and the last line (the keys).
 */
export function windowLines(lines: readonly Line[], height: number, offset: number, lang: Lang): Line[] {
  if (lines.length <= height || height < 4) return [...lines];
  const body = lines.slice(0, -1);
  const room = height - 2;
  const from = Math.max(0, Math.min(offset, body.length - room));
  return [
    ...body.slice(from, from + room),
    [seg(TOUR_LABELS[lang].more(from + 1, Math.min(body.length, from + room), body.length), { dim: true })],
    lines.at(-1)!,
  ];
}

export function TourScreen({ lines, width, keys, onAction, interactive, height, lang }: TourScreenProps) {
  const [offset, setOffset] = useState(0);
  const scrolls = height !== undefined && lang !== undefined && lines.length > height && height >= 4;
  useInput(
    (input, key) => {
      const name = key.return
        ? 'return'
        : key.upArrow
          ? 'up'
          : key.downArrow
            ? 'down'
            : key.escape
              ? 'escape'
              : input;
      if (scrolls && (name === 'up' || name === 'down') && keys[name] === undefined) {
        const most = Math.max(0, lines.length - 1 - (height - 2));
        setOffset((o) => Math.max(0, Math.min(most, o + (name === 'up' ? -1 : 1))));
        return;
      }
      const action = keys[name];
      if (action !== undefined) onAction(action);
    },
    { isActive: interactive },
  );
  return <Lines lines={scrolls ? windowLines(lines, height, offset, lang) : lines} width={width} />;
}

/** The menu, with its cursor kept here. */
export function TourMenu({
  lessons,
  lang,
  width,
  interactive,
  onChoose,
}: {
  readonly lessons: readonly TourLessonView[];
  readonly lang: Lang;
  readonly width: number;
  readonly interactive: boolean;
  /** The index of the lesson to start from, or null to quit. */
  readonly onChoose: (index: number | null) => void;
}) {
  const [chosen, setChosen] = useState(0);
  const keys: Record<string, TourAction> = {
    return: 'play',
    up: 'up',
    down: 'down',
    q: 'quit',
    escape: 'quit',
  };
  lessons.forEach((card, i) => {
    if (card.lesson <= 9) keys[String(card.lesson)] = `lesson:${i}`;
  });
  return (
    <TourScreen
      lines={menuLines(lessons, chosen, lang, width)}
      width={width}
      keys={keys}
      interactive={interactive}
      onAction={(action) => {
        if (action === 'up') setChosen((c) => Math.max(0, c - 1));
        else if (action === 'down') setChosen((c) => Math.min(lessons.length - 1, c + 1));
        else if (action === 'play') onChoose(chosen);
        else if (action === 'quit') onChoose(null);
        else if (action.startsWith('lesson:')) onChoose(Number(action.slice('lesson:'.length)));
      }}
    />
  );
}
