/**
 * The state graph of a circuit breaker (Resilience4j `CircuitBreakerStateMachine`):
 *
 *   closed --thresholds_exceeded--> open --(wait: timer or first call after it)--> half_open
 *   half_open --thresholds_exceeded | max wait--> open
 *   half_open --below_thresholds--> closed
 *   any --disable | force_open | metrics_only | close | reset--> disabled | forced_open | metrics_only | closed
 *
 * The machine only holds the state, the reason it was entered (`context.cause`) and the two
 * timers; the per-call windows live in plain code (`circuit-breaker.ts`), which sends an event
 * only when a transition is due. Timers run on the clock the actor is created with
 * (`{ clock: engine.clock }`), i.e. on simulated time. A timer exists only when it can fire:
 * OPEN has one only with `automaticTransition`, HALF_OPEN only with `maxWaitInHalfOpenMs > 0`
 * (Resilience4j schedules these the same way), so a lazy breaker leaves no event in the queue.
 */
import { assign, setup } from 'xstate';

export type BreakerState = 'closed' | 'open' | 'half_open' | 'disabled' | 'forced_open' | 'metrics_only';

/** Why the breaker entered its current state. */
export type BreakerCause =
  /** The breaker was just created (CLOSED). */
  | 'initial'
  /** The failure or slow-call rate reached its threshold (CLOSED or HALF_OPEN -> OPEN). */
  | 'thresholds_exceeded'
  /** The trial calls stayed below both thresholds (HALF_OPEN -> CLOSED). */
  | 'below_thresholds'
  /** The wait in OPEN elapsed and the automatic-transition timer fired (OPEN -> HALF_OPEN). */
  | 'wait_elapsed'
  /** A call arrived after the wait in OPEN (lazy OPEN -> HALF_OPEN, Resilience4j's default). */
  | 'call_after_wait'
  /** HALF_OPEN lasted `maxWaitInHalfOpenMs` without a verdict (HALF_OPEN -> OPEN). */
  | 'max_wait_elapsed'
  /** disable / forceOpen / metricsOnly / close. */
  | 'command'
  /** reset: back to CLOSED with a fresh window. */
  | 'reset';

export type BreakerMachineEvent =
  | { readonly type: 'thresholds_exceeded' }
  | { readonly type: 'below_thresholds' }
  | { readonly type: 'call_after_wait' }
  | { readonly type: 'disable' }
  | { readonly type: 'force_open' }
  | { readonly type: 'metrics_only' }
  | { readonly type: 'close' }
  | { readonly type: 'reset' };

/** The timing part of the configuration: it decides which timers the machine has. */
export interface BreakerTiming {
  readonly waitInOpenMs: number;
  readonly automaticTransition: boolean;
  readonly maxWaitInHalfOpenMs: number;
}

/** Builds the machine for one timing configuration (timers are part of the graph). */
export function createBreakerMachine(timing: BreakerTiming) {
  return setup({
    types: {
      context: {} as { cause: BreakerCause },
      events: {} as BreakerMachineEvent,
    },
    actions: {
      because: assign((_, params: { cause: BreakerCause }) => ({ cause: params.cause })),
    },
    delays: {
      waitInOpen: timing.waitInOpenMs,
      maxWaitInHalfOpen: timing.maxWaitInHalfOpenMs,
    },
  }).createMachine({
    id: 'breaker',
    context: { cause: 'initial' },
    initial: 'closed',
    // Commands apply in every state. The caller does not send one for the state it is in.
    on: {
      disable: { target: '.disabled', actions: { type: 'because', params: { cause: 'command' } } },
      force_open: { target: '.forced_open', actions: { type: 'because', params: { cause: 'command' } } },
      metrics_only: { target: '.metrics_only', actions: { type: 'because', params: { cause: 'command' } } },
      close: { target: '.closed', actions: { type: 'because', params: { cause: 'command' } } },
      reset: { target: '.closed', actions: { type: 'because', params: { cause: 'reset' } } },
    },
    states: {
      closed: {
        on: {
          thresholds_exceeded: {
            target: 'open',
            actions: { type: 'because', params: { cause: 'thresholds_exceeded' } },
          },
        },
      },
      open: {
        on: {
          call_after_wait: {
            target: 'half_open',
            actions: { type: 'because', params: { cause: 'call_after_wait' } },
          },
        },
        after: timing.automaticTransition
          ? {
              waitInOpen: {
                target: 'half_open',
                actions: { type: 'because', params: { cause: 'wait_elapsed' } },
              },
            }
          : {},
      },
      half_open: {
        on: {
          thresholds_exceeded: {
            target: 'open',
            actions: { type: 'because', params: { cause: 'thresholds_exceeded' } },
          },
          below_thresholds: {
            target: 'closed',
            actions: { type: 'because', params: { cause: 'below_thresholds' } },
          },
        },
        // Resilience4j schedules this timer only for a max wait of at least 1 ms.
        after:
          timing.maxWaitInHalfOpenMs > 0
            ? {
                maxWaitInHalfOpen: {
                  target: 'open',
                  actions: { type: 'because', params: { cause: 'max_wait_elapsed' } },
                },
              }
            : {},
      },
      disabled: {},
      forced_open: {},
      metrics_only: {},
    },
  });
}

export type BreakerMachine = ReturnType<typeof createBreakerMachine>;
