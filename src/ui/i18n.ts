/**
 * Every label the dashboard and the final screen show, in English and Spanish. `Labels` lists
 * them once; both languages must provide every one (a missing translation is a type error).
 * Labels with numbers in them are functions, so each language can order its words.
 */
import type { Lang } from '../observe/dashboard-model.ts';

export interface Labels {
  // header
  readonly running: string;
  readonly paused: string;
  readonly waitingForKey: string;
  readonly ended: string;
  readonly speed: string;
  /** Speed shown as "max" in narrow places. */
  readonly max: string;
  readonly asFastAsPossible: string;
  readonly seed: string;
  readonly simulatedTime: string;
  readonly warmup: string;
  // topology
  readonly topology: string;
  readonly ready: string;
  readonly starting: string;
  readonly draining: string;
  readonly crashed: string;
  readonly stopped: string;
  readonly hung: string;
  readonly open: string;
  readonly halfOpen: string;
  readonly forcedOpen: string;
  readonly waiting: string;
  readonly inFlight: string;
  readonly deadLettered: string;
  readonly oldest: string;
  readonly noServices: string;
  readonly more: (n: number) => string;
  // table
  readonly service: string;
  readonly workload: string;
  readonly perSecond: string;
  readonly errorPct: string;
  readonly busy: string;
  readonly queued: string;
  readonly replicas: string;
  readonly version: string;
  // charts
  readonly charts: string;
  readonly throughput: string;
  readonly errors: string;
  readonly p99: string;
  readonly now: string;
  readonly noChart: string;
  // event log
  readonly events: string;
  readonly noEvents: string;
  readonly kind: {
    readonly fault: string;
    readonly breaker: string;
    readonly scale: string;
    readonly deploy: string;
    readonly instance: string;
    readonly message: string;
    readonly command: string;
    readonly narration: string;
  };
  // caption
  readonly pressEnter: string;
  // help overlay
  readonly keys: string;
  readonly closeHelp: string;
  readonly keyName: { readonly space: string; readonly enter: string; readonly shiftTab: string };
  // too small
  readonly tooSmall: (width: number, height: number, minWidth: number, minHeight: number) => string;
  // final screen
  readonly results: string;
  readonly expectations: string;
  readonly held: string;
  readonly failed: string;
  readonly measured: string;
  readonly expected: string;
  readonly allHeld: (n: number) => string;
  readonly someFailed: (failed: number, n: number) => string;
  readonly noExpectations: string;
  readonly summary: string;
  readonly moreLines: (n: number) => string;
  readonly quit: string;
}

const en: Labels = {
  running: 'running',
  paused: 'paused',
  waitingForKey: 'waiting for a key',
  ended: 'ended',
  speed: 'speed',
  max: 'max',
  asFastAsPossible: 'as fast as possible',
  seed: 'seed',
  simulatedTime: 'simulated time',
  warmup: 'warm-up',
  topology: 'topology',
  ready: 'ready',
  starting: 'starting',
  draining: 'draining',
  crashed: 'crashed',
  stopped: 'stopped',
  hung: 'hung',
  open: 'open',
  halfOpen: 'half-open',
  forcedOpen: 'forced open',
  waiting: 'waiting',
  inFlight: 'in flight',
  deadLettered: 'dead-lettered',
  oldest: 'oldest',
  noServices: 'no services',
  more: (n) => `+${n} more`,
  service: 'service',
  workload: 'workload',
  perSecond: 'req/s',
  errorPct: 'err %',
  busy: 'busy',
  queued: 'queued',
  replicas: 'replicas',
  version: 'version',
  charts: 'charts',
  throughput: 'throughput',
  errors: 'errors',
  p99: 'p99',
  now: 'now',
  noChart: 'select a service with tab to see its charts',
  events: 'events',
  noEvents: 'no events yet',
  kind: {
    fault: 'fault',
    breaker: 'breaker',
    scale: 'scale',
    deploy: 'deploy',
    instance: 'instance',
    message: 'message',
    command: 'command',
    narration: 'narration',
  },
  pressEnter: 'press enter to continue',
  keys: 'keys',
  closeHelp: 'press ? to close',
  keyName: { space: 'space', enter: 'enter', shiftTab: 'shift-tab' },
  tooSmall: (w, h, mw, mh) =>
    `This terminal is ${w}×${h}; the dashboard needs at least ${mw}×${mh}. ` +
    'Please make the window larger (or press q to quit).',
  results: 'results',
  expectations: 'expectations',
  held: 'held',
  failed: 'failed',
  measured: 'measured',
  expected: 'expected',
  allHeld: (n) => (n === 1 ? 'the expectation held' : `all ${n} expectations held`),
  someFailed: (f, n) => `${f} of ${n} expectation${n === 1 ? '' : 's'} failed`,
  noExpectations: 'this scenario has no expectations',
  summary: 'summary',
  moreLines: (n) => `↓ ${n} more line${n === 1 ? '' : 's'}`,
  quit: '↑↓ scroll · q to quit',
};

