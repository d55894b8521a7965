/**
 * A typed signal bus over eventemitter3, which keeps the subscriptions (order, removal, counts).
 * Emitting calls each listener inside its own try/catch, so a throwing listener is caught and
 * reported and never unwinds the simulation step that emitted.
 */
import { EventEmitter } from 'eventemitter3';

/** A failure of one listener, as reported to `onListenerError`. */
export interface ListenerFailure {
  readonly signal: string;
  readonly error: unknown;
}

export interface Bus<Catalogue> {
  /** Subscribes; returns a function that unsubscribes. */
  on<K extends keyof Catalogue & string>(signal: K, listener: (payload: Catalogue[K]) => void): () => void;
  /** Emits to every listener of `signal`, in subscription order. */
  emit<K extends keyof Catalogue & string>(signal: K, payload: Catalogue[K]): void;
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

export function createBus<Catalogue>(options: BusOptions = {}): Bus<Catalogue> {
  const emitter = new EventEmitter();
  const failures: ListenerFailure[] = [];
  const anyListeners: Array<(signal: string, payload: unknown) => void> = [];
  let failureCount = 0;

  /**
   * Each signal's listeners in subscription order, copied from eventemitter3 whenever a
   * subscription changes; absent when nobody listens. Emitting reads this array instead of
   * calling eventemitter3's \`emit\`, which builds its key string (\`'~' + name\`) and handles
   * \`arguments\` per call: about 300 instructions per signal on the per-request hot path
   * (docs/en/performance.md). A listener that (un)subscribes during an emit does not change
   * the array being iterated (a new one replaces it), as with eventemitter3's own \`emit\`.
   */
  const dispatch = new Map<string, Array<(payload: unknown) => void>>();
  const refresh = (signal: string): void => {
    const listeners = emitter.listeners(signal) as Array<(payload: unknown) => void>;
    if (listeners.length === 0) dispatch.delete(signal);
    else dispatch.set(signal, listeners);
  };

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

  return {
    on(signal, listener) {
      // A token per subscription, passed as eventemitter3's context: `off` then removes exactly
      // this subscription even when the same function is subscribed twice.
      const token = {};
      emitter.on(signal, listener as (payload: unknown) => void, token);
      refresh(signal);
      return () => {
        emitter.off(signal, listener as (payload: unknown) => void, token);
        refresh(signal);
      };
    },
    emit(signal, payload) {
      if (anyListeners.length > 0) {
        for (const l of anyListeners) {
          try {
            l(signal, payload);
          } catch (error) {
            report(signal, error);
          }
        }
      }
      const list = dispatch.get(signal);
      if (list === undefined) return;
      for (let i = 0; i < list.length; i++) {
        try {
          list[i]!(payload);
        } catch (error) {
          report(signal, error);
        }
      }
    },
    listening(signal) {
      return anyListeners.length > 0 || dispatch.has(signal);
    },
    onAny(listener) {
      anyListeners.push(listener);
      return () => {
        const i = anyListeners.indexOf(listener);
        if (i >= 0) anyListeners.splice(i, 1);
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
