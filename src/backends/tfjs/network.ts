import { intrinsic, type WeightSpec } from '../../intrinsics/registry.js';
import { dropPathNodes } from '../../ir/dropPath.js';
import {
  nodeWeights,
  type IrGraph,
  type IrNode,
  type IrTable,
  type OpNode,
} from '../../ir/graph.js';
import { dropPath } from '../../numerics/ops.js';
import { tf, type Tensor, type Variable } from '../../numerics/tf.js';
import { invariant } from '../../util/invariant.js';
import { Random } from '../../util/random.js';
import { kernels, type KernelContext } from './kernels.js';

/**
 * A network on the kernel layer, built from an IR graph: the search supernet (with α) or a
 * derived network. Weights and α are two disjoint lists of variables with stable names
 * (`cell3/edge5/sep_conv_3x3/depthwise_conv2d.1/weight`); batch-norm running statistics are
 * state, in neither list. `forward` is functional: it can run at other weights (the virtual
 * step w' and the w± of the second-order update) without touching the variables.
 */
export interface ForwardOptions {
  readonly training: boolean;
  /** Seed of this step's random masks (dropout): the same seed gives the same masks. */
  readonly seed?: number;
  /** Weights to use instead of the variables, in `weights` order. */
  readonly weights?: readonly Tensor[];
  /** α to use instead of the variables, in `alphas` order. */
  readonly alphas?: readonly Tensor[];
  /** Update the batch-norm running statistics (momentum 0.1, unbiased variance). */
  readonly updateStats?: boolean;
  /** Drop-path rate on the non-identity cell edges of a derived network, in training. */
  readonly dropPath?: number;
  /** How α becomes mixing weights (the search method's); softmax by default. */
  readonly mixing?: Mixing;
  /** DARTS-: this weight times the skip candidate, added to every mixed edge. */
  readonly skipWeight?: number;
}

/**
 * A search method's mixing of one table: weights per row and candidate and, for methods
 * that run one candidate per edge (GDAS), the column each row runs; the others are not
 * computed.
 */
export type Mixing = (
  alpha: Tensor,
  index: number,
  table: IrTable,
) => { readonly weights: Tensor; readonly selected?: readonly number[] };

const softmaxMixing: Mixing = (alpha) => ({ weights: tf.softmax(alpha) });

/** What one forward pass evaluates its nodes with. */
interface Run {
  readonly weights: readonly Tensor[];
  readonly alphas: readonly Tensor[];
  readonly mixing: Map<string, ReturnType<Mixing>>;
  readonly ctx: KernelContext;
  readonly x: Tensor;
  readonly skipWeight: number | undefined;
}

interface NodeWeights {
  /** Indices into `weights` (trainable) or `state`, in the kernel's order. */
  readonly slots: readonly { readonly list: 'weights' | 'state'; readonly index: number }[];
}

let networks = 0;

/** Deterministic ops without weights, whose repeated uses on the same input are computed once. */
const pureOps: ReadonlySet<string> = new Set(['relu', 'max_pool', 'avg_pool', 'identity']);

/**
 * A variable holding `initial`, which it then disposes: a variable shares its initial tensor's
 * data, so an initial tensor left alive would keep that data after the variable is disposed.
 */
function variable(initial: Tensor, name: string, trainable = true): Variable {
  const v = tf.variable(initial, trainable, name);
  initial.dispose();
  return v;
}

export class Network {
  /** Trainable weights, in a stable order. */
  readonly weights: Variable[] = [];
  /** The stable names of `weights` (tfjs needs globally unique variable names, so those carry a prefix). */
  readonly weightNames: string[] = [];
  readonly #prefix = `net${networks++}:`;
  /** Running statistics. */
  readonly state: Variable[] = [];
  /** The stable names of `state`. */
  readonly stateNames: string[] = [];
  /** One α variable per table, in the graph's table order. */
  readonly alphas: Variable[] = [];
  readonly #nodeWeights = new Map<number, NodeWeights>();
  /** Zero candidates of mixed edges: never computed, only their α counts. */
  readonly #skipped = new Set<number>();
  /** Nodes that compute what an earlier node does (the ReLU every conv candidate of an edge starts with): node id → that node's id. */
  readonly #same = new Map<number, number>();
  readonly #dropPath: Set<number>;
  readonly #skipColumns = new Map<string, number | undefined>();
  /** PC-DARTS' node sums: the β table (index among α) and the node's first edge row. */
  readonly #edgeNorm = new Map<number, { table: number; start: number }>();

