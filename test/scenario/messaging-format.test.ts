/**
 * Message brokers in the scenario format: `brokers:` (queues, topics and their groups), publish
 * steps, consumers, backlog autoscaling, brokers as targets of faults and edges, and the
 * messaging expectations — what they resolve to, their defaults, and the messages of bad input.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { QueueSpec } from '../../src/model/world-spec.ts';
import { HPA_DEFAULTS } from '../../src/patterns/hpa.ts';
import { THRESHOLD_DEFAULTS } from '../../src/patterns/threshold-scaler.ts';
import {
  defineScenario,
  parseScenarioText,
  type ResolvedScenario,
  resolveScenario,
  ScenarioError,
} from '../../src/scenario/index.ts';
import { INTERNAL_ERROR } from '../../src/scenario/resolve.ts';
import { scenarioErrorMessage } from './error-message.ts';
import { applyMutation, mutation, NUMBERS, replaceNthLeaf, VALUES } from './fixtures/text-mutations.ts';

const DOC = readFileSync(new URL('../../docs/en/scenario-format.md', import.meta.url), 'utf8');

/** A small world: orders publishes to a queue that notifier consumes; a topic with two groups. */
const BASE = `name: messaging
description: { en: orders and notifications, es: pedidos y notificaciones }
duration: 10m
services:
  orders:
    endpoints:
      place:
        work: exp(5ms)
        calls:
          - { publish: mq.notifications }
  notifier:
    endpoints:
      send:
        work: exp(20ms)
        consumes: mq.notifications
brokers:
  mq:
    queues:
      notifications: {}
    topics:
      orders:
        groups: [billing, shipping]
workloads:
  users: { rate: 10/s, entry: orders.place }
`;

/** BASE with `from` replaced by `to` (which must be there exactly once). */
function edit(from: string, to: string): string {
  expect(BASE.split(from)).toHaveLength(2);
  return BASE.replace(from, to);
}

const load = (text: string): ResolvedScenario => parseScenarioText(text, 'scenarios/mq.yaml');

function messageOf(text: string): string {
  return scenarioErrorMessage(() => load(text));
}

const DEFAULT_QUEUE: Omit<QueueSpec, 'name'> = {
  maxLength: Number.POSITIVE_INFINITY,
  overflow: 'drop-head',
  ttlMs: Number.POSITIVE_INFINITY,
  maxDeliveries: 20,
  ackTimeoutMs: 1_800_000,
};

const PUBLISH_STEP = '          - { publish: mq.notifications }';
const CONSUMES = '        consumes: mq.notifications';
const QUEUES = '      notifications: {}';

