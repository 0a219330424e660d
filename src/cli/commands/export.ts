import { relative } from 'node:path';
import { parseArgs } from 'node:util';

import { exportPytorch } from '../../index.js';
import { intFlags, UsageError, type CliIo } from '../io.js';
import { compileSpec, reporter } from '../spec.js';
import type { CommandOptions } from '../flagProblem.js';

export const exportUsage = `usage: dartsc export SPEC --target pytorch -o DIR [--epochs N] [--steps N] [--batch N]
                     [--order first|second] [--seed N] [--search NAME]

Writes SPEC's search as a standalone PyTorch program into DIR (a new or empty directory):
program.py, the data as .npy (from dartsc's own loaders), the initial weights and α, and a
README with the torchrun commands for one GPU, several GPUs and several machines (SLURM).
It searches what \`dartsc run --engine pytorch\` searches; \`dartsc derive SPEC --alphas
DIR/out/alphas.json\` takes its α back. See docs/engines.md.`;

export const exportOptions = {
  target: { type: 'string' },
  out: { type: 'string', short: 'o' },
  epochs: { type: 'string' },
  steps: { type: 'string' },
  batch: { type: 'string' },
  order: { type: 'string' },
  seed: { type: 'string' },
  search: { type: 'string' },
  'no-color': { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc export SPEC --target pytorch -o DIR` */
export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: exportOptions,
  });
  if (positionals.length !== 1) throw new UsageError('export needs exactly one SPEC file');
  if (values.target !== 'pytorch')
    throw new UsageError('export needs --target pytorch (the one target so far)');
  if (!values.out) throw new UsageError('export needs -o DIR');
  const order = values.order;
  if (order !== undefined && order !== 'first' && order !== 'second')
    throw new UsageError('--order takes `first` or `second`');
  const program = compileSpec(io, positionals[0]!, values['no-color']);
  if (!program) return 1;
  const result = await exportPytorch(program, {
    out: values.out,
    ...intFlags(values, { epochs: 1, steps: 1, batch: 1, seed: 0 }),
    ...(order ? { order: order as 'first' | 'second' } : {}),
    ...(values.search ? { search: values.search } : {}),
  });
  if (!result.value) return (reporter(io, values['no-color'])(result.diagnostics), 1);
  const shown = relative(io.cwd, result.value.dir) || '.';
  io.stdout(
    `wrote ${shown}: program.py, data/, README.md\n` +
      `run it: cd ${shown} && python3 program.py search --data data --out out  (or under torchrun: see README.md)\n`,
  );
  return 0;
}
