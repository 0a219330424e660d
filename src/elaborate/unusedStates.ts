import type { BlockNode, CellNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import type { Span } from '../source/SourceFile.js';
import type { Evaluator } from './evaluate.js';

/**
 * W0402: a state of a searched cell that nothing reads, neither a node nor the output. An
 * unused input still gets its preprocessor (weights that no loss depends on, so no gradient),
 * and an unused node's edges carry α rows that no loss depends on: the search trains nothing
 * there and derives a genotype entry for a node that the output ignores. The supernet runs
 * (missing gradients count as zero), so this is a warning; it is given once per cell and
 * state, however often the cell is stacked.
 */
export function reportUnusedStates(
  evaluator: Evaluator,
  cell: CellNode & { body: BlockNode },
  names: readonly string[],
  inputs: number,
  wiring: readonly { readonly from: readonly number[]; readonly span: Span }[],
  concat: readonly number[],
): void {
  const read = new Set([...wiring.flatMap((n) => n.from), ...concat]);
  names.forEach((name, state) => {
    if (read.has(state)) return;
    const input = state < inputs;
    const span = input ? inputSpan(cell, state) : wiring[state - inputs]!.span;
    const params = { what: input ? 'input' : 'node', name, cell: cell.name.value };
    const help = {
      hint: input
        ? `read it in a node (\`node a from ${name}\`), or declare the cell with only the inputs it reads`
        : 'read it in a later node, or list it in `output`',
    };
    evaluator.warnOnce(diagnostic('W0402', span, params, { help }));
  });
}

/** Where a cell input is declared: its element of the signature, else the cell's name. */
function inputSpan(cell: CellNode, index: number): Span {
  const input = cell.signature?.input;
  if (input?.kind === 'TupleType') {
    const element = input.elements[index];
    if (element) return element.label?.span ?? element.span;
  }
  return input?.span ?? cell.name.span;
}
