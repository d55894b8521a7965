/**
 * `microsim validate <scenario>`: parse and check without running.
 */
import { loadScenario, type ResolvedScenario } from '../scenario/index.ts';
import { EXIT_OK, type Output, parseFlags } from './commands.ts';
import { singleScenarioArg } from './run.ts';

export async function validateCommand(args: readonly string[], io: Output): Promise<number> {
  const { positionals } = parseFlags('validate', args, {});
  const file = singleScenarioArg('validate', positionals);
  const s = await loadScenario(file);
  io.out(`${scenarioOverview(file, s)}\n`);
  return EXIT_OK;
}

/**
 * The one-line overview `validate` prints: what the scenario holds. Brokers are counted with
 * their queues, topics and consuming endpoints (subscriptions of services) when it has any.
 */
export function scenarioOverview(file: string, s: ResolvedScenario): string {
  const endpoints = s.world.services.reduce((n, svc) => n + svc.endpoints.length, 0);
  const faults = s.world.chaos?.length ?? 0;
  const expectations = s.expectations?.length ?? 0;
  const rollouts = s.world.deploys?.length ?? 0;
  const brokers = s.world.brokers ?? [];
  const queues = brokers.reduce((n, b) => n + b.queues.length, 0);
  const topics = brokers.reduce((n, b) => n + b.topics.length, 0);
  const consumers = s.world.services.reduce((n, svc) => n + (svc.subscriptions?.length ?? 0), 0);
  const extras = [
    brokers.length > 0
      ? `${brokers.length} broker(s) with ${queues} queue(s) and ${topics} topic(s), ${consumers} consumer(s)`
      : '',
    faults > 0 ? `${faults} fault(s)` : '',
    rollouts > 0 ? `${rollouts} rollout(s)` : '',
    expectations > 0 ? `${expectations} expectation(s)` : '',
    (s.narration?.length ?? 0) > 0
      ? `${s.narration!.length} narration entr${s.narration!.length === 1 ? 'y' : 'ies'}`
      : '',
  ].filter((x) => x !== '');
  return (
    `ok: ${file} — "${s.name}": ${s.world.services.length} service(s), ${endpoints} endpoint(s), ` +
    `${s.world.workloads.length} workload(s), ${extras.map((x) => `${x}, `).join('')}` +
    `${s.durationMs / 1000} s simulated, seed ${s.seed}`
  );
}
