/**
 * An autoscaler's loop as an xstate machine on the simulation clock: every `periodMs` it wakes
 * up (`after`), runs its decision (`tick`) and waits again. Created with `{ clock: engine.clock }`.
 */
import { setup } from 'xstate';

export interface AutoscalerMachineInput {
  readonly periodMs: number;
  readonly tick: () => void;
}

export const autoscalerMachine = setup({
  types: {
    context: {} as AutoscalerMachineInput,
    input: {} as AutoscalerMachineInput,
  },
  delays: {
    period: ({ context }) => context.periodMs,
  },
  actions: {
    tick: ({ context }) => context.tick(),
  },
}).createMachine({
  id: 'autoscaler',
  context: ({ input }) => input,
  initial: 'watching',
  states: {
    watching: {
      after: { period: { target: 'watching', reenter: true, actions: 'tick' } },
    },
  },
});
