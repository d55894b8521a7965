/**
 * The publish step of an endpoint's `calls` (`{publish: mq.notifications, confirm: true, …}`):
 * read and checked on its own, its destination still as text until the brokers are known
 * (build-services.ts resolves it with queue-refs.ts).
 */
import type { PublishSpec } from '../model/world-spec.ts';
import { booleanValue, choiceValue, FieldReader } from './field-reader.ts';
import type { DurationInput, RatioInput } from './fields.ts';
import { describeValue, invalid, type Segment } from './invalid-value.ts';
import { positiveDurationOrNone, ratioValue } from './units.ts';

/** A publish step as written. */
export interface PublishStepInput {
  publish: string;
  confirm?: boolean;
  whenDown?: 'fail' | 'wait';
  maxWait?: DurationInput | 'none';
  timeout?: DurationInput | 'none';
  poison?: RatioInput;
  probability?: RatioInput;
  soft?: boolean;
}

/** The keys of a publish step. */
export const PUBLISH_KEYS = [
  'publish',
  'confirm',
  'whenDown',
  'maxWait',
  'timeout',
  'poison',
  'probability',
  'soft',
] as const;

/** What a publish step leaves out: fire-and-forget, failing at once when the broker is down. */
export const PUBLISH_DEFAULTS: Omit<PublishSpec, 'broker' | 'destination'> = {
  confirm: false,
  whenDown: 'fail',
  maxWaitMs: Number.POSITIVE_INFINITY,
  timeoutMs: Number.POSITIVE_INFINITY,
  poison: 0,
  probability: 1,
  soft: false,
};

/** A publish step read, its destination still as text; `targetPath` locates the text in the step. */
export interface UnresolvedPublish extends Omit<PublishSpec, 'broker' | 'destination'> {
  readonly target: string;
  readonly targetPath: readonly Segment[];
}

/** Reads a publish step (a map with `publish`); throws `InvalidValue` with paths within the step. */
export function readPublish(map: Record<string, unknown>): UnresolvedPublish {
  const r = new FieldReader(map, PUBLISH_KEYS);
  const target = r.required('publish', 'a queue or topic such as mq.notifications', (v) => {
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    throw invalid(
      `expected a queue or topic to publish to, such as mq.notifications (broker.queue), got ${describeValue(v)}`,
    );
  });
  const written = r.optional('confirm', booleanValue);
  const confirm = written ?? PUBLISH_DEFAULTS.confirm;
  const whenDown = r.optional('whenDown', (v) => choiceValue(v, ['fail', 'wait'] as const));
  const maxWaitMs = r.optional('maxWait', (v) => positiveDurationOrNone(v, '5min'));
  const timeoutMs = r.optional('timeout', (v) => positiveDurationOrNone(v, '2s'));
  const poison = r.optional('poison', ratioValue);
  const probability = r.optional('probability', ratioValue);
  const soft = r.optional('soft', booleanValue);
  // An invalid confirm or whenDown is reported already: the rules below would only add noise.
  if (!confirm && (written !== undefined || !r.has('confirm'))) {
    // Keys that only a publisher waiting for the broker's confirm can use.
    if (r.has('soft')) {
      r.add(
        'a fire-and-forget publish never fails its endpoint; soft applies to confirmed publishes (add confirm: true)',
        ['soft'],
        'key',
      );
    }
    if (r.has('timeout')) {
      r.add(
        'a fire-and-forget publish does not wait for the broker; timeout applies to confirmed publishes (add confirm: true)',
        ['timeout'],
        'key',
      );
    }
  }
  if (r.has('maxWait') && whenDown !== 'wait' && (whenDown !== undefined || !r.has('whenDown'))) {
    r.add(
      'maxWait is how long a message may wait for a broker that is down; it applies with whenDown: wait only (with fail, the publish fails at once)',
      ['maxWait'],
      'key',
    );
  }
  r.done();
  return {
    target: target!,
    targetPath: ['publish'],
    confirm,
    whenDown: whenDown ?? PUBLISH_DEFAULTS.whenDown,
    maxWaitMs: maxWaitMs ?? PUBLISH_DEFAULTS.maxWaitMs,
    timeoutMs: timeoutMs ?? PUBLISH_DEFAULTS.timeoutMs,
    poison: poison ?? PUBLISH_DEFAULTS.poison,
    probability: probability ?? PUBLISH_DEFAULTS.probability,
    soft: soft ?? PUBLISH_DEFAULTS.soft,
  };
}

/** Throws the message for a publish written inside a `parallel` group or a `choice`. */
export function publishNotAllowedIn(group: 'parallel' | 'choice'): never {
  const where = group === 'parallel' ? 'a parallel group' : 'a choice';
  throw invalid(
    `a publish is a step of its own: it cannot be part of ${where}; write {publish: …} as a separate step of calls`,
    ['publish'],
    'key',
  );
}