describe('brokers, publishes and consumers resolve to the WorldSpec', () => {
  it('a broker with every default', () => {
    const s = load(BASE);
    expect(s.world.brokers).toEqual([
      {
        name: 'mq',
        replicas: 1,
        workers: 4,
        queueCapacity: Number.POSITIVE_INFINITY,
        startup: { kind: 'constant', value: 0 },
        publishWork: { kind: 'constant', value: 0.1 },
        queues: [{ name: 'notifications', ...DEFAULT_QUEUE }],
        topics: [
          {
            name: 'orders',
            groups: [
              { name: 'orders/billing', ...DEFAULT_QUEUE },
              { name: 'orders/shipping', ...DEFAULT_QUEUE },
            ],
          },
        ],
      },
    ]);
    const [orders, notifier] = s.world.services;
    expect(orders!.endpoints[0]!.calls).toEqual([
      {
        kind: 'publish',
        publish: {
          broker: 'mq',
          destination: 'notifications',
          confirm: false,
          whenDown: 'fail',
          maxWaitMs: Number.POSITIVE_INFINITY,
          timeoutMs: Number.POSITIVE_INFINITY,
          poison: 0,
          probability: 1,
          soft: false,
        },
      },
    ]);
    expect(orders).not.toHaveProperty('subscriptions');
    expect(notifier!.subscriptions).toEqual([
      { endpoint: 'send', broker: 'mq', queue: 'notifications', concurrency: 1, prefetch: 250 },
    ]);
  });

  it('every setting written out', () => {
    const text = edit(
      'brokers:\n  mq:\n',
      `brokers:
  mq:
    replicas: 3
    workers: 8
    queue: 1000
    startup: 2s
    publishWork: exp(0.2ms)
    resources: { cores: 2, memoryMb: 2048, costPerHour: 0.3 }
`,
    )
      .replace(
        QUEUES,
        `      notifications:
        maxLength: 10000
        overflow: reject-publish
        ttl: 10min
        maxDeliveries: 5
        ackTimeout: none
      plain:`,
      )
      .replace(
        '        groups: [billing, shipping]',
        `        maxDeliveries: 3
        ttl: 1h
        groups:
          billing: { maxLength: 5, ttl: none }
          shipping: null`,
      );
    const broker = load(text).world.brokers![0]!;
    expect(broker).toMatchObject({
      replicas: 3,
      workers: 8,
      queueCapacity: 1000,
      startup: { kind: 'constant', value: 2000 },
      publishWork: { kind: 'exponential', mean: 0.2 },
      resources: { cores: 2, memoryMb: 2048, costPerHour: 0.3 },
    });
    expect(broker.queues).toEqual([
      {
        name: 'notifications',
        maxLength: 10_000,
        overflow: 'reject-publish',
        ttlMs: 600_000,
        maxDeliveries: 5,
        ackTimeoutMs: Number.POSITIVE_INFINITY,
      },
      { name: 'plain', ...DEFAULT_QUEUE },
    ]);
    // The topic's settings are every group's defaults; a group's own settings win.
    expect(broker.topics[0]!.groups).toEqual([
      { ...DEFAULT_QUEUE, name: 'orders/billing', maxLength: 5, maxDeliveries: 3 },
      { ...DEFAULT_QUEUE, name: 'orders/shipping', maxDeliveries: 3, ttlMs: 3_600_000 },
    ]);
  });

  it('a confirmed publish with every option, to a topic', () => {
    const text = edit(
      PUBLISH_STEP,
      `${PUBLISH_STEP}
          - { publish: mq.orders, confirm: true, timeout: 2s, whenDown: wait, maxWait: 5min, soft: true, poison: 0.1%, probability: 50% }`,
    );
    expect(load(text).world.services[0]!.endpoints[0]!.calls[1]).toEqual({
      kind: 'publish',
      publish: {
        broker: 'mq',
        destination: 'orders',
        confirm: true,
        whenDown: 'wait',
        maxWaitMs: 300_000,
        timeoutMs: 2000,
        poison: 0.001,
        probability: 0.5,
        soft: true,
      },
    });
  });

  it('consumers of a group queue, with concurrency and prefetch, on an endpoint that is also called', () => {
    const text = edit(
      CONSUMES,
      `        consumes: { from: mq.orders/billing, concurrency: 4, prefetch: 10 }
      resend:
        work: 1ms
        calls: [send]`,
    ).replace(
      'entry: orders.place',
      'mix: [{ to: orders.place, weight: 1 }, { to: notifier.send, weight: 1 }]',
    );
    const s = load(text);
    expect(s.world.services[1]!.subscriptions).toEqual([
      { endpoint: 'send', broker: 'mq', queue: 'orders/billing', concurrency: 4, prefetch: 10 },
    ]);
    expect(s.world.workloads[0]!.entries.map((e) => `${e.service}.${e.endpoint}`)).toEqual([
      'orders.place',
      'notifier.send',
    ]);
  });

  it('a loop of messages that always happen is an error; with a publish that may not happen it is fine', () => {
    const world = (place: string, send: string) => `name: loop
description: { en: x, es: x }
duration: 1m
services:
  orders:
    endpoints:
      place: { work: 1ms, calls: [${place}] }
      reply: { work: 1ms, consumes: mq.replies, calls: [place] }
  notifier:
    endpoints:
      send: { work: 1ms, consumes: mq.notifications, calls: [${send}] }
brokers:
  mq: { queues: { notifications: {}, replies: {} } }
workloads:
  users: { rate: 1/s, entry: orders.place }
`;
    expect(messageOf(world('{ publish: mq.notifications }', '{ publish: mq.replies }'))).toBe(
      'scenarios/mq.yaml:7:34: services.orders.endpoints.place.calls: these calls and messages always happen ' +
        'and form a loop: orders.place → notifier.send → orders.reply → orders.place; every message that ' +
        'enters it would publish another, forever. Give one of the publishes (or calls) a probability below 100%',
    );
    const s = load(world('{ publish: mq.notifications }', '{ publish: mq.replies, probability: 50% }'));
    expect(s.world.services.map((x) => x.subscriptions?.map((sub) => sub.queue))).toEqual([
      ['replies'],
      ['notifications'],
    ]);
    // The same chain with calls instead of publishes always loops.
    expect(messageOf(world('notifier.send', 'orders.reply'))).toContain(
      'these calls always happen and form a loop: ',
    );
  });

  it('backlog autoscaling, with the HPA and with the threshold policy', () => {
    const service = (autoscale: string) =>
      edit('  notifier:\n', `  notifier:\n    autoscale: ${autoscale}\n`);
    const hpa = load(service('{ metric: backlog, queue: mq.notifications, target: 20, min: 1, max: 10 }'));
    expect(hpa.world.services[1]!.autoscale).toEqual({
      metric: 'backlog',
      queue: { broker: 'mq', queue: 'notifications' },
      policy: { kind: 'hpa', spec: { ...HPA_DEFAULTS, target: 20, minReplicas: 1, maxReplicas: 10 } },
    });
    const threshold = load(
      service('{ policy: threshold, metric: backlog, queue: mq.notifications, upper: 50, lower: 5 }'),
    );
    expect(threshold.world.services[1]!.autoscale).toEqual({
      metric: 'backlog',
      queue: { broker: 'mq', queue: 'notifications' },
      policy: { kind: 'threshold', spec: { ...THRESHOLD_DEFAULTS, upper: 50, lower: 5 } },
    });
    // Other metrics have no queue.
    const utilization = load(service('{ target: 50% }'));
    expect(utilization.world.services[1]!.autoscale).not.toHaveProperty('queue');
  });

  it('brokers as targets of faults, network edges and service-scoped expectations', () => {
    const text = `${BASE}network:
  edges:
    - { from: orders, to: mq, latency: 1ms }
    - { from: mq, to: notifier, latency: 2ms }
chaos:
  - { at: 60s, for: 30s, kill: mq }
  - { at: 60s, for: 30s, hang: mq, instances: 1 }
  - { at: 60s, for: 30s, slow: mq, factor: 3 }
  - { at: 60s, for: 30s, error: mq, rate: 10% }
  - { at: 100s, for: 10s, latency: orders->mq, add: 10ms }
  - { at: 100s, for: 10s, loss: mq->notifier, rate: 5% }
  - { at: 120s, for: 10s, partition: [[orders], [mq]] }
expect:
  - { metric: availability, service: mq, atLeast: 99% }
  - { metric: messages_lost, atMost: 0 }
  - { metric: backlog_max, queue: mq.orders/billing, during: { during: kill mq@60s }, atMost: 100 }
  - { metric: delivery_latency_p99, queue: mq.notifications, atMost: 2s }
  - { metric: oldest_message_age_ms, queue: mq.notifications, below: 5000 }
  - { metric: redeliveries, equals: 0 }
`;
    const s = load(text);
    expect(s.world.network.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['orders→mq', 'mq→notifier']);
    expect(s.world.chaos!.map((f) => f.target)).toEqual([
      { kind: 'service', service: 'mq', endpoint: null, instances: { kind: 'all' } },
      { kind: 'service', service: 'mq', endpoint: null, instances: { kind: 'count', count: 1 } },
      { kind: 'service', service: 'mq', endpoint: null, instances: { kind: 'all' } },
      { kind: 'service', service: 'mq', endpoint: null, instances: { kind: 'all' } },
      { kind: 'edge', from: 'orders', to: 'mq' },
      { kind: 'edge', from: 'mq', to: 'notifier' },
      { kind: 'groups', a: ['orders'], b: ['mq'] },
    ]);
    expect(s.expectations!.map((e) => [e.name, e.scope, e.value])).toEqual([
      ['availability of service mq ≥ 99%', { kind: 'service', service: 'mq' }, 0.99],
      ['messages_lost of all queues ≤ 0', { kind: 'all' }, 0],
      [
        'backlog_max of queue mq.orders/billing during kill mq@60s ≤ 100',
        { kind: 'queue', broker: 'mq', queue: 'orders/billing' },
        100,
      ],
      [
        'delivery_latency_p99 of queue mq.notifications ≤ 2s',
        { kind: 'queue', broker: 'mq', queue: 'notifications' },
        2000,
      ],
      [
        'oldest_message_age_ms of queue mq.notifications < 5000',
        { kind: 'queue', broker: 'mq', queue: 'notifications' },
        5000,
      ],
      ['redeliveries of all queues = 0', { kind: 'all' }, 0],
    ]);
  });

  it('a scenario without brokers builds no broker key and no subscriptions', () => {
    const text = BASE.replace(/brokers:[\s\S]*?(?=workloads:)/, '')
      .replace(`        calls:\n${PUBLISH_STEP}\n`, '')
      .replace(`${CONSUMES}\n`, '');
    const s = load(text);
    expect(s.world).not.toHaveProperty('brokers');
    for (const service of s.world.services) expect(service).not.toHaveProperty('subscriptions');
    // `brokers: {}` is the same as none.
    expect(load(`${text}brokers: {}\n`).world).not.toHaveProperty('brokers');
  });

  it('a TypeScript scenario types the messaging keys', () => {
    const s = resolveScenario(
      defineScenario({
        name: 'ts',
        description: { en: 'x', es: 'x' },
        duration: '1m',
        services: {
          api: {
            endpoints: {
              post: { work: '1ms', calls: [{ publish: 'mq.jobs', confirm: true, timeout: 'none' }] },
              work: { work: '5ms', consumes: { from: 'mq.jobs', concurrency: 2 } },
            },
            autoscale: { metric: 'backlog', queue: 'mq.jobs', target: 5 },
          },
        },
        brokers: { mq: { queues: { jobs: null, other: { maxLength: 'none', overflow: 'reject-publish' } } } },
        workloads: { w: { rate: '1/s', entry: 'api.post' } },
      }),
      'ts',
    );
    expect(s.world.brokers!.map((b) => b.queues.map((q) => q.name))).toEqual([['jobs', 'other']]);
    expect(s.world.services[0]!.subscriptions).toEqual([
      { endpoint: 'work', broker: 'mq', queue: 'jobs', concurrency: 2, prefetch: 250 },
    ]);
  });
});

