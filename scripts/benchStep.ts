import { compile } from '../src/api/compile.js';
import { findSearch } from '../src/elaborate/elaborateProgram.js';
import { lower } from '../src/ir/lower.js';
import { setOwnKernels, type FastOps } from '../src/numerics/fastOps.js';
import { selectBackend, tf } from '../src/numerics/tf.js';
import { freshState, searchStep } from '../src/runtime/search.js';
import { loadSearchData } from '../src/runtime/searchData.js';

/**
 * Milliseconds per search step (the α step and the weight step) of a spec's search on
 * `wasm`, with all own kernels on and with some of them off (docs/backends.md, "Own
 * kernels"). The configurations alternate step by step; each figure is the median.
 * `--profile` instead prints the kernels of one step (own kernels on) by time.
 *
 * Run: `npx tsx scripts/benchStep.ts [spec] [steps] [ops off in the baseline, comma-separated]`,
 * e.g. `npx tsx scripts/benchStep.ts examples/mnist.darts 9 denseConv`.
 */
const args = process.argv.slice(2).filter((a) => a !== '--profile');
const profile = process.argv.includes('--profile');
const spec = args[0] ?? 'examples/mnist.darts';
const steps = Number(args[1] ?? 9);
const off = (args[2] ?? 'denseConv').split(',').filter(Boolean) as (keyof FastOps)[];

await selectBackend('wasm');
const program = compile(spec);
if (!program.value) throw new Error(program.diagnostics.map((d) => d.message).join('\n'));
const block = findSearch(program.value, program.value.entry.file).value!;
const config = block.config;
const loaded = loadSearchData(config, block.network, program.value.path, block.spans.data!);
if ('misfit' in loaded) throw new Error(loaded.misfit.message);
const { data, splits } = loaded;
const state = freshState(lower(block.network), config);

let at = 0;
/** One step on the next batches, in ms. */
function step(): number {
  const take = (from: readonly number[]) =>
    Array.from({ length: config.batch }, (_, k) => from[(at * config.batch + k) % from.length]!);
  const input = { trainIdx: take(splits.train), validIdx: take(splits.valid), lr: 0.05 };
  at++;
  const start = performance.now();
  searchStep(state, data, config, { ...input, seed: at, weightSeed: at + 1, epoch: 0 });
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (profile) {
  step();
  const info = await tf.profile(() => void step());
  const byName = new Map<string, { ms: number; n: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { ms: 0, n: 0 };
    byName.set(k.name, { ms: e.ms + (k.kernelTimeMs as number), n: e.n + 1 });
  }
  const rows = [...byName].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  process.stdout.write(`kernel time ${total.toFixed(1)} ms in ${info.kernels.length} launches\n`);
  for (const [name, e] of rows.slice(0, 60))
    process.stdout.write(`${name.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms ${e.n} launches\n`);
} else {
  const times = { base: [] as number[], own: [] as number[] };
  for (let r = -1; r < steps; r++) {
    for (const mode of r % 2 ? (['own', 'base'] as const) : (['base', 'own'] as const)) {
      setOwnKernels(true, mode === 'base' ? off : []);
      const ms = step();
      if (r >= 0) times[mode].push(ms); // the first round warms up
    }
  }
  const [base, own] = [median(times.base), median(times.own)];
  process.stdout.write(
    `${spec}, batch ${config.batch}, wasm, ${steps} steps each: without own ${off.join(', ')} ` +
      `${base.toFixed(1)} ms, with ${own.toFixed(1)} ms (${(base / own).toFixed(2)}x)\n`,
  );
}
