import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Files that survive a kill or a power cut whole or not at all (docs/reliability.md): the
 * data goes to a temporary file beside the target, is flushed to disk, and replaces the
 * target by a rename, which POSIX makes atomic; the directory is flushed so the rename
 * itself is on disk. A reader sees the old file or the new one, never half of one.
 */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      crashHalfway(path, fd, data);
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  syncDirectory(dirname(path));
}

/**
 * Appends one whole line and flushes it. A kill can still cut the line short; readers keep
 * whole lines only (`wholeLines`), and a resumed run truncates the file back to them.
 */
export function appendLineDurable(path: string, line: string): void {
  const fd = openSync(path, 'a');
  try {
    crashHalfway(path, fd, line);
    writeFileSync(fd, line.endsWith('\n') ? line : line + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file's complete lines (each ended by a newline), without a cut-off last one. */
export function wholeLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

/** Flushes a directory's entries (a rename or a new file in it); not possible everywhere. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory: the rename is as durable as the platform makes it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const writes = new Map<string, number>();

/**
 * The kill test's fault (test/cli/kill.test.ts; docs/reliability.md): with
 * `DARTSC_CRASH_IN_WRITE=NAME:K` in the environment, the K-th write of a file named NAME
 * writes half its data, flushes it, and kills the process (SIGKILL) on the spot.
 */
function crashHalfway(path: string, fd: number, data: string | Uint8Array): void {
  const fault = process.env.DARTSC_CRASH_IN_WRITE;
  if (!fault) return;
  const [name, k = '1'] = fault.split(':');
  if (basename(path) !== name) return;
  const count = (writes.get(name) ?? 0) + 1;
  writes.set(name, count);
  if (count !== Number(k)) return;
  writeFileSync(fd, data.slice(0, Math.floor(data.length / 2)));
  fsyncSync(fd);
  process.kill(process.pid, 'SIGKILL');
}
