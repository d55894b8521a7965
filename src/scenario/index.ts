/**
 * The scenario layer: scenario files (YAML, JSON, TypeScript) to `ResolvedScenario`s, with
 * units resolved, defaults applied and friendly errors. See docs/en/scenario-format.md.
 */
export type { BackoffInput } from './backoff-text.ts';
export type { QueueSettingsInput, QueuesInput, TopicInput, TopicsInput } from './brokers.ts';
export type { CallInput, CallStepInput, ChoiceBranchInput } from './call-steps.ts';
export type { FaultInput } from './chaos.ts';
export type { ConsumesInput } from './consumers.ts';
export type { DistributionInput, DistributionObjectInput } from './distribution-value.ts';
export { parseDistribution } from './distribution-value.ts';
export type { ExpectationInput } from './expectations.ts';
export type { DurationInput, RateInput, RatioInput } from './fields.ts';
export { loadScenario } from './load.ts';
export type { NarrationInput } from './narration.ts';
export type {
  BreakerInput,
  ClientPolicyInput,
  InboundInput,
  OutlierInput,
  RateLimiterInput,
  RetryInput,
} from './policies.ts';
export type { PublishStepInput } from './publish-step.ts';
export { parseScenarioText, resolveScenario } from './resolve.ts';
export type { LocalizedText, NarrationSpec, ResolvedScenario } from './resolved.ts';
export { MAX_ISSUES, ScenarioError, type ScenarioIssue } from './scenario-error.ts';
export { defineScenario, type ScenarioInput } from './schema.ts';
export { parseDuration, parseRate, parseRatio } from './units.ts';
export { MAX_ALIAS_COUNT, MAX_FILE_BYTES } from './yaml-source.ts';
