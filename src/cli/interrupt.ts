import type { Job } from '../index.js';
import { shownPath, type CliIo } from './io.js';

/** Why a long job stopped early: Ctrl-C (exit 130) or SIGTERM (exit 143), the shells' codes. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(readonly signalName: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signalName}`);
  }
  get exitCode(): number {
    return this.signalName === 'SIGTERM' ? 143 : 130;
  }
}

/** The exit code of an interrupt that `error` is, or undefined when it is not one. */
export function interruptCode(io: CliIo, error: unknown): number | undefined {
  if (!io.signal?.aborted || error !== io.signal.reason) return undefined;
  return error instanceof Interrupted ? error.exitCode : 130;
}

/**
 * Follows a job's events to its result. On an interrupt (the job stops after its current
 * step; its checkpoints are whole) it says how to go on from the last checkpoint and gives
 * the exit code instead.
 */
export async function followJob<E extends { kind: string; runDir?: string }, R>(
  io: CliIo,
  job: Job<E, R>,
  onEvent: (event: E) => void,
  resumeCommand: (runDir: string) => string,
): Promise<{ result: R } | { code: number }> {
  let runDir: string | undefined;
  try {
    for await (const event of job) {
      if (event.kind === 'start' && event.runDir) runDir = event.runDir;
      onEvent(event);
    }
    return { result: await job.result };
  } catch (error) {
    const code = interruptCode(io, error);
    if (code === undefined) throw error;
    io.stderr(
      runDir
        ? `\ninterrupted; the last checkpoint is kept. Continue with:\n  ${resumeCommand(shownPath(runDir, io.cwd))}\n`
        : '\ninterrupted before the run started\n',
    );
    return { code };
  }
}
