/**
 * The `chaos:` timeline as written: faults (`{at: 60s, for: 30s, kill: payments, instances: 1}`)
 * read one entry at a time, their names not yet checked (build-chaos.ts resolves them against
 * the services, the brokers and the call graph). A `scale` entry (`{at: 30s, scale: api,
 * replicas: 4}`) rides the same timeline: an instantaneous change of a service's replicas,
 * written back by the dashboard in the same form. A `leak` (`{at: 2m, for: 5m, leak: shop.reports,
 * per: 4MB, limit: 512MB}`) takes memory sizes, in MB or GB.
 */
import type { FaultAction, InstanceSelector } from '../model/fault-spec.ts';
import { FieldReader, mapOf, percentValue, shortDuration, textValue } from './field-reader.ts';
import type { DurationInput, RatioInput } from './fields.ts';
import { describeValue, invalid } from './invalid-value.ts';
import { MAX_REPLICAS } from './scaling.ts';
import { durationMs, ratioValue } from './units.ts';

/** The action keys of a fault entry; exactly one per entry, its value is the target. */
export const FAULT_ACTIONS = [
  'kill',
  'restart',
  'hang',
  'slow',
  'error',
  'latency',
  'loss',
  'partition',
  'scale',
  'leak',
] as const;
export type FaultActionKey = (typeof FAULT_ACTIONS)[number];

/** A fault as written in a scenario. */
export interface FaultInput {
  at: DurationInput;
  for?: DurationInput;
  name?: string;
  kill?: string;
  restart?: string;
  hang?: string;
  slow?: string;
  error?: string;
  latency?: string;
  loss?: string;
  partition?: [string[], string[]];
  /** Sets the service's replicas at once (with `replicas`), as `kubectl scale`. */
  scale?: string;
  /** A memory leak in a service or one of its endpoints (with `per`, and `limit`). */
  leak?: string;
  /** kill, restart, hang, slow, error on a whole service: a count, a percentage, or `all`. */
  instances?: number | string;
  /** slow: work takes this many times longer. */
  factor?: number;
  /** error, loss: the share of requests hit. */
  rate?: RatioInput;
  /** latency: added one-way latency and its uniform ± jitter. */
  add?: DurationInput;
  jitter?: DurationInput;
  /** scale: the replicas the service has from `at` on (an integer >= 0). */
  replicas?: number;
  /** leak: the memory each answered request leaks (`4MB`, `0.5GB`). */
  per?: string;
  /** leak: the memory at which an instance is killed (default: the service's `resources.memoryMb`). */
  limit?: string;
}

/** The parameters each action takes besides its target, `at`, `for` and `name`. */
const PARAMETERS: Readonly<Record<FaultActionKey, readonly string[]>> = {
  kill: ['instances'],
  restart: ['instances'],
  hang: ['instances'],
  slow: ['factor', 'instances'],
  error: ['rate', 'instances'],
  latency: ['add', 'jitter'],
  loss: ['rate'],
  partition: [],
  scale: ['replicas'],
  leak: ['per', 'limit'],
};

const ALL_PARAMETERS = ['instances', 'factor', 'rate', 'add', 'jitter', 'replicas', 'per', 'limit'];

/** MB per unit of a memory size (1 GB = 1024 MB, as Kubernetes' Gi). */
const MEMORY_UNITS = new Map<string, number>([
  ['MB', 1],
  ['GB', 1024],
]);

/** A memory size (`4MB`, `1.5 GB`) in MB, above 0; throws `InvalidValue` with the whole message. */
export function memoryMb(raw: unknown, example: string): number {
  const expected = `a memory size such as "${example}"`;
  const got = describeValue(raw);
  if (typeof raw === 'number') {
    throw invalid(`expected ${expected}, got ${got} (memory sizes need a unit, MB or GB, e.g. ${raw}MB)`);
  }
  if (typeof raw !== 'string') throw invalid(`expected ${expected}, got ${got}`);
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$/s.exec(raw.trim());
  if (match === null) throw invalid(`expected ${expected}, got ${got} (a memory size starts with a number)`);
  const unit = match[2]!.trim();
  if (unit === '') throw invalid(`expected ${expected}, got ${got} (memory sizes need a unit, MB or GB)`);
  const factor = MEMORY_UNITS.get(unit);
  if (factor === undefined) {
    throw invalid(
      `expected ${expected}, got ${got} (unknown unit "${unit}"; write MB or GB, 1 GB = 1024 MB)`,
    );
  }
  const mb = Number(match[1]) * factor;
  if (!Number.isFinite(mb)) throw invalid(`expected ${expected}, got ${got} (the size is too large)`);
  if (!(mb > 0)) throw invalid(`expected ${expected}, got ${got} (it must be above 0)`);
  return mb;
}

/**
 * The actions that happen at once: they take no `for` and nothing lasts "during" them. Each with
 * what to write instead of a `for`.
 */
const INSTANT: Partial<Readonly<Record<FaultActionKey, string>>> = {
  restart: 'use kill with "for" to keep instances down',
  scale: 'to scale back, add another scale entry later',
};

