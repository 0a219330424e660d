import type { Genotype } from '../ir/genotype.js';
import { alphaSpread, flatMessage } from './alphaSpread.js';
import { collapseMessage, measureCollapse } from './collapse.js';
import { cellText, drawnCell } from './drawnCell.js';
import { cellShape, type ReportTable } from './reportTable.js';

/** What a terminal shows at the end of a search: the cells as text, and collapse warnings. */
export interface SearchOutcome {
  readonly drawing: string;
  readonly collapse: readonly string[];
  /** The warning for α that barely moved from uniform, if it did not. */
  readonly flat?: string;
}

/** The derived cells drawn as compact text, the collapse measures over the threshold, flat α. */
export function searchOutcome(
  tables: readonly ReportTable[],
  genotype: Genotype,
  probs: Readonly<Record<string, readonly (readonly number[])[]>>,
): SearchOutcome {
  const drawing = tables
    .filter((t) => genotype[t.role])
    .map((t) => cellText(drawnCell(genotype[t.role]!, cellShape(t))))
    .join('');
  const pairs = Object.fromEntries(Object.entries(genotype).map(([r, c]) => [r, c.pairs]));
  const collapse = measureCollapse(tables, pairs, probs)
    .filter((m) => m.over)
    .map(collapseMessage);
  const flat = flatMessage(alphaSpread(probs));
  return { drawing, collapse, ...(flat ? { flat } : {}) };
}
