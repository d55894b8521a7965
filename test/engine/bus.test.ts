import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createBus, type ListenerFailure } from '../../src/engine/bus.ts';

interface TestSignals {
  'job.done': { readonly id: string; readonly ms: number };
  'job.failed': { readonly id: string };
  'tick.fired': number;
}

describe('bus: typed emit/on', () => {
  it('delivers payloads to listeners of that signal only, in subscription order', () => {
    const bus = createBus<TestSignals>();
    const log: string[] = [];
    bus.on('job.done', (p) => log.push(`first ${p.id} ${p.ms}`));
    bus.on('job.done', (p) => log.push(`second ${p.id}`));
    bus.on('job.failed', (p) => log.push(`failed ${p.id}`));
    bus.emit('job.done', { id: 'a', ms: 3 });
    expect(log).toEqual(['first a 3', 'second a']);
  });

  it('types the payload by signal name', () => {
    const bus = createBus<TestSignals>();
    bus.on('tick.fired', (n) => {
      expectTypeOf(n).toEqualTypeOf<number>();
    });
    bus.on('job.done', (p) => {
      expectTypeOf(p).toEqualTypeOf<{ readonly id: string; readonly ms: number }>();
    });
    // @ts-expect-error: wrong payload type for this signal
    bus.emit('tick.fired', 'not a number');
    // @ts-expect-error: unknown signal name
    bus.emit('job.unknown', 1);
  });

  it('emitting with no listeners is a no-op', () => {
    const bus = createBus<TestSignals>();
    expect(() => bus.emit('tick.fired', 1)).not.toThrow();
    expect(bus.failureCount).toBe(0);
  });
});

describe('bus: unsubscribe and listening', () => {
  it('the function returned by on() unsubscribes only that listener', () => {
    const bus = createBus<TestSignals>();
    const a = vi.fn();
    const b = vi.fn();
    const offA = bus.on('tick.fired', a);
    bus.on('tick.fired', b);
    bus.emit('tick.fired', 1);
    offA();
    bus.emit('tick.fired', 2);
    expect(a.mock.calls).toEqual([[1]]);
    expect(b.mock.calls).toEqual([[1], [2]]);
  });

  it('the same function subscribed twice is called twice and unsubscribed one at a time', () => {
    const bus = createBus<TestSignals>();
    const f = vi.fn();
    const off1 = bus.on('tick.fired', f);
    bus.on('tick.fired', f);
    bus.emit('tick.fired', 1);
    expect(f).toHaveBeenCalledTimes(2);
    off1();
    bus.emit('tick.fired', 2);
    expect(f).toHaveBeenCalledTimes(3);
  });

  it('listening() is true exactly while someone listens to that signal or to any', () => {
    const bus = createBus<TestSignals>();
    expect(bus.listening('job.done')).toBe(false);
    const off = bus.on('job.done', () => {});
    expect(bus.listening('job.done')).toBe(true);
    expect(bus.listening('job.failed')).toBe(false);
    off();
    expect(bus.listening('job.done')).toBe(false);
    const offAny = bus.onAny(() => {});
    expect(bus.listening('job.failed')).toBe(true);
    offAny();
    expect(bus.listening('job.failed')).toBe(false);
  });
});

describe('bus: onAny', () => {
  it('receives every signal with its name and payload, before specific listeners', () => {
    const bus = createBus<TestSignals>();
    const log: string[] = [];
    bus.on('job.done', (p) => log.push(`specific ${p.id}`));
    bus.onAny((signal, payload) => log.push(`any ${signal} ${JSON.stringify(payload)}`));
    bus.emit('job.done', { id: 'x', ms: 1 });
    bus.emit('tick.fired', 7);
    expect(log).toEqual(['any job.done {"id":"x","ms":1}', 'specific x', 'any tick.fired 7']);
  });

  it('unsubscribing from onAny stops delivery', () => {
    const bus = createBus<TestSignals>();
    const f = vi.fn();
    const off = bus.onAny(f);
    bus.emit('tick.fired', 1);
    off();
    off(); // idempotent
    bus.emit('tick.fired', 2);
    expect(f.mock.calls).toEqual([['tick.fired', 1]]);
  });
});

