import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { Random } from '../../src/util/random.js';
import { runCli as run } from '../helpers/cli.js';

/** A regression table: y = 2a - b + 0.5 plus a little noise, 200 rows. */
function table(dir: string): void {
  const rng = new Random(5);
  const [a, b, noise] = [rng.normal(200), rng.normal(200), rng.normal(200)];
  const rows = Array.from(a, (v, i) => `${v},${b[i]},${2 * v - b[i]! + 0.5 + 0.05 * noise[i]!}`);
  writeFileSync(join(dir, 'table.csv'), ['a,b,y', ...rows].join('\n') + '\n');
}

const spec = (outputs: number) => `
import std.linear

cell Layers(C: int) : (x: Vec[c]) -> Vec[C] {
  preprocess [relu_dense_bn(C)]
  ops        LINEAR_OPS
  nodes      chain(2)
  keep       1
  output     n1
}

space Fit(C: int = 16) : Vec[2] -> Vec[${outputs}] {
  stem  dense(C)
  cells stack(1, normal: Layers)
  head  dense(${outputs})
}

search {
  space   Fit
  data    csv(path: "table.csv", label: "y", task: "regression")
  epochs  6
  batch   16
  weights sgd(lr: cosine(0.05, 0.001))
}
`;

describe('regression on a CSV table', () => {
  it('searches and retrains by mean squared error, reporting losses, not accuracies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-regression-'));
    table(dir);
    writeFileSync(join(dir, 'fit.darts'), spec(1));
    const out = join(dir, 'search');
    const searched = await run(['run', join(dir, 'fit.darts'), '--backend', 'cpu', '--out', out]);
    expect(searched.code, searched.stderr).toBe(0);
    expect(searched.stdout).toMatch(/supernet valid loss \(MSE\) [\d.]+ after 6 epochs/);
    expect(searched.stderr).not.toContain('acc');
    const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(epochs.every((e) => e.train.accuracy === null && e.valid.accuracy === null)).toBe(true);
    // The targets have variance about 5; a fitted network does far better than predicting 0.
    expect(epochs[5].train.loss).toBeLessThan(epochs[0].train.loss);
    expect(epochs[5].valid.loss).toBeLessThan(2);

    const trained = await run([
      'train',
      join(dir, 'fit.darts'),
      '--genotype',
      join(out, 'genotype.json'),
      '--backend',
      'cpu',
      '--drop-path',
      '0',
      '--out',
      join(dir, 'train'),
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/test loss \(MSE\) [\d.]+ on 20 held-out samples/);
    const result = JSON.parse(readFileSync(join(dir, 'train', 'result.json'), 'utf8'));
    expect(result.test.accuracy).toBeNull();
    expect(result.test.loss).toBeLessThan(2);
  });

  it('needs a single output for one target (E0413)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-regression-'));
    table(dir);
    writeFileSync(join(dir, 'fit.darts'), spec(3));
    const r = await run(['run', join(dir, 'fit.darts'), '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error[E0413]: data `csv` gives one regression target per sample, but space `Fit` takes 3 outputs',
    );
    expect(r.stderr).toContain(
      'help: end the head with `dense(1)` and declare the output `Vec[1]`',
    );
  });
});
