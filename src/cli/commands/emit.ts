import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { emit } from '../../index.js';
import { UsageError, type CliIo } from '../io.js';
import { compileSpec, reporter } from '../spec.js';
import { networkOptions, networkRequest } from './network.js';
import type { CommandOptions } from '../flagProblem.js';

export const emitUsage = `usage: dartsc emit SPEC --genotype NAME|RUN_DIR|FILE [--retrain] [--set NAME=VALUE ...]
                   [--space NAME] [--search NAME] [-o FILE [--force]]

Writes the network derived from a genotype as a standalone TypeScript module that imports
only @tensorflow/tfjs: createModel(options) builds a tf.LayersModel to compile, fit, save and
convert as usual. --genotype takes a genotype's name in SPEC, a run directory of \`dartsc
run\` or \`dartsc train\`, or a genotype.json or genotype.darts that a run wrote.
--retrain adds the space's auxiliary head (createModel({ auxiliary: true }) makes it a
second output). --set overrides space parameters (e.g. --set C=36 --set layers=20).
Without -o the module goes to standard output; an existing FILE is kept unless --force.`;

/** The options of `dartsc emit` (main.ts names them when one is mistyped). */
export const emitOptions = {
  ...networkOptions,
  retrain: { type: 'boolean', default: false },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc emit SPEC --genotype G [-o FILE]` */
export async function emitCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: emitOptions });
  if (positionals.length !== 1) throw new UsageError('emit needs exactly one SPEC file');
  if (!values.genotype) throw new UsageError('emit needs --genotype NAME|RUN_DIR|FILE');
  const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
  if (out && existsSync(out) && !values.force)
    throw new UsageError(`${values.out} exists; pass --force to replace it`);
  const request = { ...networkRequest(values), genotype: values.genotype };
  const program = compileSpec(io, positionals[0]!, values['no-color']);
  if (!program) return 1;
  const result = await emit(program, { ...request, auxiliary: values.retrain });
  if (!result.value) return (reporter(io, values['no-color'])(result.diagnostics), 1);
  for (const warning of result.value.warnings) io.stderr(warning + '\n');
  if (!out) return (io.stdout(result.value.text), 0);
  writeFileSync(out, result.value.text);
  io.stderr(`wrote ${values.out} (space ${result.value.space})\n`);
  return 0;
}
