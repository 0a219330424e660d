import { parseArgs } from 'node:util';

import { resumeSpec, search } from '../../index.js';
import { backendFlag, engineFlags } from '../backendFlag.js';
import { followJob } from '../interrupt.js';
import { defaultOut, intFlags, UsageError, type CliIo } from '../io.js';
import { outputOf, searchPrinter } from '../progress.js';
import { compileSpec, reporter } from '../spec.js';
import type { CommandOptions } from '../flagProblem.js';

export const runUsage = `usage: dartsc run SPEC [--epochs N] [--steps N] [--batch N] [--order first|second] [--seed N]
                  [--backend wasm|cpu|tensorflow] [--workers N] [--out DIR] [--resume DIR]
                  [--engine tfjs|pytorch] [--nproc N] [--device cpu|cuda]
                  [--search NAME] [--json] [--quiet]

Searches the space of SPEC's search block with DARTS on its data and writes the genotype.
--steps N stops each epoch after N steps (a quick smoke test of a spec).
--resume DIR continues an interrupted run from its last checkpoint, with the settings it was
started with (--epochs may extend it); \`dartsc run --resume DIR\` finds the spec it started
from. Ctrl-C or SIGTERM stops after the current step (exit 130, 143); a second one at once.
The run directory (--out, default runs/<spec>-<timestamp>) receives genotype.json, the
genotype as a .darts literal, alphas.json, metrics.jsonl, config.json and a checkpoint per
epoch; an existing directory is never written into unless --resume names it. The backend
is wasm unless --backend or DARTSC_BACKEND says otherwise. --workers N (or DARTSC_WORKERS)
splits every batch between N threads, each on its own backend instance; the default is one
per core, at most one per 16 samples of the batch.
--engine pytorch runs the steps in a PyTorch program dartsc generates into RUN/pytorch, in
--nproc N processes (torch.distributed, gloo on cpu, nccl on cuda) on --device; it needs
Python 3 with torch >= 1.13 (DARTSC_PYTHON names the interpreter). See docs/engines.md.
Progress goes to stderr: on a terminal a bar with the time left in the epoch and in the run,
otherwise one line per epoch and between them a line at most every 10 s. --quiet prints only
warnings, errors and the genotype; --json prints every event as a JSON line on stdout.`;

/** The options of `dartsc run` (main.ts names them when one is mistyped). */
export const runOptions = {
  epochs: { type: 'string' },
  steps: { type: 'string' },
  batch: { type: 'string' },
  order: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  workers: { type: 'string' },
  engine: { type: 'string' },
  nproc: { type: 'string' },
  device: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  search: { type: 'string' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc run SPEC ...` */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: runOptions });
  if (positionals.length > 1 || (positionals.length === 0 && !values.resume))
    throw new UsageError('run needs exactly one SPEC file (or --resume DIR alone)');
  // A resumed run finds its spec in its directory.
  const spec = positionals[0] ?? resumeSpec(values.resume!, io.cwd);
  const order = values.order;
  if (order !== undefined && order !== 'first' && order !== 'second')
    throw new UsageError('--order takes `first` or `second`');
  const backend = backendFlag(values.backend, io);
  const options = {
    ...intFlags(
      { ...values, workers: values.workers ?? io.env?.DARTSC_WORKERS },
      { epochs: 1, steps: 1, batch: 1, seed: 0, workers: 1, nproc: 1 },
    ),
    ...engineFlags(values, io),
    ...(order ? { order: order as 'first' | 'second' } : {}),
    ...(values.search ? { search: values.search } : {}),
    ...(backend ? { backend } : {}),
    ...(values.resume ? { resume: values.resume } : {}),
    // With --resume an --out is passed on only to be named as ignored.
    ...(values.out !== undefined || !values.resume ? { out: values.out ?? defaultOut(spec) } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  };
  const program = compileSpec(io, spec, values['no-color']);
  if (!program) return 1;
  const print = searchPrinter(io, outputOf(values));
  const followed = await followJob(
    io,
    search(program, options),
    (event) => print.event(event),
    (dir) => `dartsc run --resume ${dir}`,
  );
  if ('code' in followed) return followed.code;
  const { result } = followed;
  if (!result.value) return (reporter(io, values['no-color'])(result.diagnostics), 1);
  print.done(result.value);
  return 0;
}
