/**
 * A typed signal bus over eventemitter3, which keeps the subscriptions (order and removal).
 * Emitting calls each listener inside its own try/catch, so a throwing listener is caught and
 * reported and never unwinds the simulation step that emitted.
 *
 * Each signal has a `Channel`: its listeners as an array, copied from eventemitter3 whenever a
 * subscription changes (`onAny` listeners first, bound to the signal). `emit` loops over it
 * rather than calling eventemitter3's `emit`, which builds its key string (`'~' + name`) and
 * handles `arguments` on every call. Emitters on the per-request hot path take the channel once
 * and loop over its listeners themselves: that call site then sees only that signal's listeners
 * and V8 can inline them (see docs/en/performance.md). A listener that (un)subscribes during an
 * emit, named or `onAny`, does not change the list being iterated (a new array replaces it): the
 * change takes effect from the next emit, as with eventemitter3's own `emit` for named listeners.
 */
import { EventEmitter } from 'eventemitter3';

/** A failure of one listener, as reported to `onListenerError`. */
export interface ListenerFailure {
  readonly signal: string;
  readonly error: unknown;
}

/**
 * One signal's listeners, for an emitter on the hot path. Emit with
 * `for (const l of ch.listeners) try { l(payload) } catch (e) { ch.failed(e) }` (calling `l` on
 * its own, so that `this` is undefined), building the payload only when `listeners.length > 0`.
 */
export interface Channel<Payload> {
  readonly signal: string;
  /** Who receives the signal, in order; a new array replaces it when subscriptions change. */
  readonly listeners: ReadonlyArray<(payload: Payload) => void>;
  /** Reports a listener that threw (as `emit` does). */
  failed(error: unknown): void;
}

export interface Bus<Catalogue> {
  /** Subscribes; returns a function that unsubscribes. */
  on<K extends keyof Catalogue & string>(signal: K, listener: (payload: Catalogue[K]) => void): () => void;
  /** Emits to every listener of `signal`, in subscription order. */
  emit<K extends keyof Catalogue & string>(signal: K, payload: Catalogue[K]): void;
  /** The signal's channel, to emit it on the hot path (see `Channel`). */
  channel<K extends keyof Catalogue & string>(signal: K): Channel<Catalogue[K]>;
  /** True when someone listens: build expensive payloads only then. */
  listening(signal: keyof Catalogue & string): boolean;
  /** Subscribes to every signal (for event logs); returns an unsubscribe function. */
  onAny(listener: (signal: string, payload: unknown) => void): () => void;
  /** Listener failures so far (the first 100 are kept; `failureCount` counts all). */
  readonly failures: readonly ListenerFailure[];
  readonly failureCount: number;
}

export interface BusOptions {
  /** Called for each failing listener, besides recording it in `failures`. */
  onListenerError?: (failure: ListenerFailure) => void;
}

const KEPT_FAILURES = 100;

type Listener = (payload: unknown) => void;
type AnyListener = (signal: string, payload: unknown) => void;

class SignalChannel implements Channel<unknown> {
  listeners: readonly Listener[];

  constructor(
    readonly signal: string,
    private readonly report: (signal: string, error: unknown) => void,
  ) {
    this.listeners = [];
  }

  failed(error: unknown): void {
    this.report(this.signal, error);
  }
}

export function createBus<Catalogue>(options: BusOptions = {}): Bus<Catalogue> {
  const emitter = new EventEmitter();
  const failures: ListenerFailure[] = [];
  /** onAny listeners, each with its per-signal bindings (made once per signal). */
  const anyListeners: Array<{ readonly listener: AnyListener; readonly bound: Map<string, Listener> }> = [];
  const channels = new Map<string, SignalChannel>();
  let failureCount = 0;

  const report = (signal: string, error: unknown): void => {
    failureCount++;
    const failure = { signal, error };
    if (failures.length < KEPT_FAILURES) failures.push(failure);
    try {
      options.onListenerError?.(failure);
    } catch {
      // A failing error handler must not unwind the simulation step either; the failure is recorded.
    }
  };

  const channelOf = (signal: string): SignalChannel => {
    let ch = channels.get(signal);
    if (ch === undefined) {
      ch = new SignalChannel(signal, report);
      channels.set(signal, ch);
      refresh(ch);
    }
    return ch;
  };

  /** Rebuilds a channel's listeners: onAny ones first, then the signal's own in order. */
  const refresh = (ch: SignalChannel): void => {
    const own = emitter.listeners(ch.signal) as Listener[];
    if (anyListeners.length === 0) {
      ch.listeners = own;
      return;
    }
    const all: Listener[] = [];
    for (const any of anyListeners) {
      let bound = any.bound.get(ch.signal);
      if (bound === undefined) {
        const { listener } = any;
        const signal = ch.signal;
        bound = (payload) => listener(signal, payload);
        any.bound.set(signal, bound);
      }
      all.push(bound);
    }
    ch.listeners = all.concat(own);
  };

  return {
    on(signal, listener) {
      // A token per subscription, passed as eventemitter3's context: `off` then removes exactly
      // this subscription even when the same function is subscribed twice.
      const token = {};
      emitter.on(signal, listener as Listener, token);
      const ch = channelOf(signal);
      refresh(ch);
      return () => {
        emitter.off(signal, listener as Listener, token);
        refresh(ch);
      };
    },
    emit(signal, payload) {
      let ch = channels.get(signal);
      if (ch === undefined) {
        // Never subscribed to by name: only onAny listeners (if any) hear it.
        if (anyListeners.length === 0) return;
        ch = channelOf(signal);
      }
      const listeners = ch.listeners;
      for (let i = 0; i < listeners.length; i++) {
        const listener = listeners[i]!; // called on its own: `this` is undefined, not the array
        try {
          listener(payload);
        } catch (error) {
          report(signal, error);
        }
      }
    },
    channel(signal) {
      return channelOf(signal) as unknown as Channel<Catalogue[typeof signal]>;
    },
    listening(signal) {
      return anyListeners.length > 0 || (channels.get(signal)?.listeners.length ?? 0) > 0;
    },
    onAny(listener) {
      const entry = { listener, bound: new Map<string, Listener>() };
      anyListeners.push(entry);
      for (const ch of channels.values()) refresh(ch);
      return () => {
        const i = anyListeners.indexOf(entry);
        if (i < 0) return;
        anyListeners.splice(i, 1);
        for (const ch of channels.values()) refresh(ch);
      };
    },
    get failures() {
      return failures;
    },
    get failureCount() {
      return failureCount;
    },
  };
}
