/**
 * The `microsim` command line. Exit codes: 0 ok; 1 expectations failed; 2 bad input (scenario
 * file or flags); 3 the run stopped early (unstable queue, event or wall-time limit).
 */
import { runCommand } from './commands.ts';

const code = await runCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
