import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { lower } from '../src/ir/lower.js';
import { selectBackend, type BackendName } from '../src/numerics/tf.js';
import {
  batch,
  repoRoot,
  selectCases,
  type Case,
  type EvalCase,
  type OpCase,
  type StepCase,
  workersOf,
} from './cases.js';
import { cellRunner, compileSpec, maxRssBytes, type CellRunner } from './darts.js';
import { genotypeRows } from './genotypes.js';
import { engineRows } from './engines.js';
import { methodRows } from './methods.js';
import { opRunner } from './ops.js';
import { reporter, timing, type Row } from './report.js';
import { coresBusy, round3, summarize, timed, type Timed } from './stats.js';
import { python, TorchProcess, torchVersion } from './torch.js';

/** The bench's command line: `npm run bench -- --help` prints `usage`. */
const usage = `usage: node dist/bench/bench.js [--json] [--rounds N] [--backend wasm,cpu]
                         [--case NAME,...] [--quick] [--no-torch] [--no-compile]
                         [--no-genotypes] [--genotypes EXAMPLE,...]
                         [--methods [--method NAME]...] [--engines]

Times dartsc against PyTorch (bench/reference/bench_torch.py, run with ${python}) in
alternation: per round, N steps of dartsc then N of PyTorch. Cases: cell-2d, cell-2d-2nd,
cell-1d, cell-1d-2nd (search steps), eval-2d, eval-1d, op-2d/NAME, op-1d/NAME; --case takes
names or prefixes (cell, op-2d). On cpu only the evaluation passes and the ops run
unless --case is given. --quick: 1 round of 1 step, no warm-up (a smoke test).
Then each example's searched genotype against three random ones, all retrained with the same
budget and scored on held-out data (minutes; --no-genotypes skips it, --genotypes NAMES runs
only those examples, --case genotypes only it). --methods runs only the comparison of search
methods (docs/methods.md): each method on the MNIST and MNIST-rows examples with 3 seeds,
every found genotype and 3 random ones retrained (about 40 minutes on 2 cores; --method NAME
runs only that method, and the random genotypes). --engines runs only the comparison of
engines (docs/engines.md): the search step of the 2-D and 1-D networks, first and second
order, on the native engine (wasm), on the PyTorch engine and in the PyTorch reference, in
alternation (a few minutes).`;

interface Options {
  readonly json: boolean;
  readonly rounds: number;
  readonly backends: BackendName[];
  readonly cases: string[];
  readonly quick: boolean;
  readonly torch: boolean;
  readonly compile: boolean;
  /** Examples whose genotypes to compare with random ones (undefined: none). */
  readonly genotypes?: string[];
  /** Only the comparison of search methods (of `method`, when given). */
  readonly methods: boolean;
  readonly method: string[];
  readonly engines: boolean;
}

