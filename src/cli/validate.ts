/**
 * `microsim validate <scenario>`: parse and check without running.
 */
import { loadScenario } from '../scenario/index.ts';
import { EXIT_OK, type Output, parseFlags } from './commands.ts';
import { singleScenarioArg } from './run.ts';

export async function validateCommand(args: readonly string[], io: Output): Promise<number> {
  const { positionals } = parseFlags('validate', args, {});
  const file = singleScenarioArg('validate', positionals);
  const s = await loadScenario(file);
  const endpoints = s.world.services.reduce((n, svc) => n + svc.endpoints.length, 0);
  const faults = s.world.chaos?.length ?? 0;
  const expectations = s.expectations?.length ?? 0;
  const rollouts = s.world.deploys?.length ?? 0;
  const extras = [
    faults > 0 ? `${faults} fault(s)` : '',
    rollouts > 0 ? `${rollouts} rollout(s)` : '',
    expectations > 0 ? `${expectations} expectation(s)` : '',
  ].filter((x) => x !== '');
  io.out(
    `ok: ${file} — "${s.name}": ${s.world.services.length} service(s), ${endpoints} endpoint(s), ` +
      `${s.world.workloads.length} workload(s), ${extras.map((x) => `${x}, `).join('')}` +
      `${s.durationMs / 1000} s simulated, seed ${s.seed}\n`,
  );
  return EXIT_OK;
}