describe('bad input: file:line:column, field, what was expected', () => {
  const cases: [what: string, from: string, to: string, message: string][] = [
    // brokers
    [
      'a broker named like a service',
      'brokers:\n  mq:\n',
      'brokers:\n  notifier:\n    queues: { x: {} }\n  mq:\n',
      'scenarios/mq.yaml:17:3: brokers.notifier: "notifier" is already a service: brokers and services share one namespace (calls, edges and faults name them alike); rename one',
    ],
    [
      'a broker named client',
      'brokers:\n  mq:\n',
      'brokers:\n  client:\n    queues: { x: {} }\n  mq:\n',
      'scenarios/mq.yaml:17:3: brokers.client: "client" is reserved (it names the workload clients in network edges); pick another name',
    ],
    [
      'a broker without queues or topics',
      'brokers:\n  mq:\n',
      'brokers:\n  empty: {}\n  mq:\n',
      'scenarios/mq.yaml:17:3: brokers.empty: a broker needs at least one queue or topic (under queues: or topics:)',
    ],
    [
      'a topic named like a queue',
      '      orders:\n        groups',
      '      notifications:\n        groups',
      'scenarios/mq.yaml:21:7: brokers.mq.topics.notifications: "notifications" is already a queue of mq: queue and topic names must be unique within a broker',
    ],
    [
      'a badly named queue',
      QUEUES,
      `${QUEUES}\n      Big_Queue: {}`,
      'scenarios/mq.yaml:20:7: brokers.mq.queues.Big_Queue: invalid queue name "Big_Queue": use lower-case letters, digits and dashes, starting with a letter (e.g. "big-queue")',
    ],
    [
      'a misspelt broker key',
      '  mq:\n    queues:',
      '  mq:\n    worker: 4\n    queues:',
      'scenarios/mq.yaml:18:5: brokers.mq.worker: unknown key "worker" (did you mean "workers"?)',
    ],
    [
      'a broker with 0 replicas',
      '  mq:\n    queues:',
      '  mq:\n    replicas: 0\n    queues:',
      'scenarios/mq.yaml:18:15: brokers.mq.replicas: expected an integer >= 1, got 0',
    ],
    [
      'maxLength 0',
      QUEUES,
      '      notifications: { maxLength: 0 }',
      'scenarios/mq.yaml:19:35: brokers.mq.queues.notifications.maxLength: expected a number of waiting messages (an integer >= 1) such as 10000, or none, got 0',
    ],
    [
      'an unknown overflow',
      QUEUES,
      '      notifications: { overflow: drop_head }',
      'scenarios/mq.yaml:19:34: brokers.mq.queues.notifications.overflow: expected one of "drop-head", "reject-publish", got "drop_head" (did you mean "drop-head"?)',
    ],
    [
      'a ttl without a unit',
      QUEUES,
      '      notifications: { ttl: 10 }',
      'scenarios/mq.yaml:19:29: brokers.mq.queues.notifications.ttl: expected a duration greater than 0 such as "10min", or none, got 10 (durations need a unit, e.g. 10ms)',
    ],
    [
      'maxDeliveries 0',
      QUEUES,
      '      notifications: { maxDeliveries: 0 }',
      'scenarios/mq.yaml:19:39: brokers.mq.queues.notifications.maxDeliveries: expected a number of deliveries (an integer >= 1, the first included) such as 5, got 0',
    ],
    [
      'an ackTimeout of 0',
      QUEUES,
      '      notifications: { ackTimeout: 0s }',
      'scenarios/mq.yaml:19:36: brokers.mq.queues.notifications.ackTimeout: expected a duration greater than 0 such as "30min", or none, got "0s"',
    ],
    [
      'a misspelt queue setting',
      QUEUES,
      '      notifications: { maxLen: 10 }',
      'scenarios/mq.yaml:19:24: brokers.mq.queues.notifications.maxLen: unknown key "maxLen" (did you mean "maxLength"?)',
    ],
    [
      'a topic without groups',
      '        groups: [billing, shipping]',
      '        maxLength: 10',
      'scenarios/mq.yaml:21:7: brokers.mq.topics.orders.groups: missing required key "groups": expected a list of group names such as [billing, shipping]',
    ],
    [
      'a topic with an empty list of groups',
      '        groups: [billing, shipping]',
      '        groups: []',
      'scenarios/mq.yaml:22:17: brokers.mq.topics.orders.groups: a topic needs at least one group: expected a list of group names such as [billing, shipping], or a map of group → queue settings',
    ],
    [
      'a group listed twice',
      '        groups: [billing, shipping]',
      '        groups: [billing, billing]',
      'scenarios/mq.yaml:22:27: brokers.mq.topics.orders.groups[1]: group "billing" is listed twice',
    ],
    [
      'a topic with nothing',
      '      orders:\n        groups: [billing, shipping]',
      '      orders:',
      'scenarios/mq.yaml:21:7: brokers.mq.topics.orders: a topic needs its groups, such as {groups: [billing, shipping]}',
    ],
    // publish steps
    [
      'a publish to an unknown broker',
      PUBLISH_STEP,
      '          - { publish: mqq.notifications }',
      'scenarios/mq.yaml:10:24: services.orders.endpoints.place.calls[0].publish: unknown broker "mqq" (did you mean "mq"?)',
    ],
    [
      'a publish to an unknown queue',
      PUBLISH_STEP,
      '          - { publish: mq.notification }',
      'scenarios/mq.yaml:10:24: services.orders.endpoints.place.calls[0].publish: broker "mq" has no queue or topic "notification" (did you mean "mq.notifications"?); its queues: notifications; its topics: orders (groups mq.orders/billing, mq.orders/shipping)',
    ],
    [
      "a publish to a topic's group queue",
      PUBLISH_STEP,
      '          - { publish: mq.orders/billing }',
      'scenarios/mq.yaml:10:24: services.orders.endpoints.place.calls[0].publish: "mq.orders/billing" is a group queue of topic orders: publish to the topic, mq.orders (each of its groups gets a copy)',
    ],
    [
      'a publish without the broker',
      PUBLISH_STEP,
      '          - { publish: notifications }',
      'scenarios/mq.yaml:10:24: services.orders.endpoints.place.calls[0].publish: expected a queue or topic such as mq.notifications (broker.queue), got "notifications" (did you mean "mq.notifications"?)',
    ],
    [
      'a publish to a service',
      PUBLISH_STEP,
      '          - { publish: notifier.send }',
      'scenarios/mq.yaml:10:24: services.orders.endpoints.place.calls[0].publish: "notifier" is a service, not a broker; the brokers are mq',
    ],
    [
      'soft without confirm',
      PUBLISH_STEP,
      '          - { publish: mq.notifications, soft: true }',
      'scenarios/mq.yaml:10:42: services.orders.endpoints.place.calls[0].soft: a fire-and-forget publish never fails its endpoint; soft applies to confirmed publishes (add confirm: true)',
    ],
    [
      'timeout without confirm',
      PUBLISH_STEP,
      '          - { publish: mq.notifications, confirm: false, timeout: 2s }',
      'scenarios/mq.yaml:10:58: services.orders.endpoints.place.calls[0].timeout: a fire-and-forget publish does not wait for the broker; timeout applies to confirmed publishes (add confirm: true)',
    ],
    [
      'maxWait without whenDown: wait',
      PUBLISH_STEP,
      '          - { publish: mq.notifications, maxWait: 5min }',
      'scenarios/mq.yaml:10:42: services.orders.endpoints.place.calls[0].maxWait: maxWait is how long a message may wait for a broker that is down; it applies with whenDown: wait only (with fail, the publish fails at once)',
    ],
    [
      'an unknown whenDown',
      PUBLISH_STEP,
      '          - { publish: mq.notifications, whenDown: retry }',
      'scenarios/mq.yaml:10:52: services.orders.endpoints.place.calls[0].whenDown: expected one of "fail", "wait", got "retry"',
    ],
    [
      'a poison share above 100%',
      PUBLISH_STEP,
      '          - { publish: mq.notifications, poison: 150% }',
      'scenarios/mq.yaml:10:50: services.orders.endpoints.place.calls[0].poison: expected a probability such as 30% or 0.3, got "150%" (it must lie between 0% and 100%)',
    ],
    [
      'a misspelt publish key',
      PUBLISH_STEP,
      '          - { publish: mq.notifications, confirmed: true }',
      'scenarios/mq.yaml:10:42: services.orders.endpoints.place.calls[0].confirmed: unknown key "confirmed" (did you mean "confirm"?)',
    ],
    [
      'a publish inside a parallel group',
      PUBLISH_STEP,
      '          - parallel: [notifier.send, { publish: mq.notifications }]',
      'scenarios/mq.yaml:10:41: services.orders.endpoints.place.calls[0].parallel[1].publish: a publish is a step of its own: it cannot be part of a parallel group; write {publish: …} as a separate step of calls',
    ],
    [
      'a publish inside a choice',
      PUBLISH_STEP,
      '          - choice: [{ publish: mq.notifications, weight: 50% }]',
      'scenarios/mq.yaml:10:24: services.orders.endpoints.place.calls[0].choice[0].publish: a publish is a step of its own: it cannot be part of a choice; write {publish: …} as a separate step of calls',
    ],
    [
      'a publish and a call in one step',
      PUBLISH_STEP,
      '          - { publish: mq.notifications, to: notifier.send }',
      'scenarios/mq.yaml:10:13: services.orders.endpoints.place.calls[0]: a step is one of {to: …}, {parallel: […]}, {choice: […]} or {publish: …}; this one has to and publish',
    ],
    [
      'a plain call to a broker',
      PUBLISH_STEP,
      '          - mq.publish',
      'scenarios/mq.yaml:10:13: services.orders.endpoints.place.calls[0]: "mq" is a broker: a broker is not called; messages reach it from a step of its own {publish: mq.<queue or topic>}',
    ],
    // consumers
    [
      'consuming a topic',
      CONSUMES,
      '        consumes: mq.orders',
      'scenarios/mq.yaml:15:19: services.notifier.endpoints.send.consumes: mq.orders is a topic: consume one of its groups, e.g. mq.orders/billing (its groups: mq.orders/billing, mq.orders/shipping)',
    ],
    [
      'consuming an unknown queue',
      CONSUMES,
      '        consumes: { from: mq.notifs }',
      'scenarios/mq.yaml:15:27: services.notifier.endpoints.send.consumes.from: broker "mq" has no queue "notifs"; its queues: notifications; its topics: orders (groups mq.orders/billing, mq.orders/shipping)',
    ],
    [
      'consuming an unknown group',
      CONSUMES,
      '        consumes: mq.orders/biling',
      'scenarios/mq.yaml:15:19: services.notifier.endpoints.send.consumes: topic "orders" of mq has no group "biling" (did you mean "billing"?); its groups: billing, shipping',
    ],
    [
      'consuming from an unknown broker',
      CONSUMES,
      '        consumes: rabbit.notifications',
      'scenarios/mq.yaml:15:19: services.notifier.endpoints.send.consumes: unknown broker "rabbit"; the brokers are mq',
    ],
    [
      'prefetch below concurrency',
      CONSUMES,
      '        consumes: { from: mq.notifications, concurrency: 4, prefetch: 2 }',
      'scenarios/mq.yaml:15:71: services.notifier.endpoints.send.consumes.prefetch: prefetch (2) is below concurrency (4): an instance holds at most prefetch messages, so at most 2 could be processed at once; raise prefetch to at least 4 or lower concurrency',
    ],
    [
      'concurrency above the default prefetch',
      CONSUMES,
      '        consumes: { from: mq.notifications, concurrency: 300 }',
      'scenarios/mq.yaml:15:58: services.notifier.endpoints.send.consumes.concurrency: the default prefetch (250) is below concurrency (300): an instance holds at most prefetch messages, so at most 250 could be processed at once; raise prefetch to at least 300 or lower concurrency',
    ],
    [
      'a concurrency of 0',
      CONSUMES,
      '        consumes: { from: mq.notifications, concurrency: 0 }',
      'scenarios/mq.yaml:15:58: services.notifier.endpoints.send.consumes.concurrency: expected a number of messages processed at once per instance (an integer from 1 to 10,000) such as 4, got 0',
    ],
    [
      'a misspelt consumes key',
      CONSUMES,
      '        consumes: { queue: mq.notifications }',
      'scenarios/mq.yaml:15:9: services.notifier.endpoints.send.consumes.from: missing required key "from": expected a queue such as mq.notifications\n' +
        'scenarios/mq.yaml:15:21: services.notifier.endpoints.send.consumes.queue: unknown key "queue"; allowed keys here: from, concurrency, prefetch',
    ],
    [
      'one queue consumed by two endpoints of a service',
      CONSUMES,
      `${CONSUMES}\n      again:\n        work: 1ms\n        consumes: mq.notifications`,
      'scenarios/mq.yaml:18:19: services.notifier.endpoints.again.consumes: notifier.send already consumes mq.notifications: one endpoint of a service consumes a queue (raise its concurrency to process more at once)',
    ],
    // backlog autoscaling
    [
      'backlog without a queue',
      '  notifier:\n',
      '  notifier:\n    autoscale: { metric: backlog, target: 20 }\n',
      'scenarios/mq.yaml:12:5: services.notifier.autoscale.queue: missing required key "queue": expected the queue whose backlog is read, such as mq.notifications',
    ],
    [
      'a queue with another metric',
      '  notifier:\n',
      '  notifier:\n    autoscale: { metric: inflight, queue: mq.notifications, target: 20 }\n',
      'scenarios/mq.yaml:12:36: services.notifier.autoscale.queue: "queue" names the broker queue of metric backlog; it does not apply to metric inflight',
    ],
    [
      'a backlog queue the service does not consume',
      '  notifier:\n',
      '  notifier:\n    autoscale: { metric: backlog, queue: mq.orders/billing, target: 20 }\n',
      'scenarios/mq.yaml:12:42: services.notifier.autoscale.queue: notifier does not consume mq.orders/billing: backlog scaling reads a queue that the service itself consumes (it consumes mq.notifications)',
    ],
    [
      'a backlog queue on a service that consumes nothing',
      'services:\n  orders:\n',
      'services:\n  orders:\n    autoscale: { metric: backlog, queue: mq.notifications, target: 20 }\n',
      'scenarios/mq.yaml:6:42: services.orders.autoscale.queue: orders does not consume mq.notifications: backlog scaling reads a queue that the service itself consumes (it consumes no queue: add consumes: to one of its endpoints)',
    ],
    [
      'an unknown backlog queue',
      '  notifier:\n',
      '  notifier:\n    autoscale: { metric: backlog, queue: mq.notification, target: 20 }\n',
      'scenarios/mq.yaml:12:42: services.notifier.autoscale.queue: broker "mq" has no queue "notification" (did you mean "mq.notifications"?); its queues: notifications; its topics: orders (groups mq.orders/billing, mq.orders/shipping)',
    ],
    [
      'a backlog target of 0',
      '  notifier:\n',
      '  notifier:\n    autoscale: { metric: backlog, queue: mq.notifications, target: 0 }\n',
      'scenarios/mq.yaml:12:68: services.notifier.autoscale.target: expected a positive number of messages per instance such as 20, got 0',
    ],
    // the shared namespace
    [
      'a rollout of a broker',
      'workloads:',
      'deploy:\n  - { at: 1m, service: mq, to: v2 }\nworkloads:',
      'scenarios/mq.yaml:24:24: deploy[0].service: "mq" is a broker: brokers have no versions to roll out (deploy: applies to services)',
    ],
    [
      'a client policy for a broker',
      'services:\n  orders:\n',
      'services:\n  orders:\n    clients: { mq: { timeout: 1s } }\n',
      'scenarios/mq.yaml:6:16: services.orders.clients.mq: "mq" is a broker: client policies apply to calls, and a broker is published to (a publish step has its own confirm, timeout and whenDown)',
    ],
    [
      'a workload entering a broker',
      'entry: orders.place',
      'entry: mq.publish',
      'scenarios/mq.yaml:24:31: workloads.users.entry: "mq" is a broker: workloads send their requests to services; messages reach it from a step of its own {publish: mq.<queue or topic>}',
    ],
    [
      'a network edge from the clients to a broker',
      'workloads:',
      'network:\n  edges: [{ from: client, to: mq, latency: 1ms }]\nworkloads:',
      'scenarios/mq.yaml:24:31: network.edges[0].to: workload clients never reach broker "mq": their requests enter services, which publish to it',
    ],
    [
      'a network edge to an unknown broker',
      'workloads:',
      'network:\n  edges: [{ from: orders, to: mqq, latency: 1ms }]\nworkloads:',
      'scenarios/mq.yaml:24:31: network.edges[0].to: unknown service or broker "mqq" (did you mean "mq"?)',
    ],
    [
      "a fault on a broker's endpoint",
      'workloads:',
      'chaos:\n  - { at: 1m, slow: mq.publish, factor: 2 }\nworkloads:',
      'scenarios/mq.yaml:24:21: chaos[0].slow: "mq" is a broker: it has no endpoints to target; write the broker alone (slow: mq)',
    ],
    [
      'a fault on an edge to a broker nobody publishes to from there',
      'workloads:',
      'chaos:\n  - { at: 1m, latency: notifier->mq, add: 1s }\nworkloads:',
      'scenarios/mq.yaml:24:24: chaos[0].latency: "notifier" never publishes to "mq": a fault on the edge notifier->mq would have no effect',
    ],
    [
      'a fault on an edge from a broker to a service that consumes nothing',
      'workloads:',
      'chaos:\n  - { at: 1m, loss: mq->orders, rate: 10% }\nworkloads:',
      'scenarios/mq.yaml:24:21: chaos[0].loss: "mq" delivers nothing to "orders" (it consumes none of mq\'s queues): a fault on the edge mq->orders would have no effect',
    ],
    [
      'killing more broker instances than there are',
      'workloads:',
      'chaos:\n  - { at: 1m, kill: mq, instances: 2 }\nworkloads:',
      'scenarios/mq.yaml:24:36: chaos[0].instances: mq has 1 instance: instances must be at most 1 (or a share such as 50%, or all)',
    ],
    [
      'a fault on an unknown service or broker',
      'workloads:',
      'chaos:\n  - { at: 1m, kill: mqq }\nworkloads:',
      'scenarios/mq.yaml:24:21: chaos[0].kill: unknown service or broker "mqq" (did you mean "mq"?)',
    ],
    // expectations
    [
      'a messaging metric with a service scope',
      'workloads:',
      'expect:\n  - { metric: messages_lost, service: notifier, atMost: 0 }\nworkloads:',
      'scenarios/mq.yaml:24:30: expect[0].service: messages_lost is measured on broker queues: scope it with queue: <broker>.<queue>, or leave the scope out for all queues',
    ],
    [
      'a request metric with a queue scope',
      'workloads:',
      'expect:\n  - { metric: p99, queue: mq.notifications, atMost: 1s }\nworkloads:',
      'scenarios/mq.yaml:24:20: expect[0].queue: "queue" applies to the messaging metrics only (messages_published, messages_processed, messages_lost, dead_lettered, redeliveries, duplicates, backlog_max, backlog_end, oldest_message_age_ms, delivery_latency_p50, delivery_latency_p99, delivery_latency_max), not to latency_p99',
    ],
    [
      'a queue scope naming a topic',
      'workloads:',
      'expect:\n  - { metric: backlog_end, queue: mq.orders, atMost: 0 }\nworkloads:',
      'scenarios/mq.yaml:24:35: expect[0].queue: mq.orders is a topic: name one of its groups, e.g. mq.orders/billing (its groups: mq.orders/billing, mq.orders/shipping)',
    ],
    [
      'two scopes',
      'workloads:',
      'expect:\n  - { metric: backlog_end, queue: mq.notifications, service: notifier, atMost: 0 }\nworkloads:',
      'scenarios/mq.yaml:24:28: expect[0].queue: give at most one scope (workload, service, endpoint, edge, breaker or queue); this one has service and queue',
    ],
    [
      'a count written with a unit',
      'workloads:',
      'expect:\n  - { metric: dead_lettered, atMost: 10ms }\nworkloads:',
      'scenarios/mq.yaml:24:38: expect[0].atMost: expected a plain number such as 10 (a count of messages), got "10ms"',
    ],
    [
      'a delivery latency without a unit',
      'workloads:',
      'expect:\n  - { metric: delivery_latency_max, atMost: 10 }\nworkloads:',
      'scenarios/mq.yaml:24:45: expect[0].atMost: expected a duration such as "300ms", got 10 (durations need a unit, e.g. 10ms)',
    ],
    [
      'an edge scope with a broker',
      'workloads:',
      'expect:\n  - { metric: availability, edge: orders->mq, atLeast: 99% }\nworkloads:',
      'scenarios/mq.yaml:24:35: expect[0].edge: "mq" is a broker: an edge is a call, and a broker is published to; measure the broker with service: mq, or its queues with queue: mq.<queue>',
    ],
    [
      'an endpoint scope on a broker',
      'workloads:',
      'expect:\n  - { metric: availability, endpoint: mq.publish, atLeast: 99% }\nworkloads:',
      'scenarios/mq.yaml:24:39: expect[0].endpoint: "mq" is a broker, with no endpoints to measure: use service: mq for the broker, or queue: mq.publish for a queue',
    ],
  ];

  it.each(cases)('%s', (_what, from, to, message) => {
    expect(messageOf(edit(from, to))).toBe(message);
  });

  it('a messaging metric in a scenario without brokers', () => {
    const text = BASE.replace(/brokers:[\s\S]*?(?=workloads:)/, '')
      .replace(`        calls:\n${PUBLISH_STEP}\n`, '')
      .replace(`${CONSUMES}\n`, '');
    expect(messageOf(`${text}expect:\n  - { metric: messages_processed, atLeast: 1 }\n`)).toBe(
      'scenarios/mq.yaml:16:5: expect[0]: messages_processed is measured on broker queues, and the scenario has no brokers',
    );
  });
});

