/** Hand-written signal streams for the observe tests. */
import { type Bus, createBus } from '../../src/engine/bus.ts';
import type { FailureReason, Outcome, ServiceGauges, Signals } from '../../src/signals.ts';

export function newBus(): Bus<Signals> {
  return createBus<Signals>({
    onListenerError: ({ error }) => {
      throw error;
    },
  });
}

/** A service's gauges with every field 0 unless given. */
export function gauges(service: string, fields: Partial<Omit<ServiceGauges, 'service'>> = {}): ServiceGauges {
  return {
    service,
    readyInstances: 0,
    workers: 0,
    busy: 0,
    queued: 0,
    inSystem: 0,
    busyArea: 0,
    capacityArea: 0,
    queueArea: 0,
    inSystemArea: 0,
    readyArea: 0,
    ...fields,
  };
}

/** Request numbers for the readable string names the tests use ('a', 'b', …). */
const numbers = new Map<string, number>();
export function requestNumber(name: string): number {
  let n = numbers.get(name);
  if (n === undefined) {
    n = numbers.size + 1;
    numbers.set(name, n);
  }
  return n;
}

export interface RequestSpec {
  /** A readable name; signals carry its number (see `requestNumber`). */
  id: string;
  arrivedAt: number;
  at: number;
  outcome?: Outcome;
  reason?: FailureReason;
  workload?: string;
}

/** Emits `request.arrived` now and keeps the completion for later. */
export function arrive(bus: Bus<Signals>, r: RequestSpec): void {
  bus.emit('request.arrived', {
    at: r.arrivedAt,
    id: requestNumber(r.id),
    workload: r.workload ?? 'web',
    service: 'front',
    endpoint: 'home',
  });
}

export function complete(bus: Bus<Signals>, r: RequestSpec): void {
  bus.emit('request.completed', {
    at: r.at,
    id: requestNumber(r.id),
    workload: r.workload ?? 'web',
    service: 'front',
    endpoint: 'home',
    arrivedAt: r.arrivedAt,
    latencyMs: r.at - r.arrivedAt,
    outcome: r.outcome ?? 'ok',
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  });
}

export interface HopSpec {
  service?: string;
  endpoint?: string;
  arrivedAt: number;
  at: number;
  waitMs?: number;
  residenceMs?: number;
  inProcess?: boolean;
  outcome?: Outcome;
  reason?: FailureReason;
  caller?: string;
  workMs?: number;
  wasted?: boolean;
}

export function hop(bus: Bus<Signals>, h: HopSpec): void {
  bus.emit('hop.completed', {
    at: h.at,
    requestId: 0,
    span: 1,
    parentSpan: 0,
    service: h.service ?? 'front',
    endpoint: h.endpoint ?? 'home',
    instance: `${h.service ?? 'front'}#1`,
    arrivedAt: h.arrivedAt,
    waitMs: h.waitMs ?? 0,
    residenceMs: h.residenceMs ?? h.at - h.arrivedAt,
    latencyMs: h.at - h.arrivedAt,
    inProcess: h.inProcess ?? false,
    caller: h.caller ?? 'users',
    workMs: h.workMs ?? 0,
    wasted: h.wasted ?? false,
    outcome: h.outcome ?? 'ok',
    ...(h.reason !== undefined ? { reason: h.reason } : {}),
  });
}

/** Recursively finds NaN or ±Infinity anywhere in a value; returns the offending paths. */
export function nonFinitePaths(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, `${path}.${k}`));
  }
  return [];
}
