import { parseArgs } from 'node:util';

import { inspect, type Inspection } from '../../index.js';
import { UsageError, type CliIo } from '../io.js';
import { compileSpec, reporter } from '../spec.js';
import { networkOptions, networkRequest } from './network.js';
import type { CommandOptions } from '../flagProblem.js';

export const inspectUsage = `usage: dartsc inspect SPEC [--space NAME] [--search NAME] [--genotype NAME|RUN_DIR|FILE]
                      [--retrain] [--set NAME=VALUE ...] [--json | --ir]

Prints every cell's input and output types and parameter counts, the α tables and the
totals of a search space (the supernet), or with --genotype --retrain of the network
derived from a genotype (affine batch norm; the auxiliary head counted apart): a name in
SPEC, a run directory, or a genotype.json or genotype.darts that a run wrote.
--set overrides space parameters, e.g. --set C=36 --set layers=20. --json prints a
machine-readable summary (params excludes α and the auxiliary head); --ir prints the IR.`;

/** The options of `dartsc inspect` (main.ts names them when one is mistyped). */
export const inspectOptions = {
  ...networkOptions,
  retrain: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  ir: { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc inspect SPEC ...` */
export function inspectCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: inspectOptions,
  });
  if (positionals.length !== 1) throw new UsageError('inspect needs exactly one SPEC file');
  if (values.retrain && !values.genotype)
    throw new UsageError('--retrain needs --genotype NAME|RUN_DIR|FILE');
  if (values.genotype && !values.retrain)
    throw new UsageError('--genotype builds the derived network: add --retrain');
  const request = networkRequest(values);
  const program = compileSpec(io, positionals[0]!, values['no-color']);
  if (!program) return 1;
  const result = inspect(program, { ...request, auxiliary: true });
  if (!result.value) return (reporter(io, values['no-color'])(result.diagnostics), 1);
  if (values.ir) io.stdout(result.value.ir);
  else if (values.json) io.stdout(JSON.stringify(result.value.summary, null, 2) + '\n');
  else io.stdout(inspectTable(result.value));
  return 0;
}

const group = (n: number) => n.toLocaleString('en-US');

/** The human-readable table. */
function inspectTable({ summary: j, auxAfter }: Inspection): string {
  const derived = j.network === 'derived';
  const args = Object.entries(j.args)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  const rows: string[][] = [['', 'part', 'role', 'C', 'input', 'output', 'params']];
  for (const s of j.stems) rows.push(['', s.name, '', '', s.input, s.output, group(s.params)]);
  for (const c of j.cells) {
    const input =
      c.inputs.length === 2 && c.inputs[0] === c.inputs[1]
        ? `${c.inputs[0]} x2`
        : c.inputs.join(', ');
    rows.push([String(c.index), c.cell, c.role, String(c.C), input, c.output, group(c.params)]);
  }
  const lastOutput =
    j.cells[j.cells.length - 1]?.output ?? j.stems[j.stems.length - 1]?.output ?? j.input;
  rows.push(['', 'head', '', '', lastOutput, j.output, group(j.head.params)]);
  const out = [
    `space ${j.space} (${derived ? 'derived network' : 'search supernet'}), ${args}`,
    `${j.input} -> ${j.output}`,
    '',
    ...alignRows(rows),
    '',
    `parameters: ${group(j.params)} (α excluded${derived ? ', auxiliary head excluded' : ''})`,
  ];
  if (auxAfter !== undefined)
    out.push(`auxiliary head: ${group(j.aux_params)} parameters, after cell ${auxAfter}`);
  if (j.tables.length) {
    const tables = j.tables.map((t) => `${t.role} ${t.rows} x ${t.columns.length}`).join(', ');
    out.push(`α: ${tables} (${j.alphas} entries); columns: ${j.tables[0]!.columns.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

/** Columns padded to their widest cell; numbers (first, C, params) right-aligned. */
function alignRows(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) =>
        i === r.length - 1 || i === 0 || i === 3
          ? cell.padStart(widths[i]!)
          : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd(),
  );
}
