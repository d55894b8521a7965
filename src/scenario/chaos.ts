/**
 * The `chaos:` timeline: faults as written (`{at: 60s, for: 30s, kill: payments, instances: 1}`),
 * read one entry at a time, then resolved against the services, the brokers (a fault may hit a
 * broker as it hits a service) and the call graph into `FaultSpec`s sorted by start.
 */
import type { FaultAction, FaultSpec, FaultTarget, InstanceSelector } from '../model/fault-spec.ts';
import type { BrokerSpec, ServiceSpec } from '../model/world-spec.ts';
import { type CallGraph, talks } from './call-graph.ts';
import { didYouMean } from './did-you-mean.ts';
import { FieldReader, mapOf, percentValue, shortDuration, textValue } from './field-reader.ts';
import type { DurationInput, RatioInput } from './fields.ts';
import { describeValue, type IssueCollector, invalid, type Segment } from './invalid-value.ts';
import { type Catalogue, CLIENT, resolveTarget } from './targets.ts';
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
  /** kill, restart, hang, slow, error on a whole service: a count, a percentage, or `all`. */
  instances?: number | string;
  /** slow: work takes this many times longer. */
  factor?: number;
  /** error, loss: the share of requests hit. */
  rate?: RatioInput;
  /** latency: added one-way latency and its uniform ± jitter. */
  add?: DurationInput;
  jitter?: DurationInput;
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
};

const ALL_PARAMETERS = ['instances', 'factor', 'rate', 'add', 'jitter'];

