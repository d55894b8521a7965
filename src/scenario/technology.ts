/**
 * Technology profiles in a scenario: a service's `technology:` (a built-in profile such as `jvm`,
 * or one the file defines), the top-level `technologies:` map of the file's own profiles (each
 * may `extends:` another), and how a profile's start-up and memory give way to the service's own
 * `startup` and `resources.memoryMb`. See docs/en/technology-profiles.md.
 */
import type { Distribution } from '../engine/distributions.ts';
import {
  BUILTIN_PROFILES,
  BUILTIN_TECHNOLOGIES,
  isBuiltinTechnology,
  type TechnologyProfile,
} from '../model/technology.ts';
import type { ResourcesSpec, ServiceTechnology, VersionSpec } from '../model/world-spec.ts';
import { closestMatch } from './did-you-mean.ts';
import { makeConstant } from './distribution-kinds.ts';
import { type DistributionInput, distributionValue } from './distribution-value.ts';
import { FieldReader, mapOf } from './field-reader.ts';
import type { DurationInput } from './fields.ts';
import { describeValue, invalid, isPlainObject, type RawIssue } from './invalid-value.ts';
import { type ResourcesInput, resourcesValue } from './scaling.ts';
import { NAME_PATTERN } from './targets.ts';
import { durationMs } from './units.ts';

/** A profile as written under `technologies:`. */
export interface TechnologyInput {
  extends?: string;
  startup?: DistributionInput;
  warmup?: DurationInput;
  warmupFactor?: number;
  memoryMb?: number;
  workFactor?: number;
}

/** A profile as read: only what was written (and valid); `extends` not yet resolved. */
export interface TechnologyDraft {
  readonly extends?: string;
  readonly startup?: Distribution;
  readonly warmupMs?: number;
  readonly warmupFactor?: number;
  readonly memoryMb?: number;
  readonly workFactor?: number;
}

/** What a profile without `extends` takes for the keys it leaves out: nothing changes. */
export const NEUTRAL_PROFILE: TechnologyProfile = {
  startup: makeConstant(0),
  warmupMs: 0,
  warmupFactor: 1,
  memoryMb: 512,
  workFactor: 1,
};

/** How a profile looks, for messages. */
export const TECHNOLOGY_EXAMPLE = '{extends: jvm, warmup: 30s, memoryMb: 1024}';

function numberAtLeast(min: number, inclusive: boolean, what: string) {
  return (raw: unknown): number => {
    if (typeof raw === 'number' && Number.isFinite(raw) && (inclusive ? raw >= min : raw > min)) return raw;
    throw invalid(`expected ${what}, got ${describeValue(raw)}`);
  };
}

/** A name of a profile (`technology:` of a service, `extends:` of a profile). */
export function technologyName(raw: unknown): string {
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  throw invalid(`expected the name of a technology profile such as jvm, got ${describeValue(raw)}`);
}

/** One entry of `technologies:`, checked key by key. */
export function technologyDraftValue(raw: unknown): TechnologyDraft {
  const r = new FieldReader(mapOf(raw, `a map ${TECHNOLOGY_EXAMPLE}`), [
    'extends',
    'startup',
    'warmup',
    'warmupFactor',
    'memoryMb',
    'workFactor',
  ]);
  const draft = {
    extends: r.optional('extends', technologyName),
    startup: r.optional('startup', (v) => distributionValue(v)),
    warmupMs: r.optional('warmup', (v) => durationMs(v, { example: '60s' })),
    warmupFactor: r.optional(
      'warmupFactor',
      numberAtLeast(1, true, 'a number ≥ 1 such as 3 (work × this right after ready; 1: no warm-up)'),
    ),
    memoryMb: r.optional('memoryMb', numberAtLeast(0, false, 'a memory size in MB above 0 such as 512')),
    workFactor: r.optional(
      'workFactor',
      numberAtLeast(0, false, 'a number above 0 such as 1.3 (work × this; 1: as written)'),
    ),
  };
  r.done();
  return Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined)) as TechnologyDraft;
}

