/**
 * A typed signal bus over eventemitter3. Listeners are wrapped when they subscribe, so a
 * throwing listener is caught and reported and never unwinds the simulation step that emitted.
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
      const wrapped = (payload: unknown): void => {
        try {
          listener(payload as never);
        } catch (error) {
          report(signal, error);
        }
      };
      emitter.on(signal, wrapped);
      return () => {
        emitter.off(signal, wrapped);
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
      emitter.emit(signal, payload);
    },
    listening(signal) {
      return anyListeners.length > 0 || emitter.listenerCount(signal) > 0;
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
