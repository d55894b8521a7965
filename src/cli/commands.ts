/**
 * Command dispatch for the CLI, written against plain output functions so tests can drive it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ReplicationInputError } from '../runtime/replication-error.ts';
import { didYouMean } from '../scenario/did-you-mean.ts';
import { ScenarioError } from '../scenario/scenario-error.ts';
import { HELP, VERSION_TEXT } from './help.ts';

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** The terminal, when there is one (the dashboard draws on it and reads keys from it). */
  readonly terminal?: {
    readonly stdout: NodeJS.WriteStream;
    readonly stdin: NodeJS.ReadStream;
    /** Where progress bars go, when it is a terminal. */
    readonly stderr?: NodeJS.WriteStream;
  };
  /** Environment variables (locale, CI); none when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const EXIT_OK = 0;
export const EXIT_EXPECTATIONS = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_STOPPED = 3;
export const EXIT_INTERNAL = 4;

/** Thrown for bad flags or arguments; printed as one line with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

/** A file that cannot be written: printed as one line, exit code 2, without a usage hint. */
export class OutputError extends Error {}

export async function runCommand(argv: readonly string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      const topic = command === 'help' ? rest[0] : undefined;
      if (topic !== undefined && !(topic in HELP && topic !== 'main')) {
        throw new UsageError(`no help for "${topic}": it is not a command${suggest(topic)}`, 'main');
      }
      io.out(topic !== undefined ? HELP[topic as keyof typeof HELP] : HELP.main);
      return EXIT_OK;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.out(`${VERSION_TEXT} ${packageVersion()}\n`);
      return EXIT_OK;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      if (command in HELP) {
        io.out(HELP[command as keyof typeof HELP]);
        return EXIT_OK;
      }
    }
    switch (command) {
      // Commands are loaded on demand, so --help and --version start fast.
      case 'run':
        return await (await import('./run.ts')).runScenarioCommand(rest, io);
      case 'validate':
        return await (await import('./validate.ts')).validateCommand(rest, io);
      case 'list':
        return await (await import('./list.ts')).listCommand(rest, io);
      case 'explain':
        return await (await import('./explain.ts')).explainCommand(rest, io);
      case 'tour':
        return await (await import('./tour.ts')).tourCommand(rest, io);
      case 'compare':
        return await (await import('./compare.ts')).compareCommand(rest, io);
      case 'sweep':
        return await (await import('./sweep.ts')).sweepCommand(rest, io);
      case 'merge': {
        const { extractJsonFlag } = await import('./run.ts');
        const { json, rest: args } = extractJsonFlag(rest);
        return await (await import('./replications.ts')).mergeCommand(args, io, json);
      }
      default:
        throw new UsageError(`unknown command "${command}"${suggest(command)}`, 'main');
    }
  } catch (error) {
    if (error instanceof ScenarioError) {
      io.err(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof ReplicationInputError) {
      io.err(`microsim: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof OutputError) {
      io.err(`microsim: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof UsageError) {
      io.err(
        `microsim: ${error.message}\nRun "microsim ${error.command === 'main' ? '' : `${error.command} `}--help" for usage.\n`,
      );
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

/** `--lang en|es`, or the locale's language when not given. */
export function parseLang(value: unknown, io: Output, command: string): 'en' | 'es' {
  if (value === undefined) return localeLang(io.env ?? {});
  if (value !== 'en' && value !== 'es') {
    throw new UsageError(`--lang expects en or es, got "${String(value)}"`, command);
  }
  return value;
}

/** `es` when the environment's locale is Spanish (LC_ALL, LC_MESSAGES, then LANG), else `en`. */
export function localeLang(env: Readonly<Record<string, string | undefined>>): 'en' | 'es' {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^es([_.-]|$)/i.test(locale) ? 'es' : 'en';
}

/** `parseArgs` with errors turned into UsageErrors that name the command. */
export function parseFlags<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  command: string,
  args: readonly string[],
  options: T,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return {
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
    };
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new UsageError(message, command);
  }
}

function suggest(command: string): string {
  return didYouMean(command, [
    'run',
    'validate',
    'list',
    'explain',
    'tour',
    'compare',
    'sweep',
    'merge',
    'help',
  ]);
}

/** microsim's version, from package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
