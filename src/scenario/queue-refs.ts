/**
 * References to what brokers hold, as written across a scenario: a publish's destination
 * (`mq.notifications`, a queue or a topic), and a queue to consume, to scale on or to measure
 * (`mq.notifications`, or a topic's group queue `mq.orders/billing`). Each is `broker.name`,
 * split at the first dot; a mistake gets a message listing what the broker has, with a
 * "did you mean".
 */
import type { BrokerSpec } from '../model/world-spec.ts';
import { unknownBroker } from './brokers.ts';
import { closestMatch, didYouMean } from './did-you-mean.ts';
import { invalid } from './invalid-value.ts';

/** A broker's queue: a queue of its own, or a topic's group queue `topic/group`. */
export interface QueueRef {
  readonly broker: string;
  readonly queue: string;
}

/** The brokers of a scenario and its service names (which a broker's name may be mistaken for). */
export interface BrokerContext {
  readonly brokers: readonly BrokerSpec[];
  readonly services: readonly string[];
}

/** The names of every queue of `broker`, group queues included. */
export function queueNames(broker: BrokerSpec): string[] {
  return [...broker.queues.map((q) => q.name), ...broker.topics.flatMap((t) => t.groups.map((g) => g.name))];
}

/** What `broker` offers, for messages: `its queues: a, b; its topics: orders (groups mq.orders/x, …)`. */
function offered(broker: BrokerSpec): string {
  const parts: string[] = [];
  if (broker.queues.length > 0) parts.push(`its queues: ${broker.queues.map((q) => q.name).join(', ')}`);
  if (broker.topics.length > 0) {
    const topics = broker.topics.map(
      (t) => `${t.name} (groups ${t.groups.map((g) => `${broker.name}.${g.name}`).join(', ')})`,
    );
    parts.push(`its topics: ${topics.join(', ')}`);
  }
  return parts.join('; ');
}

/** ` (did you mean "mq.x"?)` for the name of `names` closest to `rest`, or the empty string. */
function suggestion(broker: BrokerSpec, rest: string, names: readonly string[]): string {
  const match = closestMatch(rest, names);
  return match === undefined ? '' : ` (did you mean "${broker.name}.${match}"?)`;
}

/** Splits `broker.rest`, or throws naming what was expected (with a suggestion when it helps). */
function split(text: string, ctx: BrokerContext, usage: string): { broker: BrokerSpec; rest: string } {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) {
    const owners = ctx.brokers.filter(
      (b) => b.queues.some((q) => q.name === text) || b.topics.some((t) => t.name === text),
    );
    const hint = owners.length === 1 ? ` (did you mean "${owners[0]!.name}.${text}"?)` : '';
    const broker = ctx.brokers.find((b) => b.name === text);
    const detail = broker === undefined ? '' : `; "${text}" is a broker: ${offered(broker)}`;
    throw invalid(`expected ${usage}, got "${text}"${hint}${detail}`);
  }
  const name = text.slice(0, dot);
  const broker = ctx.brokers.find((b) => b.name === name);
  if (broker === undefined) throw invalid(unknownBroker(name, ctx.brokers, ctx.services));
  return { broker, rest: text.slice(dot + 1) };
}

/** A publish's destination: a queue or a topic of the broker (a group queue is not one). */
export function resolveDestination(
  text: string,
  ctx: BrokerContext,
): { broker: string; destination: string } {
  const { broker, rest } = split(text, ctx, 'a queue or topic such as mq.notifications (broker.queue)');
  if (broker.queues.some((q) => q.name === rest) || broker.topics.some((t) => t.name === rest)) {
    return { broker: broker.name, destination: rest };
  }
  const topic = broker.topics.find((t) => t.groups.some((g) => g.name === rest));
  if (topic !== undefined) {
    throw invalid(
      `"${text}" is a group queue of topic ${topic.name}: publish to the topic, ${broker.name}.${topic.name} (each of its groups gets a copy)`,
    );
  }
  const names = [...broker.queues.map((q) => q.name), ...broker.topics.map((t) => t.name)];
  throw invalid(
    `broker "${broker.name}" has no queue or topic "${rest}"${suggestion(broker, rest, names)}; ${offered(broker)}`,
  );
}

/**
 * A queue to consume, scale on or measure: a queue of the broker, or a topic's group queue.
 * `verb` says what to do with a group when a topic is named (`consume`, `name`).
 */
export function resolveQueue(text: string, ctx: BrokerContext, verb: string): QueueRef {
  const usage =
    "a queue such as mq.notifications (broker.queue), or a topic's group such as mq.orders/billing";
  const { broker, rest } = split(text, ctx, usage);
  if (queueNames(broker).includes(rest)) return { broker: broker.name, queue: rest };
  const topic = broker.topics.find((t) => t.name === rest);
  if (topic !== undefined) {
    const groups = topic.groups.map((g) => `${broker.name}.${g.name}`);
    throw invalid(
      `${text} is a topic: ${verb} one of its groups, e.g. ${groups[0]}${groups.length > 1 ? ` (its groups: ${groups.join(', ')})` : ''}`,
    );
  }
  const slash = rest.indexOf('/');
  const parent = slash < 0 ? undefined : broker.topics.find((t) => t.name === rest.slice(0, slash));
  if (parent !== undefined) {
    const group = rest.slice(slash + 1);
    const groups = parent.groups.map((g) => g.name.slice(parent.name.length + 1));
    throw invalid(
      `topic "${parent.name}" of ${broker.name} has no group "${group}"${didYouMean(group, groups)}; its groups: ${groups.join(', ')}`,
    );
  }
  const names = [...queueNames(broker), ...broker.topics.map((t) => t.name)];
  throw invalid(
    `broker "${broker.name}" has no queue "${rest}"${suggestion(broker, rest, names)}; ${offered(broker)}`,
  );
}

/**
 * Throws when `target` (`svc.ep`) names a broker: brokers are published to, never called.
 * `why` says what the reference cannot be.
 */
export function refuseBrokerCall(
  target: string,
  brokers: readonly BrokerSpec[],
  why = 'a broker is not called',
): void {
  const dot = target.indexOf('.');
  const name = target.slice(0, dot);
  if (dot < 0 || !brokers.some((b) => b.name === name)) return;
  throw invalid(
    `"${name}" is a broker: ${why}; messages reach it from a step of its own {publish: ${name}.<queue or topic>}`,
  );
}

/** `mq.notifications` or `mq.orders/billing`, for messages. */
export function queueText(ref: QueueRef): string {
  return `${ref.broker}.${ref.queue}`;
}
