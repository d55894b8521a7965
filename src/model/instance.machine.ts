/**
 * The lifecycle of one service instance:
 *
 *   starting --(after startupMs)--> ready --drain--> draining --drained--> stopped
 *       \                             |                  |
 *        `-------- crash ------------>+------------------+--> crashed --restart--> starting
 *
 * Only `ready` instances receive requests. The `after` timer runs on the simulation clock when
 * the actor is created with `{ clock: engine.clock }`.
 */
import { assign, setup } from 'xstate';

export interface InstanceMachineInput {
  readonly startupMs: number;
}

export const instanceMachine = setup({
  types: {
    context: {} as { startupMs: number },
    input: {} as InstanceMachineInput,
    events: {} as
      | { type: 'drain' }
      | { type: 'drained' }
      | { type: 'crash' }
      | { type: 'restart'; startupMs?: number }
      | { type: 'stop' },
  },
  delays: {
    startup: ({ context }) => context.startupMs,
  },
}).createMachine({
  id: 'instance',
  context: ({ input }) => ({ startupMs: input.startupMs }),
  initial: 'starting',
  states: {
    starting: {
      after: { startup: 'ready' },
      on: { crash: 'crashed', stop: 'stopped' },
    },
    ready: {
      on: { drain: 'draining', crash: 'crashed', stop: 'stopped' },
    },
    draining: {
      on: { drained: 'stopped', crash: 'crashed', stop: 'stopped' },
    },
    crashed: {
      on: {
        restart: {
          target: 'starting',
          actions: assign({ startupMs: ({ context, event }) => event.startupMs ?? context.startupMs }),
        },
      },
    },
    stopped: { type: 'final' },
  },
});
