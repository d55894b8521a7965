/**
 * Seeded, named random streams. One seed per run; each consumer draws from its own stream,
 * derived from the run seed and the stream's name (`arrivals/web`, `work/cart`, `network`).
 * Adding a consumer leaves every other stream unchanged (common random numbers).
 */
import seedrandom from 'seedrandom';

/** Returns a uniform number in [0, 1). */
export type RandomStream = () => number;

export interface RandomStreams {
  readonly seed: number;
  /** The stream with this name; the same name always returns the same stream object. */
  stream(name: string): RandomStream;
}

/** Creates the named streams of one run. Alea is used: fast, and good enough for simulation. */
export function createRandomStreams(seed: number): RandomStreams {
  const streams = new Map<string, RandomStream>();
  return {
    seed,
    stream(name: string): RandomStream {
      let s = streams.get(name);
      if (s === undefined) {
        // Alea's own `next` function, not a wrapper around it: one call less per draw.
        s = seedrandom.alea(`${seed}/${name}`);
        streams.set(name, s);
      }
      return s;
    },
  };
}
