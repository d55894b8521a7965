/**
 * The `microsim` command line. Exit codes: 0 ok; 1 expectations failed (reserved); 2 bad input (scenario
 * file or flags); 3 the run stopped early (unstable queue, event or wall-time limit, stalled
 * clock); 4 internal error (a bug in microsim).
 */
import { EXIT_INTERNAL, runCommand } from './commands.ts';

try {
  process.exitCode = await runCommand(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    terminal: { stdout: process.stdout, stdin: process.stdin, stderr: process.stderr },
    env: process.env,
  });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `microsim: internal error: ${message}\n` +
      'This is a bug in microsim, not in your scenario; please report it with the scenario file.\n' +
      (process.env.MICROSIM_DEBUG
        ? `${error instanceof Error ? error.stack : ''}\n`
        : 'Set MICROSIM_DEBUG=1 to see where it happened.\n'),
  );
  process.exitCode = EXIT_INTERNAL;
}
