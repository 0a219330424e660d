import type { Attrs, IntrinsicName } from '../intrinsics/registry.js';
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
  readonly name: string;
  readonly rows: number;
  readonly columns: readonly string[];
  /** Columns never chosen in a genotype (`@excluded_from_genotype`). */
  readonly excluded: readonly boolean[];
  /** For derivation: the edges of each node as input state indices, in row order. */
  readonly nodeEdges: readonly (readonly number[])[];
  readonly keep: number;
  readonly concat: readonly number[];
}

export type IrNode = InputNode | OpNode | MixedNode;

/** The network input. */
export interface InputNode {
  readonly id: number;
  readonly op: 'input';
  readonly inputs: readonly [];
  readonly type: TensorShape;
  readonly name: 'input';
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
}

/** A mixed edge: Σ_k softmax(table[row])_k · inputs[k], one input per table column. */
export interface MixedNode {
  readonly id: number;
  readonly op: 'mixed';
  readonly inputs: readonly number[];
  readonly table: string;
  readonly row: number;
  readonly type: TensorShape;
  readonly name: string;
}

/** Total trainable parameters of a graph, α excluded, auxiliary head included unless `skipAux`. */
export function graphParams(graph: IrGraph, skipAux = true): number {
  return graph.nodes.reduce(
    (sum, n) => sum + ('params' in n && !(skipAux && n.name.startsWith('aux/')) ? n.params : 0),
    0,
  );
}
