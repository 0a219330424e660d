import { parseArgs } from 'node:util';

import {
  cellParams,
  countParams,
  networkParams,
  type NetworkModel,
} from '../../elaborate/model.js';
import { formatShape } from '../../intrinsics/tensorType.js';
import { lower } from '../../ir/lower.js';
import { printIr } from '../../ir/print.js';
import { UsageError, type CliIo } from '../io.js';
import { buildRequested, networkOptions } from './networkRequest.js';

export const inspectUsage = `usage: dartsc inspect SPEC [--space NAME] [--search NAME] [--genotype NAME|FILE]
                      [--retrain] [--set NAME=VALUE ...] [--json | --ir]

Prints every cell's input and output types and parameter counts, the α tables and the
totals of a search space (the supernet), or with --genotype --retrain of the network
derived from a genotype (affine batch norm; the auxiliary head counted apart).
--set overrides space parameters, e.g. --set C=36 --set layers=20. --json prints a
machine-readable summary (params excludes α and the auxiliary head); --ir prints the IR.`;

/** `dartsc inspect SPEC ...` */
export function inspectCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...networkOptions,
      retrain: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ir: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('inspect needs exactly one SPEC file');
  if (values.retrain && !values.genotype)
    throw new UsageError('--retrain needs --genotype NAME|FILE');
  if (values.genotype && !values.retrain)
    throw new UsageError('--genotype builds the derived network: add --retrain');
  const built = buildRequested(
    {
      spec: positionals[0]!,
      ...values,
      aux: true,
      color: io.color && !values['no-color'],
    },
    io,
  );
  if (!built) return 1;
  if (values.ir) io.stdout(printIr(lower(built.model)));
  else if (values.json) io.stdout(JSON.stringify(inspectJson(built.model), null, 2) + '\n');
  else io.stdout(inspectTable(built.model));
  return 0;
}

/** The machine-readable summary: params exclude α and the auxiliary head. */
export function inspectJson(net: NetworkModel) {
  return {
    space: net.space,
    network: net.mode === 'search' ? 'supernet' : 'derived',
    args: net.args,
    input: formatShape(net.input),
    output: formatShape(net.output),
    params: networkParams(net),
    aux_params: net.aux ? countParams(net.aux.uses) : 0,
    alphas: net.tables.reduce((s, t) => s + t.rows * t.columns.length, 0),
    stem: {
      output: formatShape(net.cells[0]?.inputs[0]?.type ?? net.input),
      params: countParams(net.stem),
    },
    cells: net.cells.map((c) => ({
      index: c.index,
      cell: c.name,
      role: c.role,
      reducing: c.reducing,
      C: c.C,
      inputs: c.inputs.map((i) => formatShape(i.type)),
      output: formatShape(c.output),
      edges: c.nodes.reduce((s, n) => s + n.edges.length, 0),
      params: cellParams(c),
    })),
    head: { output: formatShape(net.output), params: countParams(net.head) },
    tables: net.tables.map((t) => ({
      role: t.role,
      cell: t.cell,
      rows: t.rows,
      columns: t.columns.map((c) => c.name),
    })),
  };
}

const group = (n: number) => n.toLocaleString('en-US');

/** The human-readable table. */
export function inspectTable(net: NetworkModel): string {
  const j = inspectJson(net);
  const args = Object.entries(net.args)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  const rows: string[][] = [['', 'part', 'role', 'C', 'input', 'output', 'params']];
  rows.push(['', 'stem', '', '', j.input, j.stem.output, group(j.stem.params)]);
  for (const c of j.cells) {
    const input =
      c.inputs.length === 2 && c.inputs[0] === c.inputs[1]
        ? `${c.inputs[0]} x2`
        : c.inputs.join(', ');
    rows.push([String(c.index), c.cell, c.role, String(c.C), input, c.output, group(c.params)]);
  }
  const lastOutput = j.cells[j.cells.length - 1]?.output ?? j.stem.output;
  rows.push(['', 'head', '', '', lastOutput, j.output, group(j.head.params)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) =>
        i === r.length - 1 || i === 0 || i === 3
          ? cell.padStart(widths[i]!)
          : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const out = [
    `space ${net.space} (${net.mode === 'search' ? 'search supernet' : 'derived network'}), ${args}`,
    `${j.input} -> ${j.output}`,
    '',
    ...rows.map(line),
    '',
    `parameters: ${group(j.params)} (α excluded${net.mode === 'derived' ? ', auxiliary head excluded' : ''})`,
  ];
  if (net.aux)
    out.push(`auxiliary head: ${group(j.aux_params)} parameters, after cell ${net.aux.after}`);
  if (net.tables.length) {
    const tables = net.tables.map((t) => `${t.role} ${t.rows} x ${t.columns.length}`).join(', ');
    out.push(
      `α: ${tables} (${j.alphas} entries); columns: ${net.tables[0]!.columns.map((c) => c.name).join(', ')}`,
    );
  }
  return out.join('\n') + '\n';
}
