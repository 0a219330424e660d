import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { genotypeJson } from '../src/ir/genotype.js';
import { randomGenotype as drawGenotype } from '../src/ir/randomGenotype.js';
import { Random } from '../src/util/random.js';

const randomGenotype = (tables: Parameters<typeof drawGenotype>[0], seed: number) =>
  genotypeJson(drawGenotype(tables, new Random(seed)));
import { runBench } from '../bench/run.js';
import { requestNetwork } from '../src/api/network.js';
import { compile } from '../src/index.js';
import { selectBackend } from '../src/numerics/tf.js';
import { root } from './helpers/cli.js';

/**
 * `npm run bench` in its smoke mode: one round of one step of two 1-D ops on cpu, as JSON
 * lines. PyTorch is used where /usr/bin/python3 has torch (a ratio then appears), never
 * needed.
 */
describe('bench', () => {
  it('prints one JSON object a line with the timing fields', async () => {
    const lines: string[] = [];
    const code = await runBench(
      ['--quick', '--json', '--backend', 'cpu', '--case', 'op-1d/dil_conv_3,op-1d/skip_connect'],
      (line) => lines.push(line),
    );
    await selectBackend('cpu');
    expect(code).toBe(0);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ops = rows.filter((r) => r.section === 'op');
    expect(ops.map((r) => r.case)).toEqual([
      'op-1d/skip_connect',
      'op-1d/dil_conv_3',
      'op-1d/skip_connect/s2',
    ]);
    const torch = !rows.some((r) => r.section === 'note' && r.case === 'torch');
    for (const r of ops) {
      expect(r).toMatchObject({ backend: 'cpu', rounds: 1, steps: 1, batch: 32 });
      expect(r.dartsMs).toBeGreaterThan(0);
      const ratio = (r.dartsMs as number) / (r.torchMs as number);
      if (torch) expect(Math.abs((r.ratio as number) / ratio - 1)).toBeLessThan(0.02);
      else expect(r).toMatchObject({ torchMs: null, ratio: null });
    }
    // The networks match: no parameter count differs.
    expect(rows.filter((r) => r.warning)).toEqual([]);
  });

  it('times a search step on a worker with its cores busy and memory', async () => {
    const lines: string[] = [];
    const argv = ['--quick', '--json', '--backend', 'wasm', '--case', 'cell-1d/1-worker'];
    const code = await runBench(argv, (line) => lines.push(line));
    await selectBackend('cpu');
    expect(code).toBe(0);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const step = rows.find((r) => r.section === 'step');
    expect(step).toMatchObject({ case: 'cell-1d/1-worker', workers: 1, order: 'first' });
    // One worker computes while the main thread waits: about one core, never two.
    expect(step!.dartsCoresBusy).toBeGreaterThan(0.3);
    expect(step!.dartsCoresBusy).toBeLessThan(1.6);
    const memory = rows.find((r) => r.section === 'memory')!;
    expect(memory.case).toBe('cell-1d/1-worker/memory');
    expect((memory.wasmHeapBytes as number[]).length).toBe(1);
    expect(memory.dartsPeakBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(memory.dartsPeakBytesPerSample).toBe(Math.round((memory.dartsPeakBytes as number) / 32));
  }, 120_000);

  it('times the PyTorch engine against the native engine and the reference (--engines --quick)', async () => {
    const lines: string[] = [];
    expect(await runBench(['--engines', '--quick', '--json'], (line) => lines.push(line))).toBe(0);
    await selectBackend('cpu');
    const rows = lines.map((l) => JSON.parse(l) as Record<string, number | string>);
    expect(rows.map((r) => r.case)).toEqual(['engine/1d-first']);
    const [row] = rows;
    for (const key of ['nativeMs', 'pytorchEngineMs', 'torchReferenceMs'])
      expect(row![key], key).toBeGreaterThan(0);
    const ratio = (row!.pytorchEngineMs as number) / (row!.torchReferenceMs as number);
    expect(Math.abs((row!.pytorchEngineOverTorch as number) / ratio - 1)).toBeLessThan(0.02);
  }, 120_000);

  it('prints its usage with --help', async () => {
    const lines: string[] = [];
    expect(await runBench(['--help'], (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/--rounds N/);
  });
});

describe('bench: random genotypes, the baseline of a search', () => {
  it('draws `keep` distinct edges per node and allowed ops, the same for a seed, and builds', () => {
    const program = compile(join(root, 'examples', 'mnist.darts'), { cwd: root }).value!;
    const { tables } = requestNetwork(program).value!.graph;
    const a = randomGenotype(tables, 1);
    expect(randomGenotype(tables, 1)).toEqual(a);
    expect(randomGenotype(tables, 2)).not.toEqual(a);
    for (const t of tables) {
      const pairs = a[t.name] as [string, number][];
      expect(pairs).toHaveLength(t.nodeEdges.length * t.keep);
      t.nodeEdges.forEach((inputs, node) => {
        const mine = pairs.slice(node * t.keep, node * t.keep + t.keep);
        expect(new Set(mine.map(([, i]) => i)).size).toBe(t.keep);
        for (const [op, input] of mine) {
          expect(inputs).toContain(input);
          expect(op).not.toBe('none');
          expect(t.columns).toContain(op);
        }
      });
      expect(a[`${t.name}_concat`]).toEqual(t.concat);
    }
    expect(requestNetwork(program, { genotype: a }).diagnostics).toEqual([]);
  });

  it('compares a searched genotype with random ones in --quick mode', async () => {
    const lines: string[] = [];
    await runBench(['--quick', '--json', '--case', 'genotypes', '--genotypes', 'uno'], (l) =>
      lines.push(l),
    );
    const [row] = lines.map((l) => JSON.parse(l)).filter((r) => r.section === 'genotypes');
    expect(row).toMatchObject({
      case: 'uno',
      random: [expect.any(Number), expect.any(Number), expect.any(Number)],
    });
    expect(row.randomMean).toBeCloseTo((row.random[0] + row.random[1] + row.random[2]) / 3, 3);
  }, 60_000);
});