  constructor(
    readonly graph: IrGraph,
    seed: number,
    alphaInit: { readonly kind: 'normal'; readonly std: number } | { readonly kind: 'zeros' } = {
      kind: 'normal',
      std: 1e-3,
    },
  ) {
    const rng = new Random(seed);
    this.#dropPath = graph.kind === 'derived' ? dropPathNodes(graph) : new Set();
    for (const node of graph.nodes) {
      if (node.op === 'input' || node.op === 'mixed') continue;
      const specs = nodeWeights(graph, node);
      const slots = specs.map((spec) => this.#allocate(node, spec, rng));
      this.#nodeWeights.set(node.id, { slots });
    }
    for (const table of graph.tables) {
      const count = table.rows * table.columns.length;
      const values =
        alphaInit.kind === 'zeros' ? new Float32Array(count) : rng.normal(count, alphaInit.std);
      this.alphas.push(
        variable(
          tf.tensor2d(values, [table.rows, table.columns.length]),
          `${this.#prefix}alpha/${table.name}`,
        ),
      );
    }
    const consumers = new Map<number, IrNode[]>();
    for (const node of graph.nodes)
      for (const i of node.inputs) consumers.set(i, [...(consumers.get(i) ?? []), node]);
    for (const node of graph.nodes) {
      const zero = node.op !== 'input' && node.op !== 'mixed' && intrinsic(node.op).zero === true;
      if (zero && (consumers.get(node.id) ?? []).every((c) => c.op === 'mixed'))
        this.#skipped.add(node.id);
    }
    this.#findRepeats();
    this.#findEdgeNorms();
  }

  /** The node sums of cells whose op table has a table of edge weights (PC-DARTS' β). */
  #findEdgeNorms() {
    const tableOfCell = new Map<number, string>();
    for (const n of this.graph.nodes) if (n.op === 'mixed') tableOfCell.set(n.site.cell, n.table);
    for (const node of this.graph.nodes) {
      if (node.op !== 'add' || node.site.part !== 'node') continue;
      const name = tableOfCell.get(node.site.cell);
      const table = this.graph.tables.findIndex(
        (t) => t.edgesOf !== undefined && t.edgesOf === name,
      );
      if (table < 0) continue;
      const edges = this.graph.tables[table]!.nodeEdges;
      const start = edges.slice(0, node.site.node).reduce((s, e) => s + e.length, 0);
      this.#edgeNorm.set(node.id, { table, start });
    }
  }

