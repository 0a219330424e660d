import {
  intrinsic,
  type Attrs,
  type IntrinsicName,
  type WeightSpec,
} from '../intrinsics/registry.js';
import type { TensorShape } from '../intrinsics/tensorType.js';

/**
 * The IR: an immutable SSA list of nodes in topological order (a node's id is its index; its
 * inputs are ids of earlier nodes, in port order). α tables and mixed edges are explicit, and
 * sharing is declared: every mixed node names its table and row. The same IR describes the
 * search supernet and a derived network (which has no mixed nodes and no tables).
 */
export interface IrGraph {
  readonly kind: 'supernet' | 'derived';
  readonly space: string;
  readonly nodes: readonly IrNode[];
  readonly tables: readonly IrTable[];
  /** The logits. */
  readonly output: number;
  /** The auxiliary head's logits (derived networks with an auxiliary head). */
  readonly aux?: number;
}

/** An α table: one row per mixed edge of the cells of its role, one column per candidate. */
export interface IrTable {
  /** The role (`normal`, `reduce`): the genotype key. */
  readonly name: string;
  /** The cell declaration of this role. */
  readonly cell: string;
  /** The cell's input states (2 for DARTS cells, 1 for a chain of layers); nodes follow them. */
  readonly inputs: number;
  readonly rows: number;
  readonly columns: readonly string[];
  /** Columns never chosen in a genotype (`@excluded_from_genotype`). */
  readonly excluded: readonly boolean[];
  /** For derivation: the edges of each node as input state indices, in row order. */
  readonly nodeEdges: readonly (readonly number[])[];
  readonly keep: number;
  readonly concat: readonly number[];
  /** Per column: no trainable weights on a stride-1 edge (skip, pools). */
  readonly parameterFree: readonly boolean[];
  /**
   * A table of edge weights (PC-DARTS' β, one column, `ROLE.edges`): each node of that role's
   * cells sums its edges weighted by softmax(β) over them, and derivation multiplies it in.
   */
  readonly edgesOf?: string;
}

export type IrNode = InputNode | OpNode | MixedNode;

/**
 * Where a node belongs in the network, as data: later phases read this, never the node's name.
 * Cell parts carry the cell's index in the stack; an edge's index counts the cell's edges in
 * order (node by node), and `candidate` names the primitive whose ops a node belongs to (absent
 * on the mixed node that joins a supernet edge's candidates).
 */
export type Site =
  | { readonly part: 'input' | 'stem' | 'head' | 'aux' }
  | { readonly part: 'preprocess'; readonly cell: number; readonly input: number }
  | {
      readonly part: 'edge';
      readonly cell: number;
      readonly edge: number;
      readonly candidate?: string;
    }
  | { readonly part: 'node'; readonly cell: number; readonly node: number }
  | { readonly part: 'concat'; readonly cell: number };

/** The network input. */
interface InputNode {
  readonly id: number;
  readonly op: 'input';
  readonly inputs: readonly [];
  readonly type: TensorShape;
  readonly name: 'input';
  readonly site: { readonly part: 'input' };
}

/** One intrinsic op. `add` and `concat` take any number of inputs; the others one. */
export interface OpNode {
  readonly id: number;
  readonly op: IntrinsicName;
  readonly inputs: readonly number[];
  readonly attrs: Attrs;
  readonly type: TensorShape;
  /** Trainable parameters of this node. */
  readonly params: number;
  /** Whether its batch norm (if any) is affine: fixed at lowering from the network kind. */
  readonly affine: boolean;
  /** Stable, unique path: `cell3/edge5/sep_conv_3x3/depthwise_conv2d.0`. */
  readonly name: string;
  readonly site: Site;
}

/** A mixed edge: Σ_k softmax(table[row])_k · inputs[k], one input per table column. */
interface MixedNode {
  readonly id: number;
  readonly op: 'mixed';
  readonly inputs: readonly number[];
  readonly table: string;
  readonly row: number;
  readonly type: TensorShape;
  readonly name: string;
  readonly site: Site & { readonly part: 'edge' };
}

/** Total trainable parameters of a graph, α excluded, auxiliary head included unless `skipAux`. */
export function graphParams(graph: IrGraph, skipAux = true): number {
  return graph.nodes.reduce(
    (sum, n) => sum + ('params' in n && !(skipAux && n.site.part === 'aux') ? n.params : 0),
    0,
  );
}

/** The weights of an op node, from the registry: what every backend allocates or maps. */
export function nodeWeights(graph: IrGraph, node: OpNode): WeightSpec[] {
  const input = graph.nodes[node.inputs[0]!]!.type;
  return intrinsic(node.op).weights(input, node.attrs, { affineDefault: node.affine });
}

/** `@stem`, `@cell2.pre0`, `@cell2.edge5:sep_conv_3x3`, `@cell2.node1`, ...: a site in dumps. */
export function siteLabel(site: Site): string {
  switch (site.part) {
    case 'preprocess':
      return `@cell${site.cell}.pre${site.input}`;
    case 'edge':
      return `@cell${site.cell}.edge${site.edge}${site.candidate ? `:${site.candidate}` : ''}`;
    case 'node':
      return `@cell${site.cell}.node${site.node}`;
    case 'concat':
      return `@cell${site.cell}.concat`;
    default:
      return `@${site.part}`;
  }
}
