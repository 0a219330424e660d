import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { selectBackend } from '../src/numerics/tf.js';
import {
  programConfig,
  torchSearchEngine,
  TorchSession,
} from '../src/runtime/torch/torchEngine.js';
import { batch, nets } from './cases.js';
import { benchSearch, benchSteps, cellRunner } from './darts.js';
import type { Row } from './report.js';
import { round3, summarize, timed } from './stats.js';
import { TorchProcess } from './torch.js';
import { defaultWorkers } from '../src/runtime/workerEngine.js';

/**
 * `npm run bench -- --engines` (docs/engines.md): the search step of the bench's 2-D and 1-D
 * networks on the native engine (wasm, dartsc's default workers), on the PyTorch engine
 * (`dartsc run --engine pytorch`: the generated program in one process, driven by dartsc), and
 * in the hand-written PyTorch reference (bench/reference/bench_torch.py), in alternation in
 * one run: per round N steps of each. Ratios are per round, against the reference.
 */
export async function engineRows(quick: boolean, rounds: number): Promise<Row[]> {
  await selectBackend('wasm');
  const rows: Row[] = [];
  // --quick (a smoke test): the 1-D network's first-order step only.
  const cases = quick
    ? [[nets[1], 'first'] as const]
    : nets.flatMap((net) => (['first', 'second'] as const).map((order) => [net, order] as const));
  for (const [net, order] of cases) rows.push(await engineRow(net, order, quick, rounds));
  return rows;
}

async function engineRow(
  net: (typeof nets)[number],
  order: 'first' | 'second',
  quick: boolean,
  rounds: number,
): Promise<Row> {
  const steps = quick ? 1 : order === 'first' ? 5 : 3;
  const workers = defaultWorkers(batch);
  const native = await cellRunner(net.spec, order, workers, 'wasm');
  const engine = await torchRunner(net.spec, order);
  const reference = new TorchProcess();
  try {
    await reference.ask({ cmd: 'cell', ...net.torch, classes: 10, batch, order });
    if (!quick) {
      await native.step();
      await engine.step();
      await reference.ms({ cmd: 'steps', n: 1 });
    }
    const ms = { native: [] as number[], engine: [] as number[], reference: [] as number[] };
    const ratios = { native: [] as number[], engine: [] as number[] };
    for (let r = 0; r < (quick ? 1 : rounds); r++) {
      const n = summarize((await timed(steps, native.step)).ms).median;
      const e = summarize((await timed(steps, engine.step)).ms).median;
      const t = summarize((await reference.ms({ cmd: 'steps', n: steps })).ms).median;
      ms.native.push(n);
      ms.engine.push(e);
      ms.reference.push(t);
      ratios.native.push(n / t);
      ratios.engine.push(e / t);
    }
    const med = (xs: number[]) => round3(summarize(xs).median);
    return {
      section: 'engine',
      case: `engine/${net.dims}d-${order}`,
      batch,
      workers,
      rounds: ms.native.length,
      steps,
      nativeMs: med(ms.native),
      pytorchEngineMs: med(ms.engine),
      torchReferenceMs: med(ms.reference),
      nativeOverTorch: med(ratios.native),
      pytorchEngineOverTorch: med(ratios.engine),
      nativeOverPytorchEngine: round3(summarize(ms.native).median / summarize(ms.engine).median),
    };
  } finally {
    await native.close();
    await engine.close();
    await reference.close();
  }
}

/** The PyTorch engine on a bench spec: one process, the same batches every step. */
async function torchRunner(spec: string, order: 'first' | 'second') {
  const { graph, config, data, state } = benchSearch(spec, order);
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-bench-torch-'));
  const settings = { config: programConfig(config), origin: spec };
  const options = { dir, nproc: 1, device: 'cpu' as const };
  const session = await TorchSession.start(graph, data, state, settings, options);
  const engine = torchSearchEngine(session, state, false);
  return {
    step: benchSteps(engine).step,
    close: async () => {
      await engine.close();
      state.net.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