/** True for an action that happens at once (`restart`, `scale`). */
export function isInstant(key: FaultActionKey): boolean {
  return INSTANT[key] !== undefined;
}

/** How an action is named in messages: `a kill fault`, but `a scale` (it is no failure). */
function actionText(key: FaultActionKey): string {
  return key === 'scale' ? 'a scale' : `a ${key} fault`;
}

/** A fault's target as written: a service (or one endpoint), an edge, or two groups. */
export type WrittenTarget =
  | { readonly kind: 'service'; readonly service: string; readonly endpoint: string | null }
  | { readonly kind: 'edge'; readonly from: string; readonly to: string }
  | { readonly kind: 'groups'; readonly a: readonly string[]; readonly b: readonly string[] };

/** A fault read from the file, its names not yet checked against the services. */
export interface UnresolvedFault {
  readonly name: string | undefined;
  readonly atMs: number;
  readonly forMs: number | null;
  readonly key: FaultActionKey;
  readonly action: FaultAction;
  readonly target: WrittenTarget;
  /** Null when `instances` was not given (all instances). */
  readonly instances: InstanceSelector | null;
}

/** `a->b` or `a→b`, split; undefined when `text` holds no arrow. */
export function splitArrow(text: string): { from: string; to: string } | undefined {
  const match = /^(.*?)\s*(?:->|→)\s*(.*)$/s.exec(text);
  if (match === null) return undefined;
  return { from: match[1]!.trim(), to: match[2]!.trim() };
}

function targetOf(key: FaultActionKey, raw: unknown): WrittenTarget {
  if (key === 'partition') return groupsOf(raw);
  const network = key === 'latency' || key === 'loss';
  const example = network ? 'an edge such as checkout->payments, or a service' : 'a service such as payments';
  const text = textValue(raw, example);
  const edge = splitArrow(text);
  if (edge !== undefined) {
    if (!network) throw invalid(`${actionText(key)} targets a service, not an edge: write the service alone`);
    if (edge.from === '' || edge.to === '')
      throw invalid(`expected an edge such as checkout->payments, got "${text}"`);
    return { kind: 'edge', from: edge.from, to: edge.to };
  }
  const dot = text.indexOf('.');
  if (dot < 0) return { kind: 'service', service: text, endpoint: null };
  if (key === 'slow' || key === 'error' || key === 'leak') {
    return { kind: 'service', service: text.slice(0, dot), endpoint: text.slice(dot + 1) };
  }
  if (key === 'scale') {
    throw invalid(
      `a scale targets a whole service, not an endpoint ("${text}"): it sets the replicas of the service`,
    );
  }
  const what = network ? 'an edge (checkout->payments) or a whole service' : 'a whole service';
  throw invalid(
    `a ${key} fault targets ${what}, not an endpoint ("${text}"); only slow, error and leak take service.endpoint`,
  );
}

function groupsOf(raw: unknown): WrittenTarget {
  const usage = 'two groups of services such as [[frontend, checkout], [payments]]';
  if (!Array.isArray(raw) || raw.length !== 2) {
    const got = Array.isArray(raw) ? `${raw.length} group${raw.length === 1 ? '' : 's'}` : describeValue(raw);
    throw invalid(`expected ${usage}, got ${got}`);
  }
  const groups = raw.map((group, g) => {
    const list = typeof group === 'string' ? [group] : group;
    if (!Array.isArray(list) || list.length === 0) {
      throw invalid(`expected a non-empty list of services, got ${describeValue(group)}`, [g]);
    }
    return list.map((name: unknown, i: number) => {
      if (typeof name !== 'string' || name.trim() === '') {
        throw invalid(`expected a service name, got ${describeValue(name)}`, [g, i]);
      }
      return name.trim();
    });
  });
  return { kind: 'groups', a: groups[0]!, b: groups[1]! };
}

function instancesOf(raw: unknown): InstanceSelector {
  const expected = 'a number of instances (an integer >= 1), a share such as 50%, or all';
  if (raw === 'all') return { kind: 'all' };
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 1)
      throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
    return { kind: 'count', count: raw };
  }
  if (typeof raw === 'string' && raw.trim().endsWith('%')) {
    return { kind: 'percent', percent: percentValue(raw) };
  }
  throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
}

/** `replicas` of a scale: as a service's own `replicas`, an integer from 0 to MAX_REPLICAS. */
function replicasValue(raw: unknown): number {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 && raw <= MAX_REPLICAS) return raw;
  throw invalid(
    `expected a number of replicas, an integer from 0 to ${MAX_REPLICAS.toLocaleString('en')}, got ${describeValue(raw)}`,
  );
}

