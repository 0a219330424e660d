import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { derive } from '../../index.js';
import { intFlag, readUserFile, UsageError, type CliIo } from '../io.js';
import { compileSpec, reporter } from '../spec.js';
import type { CommandOptions } from '../flagProblem.js';

export const deriveUsage = `usage: dartsc derive SPEC --alphas FILE [--keep K] [--search NAME] [--json]

Derives the genotype from saved α (a run's alphas.json), so that the derivation can be
revisited without searching again: --keep K keeps K edges per node instead of the cell's.
SPEC must be the spec of the run: α whose candidates or edges it names differently are
refused (alphas.json of older runs, without names, are checked by shape only).`;

/** The options of `dartsc derive` (main.ts names them when one is mistyped). */
export const deriveOptions = {
  alphas: { type: 'string' },
  keep: { type: 'string' },
  search: { type: 'string' },
  json: { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc derive SPEC --alphas FILE` */
export function deriveCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: deriveOptions,
  });
  if (positionals.length !== 1 || !values.alphas)
    throw new UsageError('derive needs a SPEC and --alphas FILE');
  const keep = intFlag(values.keep, 'keep', 1);
  const text = readUserFile(resolve(io.cwd, values.alphas), values.alphas);
  let alphas: unknown;
  try {
    alphas = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${values.alphas} is not JSON (${(error as Error).message})`);
  }
  const program = compileSpec(io, positionals[0]!);
  if (!program) return 1;
  const options = {
    from: values.alphas,
    ...(keep !== undefined ? { keep } : {}),
    ...(values.search ? { search: values.search } : {}),
  };
  const result = derive(program, alphas, options);
  if (!result.value) return (reporter(io)(result.diagnostics), 1);
  const { genotypeJson, literal } = result.value;
  io.stdout(values.json ? JSON.stringify(genotypeJson, null, 2) + '\n' : literal);
  return 0;
}