describe('docs/en/scenario-format.md: the messaging section', () => {
  /** The fenced YAML blocks of the section under `heading` (up to the next `## `). */
  function yamlBlocks(heading: string): string[] {
    const start = DOC.indexOf(`\n${heading}\n`);
    expect(start, heading).toBeGreaterThan(0);
    const end = DOC.indexOf('\n## ', start + heading.length + 2);
    const section = DOC.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  }

  it('is listed in the table of contents, before Faults', () => {
    const toc = DOC.slice(0, DOC.indexOf('\n## '));
    const entry = toc.indexOf('(#message-brokers-brokers-publishing-and-consuming)');
    expect(entry).toBeGreaterThan(0);
    expect(entry).toBeLessThan(toc.indexOf('(#faults-chaos)'));
  });

  const HEADING = '## Message brokers (`brokers:`), publishing and consuming';
  const example = () => `name: shop\ndescription: { en: x, es: x }\nduration: 10m\n${yamlBlocks(HEADING)[0]}`;

  it('its example resolves', () => {
    const s = load(example());
    expect(s.world.brokers!.map((b) => [b.name, b.queues.map((q) => q.name), b.topics[0]!.groups])).toEqual([
      [
        'mq',
        ['notifications', 'audit'],
        [
          { ...DEFAULT_QUEUE, name: 'orders/billing', maxDeliveries: 3, maxLength: 5000 },
          { ...DEFAULT_QUEUE, name: 'orders/shipping', maxDeliveries: 3 },
        ],
      ],
    ]);
    expect(s.world.services.map((x) => x.subscriptions?.map((sub) => sub.queue))).toEqual([
      undefined,
      ['notifications'],
      ['orders/billing'],
      ['orders/shipping'],
    ]);
    // The block of publish steps, in place of the example's calls.
    const [, steps] = yamlBlocks(HEADING);
    expect(steps!.startsWith('calls:\n')).toBe(true);
    const indented = `${steps!.slice('calls:\n'.length).trimEnd().replace(/^/gm, '        ')}\n`;
    const withSteps = example().replace(/ {10}- \{ publish: mq\.notifications \}.*\n.*\n/, indented);
    expect(withSteps).not.toBe(example());
    expect(load(withSteps).world.services[0]!.endpoints[0]!.calls[1]).toEqual({
      kind: 'publish',
      publish: {
        broker: 'mq',
        destination: 'orders',
        confirm: true,
        timeoutMs: 2000,
        whenDown: 'wait',
        maxWaitMs: 300_000,
        soft: true,
        poison: 0.001,
        probability: 0.5,
      },
    });
  });

  it('its error examples are what the example changed in one place prints', () => {
    const text = DOC.slice(DOC.indexOf(`\n${HEADING}\n`));
    const shown = text.slice(
      text.indexOf('```text\n') + 8,
      text.indexOf('```', text.indexOf('```text\n') + 8),
    );
    const edits: [string, string][] = [
      ['{ publish: mq.notifications }', '{ publish: mq.notification }'],
      ['consumes: mq.notifications', 'consumes: mq.orders'],
      ['{ publish: mq.notifications }', '{ publish: mq.notifications, soft: true }'],
      ['- { publish: mq.notifications }', '- parallel: [notifier.send, { publish: mq.notifications }]'],
      ['concurrency: 4, prefetch: 10', 'concurrency: 4, prefetch: 2'],
      ['queue: mq.orders/billing, target', 'queue: mq.notifications, target'],
    ];
    const messages = edits.map(([from, to]) => {
      expect(example().split(from)).toHaveLength(2);
      try {
        parseScenarioText(example().replace(from, to), 'scenarios/shop.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(ScenarioError);
        return (error as ScenarioError).message;
      }
      throw new Error(`expected "${to}" to fail`);
    });
    expect(messages.join('\n')).toBe(shown.trim());
  });
});

describe('fuzz: the messaging keys never crash the reader', () => {
  /** Every messaging key in one file: brokers, topics, publishes, consumers, backlog, faults, expectations. */
  const FIXTURE = `${edit(
    PUBLISH_STEP,
    `${PUBLISH_STEP}
          - { publish: mq.orders, confirm: true, timeout: 2s, whenDown: wait, maxWait: 5min, soft: true, poison: 1% }`,
  )
    .replace(
      '  notifier:\n',
      '  notifier:\n    autoscale: { metric: backlog, queue: mq.notifications, target: 20 }\n',
    )
    .replace(
      QUEUES,
      '      notifications: { maxLength: 100, overflow: reject-publish, ttl: 1m, maxDeliveries: 3, ackTimeout: 10s }',
    )
    .replace(
      '        groups: [billing, shipping]',
      '        ttl: 5m\n        groups: { billing: { maxLength: 5 }, shipping: null }',
    )
    .replace(CONSUMES, '        consumes: { from: mq.notifications, concurrency: 2, prefetch: 4 }')}chaos:
  - { at: 60s, for: 30s, kill: mq }
  - { at: 60s, for: 30s, latency: orders->mq, add: 10ms }
expect:
  - { metric: backlog_max, queue: mq.orders/billing, atMost: 100 }
  - { metric: delivery_latency_p99, atMost: 2s }
`;

  /** 'ok', or 'error' for a ScenarioError (located when `located`); anything else fails. */
  function outcome(read: () => ResolvedScenario, located: boolean): 'ok' | 'error' {
    try {
      read();
      return 'ok';
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      for (const issue of error.issues) {
        expect(issue.message).not.toContain(INTERNAL_ERROR);
        if (located) expect(issue.line, issue.message).toBeGreaterThan(0);
      }
      return 'error';
    }
  }

  it('the fixture itself resolves', () => {
    const s = load(FIXTURE);
    expect(s.world.brokers).toHaveLength(1);
    expect(s.world.services[1]!.autoscale?.metric).toBe('backlog');
  });

  it('a mangled messaging file resolves or fails with located ScenarioErrors', () => {
    const seen = { ok: 0, error: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), (mutations) => {
        const text = mutations.reduce(applyMutation, FIXTURE);
        seen[outcome(() => parseScenarioText(text, 'fuzz.yaml'), true)]++;
      }),
      { numRuns: 300 },
    );
    expect(seen.error).toBeGreaterThan(0);
  });

  it('values swapped into the messaging scenario resolve or fail with a ScenarioError', () => {
    const data = parse(FIXTURE) as Record<string, unknown>;
    const leaf = fc.oneof(
      fc.anything({ maxDepth: 1 }),
      fc.constantFrom(...VALUES, ...NUMBERS, 'none', 'mq.orders', 'mq.orders/billing', 'mq', 'wait'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), leaf), { maxLength: 3 }), (edits) => {
        const raw = structuredClone(data);
        for (const [n, value] of edits) replaceNthLeaf(raw, n, value);
        outcome(() => resolveScenario(raw, 'fuzz'), false);
      }),
      { numRuns: 300 },
    );
  });
});
