import { invariant } from '../util/invariant.js';

/**
 * Genotype derivation (darts-semantics §7), a pure function of α on plain number arrays.
 * Per node: P = row-wise softmax over all candidates (excluded ones take part in the
 * normaliser); an edge's strength is its largest probability among non-excluded candidates;
 * the `keep` strongest edges are kept, strongest first, ties to the lower input state; each
 * kept edge takes the lowest non-excluded column that reaches that maximum.
 */

/** How one α table maps to a cell. */
export interface DerivationLayout {
  readonly columns: readonly string[];
  /** Columns never chosen (`@excluded_from_genotype`, e.g. `none`). */
  readonly excluded: readonly boolean[];
  /** For each node, the input state of each of its edges, in row order. */
  readonly nodeEdges: readonly (readonly number[])[];
  readonly keep: number;
  readonly concat: readonly number[];
}

/** One derived cell: (op, input state) pairs, `keep` per node, strongest first. */
export interface DerivedCell {
  readonly pairs: readonly (readonly [string, number])[];
  readonly concat: readonly number[];
}

/** Softmax of one row, with the row maximum subtracted (so a shifted row gives the same result). */
export function softmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const exps = row.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** One α row as the weights derivation ranks: softmax for DARTS, a method's own otherwise. */
export type Probabilities = (row: readonly number[]) => number[];

/** The logistic function of each entry (FairDARTS' independent weights). */
function sigmoid(row: readonly number[]): number[] {
  return row.map((v) => 1 / (1 + Math.exp(-v)));
}

/** The weights of a method's rows, by the kind its schema names (`intrinsics/methods.ts`). */
export const weightsOf: Readonly<Record<'softmax' | 'sigmoid', Probabilities>> = {
  softmax,
  sigmoid,
};

/** Derives a cell from raw α (one row per edge). */
export function deriveCell(
  alpha: readonly (readonly number[])[],
  layout: DerivationLayout,
  probabilities: Probabilities = softmax,
): DerivedCell {
  return deriveFromProbabilities(alpha.map(probabilities), layout);
}

/** Derives a cell from probability rows (already mixed, e.g. softmax(α)). */
export function deriveFromProbabilities(
  probs: readonly (readonly number[])[],
  layout: DerivationLayout,
): DerivedCell {
  const allowed = layout.columns.map((_, c) => c).filter((c) => !layout.excluded[c]);
  invariant(allowed.length > 0, 'every candidate is excluded from derivation');
  const pairs: [string, number][] = [];
  let row = 0;
  for (const inputs of layout.nodeEdges) {
    const edges = inputs.map((input, k) => {
      const p = probs[row + k];
      invariant(
        p && p.length === layout.columns.length,
        `α row ${row + k} does not match the candidates`,
      );
      const strength = Math.max(...allowed.map((c) => p[c]!));
      return { input, strength, op: allowed.find((c) => p[c] === strength)! };
    });
    row += inputs.length;
    // Explicit comparator: strength descending, then input state ascending.
    edges.sort((a, b) => b.strength - a.strength || a.input - b.input);
    for (const edge of edges.slice(0, layout.keep))
      pairs.push([layout.columns[edge.op]!, edge.input]);
  }
  invariant(row === probs.length, `${probs.length} α rows for ${row} edges`);
  return { pairs, concat: layout.concat };
}

/** A derived genotype: per table (cell role), its pairs and concat. */
export type Genotype = Readonly<Record<string, DerivedCell>>;

/** A table as derivation reads it: its name, and the op table it weights if it holds β. */
type NamedLayout = DerivationLayout & { readonly name: string; readonly edgesOf?: string };

/**
 * The weights derivation ranks, per op table: `probabilities` of each α row, times the edge's
 * softmax(β) over its node when a table of edge weights (PC-DARTS) goes with it.
 */
export function tableWeights(
  tables: readonly NamedLayout[],
  alphas: Readonly<Record<string, readonly (readonly number[])[]>>,
  probabilities: Probabilities = softmax,
): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const table of tables) {
    if (table.edgesOf) continue;
    const alpha = alphas[table.name];
    invariant(alpha, `no α for table ${table.name}`);
    const edges = tables.find((t) => t.edgesOf === table.name);
    const beta = edges && alphas[edges.name];
    invariant(!edges || beta, `no β for table ${table.name}`);
    const w = beta ? edgeWeights(beta, table.nodeEdges) : undefined;
    out[table.name] = alpha.map((row, i) => probabilities(row).map((p) => p * (w?.[i] ?? 1)));
  }
  return out;
}

/** softmax(β) over the edges of each node, in row order. */
function edgeWeights(
  beta: readonly (readonly number[])[],
  nodeEdges: readonly (readonly number[])[],
): number[] {
  const out: number[] = [];
  for (const edges of nodeEdges)
    out.push(...softmax(beta.slice(out.length, out.length + edges.length).map((r) => r[0]!)));
  return out;
}

/** Derives every op table of a supernet from its α (and β), by table name. */
export function deriveGenotype(
  tables: readonly NamedLayout[],
  alphas: Readonly<Record<string, readonly (readonly number[])[]>>,
  probabilities: Probabilities = softmax,
): Genotype {
  const weights = tableWeights(tables, alphas, probabilities);
  const out: Record<string, DerivedCell> = {};
  for (const table of tables)
    if (!table.edgesOf) out[table.name] = deriveFromProbabilities(weights[table.name]!, table);
  return out;
}

/** The genotype as JSON in the reference's field names (`normal`, `normal_concat`, ...). */
export function genotypeJson(genotype: Genotype): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, cell] of Object.entries(genotype)) {
    out[name] = cell.pairs.map(([op, input]) => [op, input]);
    out[`${name}_concat`] = [...cell.concat];
  }
  return out;
}
