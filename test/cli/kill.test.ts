import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

import { root } from '../helpers/cli.js';

/**
 * The kill test (docs/reliability.md): a search on `cpu` is killed with SIGKILL at chosen
 * moments, halfway through writing each of its files (the fault DARTSC_CRASH_IN_WRITE) and
 * between steps, then resumed until it finishes. It must end with α, genotype and metrics
 * identical to an uninterrupted run's, each epoch's metrics line once. SIGTERM stops after the
 * current step with exit 143 and the command to continue.
 */
const loader = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const bin = join(root, 'src', 'cli', 'bin.ts');
// The smallest search that still writes every file: 3 epochs of 3 steps, second order.
const spec = `import std.ops2d

cell Small(C: int) {
  ops    [none, max_pool_3x3, skip_connect, sep_conv_3x3]
  nodes  2
  keep   2
}

space SmallNet(C: int = 2) : Img[4, 4, 1] -> Logits[2] {
  stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
  cells stack(1, normal: Small)
  head  global_avg_pool >> dense(2)
}

search {
  space   SmallNet
  data    synthetic(samples: 48, classes: 2, seed: 1)
  epochs  3
  batch   8
  seed    1
  order   second
}
`;
const runArgs = ['--backend', 'cpu', '--json'];

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in a child process; `onLine` sees each stdout line as it comes. */
function dartsc(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void,
): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', loader, bin, ...args], {
      cwd,
      env: { ...process.env, DARTSC_WORKERS: '1', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      const lines = (stdout + d.toString()).split('\n');
      for (const line of lines.slice(stdout.split('\n').length - 1, -1))
        onLine?.(line, (signal) => child.kill(signal));
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function folder(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'dartsc-kill-'));
  writeFileSync(join(cwd, 'tiny.darts'), spec);
  return cwd;
}

/** What a finished run leaves that must not depend on interruptions. */
function outcome(dir: string) {
  const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { epoch: number; seconds?: number });
  return {
    alphas: readFileSync(join(dir, 'alphas.json'), 'utf8'),
    genotype: readFileSync(join(dir, 'genotype.json'), 'utf8'),
    epochs: metrics.map((m) => m.epoch),
    metrics: metrics.map(({ seconds: _, ...m }) => m),
  };
}

/** Resumes (or, after a kill before config.json was whole, restarts) until the run ends. */
async function finish(cwd: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = existsSync(join(cwd, 'r', 'config.json'));
    const args = started
      ? ['run', '--resume', 'r']
      : ['run', 'tiny.darts', ...runArgs, '--out', 'r'];
    const r = await dartsc(args, cwd);
    if (r.code === 0) return;
    expect(r.stderr).not.toMatch(/internal compiler error|at .*\.ts:\d+/);
  }
  throw new Error('the run did not finish in three attempts');
}

// Every file a search writes, and the write of it to cut: the first of config.json and of
// the checkpoint files of epoch 1, the second (epoch 2's) of the files rewritten every epoch.
const faults = [
  'config.json:1',
  'metrics.jsonl:2',
  'genotype.json:2',
  'genotype.darts:2',
  'alphas.json:2',
  'epoch-001.bin:1',
  'epoch-001.json:1',
];

describe('cli: killed and resumed', () => {
  let reference: ReturnType<typeof outcome>;

  it('runs uninterrupted once for the reference', async () => {
    const cwd = folder();
    const r = await dartsc(['run', 'tiny.darts', ...runArgs, '--out', 'r'], cwd);
    expect(r.code, r.stderr).toBe(0);
    reference = outcome(join(cwd, 'r'));
    expect(reference.epochs).toEqual([0, 1, 2]);
  }, 60_000);

  it.each(faults)(
    'ends as the uninterrupted run after a kill halfway through writing %s',
    async (fault) => {
      const cwd = folder();
      const killed = await dartsc(['run', 'tiny.darts', ...runArgs, '--out', 'r'], cwd, {
        DARTSC_CRASH_IN_WRITE: fault,
      });
      expect(killed.signal).toBe('SIGKILL');
      await finish(cwd);
      expect(outcome(join(cwd, 'r'))).toEqual(reference);
    },
    90_000,
  );

  it('ends as the uninterrupted run after SIGKILL between steps, twice', async () => {
    const cwd = folder();
    for (const at of [4, 2]) {
      let steps = 0;
      const args = existsSync(join(cwd, 'r', 'config.json'))
        ? ['run', '--resume', 'r', '--json']
        : ['run', 'tiny.darts', ...runArgs, '--out', 'r'];
      const r = await dartsc(args, cwd, {}, (line, kill) => {
        if (line.includes('"kind":"step"') && ++steps === at) kill('SIGKILL');
      });
      expect(r.signal, r.stderr).toBe('SIGKILL');
    }
    await finish(cwd);
    expect(outcome(join(cwd, 'r'))).toEqual(reference);
  }, 90_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'stops on %s after the current step with its checkpoint, exit %i and how to continue',
    async (signal, code) => {
      const cwd = folder();
      let steps = 0;
      const r = await dartsc(
        ['run', 'tiny.darts', ...runArgs, '--out', 'r'],
        cwd,
        {},
        (line, kill) => {
          if (line.includes('"kind":"step"') && ++steps === 2) kill(signal);
        },
      );
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toContain('Continue with:\n  dartsc run --resume r\n');
      // The interrupt's checkpoint: epoch 1 stopped after a step or two of its three.
      const partial = JSON.parse(
        readFileSync(join(cwd, 'r', 'checkpoints', 'partial.json'), 'utf8'),
      );
      expect(partial).toMatchObject({ epoch: 0, partial: { step: expect.any(Number) } });
      // The interrupted run has its report, which says so and how to go on.
      const report = () => readFileSync(join(cwd, 'r', 'report.html'), 'utf8');
      expect(report()).toContain('Interrupted in epoch 1 of 3: continue with dartsc run --resume');
      const resumed = await dartsc(['run', '--resume', 'r'], cwd);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`(epoch 1 from step ${partial.partial.step + 1})`);
      expect(outcome(join(cwd, 'r'))).toEqual(reference);
      expect(existsSync(join(cwd, 'r', 'checkpoints', 'partial.json'))).toBe(false);
      expect(report()).toMatch(/Finished: 3 epochs, supernet valid accuracy/);
    },
    90_000,
  );
});
