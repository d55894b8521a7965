/** `microsim explain`: a scenario in plain language, in English and Spanish. */
import { describe, expect, it } from 'vitest';
import { explainScenario } from '../../src/cli/explain.ts';
import { SHIPPED, scenarioFiles } from '../../src/cli/list.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { cli } from './harness.ts';

const explain = (args: string[]) => cli(['explain', ...args]);

describe('microsim explain', () => {
  it('tells the load, what each endpoint does and calls, brokers, faults and expectations', async () => {
    const { code, out } = await explain(['scenarios/04-communication/notify-async.yaml']);
    expect(code).toBe(0);
    expect(out).toContain('notify-async — seed 5, 4 min simulated, warm-up 10 s\n');
    expect(out).toContain('  shoppers: 40 requests/s to orders.place\n');
    expect(out).toContain(
      '    place: works 10 ms on average, then publishes a message to mq.notifications and waits for its confirm\n',
    );
    expect(out).toContain('    send (consumes mq.notifications): works 30 ms on average\n');
    expect(out).toContain('  at 60 s for 60 s: kill notifier (notifier-down)\n');
    expect(out).toContain('  - no message is lost\n');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(110);
  });

  it('says what each fault does: its rate, factor, added latency, replicas', async () => {
    const { out } = await explain(['scenarios/02-granularity/some.yaml']);
    expect(out).toContain('  at 0 s: loss catalog 0.2% (loss catalog@0s)\n');
    const { out: storm } = await explain(['scenarios/06-fault-tolerance/retry-storm.yaml']);
    expect(storm).toMatch(/: slow \S+ ×\d+/);
    const { out: ps } = await explain(['scenarios/theory/mm1-ps.yaml']);
    expect(ps).toContain(', processor sharing (all share the CPU)');
  });

  it('in Spanish', async () => {
    const { out } = await explain(['scenarios/04-communication/notify-async.yaml', '--lang', 'es']);
    expect(out).toContain('  shoppers: 40 peticiones/s a orders.place\n');
    expect(out).toContain('  a los 60 s durante 60 s: kill notifier (notifier-down)\n');
    expect(out).toContain('  - no se pierde ningún mensaje\n');
  });

  it('explains every shipped scenario in both languages, each time naming every service', async () => {
    for (const file of scenarioFiles(SHIPPED)) {
      const s = await loadScenario(file);
      for (const lang of ['en', 'es'] as const) {
        const text = explainScenario(s, lang);
        for (const svc of s.world.services) expect(text, `${file} ${lang}`).toContain(`  ${svc.name}: `);
      }
    }
  });

  it('says which closed-form queueing model the scenario matches, or why none does', async () => {
    const { out } = await explain(['scenarios/mm1.yaml']);
    expect(out).toContain(
      'Theory\n  matches M/M/1 (λ = 8/s, E[S] = 100 ms, c = 1, ρ = 0.8): `microsim run` shows its values',
    );
    const { out: ps } = await explain(['scenarios/theory/mm1-ps.yaml', '--lang', 'es']);
    expect(ps).toContain('Teoría\n  corresponde a M/M/1-PS (λ = 8/s, E[S] = 100 ms, c = 1, ρ = 0.8)');
    expect(ps).toContain('  - reparto del procesador: nadie espera en una cola');
    const { out: mg1 } = await explain(['scenarios/theory/mg1.yaml']);
    expect(mg1).toContain('Theory\n  no closed-form queueing model: two services (deterministic, lognormal)');
    const { out: jackson } = await explain(['scenarios/theory/jackson.yaml', '--lang', 'es']);
    expect(jackson).toContain(
      'Teoría\n  ningún modelo de colas con fórmula cerrada: tres servicios (a, b, c)',
    );
  });

  it('a missing file is bad input, exit 2', async () => {
    const { code, err } = await explain(['nope.yaml']);
    expect(code).toBe(2);
    expect(err).toMatch(/nope\.yaml/);
  });
});
