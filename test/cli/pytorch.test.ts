import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { loadModelDir } from '../../src/backends/tfjs/modelFiles.js';
import { tf } from '../../src/numerics/tf.js';
import { gather, loadDataset } from '../../src/runtime/data.js';
import { writeNpy } from '../../src/runtime/torch/npyFile.js';
import { findTorch } from '../../src/runtime/torch/python.js';
import { readNpy } from '../../src/runtime/loaders/npy.js';
import { root, runCli } from '../helpers/cli.js';
import { EmitDir } from '../helpers/emitted.js';

// The test files share two cores: one PyTorch thread per process (the program's default is
// cores / processes, which oversubscribes a machine that also runs another test file).
process.env.OMP_NUM_THREADS ??= '1';

/**
 * The PyTorch engine from the command line (docs/engines.md): a search of examples/mnist.darts
 * whose run directory derive, report, emit and train take; Ctrl-C and --resume; a retrain whose
 * converted weights predict in the emitted TypeScript model what they predict in PyTorch; the
 * exported program run standalone (env:// processes, and torchrun where it works); the
 * refusals (E0503) and a missing torch.
 */
const python = findTorch().python;
const scratches: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-pytorch-'));
  scratches.push(dir);
  return dir;
}
const emitted = new EmitDir();

