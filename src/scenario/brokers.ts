/**
 * Message brokers (`brokers:`): a broker's `queues:` and `topics:` as written, read into the
 * model's `QueueSpec`s and `TopicSpec`s with RabbitMQ's defaults, and the brokers built once the
 * services are known (brokers and services share one namespace; queue and topic names are unique
 * within a broker). References to queues (`mq.notifications`) are resolved by queue-refs.ts.
 */
import type { Distribution } from '../engine/distributions.ts';
import type { BrokerSpec, QueueOverflow, QueueSpec, ResourcesSpec, TopicSpec } from '../model/world-spec.ts';
import { didYouMean } from './did-you-mean.ts';
import { makeConstant } from './distribution-kinds.ts';
import { choiceValue, FieldReader, mapOf } from './field-reader.ts';
import type { DurationInput } from './fields.ts';
import { describeValue, IssueCollector, invalid, type Segment } from './invalid-value.ts';
import { checkName } from './targets.ts';
import { positiveDurationOrNone } from './units.ts';

/** What an unset queue setting means; `none` may be written for the unlimited ones. */
export const QUEUE_DEFAULTS: Omit<QueueSpec, 'name'> = {
  maxLength: Number.POSITIVE_INFINITY,
  /** RabbitMQ's default `x-overflow`. */
  overflow: 'drop-head',
  ttlMs: Number.POSITIVE_INFINITY,
  /** RabbitMQ quorum queues' default `delivery-limit`. */
  maxDeliveries: 20,
  /** RabbitMQ's default `consumer_timeout` (30 minutes). */
  ackTimeoutMs: 1_800_000,
};

/** Defaults of a broker's own settings. */
export const BROKER_DEFAULTS = {
  replicas: 1,
  workers: 4,
  /** Broker work to accept (persist) one message, ms. */
  publishWorkMs: 0.1,
} as const;

/** One queue's settings as written (a topic's, applying to all its groups, too). */
export interface QueueSettingsInput {
  maxLength?: number | 'none';
  overflow?: QueueOverflow;
  ttl?: DurationInput | 'none';
  maxDeliveries?: number;
  ackTimeout?: DurationInput | 'none';
}

/** `queues:` of a broker: name → settings (`null` or `{}` for all defaults). */
export type QueuesInput = Record<string, QueueSettingsInput | null>;

/** A topic: its groups (names, or name → settings) and settings every group inherits. */
export interface TopicInput extends QueueSettingsInput {
  groups: string[] | Record<string, QueueSettingsInput | null>;
}

export type TopicsInput = Record<string, TopicInput>;

const SETTINGS = ['maxLength', 'overflow', 'ttl', 'maxDeliveries', 'ackTimeout'] as const;
const OVERFLOWS: readonly QueueOverflow[] = ['drop-head', 'reject-publish'];
const SETTINGS_EXAMPLE = '{maxLength: 10000, overflow: drop-head, ttl: 10min, maxDeliveries: 5}';

type QueueSettings = Partial<Omit<QueueSpec, 'name'>>;

function maxLengthValue(raw: unknown): number {
  if (raw === 'none') return Number.POSITIVE_INFINITY;
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 1) return raw;
  throw invalid(
    `expected a number of waiting messages (an integer >= 1) such as 10000, or none, got ${describeValue(raw)}`,
  );
}

function maxDeliveriesValue(raw: unknown): number {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 1) return raw;
  throw invalid(
    `expected a number of deliveries (an integer >= 1, the first included) such as 5, got ${describeValue(raw)}`,
  );
}

