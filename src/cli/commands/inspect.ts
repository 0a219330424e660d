import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { check } from '../../check/check.js';
import { cellParams, countParams, networkParams, type NetworkModel } from '../../check/model.js';
import { buildNetwork, genotypeFromJson, type NetworkOptions } from '../../check/networks.js';
import { hasErrors } from '../../diagnostics/Diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/render.js';
import { formatShape } from '../../intrinsics/tensorType.js';
import { lower } from '../../ir/lower.js';
import { printIr } from '../../ir/print.js';
import { SourceFile } from '../../source/SourceFile.js';
import { nodeHost } from '../host.js';
import { readUserFile, UsageError, type CliIo } from '../io.js';

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
      space: { type: 'string' },
      search: { type: 'string' },
      genotype: { type: 'string' },
      retrain: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      ir: { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('inspect needs exactly one SPEC file');
  if (values.retrain && !values.genotype)
    throw new UsageError('--retrain needs --genotype NAME|FILE');
  if (values.genotype && !values.retrain)
    throw new UsageError('--genotype builds the derived network: add --retrain');
  const path = resolve(io.cwd, positionals[0]!);
  const text = readUserFile(path, positionals[0]!);
  const host = nodeHost(io.cwd);
  const color = io.color && !values['no-color'];
  const checked = check(path, text, host);
  if (hasErrors(checked.diagnostics)) {
    io.stderr(formatDiagnostics(checked.diagnostics, { format: 'pretty', color }));
    return 1;
  }
  const options: NetworkOptions = {
    ...(values.space ? { space: values.space } : {}),
    ...(values.search ? { search: values.search } : {}),
    ...genotypeOption(values.genotype, io.cwd),
    aux: true,
    overrides: parseOverrides(values.set ?? []),
  };
  const built = buildNetwork(
    { entry: checked.value.program.entry, scopes: checked.value.scopes },
    options,
  );
  if (!built.value) {
    io.stderr(formatDiagnostics(built.diagnostics, { format: 'pretty', color }));
    return 1;
  }
  if (values.ir) io.stdout(printIr(lower(built.value)));
  else if (values.json) io.stdout(JSON.stringify(inspectJson(built.value), null, 2) + '\n');
  else io.stdout(inspectTable(built.value));
  return 0;
}

function genotypeOption(genotype: string | undefined, cwd: string): Partial<NetworkOptions> {
  if (!genotype) return {};
  if (!genotype.endsWith('.json')) return { genotype };
  const text = readUserFile(resolve(cwd, genotype), genotype);
  const parsed = genotypeFromJson(new SourceFile(genotype, text));
  if (!parsed.value) throw new UsageError(parsed.diagnostics.map((d) => d.message).join('; '));
  return { genotypeChoices: parsed.value };
}

function parseOverrides(items: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(-?\d+)$/.exec(item);
    if (!match) throw new UsageError(`--set takes NAME=INTEGER, found \`${item}\``);
    out.set(match[1]!, Number(match[2]));
  }
  return out;
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