  /**
   * Common subexpressions: a use of a pure op without weights (ReLU, pooling) on the same
   * inputs with the same attributes as an earlier node is computed once. DARTS's conv
   * candidates all start with ReLU of the edge's input, so each edge computes one ReLU, not four.
   */
  #findRepeats() {
    const seen = new Map<string, number>();
    for (const node of this.graph.nodes) {
      if (node.op === 'input' || node.op === 'mixed' || !pureOps.has(node.op)) continue;
      if (this.#dropPath.has(node.id) || this.#nodeWeights.get(node.id)!.slots.length) continue;
      const inputs = node.inputs.map((i) => this.#same.get(i) ?? i);
      const key = `${node.op}(${inputs.join()})${JSON.stringify(node.attrs)}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, node.id);
      else this.#same.set(node.id, first);
    }
  }

  /**
   * The nodes of the candidates a one-path mixing did not select (none for the others):
   * each candidate's nodes carry its edge site and name.
   */
  #unselected(mixing: Map<string, ReturnType<Mixing>>): Set<number> {
    const out = new Set<number>();
    if (![...mixing.values()].some((m) => m.selected)) return out;
    const mixedAt = new Map<string, { table: string; row: number }>();
    for (const node of this.graph.nodes)
      if (node.op === 'mixed')
        mixedAt.set(`${node.site.cell}/${node.site.edge}`, { table: node.table, row: node.row });
    for (const node of this.graph.nodes) {
      const site = node.site;
      if (node.op === 'mixed' || site.part !== 'edge' || site.candidate === undefined) continue;
      const at = mixedAt.get(`${site.cell}/${site.edge}`)!;
      const table = this.graph.tables.find((t) => t.name === at.table)!;
      const selected = mixing.get(at.table)!.selected;
      if (selected && table.columns[selected[at.row]!] !== site.candidate) out.add(node.id);
    }
    return out;
  }

  /** The skip candidate's column of a table: the one that is `identity` on a stride-1 edge. */
  skipColumn(table: string): number | undefined {
    return this.#skipColumn(table);
  }

  #skipColumn(table: string): number | undefined {
    if (!this.#skipColumns.has(table)) {
      const column = this.graph.nodes.flatMap((n) =>
        n.op === 'mixed' && n.table === table
          ? n.inputs.flatMap((i, k) => (this.graph.nodes[i]!.op === 'identity' ? [k] : []))
          : [],
      )[0];
      this.#skipColumns.set(table, column);
    }
    return this.#skipColumns.get(table);
  }

  /** Whether every α table has a skip candidate (DARTS- needs one). */
  hasSkipCandidates(): boolean {
    return this.graph.tables.every((t) => t.edgesOf || this.#skipColumn(t.name) !== undefined);
  }

  #allocate(node: OpNode, spec: WeightSpec, rng: Random) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const values =
      spec.init === 'uniform'
        ? rng.uniform(count, 1 / Math.sqrt(spec.fanIn!))
        : spec.init === 'normal'
          ? rng.normal(count)
          : new Float32Array(count).fill(spec.init === 'ones' ? 1 : 0);
    const list = spec.trainable ? this.weights : this.state;
    const name = `${node.name}/${spec.name}`;
    list.push(variable(tf.tensor(values, [...spec.shape]), this.#prefix + name, spec.trainable));
    (spec.trainable ? this.weightNames : this.stateNames).push(name);
    return {
      list: spec.trainable ? ('weights' as const) : ('state' as const),
      index: list.length - 1,
    };
  }

  /** The logits (and the auxiliary logits of a derived network with an auxiliary head). */
  forward(x: Tensor, options: ForwardOptions): { logits: Tensor; aux?: Tensor } {
    const values = this.values(x, options);
    const aux = this.graph.aux !== undefined ? values[this.graph.aux] : undefined;
    return { logits: values[this.graph.output]!, ...(aux ? { aux } : {}) };
  }

  /** Every node's value, by node id (undefined for skipped zero candidates). */
  values(x: Tensor, options: ForwardOptions): (Tensor | undefined)[] {
    const weights = options.weights ?? this.weights;
    const alphas = options.alphas ?? this.alphas;
    invariant(
      weights.length === this.weights.length && alphas.length === this.alphas.length,
      'forward: wrong number of weights or α',
    );
    const rng = new Random(options.seed ?? 0);
    const mix = options.mixing ?? softmaxMixing;
    const opTables = this.graph.tables.flatMap((t, i) => (t.edgesOf ? [] : [[t, i] as const]));
    const mixing = new Map(opTables.map(([t, i]) => [t.name, mix(alphas[i]!, i, t)]));
    const unselected = this.#unselected(mixing);
    const ctx: KernelContext = {
      training: options.training,
      seed: () => rng.fork(),
      ...(options.updateStats
        ? { onBatchStats: (node, mean, variance, n) => this.#updateStats(node, mean, variance, n) }
        : {}),
    };
    const values: (Tensor | undefined)[] = [];
    const rate = options.training ? (options.dropPath ?? 0) : 0;
    for (const node of this.graph.nodes) {
      if (this.#skipped.has(node.id) || unselected.has(node.id)) continue;
      const same = this.#same.get(node.id);
      if (same !== undefined && values[same]) {
        values[node.id] = values[same];
        continue;
      }
      const run = { weights, alphas, mixing, ctx, x, skipWeight: options.skipWeight };
      const value = this.#evaluate(node, values, run);
      values[node.id] =
        rate > 0 && this.#dropPath.has(node.id) ? dropPath(value, rate, rng.fork()) : value;
    }
    return values;
  }

  #evaluate(node: IrNode, values: (Tensor | undefined)[], run: Run): Tensor {
    const { weights, mixing, ctx, x, skipWeight } = run;
    if (node.op === 'input') return x;
    const norm = this.#edgeNorm.get(node.id);
    if (norm) {
      // PC-DARTS: a node sums its edges weighted by softmax(β) over them.
      const beta = tf.softmax(
        tf.reshape(
          tf.slice(run.alphas[norm.table]!, [norm.start, 0], [node.inputs.length, 1]),
          [-1],
        ),
      );
      return tf.addN(
        node.inputs.map((input, j) => tf.mul(values[input]!, tf.slice(beta, [j], [1]))),
      );
    }
    if (node.op === 'mixed') {
      // Σ_k w_k · candidate_k over the candidates computed (zero ones add nothing; a one-path
      // method computes one). Slices, not gather: gather's gradient needs UnsortedSegmentSum,
      // which wasm lacks.
      const { weights: table } = mixing.get(node.table)!;
      const row = tf.reshape(tf.slice(table, [node.row, 0], [1, table.shape[1]!]), [-1]);
      const terms = node.inputs.flatMap((input, k) =>
        values[input] ? [tf.mul(values[input], tf.slice(row, [k], [1]))] : [],
      );
      const skip = skipWeight ? this.#skipColumn(node.table) : undefined;
      if (skip !== undefined) terms.push(tf.mul(values[node.inputs[skip]!]!, skipWeight!));
      if (terms.length === 0) return tf.zeros([x.shape[0]!, ...node.type.dims]);
      return terms.length === 1 ? terms[0]! : tf.addN(terms);
    }
    const slots = this.#nodeWeights.get(node.id)!.slots;
    const own = slots.map((s) => (s.list === 'weights' ? weights[s.index]! : this.state[s.index]!));
    return kernels[node.op](
      node.inputs.map((i) => values[i]!),
      own,
      node,
      ctx,
    );
  }

  /** PyTorch's running statistics: momentum 0.1, the unbiased batch variance. */
  #updateStats(node: OpNode, mean: Tensor, variance: Tensor, n: number) {
    const slots = this.#nodeWeights.get(node.id)!.slots.filter((s) => s.list === 'state');
    const [rm, rv] = slots.map((s) => this.state[s.index]!);
    tf.tidy(() => {
      rm!.assign(tf.add(tf.mul(rm!, 0.9), tf.mul(mean, 0.1)));
      rv!.assign(tf.add(tf.mul(rv!, 0.9), tf.mul(variance, 0.1 * (n / Math.max(1, n - 1)))));
    });
  }

  /** Releases every variable. */
  dispose(): void {
    tf.dispose([...this.weights, ...this.state, ...this.alphas]);
  }

  /** Weights and running statistics by their stable names (what emitted layers take). */
  namedTensors(): Map<string, Tensor> {
    const byName = new Map<string, Tensor>();
    this.weightNames.forEach((n, i) => byName.set(n, this.weights[i]!));
    this.stateNames.forEach((n, i) => byName.set(n, this.state[i]!));
    return byName;
  }

  /** Trainable parameters (α and running statistics excluded). */
  parameterCount(): number {
    return this.weights.reduce((s, w) => s + w.size, 0);
  }
}