type WrittenTarget =
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
    if (!network) throw invalid(`a ${key} fault targets a service, not an edge: write the service alone`);
    if (edge.from === '' || edge.to === '')
      throw invalid(`expected an edge such as checkout->payments, got "${text}"`);
    return { kind: 'edge', from: edge.from, to: edge.to };
  }
  const dot = text.indexOf('.');
  if (dot < 0) return { kind: 'service', service: text, endpoint: null };
  if (key === 'slow' || key === 'error') {
    return { kind: 'service', service: text.slice(0, dot), endpoint: text.slice(dot + 1) };
  }
  const what = network ? 'an edge (checkout->payments) or a whole service' : 'a whole service';
  throw invalid(
    `a ${key} fault targets ${what}, not an endpoint ("${text}"); only slow and error take service.endpoint`,
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
      explained[p] = `"${p}" applies to ${users.join(', ')} faults, not to ${key}`;
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
  const forMs = r.optional('for', (v) => durationMs(v, { positive: true, example: '30s' }));
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
  if (key === 'restart' && forMs !== undefined) {
    r.add(
      'a restart happens at once: "for" does not apply (use kill with "for" to keep instances down)',
      ['for'],
      'key',
    );
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

export interface ChaosContext {
  readonly services: readonly ServiceSpec[];
  readonly brokers: readonly BrokerSpec[];
  readonly workloads: ReadonlySet<string>;
  readonly catalogue: Catalogue;
  readonly graph: CallGraph;
  readonly durationMs: number;
}

function isBroker(name: string, ctx: ChaosContext): boolean {
  return ctx.brokers.some((b) => b.name === name);
}

/** Checks a service (or broker) name; records a problem at `path` and returns false when unknown. */
function knownService(
  name: string,
  ctx: ChaosContext,
  issues: IssueCollector,
  path: readonly Segment[],
): boolean {
  if (ctx.catalogue.has(name) || isBroker(name, ctx)) return true;
  const brokers = ctx.brokers.map((b) => b.name);
  const hint = didYouMean(name, [...ctx.catalogue.keys(), ...brokers]);
  const workload = ctx.workloads.has(name)
    ? ` ("${name}" is a workload; its requests come from "client")`
    : '';
  issues.add(
    `unknown ${brokers.length === 0 ? 'service' : 'service or broker'} "${name}"${hint}${workload}`,
    path,
  );
  return false;
}

/** Why no traffic goes `from` → `to`, for an edge fault that would have no effect. */
function noTraffic(from: string, to: string, ctx: ChaosContext): string {
  if (from === CLIENT) return `no workload enters "${to}"`;
  if (isBroker(to, ctx)) return `"${from}" never publishes to "${to}"`;
  if (isBroker(from, ctx))
    return `"${from}" delivers nothing to "${to}" (it consumes none of ${from}'s queues)`;
  return `"${from}" never calls "${to}"`;
}

function resolveFaultTarget(
  f: UnresolvedFault,
  ctx: ChaosContext,
  issues: IssueCollector,
  path: readonly Segment[],
): FaultTarget | undefined {
  const t = f.target;
  const at = [...path, f.key];
  if (t.kind === 'groups') {
    const seen = new Set<string>();
    let ok = true;
    [t.a, t.b].forEach((group, g) => {
      group.forEach((name, i) => {
        if (name === CLIENT) {
          issues.add('"client" cannot be partitioned: use loss: client-><service> with rate: 100%', [
            ...at,
            g,
            i,
          ]);
          ok = false;
        } else if (!knownService(name, ctx, issues, [...at, g, i])) ok = false;
        else if (seen.has(name)) {
          issues.add(`"${name}" appears twice: the two groups of a partition are disjoint`, [...at, g, i]);
          ok = false;
        }
        seen.add(name);
      });
    });
    return ok ? { kind: 'groups', a: t.a, b: t.b } : undefined;
  }
  if (t.kind === 'edge') {
    let ok = true;
    if (t.from !== CLIENT && !knownService(t.from, ctx, issues, at)) ok = false;
    if (t.to === CLIENT) {
      issues.add('"client" can only be the "from" of an edge: write client-><service>', at);
      ok = false;
    } else if (!knownService(t.to, ctx, issues, at)) ok = false;
    if (!ok) return undefined;
    if (t.from === t.to) {
      issues.add('calls within a service are in-process and never cross the network', at);
      return undefined;
    }
    if (!talks(ctx.graph, t.from, t.to)) {
      const why = noTraffic(t.from, t.to, ctx);
      issues.add(`${why}: a fault on the edge ${t.from}->${t.to} would have no effect`, at);
      return undefined;
    }
    return { kind: 'edge', from: t.from, to: t.to };
  }
  if (t.endpoint !== null) {
    if (isBroker(t.service, ctx)) {
      issues.add(
        `"${t.service}" is a broker: it has no endpoints to target; write the broker alone (${f.key}: ${t.service})`,
        at,
      );
      return undefined;
    }
    const ref = issues.attempt(at, () =>
      resolveTarget(`${t.service}.${t.endpoint}`, undefined, ctx.catalogue, 'fault target'),
    );
    if (ref === undefined) return undefined;
    return { kind: 'service', service: ref.service, endpoint: ref.endpoint, instances: { kind: 'all' } };
  }
  if (!knownService(t.service, ctx, issues, at)) return undefined;
  const instances = f.instances ?? { kind: 'all' };
  if (instances.kind === 'count') {
    const replicas =
      ctx.services.find((s) => s.name === t.service)?.replicas ??
      ctx.brokers.find((b) => b.name === t.service)?.replicas ??
      0;
    if (instances.count > replicas) {
      issues.add(
        `${t.service} has ${replicas} instance${replicas === 1 ? '' : 's'}: instances must be at most ${replicas} (or a share such as 50%, or all)`,
        [...path, 'instances'],
      );
    }
  }
  return { kind: 'service', service: t.service, endpoint: null, instances };
}

/** Resolves the timeline: names unique, targets known, start inside the run; sorted by start (stable). */
export function buildChaos(
  faults: readonly UnresolvedFault[],
  ctx: ChaosContext,
  issues: IssueCollector,
): FaultSpec[] {
  const names = new Map<string, number>();
  const specs: FaultSpec[] = [];
  faults.forEach((f, i) => {
    const path = ['chaos', i];
    if (f.atMs >= ctx.durationMs) {
      issues.add(
        `the fault starts at ${shortDuration(f.atMs)}, at or after the end of the run (duration ${shortDuration(ctx.durationMs)})`,
        [...path, 'at'],
      );
    }
    const name = faultName(f);
    const previous = names.get(name);
    if (previous !== undefined) {
      const fix = f.name === undefined ? ': give one of them a "name"' : '';
      issues.add(
        `fault name "${name}" is already used by chaos[${previous}]${fix}`,
        f.name === undefined ? path : [...path, 'name'],
      );
    } else names.set(name, i);
    const target = resolveFaultTarget(f, ctx, issues, path);
    if (target !== undefined) specs.push({ name, action: f.action, target, atMs: f.atMs, forMs: f.forMs });
  });
  // Array.prototype.sort is stable: faults starting together keep the order of the file.
  return specs.sort((a, b) => a.atMs - b.atMs);
}

/** The names of the faults, for expectations (explicit or generated), in file order. */
export function faultNames(faults: readonly UnresolvedFault[]): string[] {
  return faults.map(faultName);
}