/** Reads one entry of `chaos:`; throws `InvalidValue` with paths within the entry. */
export function readFault(raw: unknown): UnresolvedFault {
  const map = mapOf(raw, 'a fault such as {at: 60s, for: 30s, kill: payments}');
  const keys = FAULT_ACTIONS.filter((k) => Object.hasOwn(map, k));
  const key = keys[0];
  const allowed = ['at', 'for', 'name', ...FAULT_ACTIONS, ...(key ? PARAMETERS[key] : ALL_PARAMETERS)];
  const explained: Record<string, string> = {};
  if (key !== undefined) {
    for (const p of ALL_PARAMETERS.filter((p) => !PARAMETERS[key].includes(p))) {
      const users = FAULT_ACTIONS.filter((a) => PARAMETERS[a].includes(p));
      const who = p === 'replicas' ? 'scale only' : `${users.join(', ')} faults`;
      explained[p] = `"${p}" applies to ${who}, not to ${key}`;
    }
    if (key === 'scale') {
      explained.instances = 'a scale sets the replicas of the whole service: "instances" does not apply';
    }
  }
  const r = new FieldReader(map, allowed, explained);
  if (keys.length > 1) {
    r.add(`a fault has exactly one action; this one has ${keys.join(' and ')}`, [keys[1]!], 'key');
    r.fail();
  }
  if (key === undefined) {
    r.add(`missing the action: one of ${FAULT_ACTIONS.join(', ')}, whose value is the target`);
    return r.fail();
  }
  const atMs = r.required('at', 'a duration such as "60s" (when the fault starts)', (v) =>
    durationMs(v, { example: '60s' }),
  );
  // An instantaneous action has no duration: its `for` is reported below, whatever its value.
  const forMs = isInstant(key)
    ? undefined
    : r.optional('for', (v) => durationMs(v, { positive: true, example: '30s' }));
  const name = r.optional('name', (v) => textValue(v, 'a name for the fault'));
  // `kill: payments`: the action's value is its target (present as a key, it may still be empty).
  const target = r.required(key, `the target of the ${key}, such as payments`, (v) => targetOf(key, v));
  const instances = r.optional('instances', instancesOf);
  if (instances !== undefined && target?.kind === 'service' && target.endpoint !== null) {
    r.add(
      `"instances" applies to a whole service, not to one endpoint (${key}: ${target.service}.${target.endpoint})`,
      ['instances'],
      'key',
    );
  }
  if (isInstant(key) && r.has('for')) {
    r.add(`a ${key} happens at once: "for" does not apply (${INSTANT[key]})`, ['for'], 'key');
  }
  let action: FaultAction | undefined;
  switch (key) {
    case 'slow': {
      const factor = r.required('factor', 'a number > 0 such as 5 (work takes 5 times longer)', (v) => {
        if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
          throw invalid(
            `expected a number > 0 such as 5 (work takes 5 times longer), got ${describeValue(v)}`,
          );
        }
        return v;
      });
      action = factor === undefined ? undefined : { kind: 'slow', factor };
      break;
    }
    case 'error':
    case 'loss': {
      const rate = r.required('rate', 'a probability such as 30%', ratioValue);
      action = rate === undefined ? undefined : { kind: key, rate };
      break;
    }
    case 'scale': {
      const replicas = r.required(
        'replicas',
        `the number of replicas to set, an integer from 0 to ${MAX_REPLICAS.toLocaleString('en')} such as 4`,
        replicasValue,
      );
      action = replicas === undefined ? undefined : { kind: 'scale', replicas };
      break;
    }
    case 'leak': {
      const perMb = r.required('per', 'the memory each answered request leaks, such as 4MB', (v) =>
        memoryMb(v, '4MB'),
      );
      const limitMb = r.optional('limit', (v) => memoryMb(v, '512MB'));
      action = perMb === undefined ? undefined : { kind: 'leak', perMb, limitMb: limitMb ?? null };
      break;
    }
    case 'latency': {
      const addMs = r.required('add', 'a duration such as "200ms"', (v) =>
        durationMs(v, { example: '200ms' }),
      );
      const jitterMs = r.optional('jitter', (v) => durationMs(v, { example: '50ms' })) ?? 0;
      action = addMs === undefined ? undefined : { kind: 'latency', addMs, jitterMs };
      break;
    }
    default:
      action = { kind: key };
  }
  r.done();
  return {
    name,
    atMs: atMs!,
    forMs: forMs ?? null,
    key,
    action: action!,
    target: target!,
    instances: instances ?? null,
  };
}

/** How a target reads in a generated name. */
function targetText(t: WrittenTarget): string {
  if (t.kind === 'service') return t.endpoint === null ? t.service : `${t.service}.${t.endpoint}`;
  if (t.kind === 'edge') return `${t.from}→${t.to}`;
  return `[${t.a.join(', ')}] [${t.b.join(', ')}]`;
}

/** The name of a fault: its `name`, or `kill payments@60s`. */
export function faultName(f: UnresolvedFault): string {
  return f.name ?? `${f.key} ${targetText(f.target)}@${shortDuration(f.atMs)}`;
}

/** The names of the faults, for expectations (explicit or generated), in file order. */
export function faultNames(faults: readonly UnresolvedFault[]): string[] {
  return faults.map(faultName);
}
