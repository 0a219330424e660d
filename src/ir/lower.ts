import type { OpUse } from '../check/applyOp.js';
import type { CellModel, NetworkModel } from '../check/model.js';
import type { TensorShape } from '../intrinsics/tensorType.js';
import { invariant } from '../util/invariant.js';
import type { IrGraph, IrNode, IrTable } from './graph.js';
import { verify } from './verify.js';

/**
 * Lowers a checked network into the IR graph, then verifies it. Every op use becomes a node
 * reading the previous one; a supernet edge becomes one chain per candidate joined by a
 * mixed node; a node sums its edges with `add`; a cell output concatenates its states.
 */
export function lower(net: NetworkModel): IrGraph {
  const nodes: IrNode[] = [{ id: 0, op: 'input', inputs: [], type: net.input, name: 'input' }];
  const affine = net.mode === 'derived';
  const chain = (from: number, uses: readonly OpUse[], prefix: string): number => {
    let current = from;
    uses.forEach((use, i) => {
      const name = `${prefix}/${[...use.path, use.op].join('/')}.${i}`;
      nodes.push({
        id: nodes.length,
        op: use.op,
        inputs: [current],
        attrs: use.attrs,
        type: use.output,
        params: use.params,
        affine,
        name,
      });
      current = nodes.length - 1;
    });
    return current;
  };
  const join = (
    op: 'add' | 'concat',
    inputs: number[],
    type: TensorShape,
    name: string,
  ): number => {
    if (inputs.length === 1) return inputs[0]!;
    nodes.push({ id: nodes.length, op, inputs, attrs: {}, type, params: 0, affine, name });
    return nodes.length - 1;
  };

  const stem = chain(0, net.stem, 'stem');
  const outputs: number[] = [];
  const outputOf = (from: number) => (from < 0 ? stem : outputs[from]!);
  for (const cell of net.cells) outputs.push(lowerCell(cell, outputOf, chain, join, nodes));
  const output = chain(outputs[outputs.length - 1] ?? stem, net.head, 'head');
  const aux = net.aux ? chain(outputs[net.aux.after]!, net.aux.uses, 'aux') : undefined;
  const graph: IrGraph = {
    kind: net.mode === 'search' ? 'supernet' : 'derived',
    space: net.space,
    nodes,
    tables: net.tables.map((t): IrTable => ({
      name: t.role,
      rows: t.rows,
      columns: t.columns.map((c) => c.name),
      excluded: t.columns.map((c) => c.excluded),
      nodeEdges: t.nodeEdges,
      keep: t.keep,
      concat: t.concat,
    })),
    output,
    ...(aux !== undefined ? { aux } : {}),
  };
  const problems = verify(graph);
  invariant(problems.length === 0, `lowering produced an invalid graph: ${problems.join('; ')}`);
  return graph;
}

function lowerCell(
  cell: CellModel,
  outputOf: (from: number) => number,
  chain: (from: number, uses: readonly OpUse[], prefix: string) => number,
  join: (op: 'add' | 'concat', inputs: number[], type: TensorShape, name: string) => number,
  nodes: IrNode[],
): number {
  const prefix = `cell${cell.index}`;
  const states = cell.inputs.map((input) => chain(outputOf(input.from), input.preprocess, prefix));
  let edgeIndex = 0;
  for (const [n, node] of cell.nodes.entries()) {
    const edgeOutputs = node.edges.map((edge) => {
      const name = `${prefix}/edge${edgeIndex++}`;
      const outs = edge.candidates.map((c) => chain(states[edge.from]!, c.uses, name));
      if (edge.row === undefined) return outs[0]!;
      nodes.push({
        id: nodes.length,
        op: 'mixed',
        inputs: outs,
        table: cell.role,
        row: edge.row,
        type: node.type,
        name: `${name}/mixed`,
      });
      return nodes.length - 1;
    });
    states.push(join('add', edgeOutputs, node.type, `${prefix}/node${n}/add`));
  }
  return join(
    'concat',
    cell.concat.map((s) => states[s]!),
    cell.output,
    `${prefix}/concat`,
  );
}