/** `resources:` of a service, remembering whether `memoryMb` was written (it wins over a profile's). */
export interface WrittenResources {
  readonly spec: ResourcesSpec;
  readonly memoryWritten: boolean;
}

export function writtenResourcesValue(raw: unknown): WrittenResources {
  const spec = resourcesValue(raw as ResourcesInput);
  return { spec, memoryWritten: isPlainObject(raw) && Object.hasOwn(raw, 'memoryMb') };
}

/**
 * A service's start-up and resources once its profile is applied: what the service writes wins,
 * the profile fills in the rest (start-up 0 s and the `resources:` defaults without a profile).
 */
export function withTechnology(
  technology: ServiceTechnology | undefined,
  startup: Distribution | undefined,
  resources: WrittenResources | undefined,
): { startup: Distribution; resources?: ResourcesSpec } {
  const profile = technology?.profile;
  const merged: { startup: Distribution; resources?: ResourcesSpec } = {
    startup: startup ?? profile?.startup ?? makeConstant(0),
  };
  if (resources !== undefined) {
    merged.resources =
      profile === undefined || resources.memoryWritten
        ? resources.spec
        : { ...resources.spec, memoryMb: profile.memoryMb };
  } else if (profile !== undefined) {
    merged.resources = { ...resourcesValue({}), memoryMb: profile.memoryMb };
  }
  return merged;
}

/** "unknown technology …" with a suggestion and the names there are. */
function unknownMessage(name: string, defined: readonly string[]): string {
  const match = closestMatch(name, [...BUILTIN_TECHNOLOGIES, ...defined]);
  const hint = match === undefined ? '' : ` (did you mean "${match}"?)`;
  const builtins = `the built-in ones are ${BUILTIN_TECHNOLOGIES.join(', ')}`;
  const own =
    defined.length === 0
      ? ' (define your own under technologies:)'
      : `, and technologies: defines ${defined.join(', ')}`;
  return `unknown technology "${name}"${hint}; ${builtins}${own}`;
}

type Report = (issue: RawIssue) => void;

/** Resolves `extends` chains of the file's profiles; problems go to `report`. */
function resolveDefined(
  drafts: Readonly<Record<string, TechnologyDraft>>,
  report: Report,
): Map<string, TechnologyProfile | null> {
  const names = Object.keys(drafts);
  const usable = definedNames(drafts);
  const resolved = new Map<string, TechnologyProfile | null>();
  for (const name of names) {
    if (isBuiltinTechnology(name)) {
      report({
        path: ['technologies', name],
        message: `"${name}" is a built-in technology: give yours another name (it may say extends: ${name})`,
        at: 'key',
      });
      resolved.set(name, null);
    } else if (!NAME_PATTERN.test(name)) {
      report({
        path: ['technologies', name],
        message: `invalid technology name "${name}": use lower-case letters, digits and dashes, starting with a letter`,
        at: 'key',
      });
      resolved.set(name, null);
    }
  }
  const resolve = (name: string, chain: readonly string[]): TechnologyProfile | null => {
    const done = resolved.get(name);
    if (done !== undefined) return done;
    const draft = drafts[name]!;
    let base: TechnologyProfile | null = NEUTRAL_PROFILE;
    const parent = draft.extends;
    if (parent !== undefined) {
      const path = ['technologies', name, 'extends'];
      if (isBuiltinTechnology(parent)) base = BUILTIN_PROFILES[parent];
      else if (!Object.hasOwn(drafts, parent)) {
        report({ path, message: unknownMessage(parent, usable) });
        base = null;
      } else if (parent === name || chain.includes(parent)) {
        const from = chain.indexOf(parent);
        const cycle = from < 0 ? [name, parent] : [...chain.slice(from), name, parent];
        report({ path, message: `extends goes round in a circle: ${cycle.join(' → ')}` });
        base = null;
      } else base = resolve(parent, [...chain, name]);
    }
    let profile: TechnologyProfile | null = null;
    if (base !== null) {
      const { extends: _, ...own } = draft;
      profile = { ...pick(base), ...own };
      if (own.warmupFactor !== undefined && own.warmupFactor !== 1 && profile.warmupMs === 0) {
        report({
          path: ['technologies', name, 'warmupFactor'],
          message: `warmupFactor ${own.warmupFactor} has no effect without a warm-up: give warmup as well, such as warmup: 30s`,
        });
        profile = null;
      }
    }
    resolved.set(name, profile);
    return profile;
  };
  for (const name of names) resolve(name, []);
  return resolved;
}

