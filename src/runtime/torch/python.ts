import { spawnSync } from 'node:child_process';

/**
 * Finds the Python that runs PyTorch programs: `DARTSC_PYTHON` when set, else the first of
 * `python3` on the PATH and `/usr/bin/python3` (Debian's, where `python3-torch` installs)
 * that imports torch >= 1.13. Without one, `EngineUnavailable` says what was tried; the CLI
 * prints it as one line and exits 2.
 */
export class EngineUnavailable extends Error {
  override name = 'EngineUnavailable';
}

/** The PyTorch program failed (an exception in a rank, a rank that died): what it said. */
export class EngineFailed extends Error {
  override name = 'EngineFailed';
}

export interface TorchPython {
  readonly python: string;
  readonly torch: string;
}

const probe = 'import sys, numpy, torch; print(torch.__version__)';

export function findTorch(env: NodeJS.ProcessEnv = process.env): TorchPython {
  const candidates = env.DARTSC_PYTHON ? [env.DARTSC_PYTHON] : ['python3', '/usr/bin/python3'];
  const problems: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
    if (r.error) {
      problems.push(`${python}: not found`);
      continue;
    }
    if (r.status !== 0) {
      const last = r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
      problems.push(`${python}: ${last}`);
      continue;
    }
    const torch = r.stdout.trim();
    if (!atLeast(torch, [1, 13])) {
      problems.push(`${python}: torch ${torch} is older than 1.13`);
      continue;
    }
    return { python, torch };
  }
  throw new EngineUnavailable(
    `the pytorch engine needs Python 3 with torch >= 1.13 and numpy (${problems.join('; ')}): ` +
      'install them (`pip install torch numpy`, or `apt-get install python3-torch`) or set DARTSC_PYTHON',
  );
}

function atLeast(version: string, [major, minor]: [number, number]): boolean {
  const [a, b] = version.split(/[.+]/).map((p) => parseInt(p, 10));
  return a! > major || (a === major && b! >= minor);
}