describe('bus: a throwing listener is caught and reported', () => {
  it('emit does not throw, later listeners still run, and the failure is recorded', () => {
    const seen: ListenerFailure[] = [];
    const bus = createBus<TestSignals>({ onListenerError: (f) => seen.push(f) });
    const boom = new Error('boom');
    const later = vi.fn();
    bus.on('job.failed', () => {
      throw boom;
    });
    bus.on('job.failed', later);
    expect(() => bus.emit('job.failed', { id: 'r1' })).not.toThrow();
    expect(later).toHaveBeenCalledWith({ id: 'r1' });
    expect(bus.failureCount).toBe(1);
    expect(bus.failures).toEqual([{ signal: 'job.failed', error: boom }]);
    expect(seen).toEqual([{ signal: 'job.failed', error: boom }]);
  });

  it('a throwing onAny listener is caught too, and specific listeners still run', () => {
    const onListenerError = vi.fn();
    const bus = createBus<TestSignals>({ onListenerError });
    const specific = vi.fn();
    bus.onAny(() => {
      throw new Error('any failed');
    });
    bus.on('tick.fired', specific);
    expect(() => bus.emit('tick.fired', 3)).not.toThrow();
    expect(specific).toHaveBeenCalledWith(3);
    expect(bus.failures[0]?.signal).toBe('tick.fired');
    expect(onListenerError).toHaveBeenCalledTimes(1);
  });

  it('failureCount counts every failure while failures keeps the first 100', () => {
    const bus = createBus<TestSignals>();
    let n = 0;
    bus.on('tick.fired', (i) => {
      n++;
      throw new Error(`fail ${i}`);
    });
    for (let i = 0; i < 150; i++) bus.emit('tick.fired', i);
    expect(n).toBe(150);
    expect(bus.failureCount).toBe(150);
    expect(bus.failures).toHaveLength(100);
    expect(bus.failures.map((f) => (f.error as Error).message).slice(0, 2)).toEqual(['fail 0', 'fail 1']);
    expect((bus.failures.at(-1)!.error as Error).message).toBe('fail 99');
  });

  it('non-Error throws are recorded as they were thrown', () => {
    const bus = createBus<TestSignals>();
    bus.on('tick.fired', () => {
      throw 'a string';
    });
    bus.emit('tick.fired', 0);
    expect(bus.failures).toEqual([{ signal: 'tick.fired', error: 'a string' }]);
  });
});

describe('bus: subscribing during an emit', () => {
  it('a listener added or removed while a signal is emitted takes effect from the next emit', () => {
    const bus = createBus<TestSignals>();
    const log: string[] = [];
    let offSecond = (): void => {};
    bus.on('tick.fired', (n) => {
      log.push(`first ${n}`);
      if (n === 1) {
        offSecond();
        bus.on('tick.fired', (m) => log.push(`third ${m}`));
      }
    });
    offSecond = bus.on('tick.fired', (n) => log.push(`second ${n}`));
    bus.emit('tick.fired', 1);
    bus.emit('tick.fired', 2);
    expect(log).toEqual(['first 1', 'second 1', 'first 2', 'third 2']);
  });

  it('the same holds for onAny listeners: changes made during an emit apply from the next one', () => {
    const bus = createBus<TestSignals>();
    const log: string[] = [];
    let offNamed = (): void => {};
    const offAny = bus.onAny((_signal, n) => {
      log.push(`any ${n}`);
      if (n === 1) {
        offNamed();
        bus.onAny((_s, m) => log.push(`late any ${m}`));
        offAny();
      }
    });
    offNamed = bus.on('tick.fired', (n) => log.push(`named ${n}`));
    bus.emit('tick.fired', 1);
    bus.emit('tick.fired', 2);
    expect(log).toEqual(['any 1', 'named 1', 'late any 2']);
  });

  it('calls listeners as plain functions (this is undefined)', () => {
    const bus = createBus<TestSignals>();
    const seen: unknown[] = [];
    bus.on('tick.fired', function (this: unknown) {
      seen.push(this);
    });
    bus.emit('tick.fired', 1);
    expect(seen).toEqual([undefined]);
  });
});
