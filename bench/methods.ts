import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { compile, type Program } from '../src/api/compile.js';
import { requestNetwork } from '../src/api/network.js';
import { train } from '../src/api/train.js';
import { repoRoot } from './cases.js';
import { genotypeJson } from '../src/ir/genotype.js';
import { randomGenotype } from '../src/ir/randomGenotype.js';
import { Random } from '../src/util/random.js';
import type { Row } from './report.js';

/**
 * Which method finds architectures better than chance? Each method searches the 2-D (MNIST
 * digits) and the 1-D (MNIST rows) example with several seeds, each search in its own process
 * (`dartsc run`, its peak memory measured by /usr/bin/time); every found genotype and three
 * random genotypes are retrained from scratch with the same budget (the example's epochs,
 * batch and seed; lr 0.1) and scored on the held-out split.
 */
const methodExamples = ['mnist', 'p3b5'];
// PC-DARTS' warm-up is 15 epochs in the reference; these searches have 4.
const comparedMethods = [
  'darts',
  'fair_darts',
  'gdas',
  'darts_minus',
  'pc_darts(warmup: 1)',
  'drnas',
  'random',
];
const searchSeeds = [1, 2, 3];
const randomSeeds = [1, 2, 3];

export async function methodRows(quick: boolean, only: readonly string[] = []): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-methods-'));
  const budget = quick ? { epochs: 1, steps: 2 } : {};
  for (const example of methodExamples) {
    const text = readFileSync(join(repoRoot(), 'examples', `${example}.darts`), 'utf8');
    const base = compileText(text, join(dir, `${example}.darts`));
    const tables = requestNetwork(base).value!.graph.tables;
    const random: number[] = [];
    for (const s of randomSeeds)
      random.push(
        await retrained(base, genotypeJson(randomGenotype(tables, new Random(s))), budget),
      );
    const chance = stats(random);
    rows.push({ section: 'methods', case: `${example}/random`, ...chance });
    const name = (m: string) => m.replace(/\(.*/, '');
    for (const method of comparedMethods.filter((m) => !only.length || only.includes(name(m)))) {
      const runs: {
        seed: number;
        accuracy: number;
        seconds: number;
        peakMiB: number;
        free: number;
      }[] = [];
      for (const seed of searchSeeds) {
        const spec = join(dir, `${example}-${name(method)}-${seed}.darts`);
        writeFileSync(spec, text.replace(/^(\s*)epochs /m, `$1method  ${method}\n$1epochs `));
        const run = searchIn(spec, seed, join(dir, `${example}-${name(method)}-${seed}`), quick);
        const program = compileText(readFileSync(spec, 'utf8'), spec);
        const accuracy = await retrained(program, run.genotype, budget);
        runs.push({
          seed,
          accuracy: round(accuracy),
          ...run.figures,
          free: freeShare(run.genotype, tables),
        });
      }
      const acc = stats(runs.map((r) => r.accuracy));
      const mean = (key: 'seconds' | 'free') =>
        round(runs.reduce((s, r) => s + r[key], 0) / runs.length);
      rows.push({
        section: 'methods',
        case: `${example}/${name(method)}`,
        ...acc,
        seconds: mean('seconds'),
        peakMiB: Math.max(...runs.map((r) => r.peakMiB)),
        free: mean('free'),
        // Better than chance: above the random genotypes' mean by more than its own spread.
        beats: acc.mean - chance.mean > acc.std,
        runs,
      });
    }
  }
  return rows;
}

function compileText(text: string, path: string): Program {
  const { value, diagnostics } = compile({ path, text }, { cwd: join(repoRoot(), 'examples') });
  if (!value) throw new Error(`${path}: ${JSON.stringify(diagnostics)}`);
  return value;
}

/** One search in a child process: its genotype, wall time and peak resident memory. */
function searchIn(spec: string, seed: number, out: string, quick: boolean) {
  const cli = join(repoRoot(), 'dist', 'src', 'cli', 'bin.js');
  const args = ['run', spec, '--seed', String(seed), '--out', out, '--backend', 'wasm'];
  if (quick) args.push('--epochs', '1', '--steps', '2');
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'peak-kb %M', process.execPath, cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DARTSC_WORKERS: '1' },
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`dartsc run ${spec} failed:\n${r.stderr}`);
  const peak = Number(/peak-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN) * 1024;
  const genotype = JSON.parse(readFileSync(join(out, 'genotype.json'), 'utf8'));
  return {
    genotype,
    figures: { seconds: Math.round(seconds * 10) / 10, peakMiB: Math.round(peak / 2 ** 20) },
  };
}

/** The share of a genotype's kept edges whose op has no weights (skips and pools). */
function freeShare(
  genotype: Record<string, unknown>,
  tables: readonly {
    name: string;
    columns: readonly string[];
    parameterFree: readonly boolean[];
  }[],
): number {
  let free = 0;
  let all = 0;
  for (const t of tables) {
    for (const [op] of (genotype[t.name] as [string, number][]) ?? []) {
      all++;
      if (t.parameterFree[t.columns.indexOf(op)]) free++;
    }
  }
  return all ? round(free / all) : 0;
}

/** Held-out accuracy of a genotype retrained from scratch. */
async function retrained(program: Program, genotype: Record<string, unknown>, budget: object) {
  const { value, diagnostics } = await train(program, { genotype, lr: 0.1, ...budget }).result;
  if (!value) throw new Error(`retrain failed: ${JSON.stringify(diagnostics)}`);
  value.model.dispose();
  return value.test?.accuracy ?? NaN;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Accuracies, their mean and sample standard deviation. */
function stats(values: readonly number[]) {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { accuracy: values.map(round), mean: round(mean), std: round(Math.sqrt(variance)) };
}
