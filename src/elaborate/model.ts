import type { TensorShape } from '../intrinsics/tensorType.js';
import type { OpUse } from './applyOp.js';
import type { PartialEdge } from './partialEdge.js';

/**
 * A network after checking: every cell, edge and candidate with its concrete types and op
 * uses. The search supernet keeps every candidate on every edge; a derived network keeps the
 * genotype's choice. `ir/lower.ts` turns this into the IR graph.
 */
export interface NetworkModel {
  readonly space: string;
  readonly mode: 'search' | 'derived';
  /** The space's parameters as bound (after defaults and overrides). */
  readonly args: Readonly<Record<string, number | boolean | string>>;
  readonly input: TensorShape;
  readonly output: TensorShape;
  /** The stems in order: `stem`, or several (`stem0`, `stem1`), each reading `from`. */
  readonly stems: readonly StemModel[];
  readonly cells: readonly CellModel[];
  /** The head, reading the last cell's output. */
  readonly head: readonly OpUse[];
  /** The auxiliary head (derived networks with `aux` enabled), after cell `after`. */
  readonly aux?: { readonly after: number; readonly uses: readonly OpUse[] };
  /** α tables by role (search only), in order of first use. */
  readonly tables: readonly AlphaTable[];
}

/** A state a part of the network reads: the input, a stem's output or a cell's output. */
export type StateRef =
  { readonly kind: 'input' } | { readonly kind: 'stem' | 'cell'; readonly index: number };

/** One stem: a pipeline from the input or an earlier stem. */
export interface StemModel {
  /** Its key: `stem`, `stem0`, ... (also the prefix of its IR nodes). */
  readonly name: string;
  readonly from: StateRef;
  readonly uses: readonly OpUse[];
  readonly input: TensorShape;
  readonly output: TensorShape;
}

/** One α table, shared by every cell of its role. */
export interface AlphaTable {
  /** `normal` or `reduce`: the role in the stack, and the genotype key. */
  readonly role: string;
  /** The cell declaration of this role. */
  readonly cell: string;
  readonly rows: number;
  readonly columns: readonly { readonly name: string; readonly excluded: boolean }[];
  /** keep per node, and the number of edges of each node (for derivation). */
  readonly keep: number;
  readonly nodeEdges: readonly (readonly number[])[];
  readonly numInputs: number;
  readonly concat: readonly number[];
  /** Per column: no trainable weights on a stride-1 edge (skip, pools): the collapse warning's ops. */
  readonly parameterFree: readonly boolean[];
  /** A table of edge weights (PC-DARTS' β, one column): the role whose node sums it weights. */
  readonly edgesOf?: string;
}

export interface CellModel {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly reducing: boolean;
  readonly C: number;
  /** Edges each node keeps when a genotype is derived. */
  readonly keep: number;
  /** Inputs: the state each comes from, its type and preprocessor. */
  readonly inputs: readonly CellInput[];
  readonly nodes: readonly NodeModel[];
  /** State indices concatenated into the output (inputs first, then nodes). */
  readonly concat: readonly number[];
  readonly output: TensorShape;
}

interface CellInput {
  readonly from: StateRef;
  readonly type: TensorShape;
  readonly preprocess: readonly OpUse[];
  readonly state: TensorShape;
}

export interface NodeModel {
  readonly name: string;
  readonly edges: readonly EdgeModel[];
  readonly type: TensorShape;
}

export interface EdgeModel {
  /** The state this edge reads. */
  readonly from: number;
  /** PC-DARTS (search only): the candidates see a part of the channels; the rest bypass them. */
  readonly partial?: PartialEdge;
  readonly stride: number;
  /** The α row (search only). */
  readonly row?: number;
  readonly candidates: readonly CandidateModel[];
}

export interface CandidateModel {
  readonly name: string;
  readonly uses: readonly OpUse[];
  readonly output: TensorShape;
  /** Never chosen in a genotype (`@excluded_from_genotype`). */
  readonly excluded: boolean;
}

/** Total trainable parameters of a list of op uses. */
export function countParams(uses: readonly OpUse[]): number {
  return uses.reduce((sum, u) => sum + u.params, 0);
}

/** Trainable parameters of a cell: preprocessors and every candidate on every edge (PC-DARTS' slices, pools and shuffles have none). */
export function cellParams(cell: CellModel): number {
  const pre = cell.inputs.reduce((s, i) => s + countParams(i.preprocess), 0);
  const edges = cell.nodes.flatMap((n) => n.edges).flatMap((e) => e.candidates);
  return pre + edges.reduce((s, c) => s + countParams(c.uses), 0);
}

/** Trainable parameters of the network, auxiliary head excluded (as the reference reports). */
export function networkParams(net: NetworkModel): number {
  const stems = net.stems.reduce((s, stem) => s + countParams(stem.uses), 0);
  return stems + net.cells.reduce((s, c) => s + cellParams(c), 0) + countParams(net.head);
}
