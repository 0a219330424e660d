import { readFileSync } from 'node:fs';

/** The CLI's window on the world; tests pass an in-memory one. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** True when stderr is a terminal and NO_COLOR is unset: colour diagnostics. */
  readonly color: boolean;
  /** True when stderr is a terminal: progress bars instead of one line per epoch. */
  readonly interactive?: boolean;
  /** Environment variables (DARTSC_BACKEND). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A user error in the command line itself (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The text of a file the user named; a usage error (exit 2) when it cannot be read. */
export function readUserFile(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read \`${name}\``);
  }
}

/** `runs/<spec>-<suffix><timestamp>`: a new directory name for a run's output. */
export function defaultOut(spec: string, suffix = ''): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runs/${spec.replace(/\.darts$/, '')}-${suffix}${stamp}`;
}
