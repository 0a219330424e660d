import { intrinsic, isIntrinsic, paramCount } from '../intrinsics/registry.js';
import { channels, formatShape, sameShape, spatialDims } from '../intrinsics/tensorType.js';
import type { IrGraph, IrNode, OpNode } from './graph.js';

/**
 * Checks the IR's invariants and returns every violation (empty when the graph is valid).
 * Runs after every IR producer: a violation is a compiler bug, never a user error. Types and
 * parameter counts are recomputed from the intrinsic registry, so a producer cannot drift
 * from the shape rules the checker used.
 */
export function verify(graph: IrGraph): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const used = new Map<string, Set<number>>();
  graph.nodes.forEach((node, index) => {
    const at = `%${index} (${node.name})`;
    if (node.id !== index) problems.push(`${at}: id ${node.id} is not its position`);
    if (names.has(node.name)) problems.push(`${at}: duplicate name`);
    names.add(node.name);
    if (node.inputs.some((i) => !Number.isInteger(i) || i < 0 || i >= index)) {
      problems.push(`${at}: an input is not an earlier node`);
      return;
    }
    if (node.op === 'input') {
      if (index !== 0) problems.push(`${at}: the input must be node 0`);
      return;
    }
    if (index === 0) problems.push(`${at}: node 0 must be the input`);
    const inputs = node.inputs.map((i) => graph.nodes[i]!);
    if (node.op === 'mixed') return verifyMixed(graph, node, inputs, at, problems, used);
    verifyOp(node, inputs, at, problems);
  });
  for (const table of graph.tables) {
    const rows = used.get(table.edgesOf ?? table.name) ?? new Set();
    if (rows.size !== table.rows)
      problems.push(`table ${table.name}: ${rows.size} of ${table.rows} rows used`);
    if (table.excluded.length !== table.columns.length)
      problems.push(`table ${table.name}: excluded flags do not match the columns`);
  }
  for (const [what, id] of [
    ['output', graph.output],
    ['aux', graph.aux],
  ] as const) {
    if (id === undefined) continue;
    const node = graph.nodes[id];
    if (!node) problems.push(`${what} %${id} does not exist`);
    else if (node.type.layout !== 'Vec')
      problems.push(`${what} %${id} is ${formatShape(node.type)}, not a Vec`);
  }
  if (graph.kind === 'derived' && graph.nodes.some((n) => n.op === 'mixed'))
    problems.push('a derived network has mixed nodes');
  return problems;
}

function verifyMixed(
  graph: IrGraph,
  node: Extract<IrNode, { op: 'mixed' }>,
  inputs: readonly IrNode[],
  at: string,
  problems: string[],
  used: Map<string, Set<number>>,
) {
  const table = graph.tables.find((t) => t.name === node.table);
  if (!table) return problems.push(`${at}: unknown table ${node.table}`);
  if (!Number.isInteger(node.row) || node.row < 0 || node.row >= table.rows)
    problems.push(`${at}: row ${node.row} outside table ${table.name}`);
  if (inputs.length !== table.columns.length)
    problems.push(`${at}: ${inputs.length} candidates for ${table.columns.length} columns`);
  if (inputs.some((i) => !sameShape(i.type, node.type)))
    problems.push(`${at}: candidates disagree with ${formatShape(node.type)}`);
  used.set(table.name, (used.get(table.name) ?? new Set()).add(node.row));
  return undefined;
}

function verifyOp(node: OpNode, inputs: readonly IrNode[], at: string, problems: string[]) {
  if (!isIntrinsic(node.op)) return problems.push(`${at}: unknown op ${node.op}`);
  if (node.op === 'add' || node.op === 'concat') {
    if (inputs.length < 2) return problems.push(`${at}: ${node.op} needs at least two inputs`);
    const expected =
      node.op === 'add'
        ? inputs[0]!.type
        : {
            layout: inputs[0]!.type.layout,
            dims: [
              ...spatialDims(inputs[0]!.type),
              inputs.reduce((s, i) => s + channels(i.type), 0),
            ],
          };
    const agree = inputs.every((i) =>
      node.op === 'add'
        ? sameShape(i.type, inputs[0]!.type)
        : spatialDims(i.type).join() === spatialDims(inputs[0]!.type).join(),
    );
    if (!agree || !sameShape(expected, node.type))
      problems.push(`${at}: ${node.op} of disagreeing inputs or wrong type`);
    return undefined;
  }
  if (inputs.length !== 1)
    return problems.push(`${at}: ${node.op} takes one input, has ${inputs.length}`);
  const spec = intrinsic(node.op);
  const input = inputs[0]!.type;
  if (!spec.layouts.includes(input.layout))
    return problems.push(`${at}: ${node.op} does not take ${formatShape(input)}`);
  const output = spec.shape(input, node.attrs);
  if ('reason' in output || !sameShape(output, node.type))
    problems.push(`${at}: type ${formatShape(node.type)} is not what ${node.op} gives`);
  else if (paramCount(node.op, input, node.attrs, { affineDefault: node.affine }) !== node.params)
    problems.push(`${at}: parameter count ${node.params} is wrong`);
  return undefined;
}
