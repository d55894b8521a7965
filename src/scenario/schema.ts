/**
 * The scenario file format as one zod schema: structure, types and units. Cross-references
 * (call targets, edges, entries) and rules spanning several fields are checked afterwards by
 * build-scenario.ts; only services' `technology:` names are resolved here, in the schema's last
 * step (technology.ts). `ScenarioInput` is what a file or `defineScenario({...})` contains.
 */
import { z } from 'zod';
import { type QueuesInput, queuesValue, type TopicsInput, topicsValue } from './brokers.ts';
import { type CallStepInput, readCallStep } from './call-steps.ts';
import { type FaultInput, readFault } from './chaos.ts';
import { type ConsumesInput, consumesValue } from './consumers.ts';
import { type DeployInput, readDeploy, type VersionsInput, versionsValue } from './deploys.ts';
import { type DistributionInput, distributionValue } from './distribution-value.ts';
import { type ExpectationInput, readExpectation } from './expectations.ts';
import {
  durationField,
  integerField,
  rateField,
  strictMap,
  textField,
  valueField,
  weightField,
} from './fields.ts';
import { describeValue, invalid } from './invalid-value.ts';
import { type NarrationInput, readNarration } from './narration.ts';
import {
  type ClientPolicyInput,
  clientPolicyValue,
  type InboundInput,
  inboundValue,
  type OutlierInput,
  outlierValue,
} from './policies.ts';
import {
  type AutoscaleInput,
  autoscaleValue,
  MAX_REPLICAS,
  type ResourcesInput,
  resourcesValue,
} from './scaling.ts';
import {
  resolveTechnologies,
  TECHNOLOGY_EXAMPLE,
  type TechnologyInput,
  technologyDraftValue,
  technologyName,
  writtenResourcesValue,
} from './technology.ts';

/** At most this many users per closed workload (each holds a pending event). */
export const MAX_USERS = 1_000_000;

const distribution = valueField<DistributionInput, ReturnType<typeof distributionValue>>(
  'a distribution such as "exp(100ms)"',
  (raw) => distributionValue(raw),
);

/** `unbounded` (Infinity) or a number of waiting places per instance. */
const queue = valueField<'unbounded' | number, number>('"unbounded" or an integer >= 0', (raw) => {
  if (raw === 'unbounded') return Number.POSITIVE_INFINITY;
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
  throw invalid(
    `expected "unbounded" or an integer >= 0 (waiting places per instance), got ${describeValue(raw)}`,
  );
});

const callStep = valueField<CallStepInput, ReturnType<typeof readCallStep>>('a call step', readCallStep);

/** A caller's policies on its calls to one service. */
const clientPolicy = valueField<ClientPolicyInput, ReturnType<typeof clientPolicyValue>>(
  'a map of policies such as {timeout: 2s, retry: 3}',
  (raw) => clientPolicyValue(raw, false),
);

/** A workload's client policies (the same, without `scope`). */
const workloadClient = valueField<Omit<ClientPolicyInput, 'scope'>, ReturnType<typeof clientPolicyValue>>(
  'a map of policies such as {timeout: 2s, retry: 3}',
  (raw) => clientPolicyValue(raw, true),
);

const inbound = valueField<InboundInput, ReturnType<typeof inboundValue>>(
  'a map {rateLimiter: {…}, shed: {maxQueueWait: 200ms}}',
  inboundValue,
);

const outlierDetection = valueField<OutlierInput, ReturnType<typeof outlierValue>>(
  "true (Envoy's defaults) or a map {consecutiveErrors: 5, …}",
  outlierValue,
);

const autoscale = valueField<AutoscaleInput, ReturnType<typeof autoscaleValue>>(
  'a map {metric: utilization, target: 50%, min: 1, max: 10}',
  autoscaleValue,
);

const resources = valueField<ResourcesInput, ReturnType<typeof writtenResourcesValue>>(
  'a map {cores: 1, memoryMb: 512, costPerHour: 0.05}',
  writtenResourcesValue,
);

/** A service's runtime: a built-in profile (`jvm`, `go`…) or one of `technologies:`. */
const technology = valueField<string, string>('the name of a technology profile such as jvm', technologyName);

/** One of the file's own technology profiles. */
const technologyProfile = valueField<TechnologyInput, ReturnType<typeof technologyDraftValue>>(
  `a map such as ${TECHNOLOGY_EXAMPLE}`,
  technologyDraftValue,
);

const versions = valueField<VersionsInput, ReturnType<typeof versionsValue>>(
  'a map of versions such as {v1: {}, v2: {errorRate: 5%}}',
  versionsValue,
);

const deploy = valueField<DeployInput, ReturnType<typeof readDeploy>>(
  'a rollout such as {at: 5m, service: checkout, to: v2, strategy: rolling}',
  readDeploy,
);

const fault = valueField<FaultInput, ReturnType<typeof readFault>>(
  'a fault such as {at: 60s, for: 30s, kill: payments}',
  readFault,
);

