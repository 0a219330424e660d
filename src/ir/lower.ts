import type { OpUse } from '../elaborate/applyOp.js';
import type { CellModel, NetworkModel, StateRef } from '../elaborate/model.js';
import type { TensorShape } from '../intrinsics/tensorType.js';
import { invariant } from '../util/invariant.js';
import type { IrGraph, IrNode, IrTable, Site } from './graph.js';
import { verify } from './verify.js';

/** Appends nodes to a graph under construction. */
interface Builder {
  /** One node per op use, each reading the previous; returns the last (or `from`). */
  chain(from: number, uses: readonly OpUse[], prefix: string, site: Site): number;
  /** `add` or `concat` of several nodes; a single input is returned as it is. */
  join(op: 'add' | 'concat', inputs: number[], type: TensorShape, name: string, site: Site): number;
  readonly nodes: IrNode[];
}

/**
 * Lowers a checked network into the IR graph, then verifies it. Every op use becomes a node
 * reading the previous one; a supernet edge becomes one chain per candidate joined by a
 * mixed node; a node sums its edges with `add`; a cell output concatenates its states.
 * Every node records its site (stem, cell part, head, auxiliary head).
 */
export function lower(net: NetworkModel): IrGraph {
  const b = builder(net.input, net.mode === 'derived');
  const stems: number[] = [];
  const outputs: number[] = [];
  const outputOf = (from: StateRef) =>
    from.kind === 'input' ? 0 : from.kind === 'stem' ? stems[from.index]! : outputs[from.index]!;
  for (const s of net.stems)
    stems.push(b.chain(outputOf(s.from), s.uses, s.name, { part: 'stem' }));
  for (const cell of net.cells) outputs.push(lowerCell(cell, outputOf, b));
  const last = outputs[outputs.length - 1] ?? stems[stems.length - 1] ?? 0;
  const output = b.chain(last, net.head, 'head', { part: 'head' });
  const aux = net.aux
    ? b.chain(outputs[net.aux.after]!, net.aux.uses, 'aux', { part: 'aux' })
    : undefined;
  const graph: IrGraph = {
    kind: net.mode === 'search' ? 'supernet' : 'derived',
    space: net.space,
    nodes: b.nodes,
    tables: net.tables.map((t): IrTable => ({
      name: t.role,
      cell: t.cell,
      inputs: t.numInputs,
      rows: t.rows,
      columns: t.columns.map((c) => c.name),
      excluded: t.columns.map((c) => c.excluded),
      nodeEdges: t.nodeEdges,
      keep: t.keep,
      concat: t.concat,
      parameterFree: t.parameterFree,
      ...(t.edgesOf ? { edgesOf: t.edgesOf } : {}),
    })),
    output,
    ...(aux !== undefined ? { aux } : {}),
  };
  const problems = verify(graph);
  invariant(problems.length === 0, `lowering produced an invalid graph: ${problems.join('; ')}`);
  return graph;
}

function builder(input: TensorShape, affine: boolean): Builder {
  const nodes: IrNode[] = [
    { id: 0, op: 'input', inputs: [], type: input, name: 'input', site: { part: 'input' } },
  ];
  return {
    nodes,
    chain(from, uses, prefix, site) {
      let current = from;
      uses.forEach((use, i) => {
        const name = `${prefix}/${[...use.path, use.op].join('/')}.${i}`;
        const { op, attrs, output: type, params } = use;
        nodes.push({
          id: nodes.length,
          op,
          inputs: [current],
          attrs,
          type,
          params,
          affine,
          name,
          site,
        });
        current = nodes.length - 1;
      });
      return current;
    },
    join(op, inputs, type, name, site) {
      if (inputs.length === 1) return inputs[0]!;
      nodes.push({ id: nodes.length, op, inputs, attrs: {}, type, params: 0, affine, name, site });
      return nodes.length - 1;
    },
  };
}

function lowerCell(cell: CellModel, outputOf: (from: StateRef) => number, b: Builder): number {
  const prefix = `cell${cell.index}`;
  const at = cell.index;
  const states = cell.inputs.map((input, i) =>
    b.chain(outputOf(input.from), input.preprocess, prefix, {
      part: 'preprocess',
      cell: at,
      input: i,
    }),
  );
  let edge = 0;
  for (const [n, node] of cell.nodes.entries()) {
    const edgeOutputs = node.edges.map((e) => {
      const name = `${prefix}/edge${edge}`;
      const site = { part: 'edge', cell: at, edge } as const;
      edge++;
      const input = states[e.from]!;
      const seen = e.partial ? b.chain(input, e.partial.head, `${name}/head`, site) : input;
      const outs = e.candidates.map((c) =>
        b.chain(seen, c.uses, name, { ...site, candidate: c.name }),
      );
      if (e.row === undefined) return outs[0]!;
      const id = b.nodes.length;
      b.nodes.push({
        id,
        op: 'mixed',
        inputs: outs,
        table: cell.role,
        row: e.row,
        type: e.candidates[0]!.output,
        name: `${name}/mixed`,
        site,
      });
      if (!e.partial) return id;
      // PC-DARTS: the bypassed channels join the mixed op's, shuffled in k groups.
      const rest = b.chain(input, e.partial.bypass, `${name}/bypass`, site);
      const joined = b.join('concat', [id, rest], e.partial.output, `${name}/concat`, site);
      return b.chain(joined, e.partial.shuffle, `${name}/shuffle`, site);
    });
    states.push(
      b.join('add', edgeOutputs, node.type, `${prefix}/node${n}/add`, {
        part: 'node',
        cell: at,
        node: n,
      }),
    );
  }
  const concat = cell.concat.map((s) => states[s]!);
  return b.join('concat', concat, cell.output, `${prefix}/concat`, { part: 'concat', cell: at });
}