function options(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      backend: { type: 'string', default: 'wasm,cpu' },
      case: { type: 'string', default: '' },
      quick: { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      'no-compile': { type: 'boolean', default: false },
      'no-genotypes': { type: 'boolean', default: false },
      genotypes: { type: 'string' },
      methods: { type: 'boolean', default: false },
      method: { type: 'string', multiple: true },
      engines: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const list = (s: string) => s.split(',').filter(Boolean);
  return {
    json: values.json,
    rounds: Number(values.rounds ?? (values.quick ? 1 : 5)),
    backends: list(values.backend) as BackendName[],
    cases: list(values.case),
    quick: values.quick,
    torch: !values['no-torch'],
    compile: !values['no-compile'] && !values.case,
    methods: values.methods,
    method: values.method ?? [],
    engines: values.engines,
    ...(values['no-genotypes'] || (values.case && !list(values.case).includes('genotypes'))
      ? {}
      : { genotypes: list(values.genotypes ?? '') }),
  };
}

/** Runs the bench; returns the exit code. */
export async function runBench(argv: string[], write: (line: string) => void): Promise<number> {
  const opts = options(argv);
  if (!opts) return (write(usage), 0);
  const emit = reporter(opts.json, write);
  if (opts.methods) {
    for (const row of await methodRows(opts.quick, opts.method)) emit(row);
    return 0;
  }
  if (opts.engines) {
    for (const row of await engineRows(opts.quick, opts.rounds)) emit(row);
    return 0;
  }
  const version = opts.torch ? torchVersion() : undefined;
  if (!version)
    emit({
      section: 'note',
      case: 'torch',
      message: opts.torch
        ? `${python} has no torch: dartsc figures only (apt-get install python3-torch)`
        : 'PyTorch skipped (--no-torch)',
    });
  for (const backend of opts.backends) {
    const active = await selectBackend(backend, (message) =>
      emit({ section: 'note', case: 'backend', message }),
    );
    if (active !== backend) continue;
    for (const c of selectCases(opts.cases, backend))
      for (const row of await runCase(c, backend, opts, version !== undefined)) emit(row);
  }
  if (opts.compile) for (const row of compileRows(opts.quick ? 1 : 5)) emit(row);
  if (opts.genotypes) for (const row of await genotypeRows(opts.quick, opts.genotypes)) emit(row);
  return 0;
}

function runCase(c: Case, backend: BackendName, opts: Options, torch: boolean): Promise<Row[]> {
  // The cpu backend is slow: fewer steps per round.
  const steps = opts.quick ? 1 : backend === 'cpu' ? Math.min(c.steps, 2) : c.steps;
  const plan = { rounds: opts.rounds, steps, warmup: opts.quick ? 0 : 1 };
  if (c.kind === 'op') return opCase(c, backend, plan, torch);
  return cellCase(c, backend, plan, torch);
}

interface Plan {
  readonly rounds: number;
  readonly steps: number;
  readonly warmup: number;
}

/**
 * dartsc's and PyTorch's timings over the rounds: per step, the ratio per round, and the
 * cores each kept busy (CPU time of all its threads over wall time).
 */
async function alternate(
  plan: Plan,
  darts: () => unknown,
  torch: ((n: number) => Promise<Timed>) | undefined,
) {
  await timed(plan.warmup, darts);
  if (plan.warmup) await torch?.(plan.warmup);
  const d: Timed[] = [];
  const t: Timed[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < plan.rounds; r++) {
    const dr = await timed(plan.steps, darts);
    d.push(dr);
    if (!torch) continue;
    const tr = await torch(plan.steps);
    t.push(tr);
    // Per-round medians: one step stalled by another process does not make the round's ratio.
    ratios.push(summarize(dr.ms).median / summarize(tr.ms).median);
  }
  const all = (runs: Timed[]) => summarize(runs.flatMap((x) => x.ms));
  const cores = { dartsCoresBusy: coresBusy(d), torchCoresBusy: torch ? coresBusy(t) : null };
  return torch
    ? { darts: all(d), torch: all(t), ratio: summarize(ratios), cores }
    : { darts: all(d), cores };
}

const perSecond = (ms: number | undefined, n: number) => (ms ? round3((n * 1000) / ms) : null);

/** The fields every timed row has: the plan, the timings, the cores busy, samples per second. */
function timedFields(plan: Plan, t: Awaited<ReturnType<typeof alternate>>) {
  return {
    rounds: plan.rounds,
    steps: plan.steps,
    batch,
    ...timing(t.darts, t.torch, t.ratio),
    ...t.cores,
    dartsSamplesPerSec: perSecond(t.darts.median, batch),
    torchSamplesPerSec: perSecond(t.torch?.median, batch),
  };
}

function paramsCheck(name: string, darts: number, torch: number | undefined): Row[] {
  if (torch === undefined || torch === darts) return [];
  const message = `parameter counts differ: dartsc ${darts}, PyTorch ${torch} (the networks do not match)`;
  return [{ section: 'note', case: name, warning: true, message }];
}

async function cellCase(
  c: StepCase | EvalCase,
  backend: BackendName,
  plan: Plan,
  useTorch: boolean,
) {
  const order = c.kind === 'step' ? c.order : 'first';
  const workers = workersOf(c);
  const runner = await cellRunner(c.net.spec, order, workers, backend);
  const torch = useTorch ? new TorchProcess() : undefined;
  try {
    const setup = await torch?.ask({ cmd: 'cell', ...c.net.torch, classes: 10, batch, order });
    const cmd = c.kind === 'step' ? 'steps' : 'eval';
    const run = c.kind === 'step' ? runner.step : runner.evaluate;
    const t = await alternate(plan, run, torch && ((n) => torch.ms({ cmd, n })));
    const row: Row = {
      section: c.kind,
      case: c.name,
      backend,
      order,
      workers,
      ...timedFields(plan, t),
      params: { dartsc: runner.params, torch: (setup?.params as number | undefined) ?? null },
    };
    const memory = c.kind === 'step' ? await memoryRow(c.name, backend, runner, torch) : [];
    return [
      row,
      ...memory,
      ...paramsCheck(c.name, runner.params, setup?.params as number | undefined),
    ];
  } finally {
    await runner.close();
    await torch?.close();
  }
}

/**
 * Peak memory of a step case: the sum of the workers' wasm heaps (each started fresh for the
 * case, so a heap's size, its high-water mark, is this network's), the process's peak RSS,
 * and PyTorch's peak RSS above its size after `import torch`.
 */
async function memoryRow(
  name: string,
  backend: string,
  runner: CellRunner,
  torch: TorchProcess | undefined,
): Promise<Row[]> {
  const heaps = await runner.heaps();
  const peak = heaps.reduce<number>((s, h) => s + (h ?? NaN), 0);
  const mem = (await torch?.ask({ cmd: 'mem' })) as
    { maxrss: number; baseline: number } | undefined;
  const above = mem ? mem.maxrss - mem.baseline : undefined;
  return [
    {
      section: 'memory',
      case: `${name}/memory`,
      backend,
      batch,
      dartsPeakBytes: Number.isFinite(peak) ? peak : null,
      dartsPeakBytesPerSample: Number.isFinite(peak) ? Math.round(peak / batch) : null,
      wasmHeapBytes: heaps,
      dartsMaxRss: maxRssBytes(),
      torchMaxRss: mem?.maxrss ?? null,
      torchPeakBytes: above ?? null,
      torchPeakBytesPerSample: above !== undefined ? Math.round(above / batch) : null,
    },
  ];
}

async function opCase(c: OpCase, backend: string, plan: Plan, useTorch: boolean): Promise<Row[]> {
  const runner = opRunner(c);
  const torch = useTorch ? new TorchProcess() : undefined;
  try {
    const spec = {
      cmd: 'op',
      dims: c.dims,
      op: c.op,
      stride: c.stride,
      batch,
      ...runner.torchInput,
    };
    const setup = await torch?.ask(spec);
    const t = await alternate(plan, runner.run, torch && ((n) => torch.ms({ cmd: 'fwdbwd', n })));
    const row: Row = {
      section: 'op',
      case: c.name,
      backend,
      ...timedFields(plan, t),
      ...(c.op === 'none' ? { note: 'dartsc: forward only (a supernet never computes it)' } : {}),
    };
    return [row, ...paramsCheck(c.name, runner.params, setup?.params as number | undefined)];
  } finally {
    runner.dispose();
    await torch?.close();
  }
}

/** Parse + check + elaborate + lower of every example and bench spec, `times` times each. */
function compileRows(times: number): Row[] {
  const specs = [
    ...readdirSync(join(repoRoot(), 'examples'))
      .filter((f) => f.endsWith('.darts'))
      .map((f) => `examples/${f}`),
    ...readdirSync(join(repoRoot(), 'bench'))
      .filter((f) => f.endsWith('.darts'))
      .map((f) => `bench/${f}`),
  ];
  return specs.sort().map((spec) => {
    let networks = 0;
    const ms: number[] = [];
    for (let i = 0; i < times; i++) {
      const start = performance.now();
      const program = compileSpec(spec);
      networks = program.searches.map((s) => lower(s.network)).length;
      ms.push(performance.now() - start);
    }
    const s = summarize(ms.slice(times > 1 ? 1 : 0));
    return {
      section: 'compile',
      case: `compile/${spec}`,
      ms: round3(s.median),
      spread: [round3(s.min), round3(s.max)],
      firstMs: round3(ms[0]!),
      networks,
      runs: times,
    };
  });
}
