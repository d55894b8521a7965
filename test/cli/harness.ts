/** Runs a CLI command in-process, capturing what it prints (for the command tests). */
import { runCommand } from '../../src/cli/commands.ts';

export async function cli(
  argv: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCommand(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env,
  });
  return { code, out, err };
}
