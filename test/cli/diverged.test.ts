import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers/cli.js';

/** The tiny example with other optimizer settings. */
const spec = (weights: string) => `
import std.ops2d

cell Normal(C: int) { ops [skip_connect, sep_conv_3x3] nodes 2 }

space S(C: int = 4) : Img[8, 8, 3] -> Logits[2] {
  stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
  cells stack(1, normal: Normal)
  head  global_avg_pool >> dense(2)
}

search {
  space   S
  data    synthetic(samples: 64, classes: 2, seed: 1)
  epochs  3
  batch   16
  order   first
  weights ${weights}
}
`;

describe('cli: a run that diverges', () => {
  it('stops with E0502 at the optimizer settings, keeping the last good epoch and no NaN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-diverged-'));
    writeFileSync(join(dir, 'big.darts'), spec('sgd(lr: 1e6)'));
    const out = join(dir, 'out');
    const r = await runCli(['run', 'big.darts', '--backend', 'cpu', '--out', out], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /error\[E0502\]: the run diverged: .* is (NaN|-?Infinity) in epoch \d/,
    );
    expect(r.stderr).toContain('--> big.darts:18:11');
    expect(r.stderr).toMatch(/help: lower the learning rate/);
    expect(r.stdout).not.toMatch(/NaN|supernet valid/);
    // What was written holds finite numbers only, and every epoch line has its checkpoint.
    for (const file of ['alphas.json', 'metrics.jsonl', 'genotype.json'])
      if (existsSync(join(out, file)))
        expect(readFileSync(join(out, file), 'utf8')).not.toMatch(/NaN|null|Infinity|undefined/);
    const lines = existsSync(join(out, 'metrics.jsonl'))
      ? readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean)
      : [];
    const checkpoints = readdirSync(join(out, 'checkpoints')).filter((f) => f.endsWith('.json'));
    expect(checkpoints).toHaveLength(lines.length);
  }, 60_000);
});
