/**
 * microsim's public API (`import { runScenario } from 'microsim'`): run scenarios from tests or
 * scripts, load and validate scenario files, and the types of their results and signals.
 * See docs/en/testing.md.
 */
export type { Bus } from './engine/bus.ts';
export type { FaultAction, FaultCommand, FaultTarget } from './model/fault-spec.ts';
export type { MessagingResults, QueueResults } from './observe/messaging.ts';
export type { ResultsDocument } from './observe/results.ts';
export {
  type RunScenarioOptions,
  runScenario,
  type ScenarioOverrides,
  type ScenarioRun,
} from './runtime/run-scenario.ts';
export { createSession, type Session } from './runtime/session.ts';
export {
  defineScenario,
  loadScenario,
  parseScenarioText,
  type ResolvedScenario,
  resolveScenario,
  ScenarioError,
  type ScenarioInput,
} from './scenario/index.ts';
export {
  type ExpectationSpec,
  FAILURE_REASONS,
  type FailureReason,
  type Outcome,
  type PublishFailure,
  type QueueGauges,
  type RequeueCause,
  type SignalName,
  type Signals,
} from './signals.ts';
