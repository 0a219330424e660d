import type { IrTable } from './graph.js';

/**
 * The name of a cell state as the reference DARTS draws it: the inputs are the outputs of
 * earlier cells, `c_{k-2}` and `c_{k-1}` (a one-input cell reads `c_{k-1}`), and the
 * nodes are numbered from 0 after them.
 */
export function stateName(state: number, inputs: number): string {
  return state < inputs ? `c_{k-${inputs - state}}` : String(state - inputs);
}

/** The cell's output in the same naming. */
export const outputName = 'c_{k}';

/** Each α row's endpoints, `c_{k-2} -> 0`, in row order (node by node). */
export function edgeNames(table: Pick<IrTable, 'inputs' | 'nodeEdges'>): string[] {
  return table.nodeEdges.flatMap((froms, node) =>
    froms.map((from) => `${stateName(from, table.inputs)} -> ${node}`),
  );
}