/** Reads the queue settings present in `r` (only those written). */
function readSettings(r: FieldReader): QueueSettings {
  const settings: QueueSettings = {
    maxLength: r.optional('maxLength', maxLengthValue),
    overflow: r.optional('overflow', (v) => choiceValue(v, OVERFLOWS)),
    ttlMs: r.optional('ttl', (v) => positiveDurationOrNone(v, '10min')),
    maxDeliveries: r.optional('maxDeliveries', maxDeliveriesValue),
    ackTimeoutMs: r.optional('ackTimeout', (v) => positiveDurationOrNone(v, '30min')),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as QueueSettings;
}

/** A queue's settings map (`null` stands for `{}`). */
function settingsValue(raw: unknown): QueueSettings {
  if (raw === null) return {};
  const r = new FieldReader(mapOf(raw, `queue settings such as ${SETTINGS_EXAMPLE} (or nothing)`), SETTINGS);
  const settings = readSettings(r);
  r.done();
  return settings;
}

function queueSpec(name: string, ...layers: QueueSettings[]): QueueSpec {
  return Object.assign({ name }, QUEUE_DEFAULTS, ...layers) as QueueSpec;
}

/** `queues:` of a broker. */
export function queuesValue(raw: unknown): QueueSpec[] {
  const map = mapOf(raw, 'a map of queues such as {notifications: {maxLength: 10000}}');
  const issues = new IssueCollector();
  const queues = Object.keys(map).map((name) => {
    issues.attempt([name], () => checkName(name, 'queue'));
    return issues.attempt([name], () => queueSpec(name, settingsValue(map[name])));
  });
  issues.throwIfAny();
  return queues as QueueSpec[];
}

/** A topic's `groups:`: a list of names, or a map of name → settings; with the path of each. */
function groupsOf(raw: unknown): { name: string; settings: QueueSettings; path: Segment[] }[] {
  const usage = 'a list of group names such as [billing, shipping], or a map of group → queue settings';
  const issues = new IssueCollector();
  let groups: ({ name: string; settings: QueueSettings; path: Segment[] } | undefined)[];
  if (Array.isArray(raw)) {
    const seen = new Set<string>();
    groups = raw.map((item, i) =>
      issues.attempt([i], () => {
        if (typeof item !== 'string' || item.trim() === '')
          throw invalid(`expected a group name such as billing, got ${describeValue(item)}`);
        const name = item.trim();
        checkName(name, 'group');
        if (seen.has(name)) throw invalid(`group "${name}" is listed twice`);
        seen.add(name);
        return { name, settings: {}, path: [i] };
      }),
    );
  } else {
    const map = mapOf(raw, usage);
    groups = Object.keys(map).map((name) =>
      issues.attempt([name], () => {
        checkName(name, 'group');
        return { name, settings: settingsValue(map[name]), path: [name] };
      }),
    );
  }
  if (groups.length === 0) issues.add(`a topic needs at least one group: expected ${usage}`);
  issues.throwIfAny();
  return groups as { name: string; settings: QueueSettings; path: Segment[] }[];
}

/** `topics:` of a broker; each group becomes the queue `topic/group`. */
export function topicsValue(raw: unknown): TopicSpec[] {
  const map = mapOf(raw, 'a map of topics such as {orders: {groups: [billing, shipping]}}');
  const issues = new IssueCollector();
  const topics = Object.keys(map).map((name) =>
    issues.attempt([name], (): TopicSpec => {
      checkName(name, 'topic');
      const value = map[name];
      if (value === null || value === undefined)
        throw invalid('a topic needs its groups, such as {groups: [billing, shipping]}');
      const r = new FieldReader(mapOf(value, 'a topic such as {groups: [billing, shipping]}'), [
        'groups',
        ...SETTINGS,
      ]);
      // Settings written on the topic are the defaults of every group.
      const shared = readSettings(r);
      const groups = r.required('groups', 'a list of group names such as [billing, shipping]', groupsOf);
      r.done();
      return {
        name,
        groups: groups!.map((g) => queueSpec(`${name}/${g.name}`, shared, g.settings)),
      };
    }),
  );
  issues.throwIfAny();
  return topics as TopicSpec[];
}

/** A broker after the schema: its own settings read, defaults not yet applied. */
export interface ParsedBroker {
  readonly replicas?: number | undefined;
  readonly workers?: number | undefined;
  readonly queue?: number | undefined;
  readonly startup?: Distribution | undefined;
  readonly publishWork?: Distribution | undefined;
  readonly resources?: ResourcesSpec | undefined;
  readonly queues?: readonly QueueSpec[] | undefined;
  readonly topics?: readonly TopicSpec[] | undefined;
}

/**
 * Builds every broker in file order: names checked (not a service's), at least one queue or
 * topic, and queue and topic names unique within the broker. Problems go to `issues`.
 */
export function buildBrokers(
  brokers: Readonly<Record<string, ParsedBroker>> | undefined,
  services: readonly string[],
  issues: IssueCollector,
): BrokerSpec[] {
  return Object.entries(brokers ?? {}).map(([name, broker]): BrokerSpec => {
    const path = ['brokers', name];
    issues.attempt(path, () => checkName(name, 'broker'));
    if (services.includes(name)) {
      issues.add(
        `"${name}" is already a service: brokers and services share one namespace (calls, edges and faults name them alike); rename one`,
        path,
        'key',
      );
    }
    const queues = broker.queues ?? [];
    const topics = broker.topics ?? [];
    if (queues.length === 0 && topics.length === 0) {
      issues.add('a broker needs at least one queue or topic (under queues: or topics:)', path, 'key');
    }
    const queueNames = queues.map((q) => q.name);
    for (const topic of topics) {
      if (queueNames.includes(topic.name)) {
        issues.add(
          `"${topic.name}" is already a queue of ${name}: queue and topic names must be unique within a broker`,
          [...path, 'topics', topic.name],
          'key',
        );
      }
    }
    return {
      name,
      replicas: broker.replicas ?? BROKER_DEFAULTS.replicas,
      workers: broker.workers ?? BROKER_DEFAULTS.workers,
      queueCapacity: broker.queue ?? Number.POSITIVE_INFINITY,
      startup: broker.startup ?? makeConstant(0),
      publishWork: broker.publishWork ?? makeConstant(BROKER_DEFAULTS.publishWorkMs),
      ...(broker.resources === undefined ? {} : { resources: broker.resources }),
      queues,
      topics,
    };
  });
}

/** `unknown broker "x" (did you mean …?)`, with the brokers there are. */
export function unknownBroker(
  name: string,
  brokers: readonly BrokerSpec[],
  services: readonly string[],
): string {
  const names = brokers.map((b) => b.name);
  if (services.includes(name)) {
    const list = names.length === 0 ? 'the scenario has no brokers' : `the brokers are ${names.join(', ')}`;
    return `"${name}" is a service, not a broker; ${list}`;
  }
  if (names.length === 0)
    return `unknown broker "${name}": the scenario has no brokers (define them under brokers:)`;
  const hint = didYouMean(name, names);
  return `unknown broker "${name}"${hint}${hint === '' ? `; the brokers are ${names.join(', ')}` : ''}`;
}
