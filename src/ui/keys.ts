/**
 * The dashboard's key map, as data: the help overlay lists it and the input handler matches
 * key presses against it, so the two can never disagree.
 *
 * A key is written either as the one character it types (`+`, `k`, `?`) or as one of the
 * `NamedKey`s below, for keys that type nothing printable.
 */
import type { Lang } from '../observe/dashboard-model.ts';
import { labels } from './i18n.ts';

export type KeyAction =
  | 'pause'
  | 'faster'
  | 'slower'
  | 'max'
  | 'step'
  | 'next'
  | 'prev'
  | 'kill'
  | 'restore'
  | 'latency'
  | 'errors'
  | 'scaleUp'
  | 'scaleDown'
  | 'save'
  | 'help'
  | 'quit'
  | 'continue';

/** Keys that type no printable character. */
export type NamedKey = 'space' | 'enter' | 'tab' | 'shift-tab' | 'right' | 'left';

export interface KeyBinding {
  readonly keys: readonly string[];
  readonly action: KeyAction;
  /** What the action does, for the help overlay. */
  readonly en: string;
  readonly es: string;
}

export const KEYS: readonly KeyBinding[] = [
  { keys: ['space'], action: 'pause', en: 'pause / resume', es: 'pausar / seguir' },
  { keys: ['+', '='], action: 'faster', en: 'faster', es: 'más rápido' },
  { keys: ['-'], action: 'slower', en: 'slower', es: 'más lento' },
  { keys: ['m'], action: 'max', en: 'as fast as possible', es: 'lo más rápido posible' },
  {
    keys: ['n'],
    action: 'step',
    en: 'run to the next notable event',
    es: 'avanzar hasta el siguiente evento notable',
  },
  {
    keys: ['tab', 'right'],
    action: 'next',
    en: 'select the next service or workload',
    es: 'elegir el siguiente servicio o carga',
  },
  {
    keys: ['shift-tab', 'left'],
    action: 'prev',
    en: 'select the previous service or workload',
    es: 'elegir el servicio o carga anterior',
  },
  {
    keys: ['k'],
    action: 'kill',
    en: 'crash one instance of the selected service',
    es: 'tirar una instancia del servicio elegido',
  },
  {
    keys: ['r'],
    action: 'restore',
    en: 'end the faults started by keys on the selected service',
    es: 'quitar los fallos puestos con teclas en el servicio elegido',
  },
  {
    keys: ['l'],
    action: 'latency',
    en: '+200 ms on calls to the selected service',
    es: '+200 ms en las llamadas al servicio elegido',
  },
  {
    keys: ['e'],
    action: 'errors',
    en: '20% errors on the selected service',
    es: '20 % de errores en el servicio elegido',
  },
  { keys: ['u'], action: 'scaleUp', en: 'one more replica', es: 'una réplica más' },
  { keys: ['d'], action: 'scaleDown', en: 'one fewer replica', es: 'una réplica menos' },
  {
    keys: ['w'],
    action: 'save',
    en: 'save the faults and scalings done by keys as a scenario timeline',
    es: 'guardar los fallos y escalados hechos con teclas como línea de tiempo de un escenario',
  },
  { keys: ['?'], action: 'help', en: 'show / hide this help', es: 'mostrar / ocultar esta ayuda' },
  { keys: ['q'], action: 'quit', en: 'quit', es: 'salir' },
  {
    keys: ['enter'],
    action: 'continue',
    en: 'continue after a narration that waits',
    es: 'continuar tras una narración que espera',
  },
];

/** How a key is shown in the help: `space` → `espacio` in Spanish, `right` → `→`. */
export function keyLabel(key: string, lang: Lang): string {
  const names = labels(lang).keyName;
  switch (key) {
    case 'space':
      return names.space;
    case 'enter':
      return names.enter;
    case 'shift-tab':
      return names.shiftTab;
    case 'right':
      return '→';
    case 'left':
      return '←';
    default:
      return key;
  }
}

/** The subset of ink's `Key` (from `useInput`) that the key map needs. */
export interface KeyFlags {
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly return?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
}

/** The key map's name for a key press as ink's `useInput` reports it, or null for other keys. */
export function keyName(input: string, key: KeyFlags): string | null {
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.return) return 'enter';
  if (key.rightArrow) return 'right';
  if (key.leftArrow) return 'left';
  if (input === ' ') return 'space';
  return input.length === 1 ? input : null;
}

/** The action bound to a key press (ink's `useInput` arguments), or null when none is. */
export function actionFor(input: string, key: KeyFlags): KeyAction | null {
  const name = keyName(input, key);
  if (name === null) return null;
  return KEYS.find((b) => b.keys.includes(name))?.action ?? null;
}