const narration = valueField<NarrationInput, ReturnType<typeof readNarration>>(
  'a narration entry such as {at: 60s, en: …, es: …}',
  readNarration,
);

const expectation = valueField<ExpectationInput, ReturnType<typeof readExpectation>>(
  'an expectation such as {metric: availability, atLeast: 99%}',
  readExpectation,
);

/** An endpoint's `consumes:`: the queue it processes messages from. */
const consumes = valueField<ConsumesInput, ReturnType<typeof consumesValue>>(
  'a queue such as mq.notifications, or {from: mq.notifications, concurrency: 4}',
  consumesValue,
);

const endpoint = strictMap({
  work: distribution,
  order: z.enum(['work-first', 'calls-first']).optional(),
  calls: z.array(callStep).optional(),
  consumes: consumes.optional(),
});

const service = strictMap({
  replicas: integerField(0, MAX_REPLICAS).optional(),
  workers: integerField(1).optional(),
  queue: queue.optional(),
  discipline: z.enum(['fifo', 'ps']).optional(),
  holding: z.enum(['thread-per-request', 'non-blocking']).optional(),
  startup: distribution.optional(),
  loadBalancing: z.enum(['round-robin', 'random', 'least-requests']).optional(),
  endpoints: z.record(z.string(), endpoint),
  clients: z.record(z.string(), clientPolicy).optional(),
  inbound: inbound.optional(),
  outlierDetection: outlierDetection.optional(),
  autoscale: autoscale.optional(),
  versions: versions.optional(),
  resources: resources.optional(),
  technology: technology.optional(),
});

/** A broker's `resources:` (no technology profile to merge with). */
const brokerResources = valueField<ResourcesInput, ReturnType<typeof resourcesValue>>(
  'a map {cores: 1, memoryMb: 512, costPerHour: 0.05}',
  resourcesValue,
);

const queues = valueField<QueuesInput, ReturnType<typeof queuesValue>>(
  'a map of queues such as {notifications: {maxLength: 10000}}',
  queuesValue,
);

const topics = valueField<TopicsInput, ReturnType<typeof topicsValue>>(
  'a map of topics such as {orders: {groups: [billing, shipping]}}',
  topicsValue,
);

const broker = strictMap({
  replicas: integerField(1, MAX_REPLICAS).optional(),
  workers: integerField(1).optional(),
  queue: queue.optional(),
  startup: distribution.optional(),
  publishWork: distribution.optional(),
  resources: brokerResources.optional(),
  queues: queues.optional(),
  topics: topics.optional(),
});

const rateChange = strictMap({
  at: durationField('60s'),
  rate: rateField,
  ramp: durationField('30s').optional(),
});

const workload = strictMap({
  type: z.enum(['open', 'closed']).optional(),
  rate: rateField.optional(),
  arrivals: z.enum(['poisson', 'constant']).optional(),
  profile: z.array(rateChange).optional(),
  users: integerField(0, MAX_USERS).optional(),
  think: distribution.optional(),
  entry: z.string().optional(),
  mix: z.array(strictMap({ to: z.string(), weight: weightField })).optional(),
  client: workloadClient.optional(),
});

const edge = strictMap({ from: z.string(), to: z.string(), latency: distribution });

/** The whole file. */
export const scenarioSchema = strictMap({
  name: textField,
  description: strictMap({ en: textField, es: textField }),
  seed: integerField(0).optional(),
  duration: durationField('10m', true),
  warmup: durationField('30s').optional(),
  metrics: strictMap({ interval: durationField('1s', true).optional() }).optional(),
  limits: strictMap({
    maxCallDepth: integerField(1, 10_000).optional(),
    maxQueueLength: integerField(1, 10_000_000).optional(),
    maxEvents: integerField(1).optional(),
    wallTime: durationField('10m', true).optional(),
  }).optional(),
  network: strictMap({
    latency: distribution.optional(),
    edges: z.array(edge).optional(),
  }).optional(),
  technologies: z.record(z.string(), technologyProfile).optional(),
  services: z.record(z.string(), service),
  brokers: z.record(z.string(), broker).optional(),
  workloads: z.record(z.string(), workload),
  chaos: z.array(fault).optional(),
  deploy: z.array(deploy).optional(),
  expect: z.array(expectation).optional(),
  narration: z.array(narration).optional(),
}).transform((parsed, ctx) =>
  // Services name their technology; the names are resolved once the whole file has parsed.
  resolveTechnologies(parsed, (issue) =>
    ctx.addIssue({
      code: 'custom',
      message: issue.message,
      path: [...issue.path],
      ...(issue.at === undefined ? {} : { params: { at: issue.at } }),
    }),
  ),
);

/** A scenario as written (YAML, JSON or a TypeScript module): units as text, defaults omitted. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** A scenario after the schema: units resolved, references not yet checked. */
export type ParsedScenario = z.output<typeof scenarioSchema>;

/**
 * Identity function that types a TypeScript scenario: `export default defineScenario({...})`.
 * Validation happens when the scenario is loaded, as for YAML.
 */
export function defineScenario(input: ScenarioInput): ScenarioInput {
  return input;
}