describe('cli: the pytorch engine', () => {
  afterAll(() => {
    for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'searches mnist.darts; derive, report, emit and train --engine pytorch take the run',
    { timeout: 240_000 },
    async () => {
      const dir = scratch();
      const out = join(dir, 'run');
      const search = ['run', 'examples/mnist.darts', '--engine', 'pytorch', '--steps', '2'];
      const r = await runCli([...search, '--epochs', '1', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/engine pytorch \S+ \(1 process, cpu\)/);
      expect(existsSync(join(out, 'pytorch', 'program.py'))).toBe(true);
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(config.engine).toMatchObject({ name: 'pytorch', nproc: 1, device: 'cpu' });

      const alphas = join(out, 'alphas.json');
      const derived = await runCli(['derive', 'examples/mnist.darts', '--alphas', alphas]);
      expect(derived.code, derived.stderr).toBe(0);
      expect(derived.stdout).toContain(
        JSON.parse(readFileSync(join(out, 'genotype.json'), 'utf8')).normal[0][0],
      );
      expect((await runCli(['report', out])).code).toBe(0);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
      const emittedPath = join(dir, 'model.ts');
      const e = await runCli([
        'emit',
        'examples/mnist.darts',
        '--genotype',
        out,
        '-o',
        emittedPath,
      ]);
      expect(e.code, e.stderr).toBe(0);

      // Two epochs: the cosine schedule's first runs above its floor, so the weights move away
      // from the initial ones dartsc holds (a one-epoch retrain trains at lr 0).
      const trained = join(dir, 'train');
      const t = await runCli([
        'train',
        'examples/mnist.darts',
        '--genotype',
        out,
        '--engine',
        'pytorch',
        '--epochs',
        '2',
        '--steps',
        '2',
        '--out',
        trained,
      ]);
      expect(t.code, t.stderr).toBe(0);
      await expectSamePredictions(trained, readFileSync(emittedPath, 'utf8'));
    },
  );

  it(
    'stops on Ctrl-C to the whole process group after the step, and resumes to the uninterrupted α',
    { timeout: 120_000 },
    async () => {
      const dir = scratch();
      const args = ['run', 'examples/tiny.darts', '--engine', 'pytorch', '--epochs', '2'];
      const whole = await runCli([...args, '--steps', '4', '--out', join(dir, 'whole')]);
      expect(whole.code, whole.stderr).toBe(0);
      // A terminal's Ctrl-C reaches dartsc and the PyTorch processes alike.
      let steps = 0;
      const run = join(dir, 'cut');
      const cut = await dartscGroup(
        [...args, '--steps', '4', '--json', '--out', run],
        (line, stop) => {
          if (line.includes('"kind":"step"') && ++steps === 2) stop();
        },
      );
      expect(cut.code, cut.stderr).toBe(130);
      expect(existsSync(join(run, 'checkpoints', 'partial.json'))).toBe(true);
      const resumed = await runCli(['run', '--resume', run]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain('engine pytorch'); // a run keeps its engine
      const alphas = (d: string) => readFileSync(join(d, 'alphas.json'), 'utf8');
      expect(alphas(run)).toBe(alphas(join(dir, 'whole')));
    },
  );

  it('refuses a search method the engine cannot run (E0503), before starting anything', async () => {
    const dir = scratch();
    const spec = join(dir, 'gdas.darts');
    const text = readFileSync('examples/tiny.darts', 'utf8').replace(
      '  order   second',
      '  order   second\n  method  gdas()',
    );
    writeFileSync(spec, text);
    const r = await runCli(['run', spec, '--engine', 'pytorch', '--out', join(dir, 'run')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error[E0503]: the pytorch engine cannot run the search method `gdas`',
    );
    expect(existsSync(join(dir, 'run'))).toBe(false);
    const checked = await runCli(['check', spec, '--engine', 'pytorch']);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('error[E0503]');
    expect((await runCli(['check', spec])).code).toBe(0);
  });

  it('says in one line, exit 2, when no Python with torch is found', async () => {
    const saved = process.env.DARTSC_PYTHON;
    process.env.DARTSC_PYTHON = join(scratch(), 'no-python');
    try {
      const dir = scratch();
      const r = await runCli([
        'run',
        'examples/tiny.darts',
        '--engine',
        'pytorch',
        '--out',
        join(dir, 'run'),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: the pytorch engine needs Python 3 with torch >= 1.13/);
      expect(existsSync(join(dir, 'run'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.DARTSC_PYTHON;
      else process.env.DARTSC_PYTHON = saved;
    }
  });

  it(
    'exports a program that, run standalone in two env:// processes, searches what dartsc runs',
    { timeout: 120_000 },
    async () => {
      const dir = scratch();
      const flags = ['--epochs', '1', '--steps', '3'];
      const exported = join(dir, 'export');
      const x = await exportTiny(exported, flags);
      expect(x.code, x.stderr).toBe(0);
      expect(readFileSync(join(exported, 'README.md'), 'utf8')).toContain('torchrun --nnodes 2');
      const again = await exportTiny(exported, []);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('exists and is not empty');
      // The same search through dartsc, in two processes.
      const run = join(dir, 'run');
      const r = await runCli([
        'run',
        'examples/tiny.darts',
        '--engine',
        'pytorch',
        '--nproc',
        '2',
        '--out',
        run,
        ...flags,
      ]);
      expect(r.code, r.stderr).toBe(0);
      await Promise.all([0, 1].map((rank) => startRank(exported, rank, 2)));
      const standalone = JSON.parse(readFileSync(join(exported, 'out', 'alphas.json'), 'utf8'));
      const driven = JSON.parse(readFileSync(join(run, 'alphas.json'), 'utf8'));
      expect(standalone.normal.alpha).toEqual(driven.normal.alpha);
      const d = await runCli([
        'derive',
        'examples/tiny.darts',
        '--alphas',
        join(exported, 'out', 'alphas.json'),
      ]);
      expect(d.code, d.stderr).toBe(0);
    },
  );

  // Debian's torchrun (PyTorch 1.13) fails under Python 3.11; where torchrun works, it runs
  // the exported program unchanged.
  it.runIf(torchrunWorks())(
    'runs the exported program under torchrun',
    { timeout: 120_000 },
    async () => {
      const dir = scratch();
      const exported = join(dir, 'export');
      const x = await exportTiny(exported, ['--epochs', '1', '--steps', '2']);
      expect(x.code, x.stderr).toBe(0);
      const r = spawnSync(
        python,
        [
          '-m',
          'torch.distributed.run',
          '--standalone',
          '--nproc_per_node',
          '2',
          'program.py',
          'search',
          '--data',
          'data',
          '--out',
          'out',
        ],
        { cwd: exported, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(join(exported, 'out', 'alphas.json'))).toBe(true);
    },
  );
});

/**
 * The CLI in a process group of its own, as a terminal runs it; `stop` sends SIGINT to the
 * whole group (dartsc and the PyTorch processes), as Ctrl-C does.
 */
function dartscGroup(
  args: string[],
  onLine: (line: string, stop: () => void) => void,
): Promise<{ code: number | null; stderr: string }> {
  const loader = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const bin = join(root, 'src', 'cli', 'bin.ts');
  const child = spawn(process.execPath, ['--import', loader, bin, ...args], {
    cwd: root,
    detached: true,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) =>
    onLine(line, () => process.kill(-child.pid!, 'SIGINT')),
  );
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** `dartsc export examples/tiny.darts --target pytorch -o DIR` with more flags. */
function exportTiny(dir: string, flags: string[]) {
  return runCli(['export', 'examples/tiny.darts', '--target', 'pytorch', '-o', dir, ...flags]);
}

/** Starts one rank of an exported program with the env:// variables torchrun would set. */
function startRank(dir: string, rank: number, size: number): Promise<void> {
  const env = {
    ...process.env,
    MASTER_ADDR: '127.0.0.1',
    MASTER_PORT: '29531',
    RANK: String(rank),
    WORLD_SIZE: String(size),
  };
  const child = spawn(python, ['program.py', 'search', '--data', 'data', '--out', 'out'], {
    cwd: dir,
    env,
    stdio: 'pipe',
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`rank ${rank}: exit ${code}\n${stderr}`)),
    ),
  );
}

function torchrunWorks(): boolean {
  const probe = spawnSync(
    python,
    [
      '-m',
      'torch.distributed.run',
      '--standalone',
      '--nproc_per_node',
      '1',
      '-m',
      'json.tool',
      '--help',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return probe.status === 0;
}

/**
 * The retrained weights, converted to TensorFlow.js (the train directory's model/), give in
 * the emitted module the logits PyTorch gives with its own weights (relative 1e-4).
 */
async function expectSamePredictions(trained: string, moduleText: string) {
  const data = loadDataset(
    { kind: 'mnist', args: { limit: 3000 } },
    { layout: 'Img', dims: [28, 28, 1] },
    10,
  );
  const { x } = gather(
    data,
    Array.from({ length: 32 }, (_, i) => i),
  );
  const torchLogits = predictInPytorch(trained, x, 'state/current');
  // Not vacuous: the trained weights are not the initial ones dartsc started from.
  const initial = predictInPytorch(trained, x, 'data/init');
  expect(Math.max(...initial.map((v, i) => Math.abs(v - torchLogits[i]!)))).toBeGreaterThan(1e-2);
  emitted.write('mnist_trained', moduleText);
  expect(emitted.compile()).toEqual([]);
  const model = (await emitted.load('mnist_trained')).createModel();
  const saved = await loadModelDir(join(trained, 'model'));
  model.setWeights(saved.getWeights());
  const logits = (model.predict(tf.tensor(x, [32, 28, 28, 1])) as tf.Tensor).dataSync();
  let diff = 0;
  let scale = 0;
  logits.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - torchLogits[i]!));
    scale = Math.max(scale, Math.abs(torchLogits[i]!));
  });
  expect(diff / scale).toBeLessThan(1e-4);
}

/** The logits `program.py predict` gives for `x` (32 MNIST digits) with the weights of `state`. */
function predictInPytorch(trained: string, x: Float32Array, state: string): Float32Array {
  const input = join(trained, 'x.npy');
  const output = join(trained, 'logits.npy');
  writeNpy(input, x, [32, 28, 28, 1]);
  const args = ['program.py', 'predict', '--data', 'data', '--state', state];
  const p = spawnSync(python, [...args, '--input', input, '--output', output], {
    cwd: join(trained, 'pytorch'),
    encoding: 'utf8',
  });
  expect(p.status, p.stderr).toBe(0);
  const npy = readNpy(output).data;
  expect(npy.byteLength).toBe(32 * 10 * 4);
  return Float32Array.from({ length: 32 * 10 }, (_, i) => npy.getFloat32(i * 4, true));
}
