import { diagnostic } from '../diagnostics/Diagnostic.js';
import type { Span } from '../source/SourceFile.js';
import { expectInt, type Evaluator } from './evaluate.js';
import type { CellModel } from './model.js';
import type { Value } from './values.js';

/** The reduction positions of a stack, each in range (E0403) and listed once (W0401). */
export function reductionPositions(
  evaluator: Evaluator,
  list: Value,
  span: Span,
  count: number,
): number[] | undefined {
  if (list.kind !== 'list') return void evaluator.mismatch(list, 'a list of cell positions', span);
  const at: number[] = [];
  for (const item of list.items) {
    const position = expectInt(evaluator, item, span, 'a cell position');
    if (position === undefined) return undefined;
    if (position < 0 || position >= count) {
      evaluator.report(diagnostic('E0403', span, { position, count }, { help: { count } }));
      return undefined;
    }
    if (at.includes(position)) evaluator.report(diagnostic('W0401', span, { position }));
    else at.push(position);
  }
  return at;
}

/**
 * W0403: the `reduce:` cell of a stack is not declared `reducing`. The stack still doubles the
 * channels at its positions, but the feature map keeps its size, so the network never
 * downsamples: it builds and searches, which is why this is a warning and not an error.
 */
export function reportNonReducing(
  evaluator: Evaluator,
  cells: readonly CellModel[],
  span: Span | undefined,
): void {
  const cell = cells.find((c) => c.role === 'reduce');
  if (!cell || cell.reducing || !span) return;
  evaluator.warnOnce(diagnostic('W0403', span, { cell: cell.name }, { help: { cell: cell.name } }));
}
