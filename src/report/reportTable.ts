import { readAlphas } from '../ir/alphasFile.js';
import { stateName } from '../ir/cellStates.js';
import type { CollapseTable } from './collapse.js';
import type { CellShape } from './drawnCell.js';

/** What the report knows of an α table: enough to name its rows and columns and draw its cell. */
export interface ReportTable extends CollapseTable {
  readonly cell?: string;
  readonly inputs: number;
  readonly keep: number;
  /** Per node, the input state of each edge, in α row order. */
  readonly nodeEdges: readonly (readonly number[])[];
}

/** What drawing a table's cell needs. */
export function cellShape(t: ReportTable): CellShape {
  return { role: t.role, ...(t.cell ? { cell: t.cell } : {}), inputs: t.inputs, keep: t.keep };
}

/** The tables a named `alphas.json` describes; undefined for an older file without names. */
export function tablesFromAlphas(alphas: unknown): ReportTable[] | undefined {
  const read = readAlphas(alphas);
  if (!('tables' in read)) return undefined;
  const tables: ReportTable[] = [];
  for (const [role, t] of Object.entries(read.tables)) {
    const { columns, rows, inputs, keep } = t;
    const nodeEdges = rows && inputs ? nodeEdgesOf(rows, inputs) : undefined;
    if (!columns || !nodeEdges || !keep) return undefined;
    tables.push({
      role,
      ...(t.cell !== undefined ? { cell: t.cell } : {}),
      inputs: inputs!,
      keep,
      columns,
      nodeEdges,
      // The file does not say which columns the derivation passes over: the library's `none`.
      excluded: columns.map((c) => c === 'none'),
      parameterFree: t.parameterFree ?? columns.map(looksParameterFree),
    });
  }
  return tables;
}

/**
 * The layout of a table of an older run whose spec is gone, from what its files still tell:
 * α rows per table and genotype pairs per role. The cells the language's standard
 * library builds are either DARTS DAGs (every node reads every earlier state) or chains (a
 * one-input cell, one edge per node); a layout is taken only if exactly one of those fits.
 */
export function inferTable(
  role: string,
  rows: readonly (readonly number[])[],
  pairs: readonly (readonly [string, number])[],
): ReportTable | undefined {
  const fits: ReportTable[] = [];
  for (const keep of [1, 2, 3])
    for (const inputs of [1, 2, 3]) {
      const nodes = pairs.length / keep;
      if (!Number.isInteger(nodes) || nodes < 1) continue;
      const dag = Array.from({ length: nodes }, (_, j) =>
        Array.from({ length: inputs + j }, (_, s) => s),
      );
      const chain = Array.from({ length: nodes }, (_, j) => [j]);
      for (const nodeEdges of inputs === 1 && keep === 1 ? [dag, chain] : [dag])
        if (nodeEdges.flat().length === rows.length && readable(nodeEdges, pairs, keep))
          fits.push(layout(role, inputs, keep, nodeEdges, rows[0]?.length ?? 0));
    }
  return fits.length === 1 ? fits[0] : undefined;
}

function layout(
  role: string,
  inputs: number,
  keep: number,
  nodeEdges: number[][],
  width: number,
): ReportTable {
  // Without the spec the columns' op names are unknown (older α files carry none).
  const columns = Array.from({ length: width }, (_, c) => `op ${c + 1}`);
  return {
    role,
    inputs,
    keep,
    nodeEdges,
    columns,
    excluded: columns.map(() => false),
    parameterFree: columns.map(() => false),
  };
}

/** Whether every pair of node j reads one of node j's edges. */
function readable(
  nodeEdges: readonly (readonly number[])[],
  pairs: readonly (readonly [string, number])[],
  keep: number,
): boolean {
  return pairs.every(([, from], i) => nodeEdges[Math.floor(i / keep)]?.includes(from));
}

/** `c_{k-2} -> 0` row names back to each node's input states; undefined if they do not parse. */
function nodeEdgesOf(rows: readonly string[], inputs: number): number[][] | undefined {
  if (!Number.isInteger(inputs) || inputs < 1) return undefined;
  const byName = new Map<string, number>();
  const nodeEdges: number[][] = [];
  for (const row of rows) {
    const m = /^(.+) -> (\d+)$/.exec(row);
    if (!m) return undefined;
    const node = Number(m[2]);
    for (let s = 0; s < inputs + node; s++) byName.set(stateName(s, inputs), s);
    const from = byName.get(m[1]!);
    if (from === undefined) return undefined;
    (nodeEdges[node] ??= []).push(from);
  }
  return nodeEdges.every(Array.isArray) ? nodeEdges : undefined;
}

/** For files without the flags: the standard library's parameter-free candidates by name. */
function looksParameterFree(op: string): boolean {
  return /^(none|skip_connect|identity|(max|avg)_pool(_\w+)?)$/.test(op);
}
