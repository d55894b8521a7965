/** Runs a hand-built world on a fresh engine and collects what it emitted. */
import { createBus } from '../../src/engine/bus.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { createRandomStreams } from '../../src/engine/random.ts';
import { createWorld, type World } from '../../src/model/world.ts';
import type { WorldSpec } from '../../src/model/world-spec.ts';
import type { Signals } from '../../src/signals.ts';

export interface Harness {
  readonly engine: Engine;
  readonly world: World;
  readonly completed: Signals['request.completed'][];
  readonly hops: Signals['hop.completed'][];
  readonly states: Signals['instance.state'][];
  readonly arrived: Signals['request.arrived'][];
  unstable: string | null;
}

export function runWorld(spec: WorldSpec, untilMs: number, seed = 1, endMs = untilMs): Harness {
  const engine = createEngine();
  const bus = createBus<Signals>();
  const h: Omit<Harness, 'world'> & { world?: World } = {
    engine,
    completed: [],
    hops: [],
    states: [],
    arrived: [],
    unstable: null,
  };
  bus.on('request.completed', (p) => h.completed.push(p));
  bus.on('request.arrived', (p) => h.arrived.push(p));
  bus.on('hop.completed', (p) => h.hops.push(p));
  bus.on('instance.state', (p) => h.states.push(p));
  h.world = createWorld(spec, {
    engine,
    bus,
    streams: createRandomStreams(seed),
    endMs,
    onUnstable: (message) => {
      h.unstable = message;
      engine.stop();
    },
  });
  engine.runUntil(untilMs);
  if (bus.failureCount > 0) throw bus.failures[0]!.error;
  return h as Harness;
}
