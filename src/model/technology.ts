/**
 * Technology profiles: what a service's runtime (Go, the JVM, Node.js…) does to its instances.
 * A profile gives the start-up time and the memory of one instance (the scenario layer merges
 * them into the service's `startup` and `resources`), a work factor that multiplies all of its
 * work, and a warm-up: right after an instance becomes ready its work is `warmupFactor` times
 * slower, the factor decaying linearly to 1 over `warmupMs` (a JIT compiling the hot paths).
 *
 * The built-in values are illustrative orders of magnitude for a typical web service, chosen to
 * make the differences visible in a simulation; they are not benchmarks. See
 * docs/en/technology-profiles.md.
 */
import type { Distribution } from '../engine/distributions.ts';

export interface TechnologyProfile {
  /** Time from an instance's start to ready. */
  readonly startup: Distribution;
  /** How long the warm-up lasts after the instance becomes ready (0: none). */
  readonly warmupMs: number;
  /** Work × this right after ready, decaying linearly to 1 over `warmupMs` (≥ 1; 1: none). */
  readonly warmupFactor: number;
  /** Memory of one instance, in MB. */
  readonly memoryMb: number;
  /** Multiplies all work, warm or not (1: as written in the endpoints). */
  readonly workFactor: number;
}

/** A built-in profile and why its values are what they are. */
export interface BuiltinProfile extends TechnologyProfile {
  /** One line: why these numbers (illustrative, not a benchmark). */
  readonly rationale: string;
}

export const BUILTIN_TECHNOLOGIES = ['go', 'node', 'jvm', 'python', 'dotnet', 'rust'] as const;

export type BuiltinTechnology = (typeof BUILTIN_TECHNOLOGIES)[number];

const seconds = (s: number): Distribution => ({ kind: 'constant', value: s * 1000 });

/** The built-in profiles, in the order of `BUILTIN_TECHNOLOGIES`. Work ×1 is Go's. */
export const BUILTIN_PROFILES: Readonly<Record<BuiltinTechnology, BuiltinProfile>> = {
  go: {
    startup: seconds(1),
    warmupMs: 0,
    warmupFactor: 1,
    memoryMb: 64,
    workFactor: 1,
    rationale:
      'an ahead-of-time compiled static binary: fast start, nothing to warm, small heap; the reference for work',
  },
  node: {
    startup: seconds(2),
    warmupMs: 10_000,
    warmupFactor: 1.5,
    memoryMb: 128,
    workFactor: 1.3,
    rationale:
      'V8 loads the module graph in a second or two and optimises hot functions within seconds; dynamic typing costs some CPU',
  },
  jvm: {
    startup: seconds(20),
    warmupMs: 60_000,
    warmupFactor: 3,
    memoryMb: 512,
    workFactor: 1,
    rationale:
      'a Spring-Boot-style service: tens of seconds to start, hot code interpreted until C1/C2 compile it, then on a par with Go',
  },
  python: {
    startup: seconds(3),
    warmupMs: 0,
    warmupFactor: 1,
    memoryMb: 128,
    workFactor: 3,
    rationale:
      'CPython interprets bytecode (no JIT by default): nothing to warm, but CPU work takes several times longer',
  },
  dotnet: {
    startup: seconds(5),
    warmupMs: 30_000,
    warmupFactor: 2,
    memoryMb: 256,
    workFactor: 1,
    rationale:
      'the CLR starts faster than a typical JVM service, and tiered compilation warms up in tens of seconds',
  },
  rust: {
    startup: seconds(0.5),
    warmupMs: 0,
    warmupFactor: 1,
    memoryMb: 32,
    workFactor: 0.9,
    rationale:
      'ahead-of-time compiled, no garbage collector, no runtime to start: the fastest start and smallest footprint, slightly less CPU than Go',
  },
};

/** Whether `name` is a built-in profile's name. */
export function isBuiltinTechnology(name: string): name is BuiltinTechnology {
  return (BUILTIN_TECHNOLOGIES as readonly string[]).includes(name);
}

/**
 * The work multiplier of a profile `sinceReadyMs` after an instance became ready: the warm-up
 * factor decaying linearly to 1 over the warm-up, times the work factor. (Instances compute the
 * same in `Instance.workScale` without a call per piece of work.)
 */
export function technologyWorkScale(profile: TechnologyProfile, sinceReadyMs: number): number {
  const { warmupMs, warmupFactor, workFactor } = profile;
  if (sinceReadyMs >= warmupMs) return workFactor;
  return workFactor * (1 + (warmupFactor - 1) * (1 - sinceReadyMs / warmupMs));
}
