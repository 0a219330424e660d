import { readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative } from 'node:path';

/** The CLI's window on the world; tests pass an in-memory one. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** True when stderr is a terminal and NO_COLOR is unset: colour diagnostics. */
  readonly color: boolean;
  /** True when stderr is a terminal: progress bars instead of one line per epoch. */
  readonly interactive?: boolean;
  /** Environment variables (DARTSC_BACKEND; PATH for `report --open`'s opener). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The operating system, which decides how `report --open` opens a page. */
  readonly platform?: NodeJS.Platform;
  /** Aborted on an interrupt (Ctrl-C): long jobs stop after their current step. */
  readonly signal?: AbortSignal;
  /** The clock of progress and its ETA, in ms (default `Date.now`): tests pass a fake one. */
  readonly now?: () => number;
  /** The process's standard input and output as streams, for `dartsc lsp`'s protocol. */
  readonly streams?: {
    readonly input: NodeJS.ReadableStream;
    readonly output: NodeJS.WritableStream;
  };
}

/** The exit code of a process whose output pipe was closed: 128 + SIGPIPE, as a shell shows it. */
const closedPipeExit = 141;

/**
 * Ends the process quietly when the reader of `stream` goes away (`dartsc inspect --ir | head
 * -1`): the rest of the output is not wanted, and there is no one to tell, so no stack trace,
 * only the exit code a program killed by SIGPIPE has. Other stream errors stay errors.
 */
export function onClosedPipe(
  stream: { on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown },
  exit: (code: number) => void,
): void {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    exit(closedPipeExit);
  });
}

/** A user error in the command line itself (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The text of a file the user named; a usage error (exit 2) when it cannot be read. Only a
 * regular file is read: `/dev/zero` or a pipe would be read forever.
 */
export function readUserFile(path: string, name: string): string {
  let regular: boolean;
  try {
    regular = statSync(path).isFile();
  } catch {
    throw new UsageError(`cannot read \`${name}\``);
  }
  if (!regular) throw new UsageError(`cannot read \`${name}\`: not a regular file`);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read \`${name}\``);
  }
}

/** A path as the user would type it: relative to the working directory when it is below it. */
export function shownPath(path: string | undefined, cwd: string): string {
  if (path === undefined) return '(no directory)';
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** `runs/<spec file name>-<suffix><timestamp>`: a new directory name for a run's output. */
export function defaultOut(spec: string, suffix = ''): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runs/${basename(spec).replace(/\.darts$/, '')}-${suffix}${stamp}`;
}

/** An integer flag: undefined when absent; a usage error unless it is an integer of at least `min`. */
export function intFlag(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(
      `--${name} takes ${min === 0 ? 'a non-negative' : 'a positive'} integer, found \`${value}\``,
    );
  return Number(value);
}

/** The integer flags named in `mins` (with their minimum), parsed; absent ones left out. */
export function intFlags<K extends string>(
  values: Readonly<Record<string, unknown>>,
  mins: Record<K, number>,
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const name of Object.keys(mins) as K[]) {
    const v = intFlag(values[name] as string | undefined, name, mins[name]);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** A number flag (its range is the API's to check). */
export function numberFlag(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} takes a number, found \`${value}\``);
  return n;
}