const es: Labels = {
  running: 'en marcha',
  paused: 'en pausa',
  waitingForKey: 'esperando una tecla',
  ended: 'terminado',
  speed: 'velocidad',
  max: 'máx',
  asFastAsPossible: 'lo más rápido posible',
  seed: 'semilla',
  simulatedTime: 'tiempo simulado',
  warmup: 'calentamiento',
  topology: 'topología',
  ready: 'lista',
  starting: 'arrancando',
  draining: 'drenando',
  crashed: 'caída',
  stopped: 'parada',
  hung: 'colgada',
  open: 'abierto',
  halfOpen: 'semiabierto',
  forcedOpen: 'abierto a la fuerza',
  waiting: 'en espera',
  inFlight: 'en curso',
  deadLettered: 'a la DLQ',
  oldest: 'el más antiguo',
  noServices: 'sin servicios',
  more: (n) => `+${n} más`,
  service: 'servicio',
  workload: 'carga',
  perSecond: 'pet/s',
  errorPct: '% err',
  busy: 'ocupación',
  queued: 'en cola',
  replicas: 'réplicas',
  version: 'versión',
  charts: 'gráficas',
  throughput: 'caudal',
  errors: 'errores',
  p99: 'p99',
  now: 'ahora',
  noChart: 'elige un servicio con tab para ver sus gráficas',
  events: 'eventos',
  noEvents: 'aún no hay eventos',
  kind: {
    fault: 'fallo',
    breaker: 'disyuntor',
    scale: 'escala',
    deploy: 'despliegue',
    instance: 'instancia',
    message: 'mensaje',
    command: 'orden',
    narration: 'narración',
  },
  pressEnter: 'pulsa intro para continuar',
  keys: 'teclas',
  closeHelp: 'pulsa ? para cerrar',
  keyName: { space: 'espacio', enter: 'intro', shiftTab: 'mayús-tab' },
  tooSmall: (w, h, mw, mh) =>
    `Esta terminal mide ${w}×${h}; el panel necesita al menos ${mw}×${mh}. ` +
    'Agranda la ventana, por favor (o pulsa q para salir).',
  results: 'resultados',
  expectations: 'expectativas',
  held: 'se cumple',
  failed: 'no se cumple',
  measured: 'medido',
  expected: 'esperado',
  allHeld: (n) => (n === 1 ? 'se cumple la expectativa' : `se cumplen las ${n} expectativas`),
  someFailed: (f, n) => `${f} de ${n} expectativa${n === 1 ? '' : 's'} no se cumple${f === 1 ? '' : 'n'}`,
  noExpectations: 'este escenario no tiene expectativas',
  summary: 'resumen',
  moreLines: (n) => `↓ ${n} línea${n === 1 ? '' : 's'} más`,
  quit: '↑↓ desplazar · q para salir',
};

/** The labels of each language. */
export const LABELS: Readonly<Record<Lang, Labels>> = { en, es };

/** The labels of `lang`. */
export function labels(lang: Lang): Labels {
  return LABELS[lang];
}

/** Keys of the labels that are plain strings. */
export type TextKey = {
  [K in keyof Labels]: Labels[K] extends string ? K : never;
}[keyof Labels];

/** One plain label: `t('es', 'paused')` → `'en pausa'`. */
export function t(lang: Lang, key: TextKey): string {
  return LABELS[lang][key];
}
