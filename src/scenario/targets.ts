/**
 * Names and references: the naming rule for services, endpoints and workloads, and the
 * resolution of call targets (`svc.ep`, or `ep` for the caller's own service) against the
 * services a scenario defines, with "did you mean" over the `service.endpoint` names.
 */
import { closestMatch } from './did-you-mean.ts';
import { invalid } from './invalid-value.ts';

/**
 * Service, endpoint, workload, broker, queue, topic and group names: lower-case letters, digits
 * and dashes, starting with a letter.
 */
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/** The pseudo-service that stands for a workload's clients in network edges. */
export const CLIENT = 'client';

/** What a checked name names (in messages). */
export type NamedThing = 'service' | 'endpoint' | 'workload' | 'broker' | 'queue' | 'topic' | 'group';

/**
 * Throws (pointing at the name's key) unless `name` follows {@link NAME_PATTERN} and, for a
 * service or a broker (they share one namespace), is not `client`.
 */
export function checkName(name: string, what: NamedThing): void {
  if (!NAME_PATTERN.test(name)) {
    const suggestion = name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^[^a-z]+/, '');
    const hint = NAME_PATTERN.test(suggestion) ? ` (e.g. "${suggestion}")` : '';
    throw invalid(
      `invalid ${what} name "${name}": use lower-case letters, digits and dashes, starting with a letter${hint}`,
      [],
      'key',
    );
  }
  if ((what === 'service' || what === 'broker') && name === CLIENT) {
    throw invalid(
      '"client" is reserved (it names the workload clients in network edges); pick another name',
      [],
      'key',
    );
  }
}

/** Every service and the names of its endpoints, in file order. */
export type Catalogue = ReadonlyMap<string, ReadonlySet<string>>;

/** A resolved reference to an endpoint. */
export interface TargetRef {
  readonly service: string;
  readonly endpoint: string;
}

function knownTargets(catalogue: Catalogue): string[] {
  const all: string[] = [];
  for (const [service, endpoints] of catalogue) for (const ep of endpoints) all.push(`${service}.${ep}`);
  return all;
}

/**
 * Resolves `text` (`svc.ep`, split at the first dot; or `ep` alone, meaning `caller`'s own
 * endpoint). `caller` is undefined for workload entries, which must name the service; `what`
 * names the reference in messages.
 */
export function resolveTarget(
  text: string,
  caller: string | undefined,
  catalogue: Catalogue,
  what = 'call target',
): TargetRef {
  const dot = text.indexOf('.');
  const service = dot < 0 ? caller : text.slice(0, dot);
  const endpoint = dot < 0 ? text : text.slice(dot + 1);
  if (service !== undefined && catalogue.get(service)?.has(endpoint)) return { service, endpoint };
  const all = knownTargets(catalogue);
  const own = caller === undefined ? [] : [...(catalogue.get(caller) ?? [])];
  const sameEndpoint = all.filter((t) => t.endsWith(`.${text}`));
  const match =
    closestMatch(text, [...own, ...all]) ?? (sameEndpoint.length === 1 ? sameEndpoint[0] : undefined);
  const hint = match === undefined ? '' : ` (did you mean "${match}"?)`;
  const why =
    service === undefined
      ? 'name the service and the endpoint, e.g. "api.get"'
      : catalogue.has(service)
        ? `service "${service}" has no endpoint "${endpoint}"`
        : `there is no service "${service}"`;
  const known = match === undefined && all.length <= 12 ? `; known targets: ${all.join(', ')}` : '';
  throw invalid(`unknown ${what} "${text}"${hint}: ${why}${known}`);
}
