import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { root, runCli } from '../helpers/cli.js';

import { loadModelDir } from '../../src/backends/tfjs/modelFiles.js';
import { tf } from '../../src/numerics/tf.js';
import { main } from '../../src/cli/main.js';
import { gather, loadDataset, splitDataset } from '../../src/runtime/data.js';

const run = runCli;

describe('cli: train', () => {
  it(
    'retrains mnist.darts --genotype Found to a test accuracy above 85 %, and saves a model that loads',
    { timeout: 240_000 },
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'dartsc-train-')), 'run');
      const r = await run([
        'train',
        'examples/mnist.darts',
        '--genotype',
        'Found',
        '--epochs',
        '3',
        '--lr',
        '0.1',
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result).toMatchObject({ space: 'Mnist', genotype: 'Found', params: 7866 });
      expect(result.data).toEqual({ name: 'mnist', train: 2700, test: 300 });
      expect(result.test.accuracy).toBeGreaterThan(0.85);
      expect(r.stdout).toContain(`test accuracy ${(result.test.accuracy * 100).toFixed(1)}%`);
      const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
      expect(metrics.map((l) => JSON.parse(l).epoch)).toEqual([0, 1, 2]);
      // The last two epochs' checkpoints are kept (a long retrain would fill the disk; the
      // one before is the fallback if the last is found damaged).
      expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual([
        'epoch-001.bin',
        'epoch-001.json',
        'epoch-002.bin',
        'epoch-002.json',
      ]);
      expect(readFileSync(join(out, 'model.ts'), 'utf8')).toContain('export function createModel(');
      // The genotype trained, and the report: the network's cells, its curves, its accuracy.
      expect(JSON.parse(readFileSync(join(out, 'genotype.json'), 'utf8'))).toMatchObject({
        normal: [
          ['sep_conv_5x5', 0],
          ['max_pool_3x3', 1],
          ['max_pool_3x3', 2],
          ['skip_connect', 1],
        ],
      });
      const report = readFileSync(join(out, 'report.html'), 'utf8');
      expect(report).toContain(
        `Finished: test accuracy ${(result.test.accuracy * 100).toFixed(1)}%`,
      );
      expect(report).toContain('>dil_conv_5x5</text>');
      expect(readFileSync(join(out, 'cell-reduce.dot'), 'utf8')).toContain('digraph "reduce"');
      expect(report.match(/<div class="chart"><svg/g)).toHaveLength(4);

      // The saved model, loaded back, scores the held-out split as result.json says.
      const model = await loadModelDir(join(out, 'model'));
      const data = loadDataset(
        { kind: 'mnist', args: { limit: 3000 } },
        { layout: 'Img', dims: [28, 28, 1] },
        10,
      );
      const { test } = splitDataset(data, 0.5, 0.1);
      const { x, y } = gather(data, test);
      const predicted = tf.argMax(
        model.predict(tf.tensor(x, [test.length, 28, 28, 1])) as tf.Tensor,
        -1,
      );
      const hits = Array.from(predicted.dataSync()).filter((p, i) => p === y[i]).length;
      expect(Math.abs(hits - result.test.accuracy * test.length)).toBeLessThanOrEqual(1);
    },
  );

  it(
    'trains DARTS_V2 with its auxiliary head, and says so when the data holds no test split',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dartsc-train-'));
      writeFileSync(
        join(dir, 'cifar.darts'),
        [
          'import std.darts',
          'search {',
          '  space DartsCifar(C: 4, layers: 3, classes: 4)',
          '  data  synthetic(samples: 16, classes: 4)',
          '  batch 8',
          '}',
        ].join('\n'),
      );
      const out = join(dir, 'run');
      const args = ['train', join(dir, 'cifar.darts'), '--genotype', 'DARTS_V2', '--auxiliary'];
      const r = await run([...args, '--epochs', '2', '--backend', 'wasm', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('no held-out test split');
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result.test).toBeNull();
      expect(Number.isFinite(result.train.loss)).toBe(true);
      const model = await loadModelDir(join(out, 'model'));
      expect(model.outputs.map((o) => o.shape)).toEqual([
        [null, 4],
        [null, 4],
      ]);
      const uno = join(dir, 'uno.json');
      writeFileSync(
        uno,
        '{"normal": [["linear_block", 0], ["skip_connect", 1]], "normal_concat": [2]}',
      );
      const warned = await run([
        'train',
        'examples/uno.darts',
        '--genotype',
        uno,
        '--auxiliary',
        '--epochs',
        '1',
        '--out',
        join(dir, 'uno'),
      ]);
      expect(warned.code, warned.stderr).toBe(0);
      expect(warned.stderr).toContain(
        'warning: space Uno has no auxiliary head; --auxiliary ignored',
      );
    },
  );

  it(
    'resumes an interrupted retrain to the same result as an unbroken one',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dartsc-train-'));
      const genotype = join(dir, 'uno.json');
      writeFileSync(
        genotype,
        '{"normal": [["linear_block", 0], ["encoder", 1]], "normal_concat": [2]}',
      );
      const args = [
        'train',
        'examples/uno.darts',
        '--genotype',
        genotype,
        '--backend',
        'cpu',
        '--epochs',
        '4',
      ];
      const whole = join(dir, 'whole');
      const broken = join(dir, 'broken');
      expect((await run([...args, '--out', whole])).code).toBe(0);
      // Crash the second run at the first step of its third epoch, after two checkpointed epochs.
      const crash = await main([...args, '--json', '--out', broken], {
        stdout: (t) => {
          if (t.includes('"kind":"step","epoch":2')) throw new Error('simulated crash');
        },
        stderr: () => {},
        cwd: root,
        color: false,
        env: {},
      });
      expect(crash).toBe(70);
      expect(existsSync(join(broken, 'result.json'))).toBe(false);
      const resumed = await run([...args, '--resume', broken, '--lr', '1']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(
        'warning: --lr ignored: a resumed retrain keeps its settings',
      );
      expect(resumed.stderr).toContain('epochs 3 to 4');
      const metrics = (d: string) =>
        readFileSync(join(d, 'metrics.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => ({ ...JSON.parse(l), seconds: 0 }));
      expect(metrics(broken)).toEqual(metrics(whole));
      const result = (d: string) => JSON.parse(readFileSync(join(d, 'result.json'), 'utf8')).test;
      expect(result(broken)).toEqual(result(whole));
      expect(readFileSync(join(broken, 'model', 'weights.bin'))).toEqual(
        readFileSync(join(whole, 'model', 'weights.bin')),
      );
    },
  );

  it('never writes into an existing directory', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dartsc-train-'));
    mkdirSync(join(out, 'keep'));
    const r = await run(['train', 'examples/mnist.darts', '--genotype', 'Found', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists: choose another --out');
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  });
});