/** The names under `technologies:` that a service may use (well formed, not a built-in's). */
function definedNames(drafts: Readonly<Record<string, TechnologyDraft>>): string[] {
  return Object.keys(drafts).filter((name) => NAME_PATTERN.test(name) && !isBuiltinTechnology(name));
}

/** Only the profile's own fields (a built-in's rationale is documentation). */
function pick(p: TechnologyProfile): TechnologyProfile {
  return {
    startup: p.startup,
    warmupMs: p.warmupMs,
    warmupFactor: p.warmupFactor,
    memoryMb: p.memoryMb,
    workFactor: p.workFactor,
  };
}

interface ScenarioWithTechnologies {
  readonly services: Readonly<Record<string, { readonly technology?: string | undefined }>>;
  readonly technologies?: Readonly<Record<string, TechnologyDraft>> | undefined;
}

type ResolvedService<S> = Omit<S, 'technology'> & { readonly technology?: ServiceTechnology };

type Resolved<T extends ScenarioWithTechnologies> = Omit<T, 'services'> & {
  services: Record<string, ResolvedService<T['services'][string]>>;
};

/**
 * Replaces each service's `technology:` name by its resolved profile (a built-in, or one of
 * `technologies:` with its `extends` applied). Unknown names, circular `extends` and misnamed
 * profiles go to `report`, located from the file root.
 */
export function resolveTechnologies<T extends ScenarioWithTechnologies>(
  parsed: T,
  report: Report,
): Resolved<T> {
  const drafts = parsed.technologies ?? {};
  const defined = resolveDefined(drafts, report);
  const usable = definedNames(drafts);
  const services: Record<string, ResolvedService<T['services'][string]>> = {};
  for (const name of Object.keys(parsed.services)) {
    const service = parsed.services[name] as T['services'][string];
    const { technology, ...rest } = service;
    if (technology === undefined) {
      services[name] = rest;
      continue;
    }
    let profile: TechnologyProfile | null | undefined;
    if (isBuiltinTechnology(technology)) profile = pick(BUILTIN_PROFILES[technology]);
    else profile = defined.get(technology);
    if (profile === undefined) {
      report({ path: ['services', name, 'technology'], message: unknownMessage(technology, usable) });
    }
    services[name] = profile == null ? rest : { ...rest, technology: { name: technology, profile } };
  }
  // A version may be a rewrite on another technology.
  for (const name of Object.keys(services)) {
    const versions = (services[name] as { versions?: readonly VersionSpec[] }).versions;
    if (versions === undefined || versions.every((v) => v.technologyName === undefined)) continue;
    const resolvedVersions = versions.map((v) => {
      if (v.technologyName === undefined) return v;
      const profile = isBuiltinTechnology(v.technologyName)
        ? pick(BUILTIN_PROFILES[v.technologyName])
        : defined.get(v.technologyName);
      if (profile === undefined) {
        report({
          path: ['services', name, 'versions', v.name, 'technology'],
          message: unknownMessage(v.technologyName, usable),
        });
      }
      return profile == null ? v : { ...v, technology: profile };
    });
    services[name] = { ...services[name]!, versions: resolvedVersions } as (typeof services)[string];
  }
  return { ...parsed, services };
}
