/**
 * Child process of v8-tuning.test.ts: runs a scenario for 150 simulated seconds, with the CLI's
 * V8 tuning when argv[3] is `tuned`, and prints its results document without the wall time.
 */
import { runScenario } from '../../src/runtime/run-scenario.ts';
import { tuneV8ForSimulation } from '../../src/runtime/v8-tuning.ts';

const [file, mode] = process.argv.slice(2);
if (mode === 'tuned') tuneV8ForSimulation();
const { results } = await runScenario(file!, { overrides: { duration: '150s' } });
const { wallTimeMs: _wall, ...run } = results.run;
process.stdout.write(JSON.stringify({ ...results, run }));
