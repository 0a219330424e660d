import { interruptCode } from './interrupt.js';
import {
  BackendUnavailable,
  DataError,
  EngineFailed,
  EngineUnavailable,
  OptionError,
  RunDirError,
} from '../index.js';
import { InternalError } from '../util/invariant.js';
import { checkCommand, checkOptions, checkUsage } from './commands/check.js';
import { deriveCommand, deriveOptions, deriveUsage } from './commands/derive.js';
import { emitCommand, emitOptions, emitUsage } from './commands/emit.js';
import { explainCommand, explainUsage } from './commands/explain.js';
import { exportCommand, exportOptions, exportUsage } from './commands/export.js';
import { fmtCommand, fmtOptions, fmtUsage } from './commands/fmt.js';
import { inspectCommand, inspectOptions, inspectUsage } from './commands/inspect.js';
import { lspCommand, lspOptions, lspUsage } from './commands/lsp.js';
import { reportCommand, reportOptions, reportUsage } from './commands/report.js';
import { runCommand, runOptions, runUsage } from './commands/run.js';
import { trainCommand, trainOptions, trainUsage } from './commands/train.js';
import { flagProblem, type CommandOptions } from './flagProblem.js';
import { UsageError, type CliIo } from './io.js';

const usage = `usage: dartsc <command> [options]

commands:
  check FILE...     check .darts files and report every problem
  fmt FILE...       rewrite .darts files in their canonical layout (--check: only list them)
  run SPEC          search the space with DARTS and write the genotype
  report RUN_DIR    draw a run as report.html: cells, α, curves (--open)
  derive SPEC       derive the genotype from saved α (--alphas FILE)
  inspect SPEC      show the shapes, parameter counts and α tables of a space
  emit SPEC         write the network of a genotype as a TypeScript tfjs model
  train SPEC        retrain the network of a genotype and report its test accuracy
  export SPEC       write the search as a standalone PyTorch program (--target pytorch)
  explain CODE      explain a diagnostic code, e.g. E0201
  lsp               run the language server for editors (stdio; docs/editors.md)

options:
  --help, -h        print this help, or with a command its options
  --version         print the version of dartsc

Run \`dartsc <command> --help\` for a command's options.`;

/** Each command: how it runs, its usage, and its options (to name the one meant by a typo). */
const commands: Record<
  string,
  {
    run: (args: string[], io: CliIo) => number | Promise<number>;
    usage: string;
    options: CommandOptions;
  }
> = {
  check: { run: checkCommand, usage: checkUsage, options: checkOptions },
  fmt: { run: fmtCommand, usage: fmtUsage, options: fmtOptions },
  explain: { run: explainCommand, usage: explainUsage, options: {} },
  inspect: { run: inspectCommand, usage: inspectUsage, options: inspectOptions },
  run: { run: runCommand, usage: runUsage, options: runOptions },
  export: { run: exportCommand, usage: exportUsage, options: exportOptions },
  report: { run: reportCommand, usage: reportUsage, options: reportOptions },
  derive: { run: deriveCommand, usage: deriveUsage, options: deriveOptions },
  emit: { run: emitCommand, usage: emitUsage, options: emitOptions },
  train: { run: trainCommand, usage: trainUsage, options: trainOptions },
  lsp: { run: lspCommand, usage: lspUsage, options: lspOptions },
};

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 errors reported, 2 usage error, 70 internal
 * compiler error. Only `bin.ts` calls `process.exit`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout('dartsc 0.1.0\n');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`error: unknown command \`${name}\`\n\n${usage}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof OptionError || isParseArgsError(error)) {
      const message = isParseArgsError(error)
        ? (flagProblem(name, args, command.options) ?? (error as Error).message)
        : (error as Error).message;
      io.stderr(`error: ${message}\n\n${command.usage}\n`);
      return 2;
    }
    // What the environment refuses: one line, no stack (a backend, a run directory, a data file).
    if (
      error instanceof BackendUnavailable ||
      error instanceof RunDirError ||
      error instanceof EngineUnavailable
    )
      return (io.stderr(`error: ${error.message}\n`), 2);
    if (error instanceof DataError || error instanceof EngineFailed)
      return (io.stderr(`error: ${error.message}\n`), 1);
    const fileProblem = fileSystemError(error);
    if (fileProblem) return (io.stderr(`error: ${fileProblem}\n`), 2);
    const interrupted = interruptCode(io, error);
    if (interrupted !== undefined) return (io.stderr('\ninterrupted\n'), interrupted);
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const kind =
      error instanceof InternalError
        ? 'internal compiler error'
        : 'internal compiler error (unexpected exception)';
    io.stderr(`${kind}: ${detail}\nplease report this with the input that caused it\n`);
    return 70;
  }
}

const fileReasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * A file system's refusal on a path (an output directory under a file, a folder that does
 * not exist, a full disk) as one line, or undefined for anything else.
 */
function fileSystemError(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  const reason = typeof e?.code === 'string' ? fileReasons[e.code] : undefined;
  if (!(error instanceof Error) || !reason || typeof e.path !== 'string') return undefined;
  return `cannot ${e.syscall ?? 'use'} \`${e.path}\`: ${reason}`;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
