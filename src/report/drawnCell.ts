import type { CellModel } from '../elaborate/model.js';
import type { DerivedCell } from '../ir/genotype.js';
import { outputName, stateName } from '../ir/cellStates.js';
import { invariant } from '../util/invariant.js';

/** What drawing a derived cell needs besides its pairs: the cell's inputs and edges per node. */
export interface CellShape {
  /** The role, `normal` or `reduce`: the genotype key. */
  readonly role: string;
  /** The cell declaration, when known. */
  readonly cell?: string;
  readonly inputs: number;
  readonly keep: number;
}

/** A derived cell as a drawing sees it: named states, each node's chosen edges, the output. */
export interface DrawnCell {
  readonly role: string;
  readonly cell?: string;
  readonly inputs: readonly string[];
  readonly nodes: readonly {
    readonly name: string;
    readonly edges: readonly { readonly op: string; readonly from: string }[];
  }[];
  /** The states concatenated into the output, `c_{k}`. */
  readonly output: readonly string[];
}

/**
 * Names the states of a derived cell: node i keeps pairs i*keep .. i*keep+keep-1, as the
 * elaborator reads a genotype. A pair whose input is not an earlier state is a broken
 * genotype, which check refuses before any drawing.
 */
export function drawnCell(cell: DerivedCell, shape: CellShape): DrawnCell {
  const { inputs, keep } = shape;
  invariant(keep > 0 && cell.pairs.length % keep === 0, `${cell.pairs.length} pairs, keep ${keep}`);
  const nodes = [];
  for (let i = 0; i * keep < cell.pairs.length; i++) {
    const pairs = cell.pairs.slice(i * keep, i * keep + keep);
    invariant(
      pairs.every(([, from]) => from >= 0 && from < inputs + i),
      `node ${i} reads a later state`,
    );
    nodes.push({
      name: stateName(inputs + i, inputs),
      edges: pairs.map(([op, from]) => ({ op, from: stateName(from, inputs) })),
    });
  }
  return {
    role: shape.role,
    ...(shape.cell !== undefined ? { cell: shape.cell } : {}),
    inputs: Array.from({ length: inputs }, (_, i) => stateName(i, inputs)),
    nodes,
    output: cell.concat.map((s) => stateName(s, inputs)),
  };
}

/**
 * The cell as compact text for a terminal, one line per node:
 * ```
 * normal cell (Tiny)
 *   0 <- sep_conv_3x3(c_{k-2}) + skip_connect(c_{k-1})
 *   c_{k} = concat(0, 1)
 * ```
 */
export function cellText(cell: DrawnCell): string {
  const title = `${cell.role} cell${cell.cell ? ` (${cell.cell})` : ''}`;
  const width = Math.max(...cell.nodes.map((n) => n.name.length), 1);
  const lines = cell.nodes.map(
    (n) => `  ${n.name.padStart(width)} <- ${n.edges.map((e) => `${e.op}(${e.from})`).join(' + ')}`,
  );
  const output = cell.output.length === 1 ? cell.output[0]! : `concat(${cell.output.join(', ')})`;
  return [title, ...lines, `  ${outputName} = ${output}`].join('\n') + '\n';
}

/** The first cell of each role of a derived network, as drawn (its one candidate per edge). */
export function drawnCells(cells: readonly CellModel[]): DrawnCell[] {
  const roles = new Map<string, CellModel>();
  for (const cell of cells) if (!roles.has(cell.role)) roles.set(cell.role, cell);
  return [...roles.values()].map((cell) => {
    const inputs = cell.inputs.length;
    return {
      role: cell.role,
      cell: cell.name,
      inputs: cell.inputs.map((_, i) => stateName(i, inputs)),
      nodes: cell.nodes.map((node, j) => ({
        name: stateName(inputs + j, inputs),
        edges: node.edges.map((e) => ({
          op: e.candidates.map((c) => c.name).join(' | '),
          from: stateName(e.from, inputs),
        })),
      })),
      output: cell.concat.map((s) => stateName(s, inputs)),
    };
  });
}
