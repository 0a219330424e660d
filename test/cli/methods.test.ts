import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { root, runCli } from '../helpers/cli.js';

/**
 * Every search method composes with the rest of dartsc: a run resumes under its method, and
 * `derive`, `report`, `emit` and `train` take its run directory. The tiny example with the
 * method added, a few steps an epoch.
 */
const tiny = readFileSync(join(root, 'examples', 'tiny.darts'), 'utf8');

function specWith(method: string): { cwd: string; spec: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'dartsc-method-'));
  const text = tiny.replace(/^(\s*)epochs /m, `$1method ${method}\n$1epochs `);
  expect(text).toContain(`method ${method}`);
  writeFileSync(join(cwd, 'spec.darts'), text);
  return { cwd, spec: join(cwd, 'spec.darts') };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('search methods with resume, derive, report, emit and train', () => {
  const methods = [
    'fair_darts',
    'gdas(tau_max: 5, tau_min: 0.5)',
    'darts_minus',
    'pc_darts(k: 2, warmup: 0)',
    'drnas',
    'random(samples: 4)',
    'darts_plus',
  ];
  for (const method of methods) {
    const name = method.replace(/\(.*/, '');
    it(`${name}: runs, resumes under its method, and its run feeds every later command`, async () => {
      const { cwd, spec } = specWith(method);
      const out = join(cwd, 'run');
      const first = await runCli(['run', spec, '--epochs', '1', '--steps', '2', '--out', out]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain(`method ${name}(`);
      expect(JSON.parse(read(out, 'config.json')).search.method.name).toBe(name);
      const resumed = await runCli(['run', '--resume', out, '--epochs', '2']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`method ${name}(`);
      const epochs = read(out, 'metrics.jsonl')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(epochs).toHaveLength(2);
      // The weights reports show are the method's: FairDARTS' σ(α) rows need not sum to 1.
      const row = Object.values(epochs[1].alphas as Record<string, number[][]>)[0]![0]!;
      const sum = row.reduce((s, v) => s + v, 0);
      // PC-DARTS' are softmax(α)·softmax(β): a row sums to its edge's share of the node.
      if (name === 'fair_darts') expect(Math.abs(sum - 1)).toBeGreaterThan(0.5);
      else if (name === 'pc_darts') expect(sum).toBeLessThan(0.9);
      else expect(sum).toBeCloseTo(1, 5);

      const derived = await runCli(['derive', spec, '--alphas', join(out, 'alphas.json')]);
      expect(derived.code, derived.stderr).toBe(0);
      expect(derived.stdout).toContain(
        read(out, 'genotype.darts')
          .split('\n')
          .find((l) => l.includes('normal '))!
          .trim(),
      );
      const report = await runCli(['report', out]);
      expect(report.code, report.stderr).toBe(0);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
      const emitted = join(cwd, 'model.ts');
      const emit = await runCli(['emit', spec, '--genotype', out, '-o', emitted]);
      expect(emit.code, emit.stderr).toBe(0);
      expect(read(cwd, 'model.ts')).toContain('export function createModel');
      const trained = join(cwd, 'trained');
      const train = await runCli([
        ...['train', spec, '--genotype', out, '--epochs', '1', '--steps', '1'],
        ...['--out', trained],
      ]);
      expect(train.code, train.stderr).toBe(0);
      expect(existsSync(join(trained, 'model', 'model.json'))).toBe(true);
    });
  }

  it('darts_plus stops the search once the normal cell holds `skips` skip connections', async () => {
    // A cell of skip connections only: its genotype holds four from the first epoch.
    const { cwd, spec } = specWith('darts_plus(skips: 2)');
    const text = readFileSync(spec, 'utf8').replace(/ops\s+\[[^\]]*\]/, 'ops    [skip_connect]');
    expect(text).toContain('[skip_connect]');
    writeFileSync(spec, text);
    const out = join(cwd, 'run');
    const r = await runCli(['run', spec, '--epochs', '3', '--steps', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('stopped early: the normal cell holds 4 skip connections');
    const lines = read(out, 'metrics.jsonl').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).stopped).toMatch(/DARTS\+ stops at 2/);
  });
});
