import type { TransformSpec } from '../elaborate/dataPipeline.js';
import { DataError, type TableStep } from './dataset.js';
import { category, columnFacts, missing, type Cell, type Table } from './table.js';

/** A table's feature columns after the column transforms, before the split is known. */
export interface FeatureColumns {
  /** The columns in order: every one a feature but a text column of a vega table. */
  readonly names: readonly string[];
  readonly cells: ReadonlyMap<string, readonly Cell[]>;
  /** The columns to standardise once the train split is known (a subset of `names`). */
  readonly standardize: readonly string[];
  /** The encodings applied, in order. */
  readonly steps: readonly TableStep[];
}

/**
 * Applies the column transforms (`select`, `drop`, `onehot`, `index`, `standardize`) of a
 * pipeline the checker accepted. Standardisation is only marked here: its constants come from
 * the train split, which depends on the rows the transforms keep. A vega table marks its
 * numeric columns at the start (the vega loader standardises); encoding a column unmarks it,
 * since its categories are counted on the raw values, and a later `standardize` marks it again.
 */
export function featureColumns(table: Table, transforms: readonly TransformSpec[]): FeatureColumns {
  let names = [...table.columns];
  const cells = new Map(table.cells);
  const numeric = (c: string) => columnFacts(c, cells.get(c)!).numeric;
  const marked = new Set(table.kind === 'vega' ? names.filter(numeric) : []);
  const steps: TableStep[] = [];
  for (const t of transforms) {
    switch (t.kind) {
      case 'select':
        names = [...new Set(t.columns)];
        break;
      case 'drop':
        names = names.filter((n) => !t.columns.includes(n));
        break;
      case 'onehot':
      case 'index':
        for (const c of t.columns) {
          const step = encode(table, cells, t.kind, c);
          names = names.flatMap((n) => (n !== c ? [n] : t.kind === 'index' ? [c] : step.added));
          marked.delete(c);
          steps.push(step.step);
        }
        break;
      case 'standardize':
        for (const c of t.columns ?? names.filter(numeric)) marked.add(c);
        break;
      default:
        break;
    }
  }
  return { names, cells, standardize: names.filter((n) => marked.has(n)), steps };
}

/**
 * One-hot or index encoding of column `c`, in place in `cells`: the categories in the
 * checker's order (`columnFacts`), one 0/1 column `c=v` per category or the category's code.
 */
function encode(
  table: Table,
  cells: Map<string, readonly Cell[]>,
  kind: 'onehot' | 'index',
  c: string,
): { step: TableStep; added: string[] } {
  const source = cells.get(c)!;
  const facts = columnFacts(c, source);
  const categories = facts.values ?? [];
  const code = new Map(categories.map((v, i) => [v, i]));
  const codes = source.map((v, r) => {
    if (!missing(v)) return code.get(category(v, facts.numeric))!;
    if (table.kind === 'vega') return null; // a gap: the row is dropped
    throw new DataError(
      `${table.where}, row ${table.lines[r]}, column \`${c}\`: expected a value, found an empty cell`,
    );
  });
  const step = { kind, column: c, categories };
  if (kind === 'index') {
    cells.set(c, codes);
    return { step, added: [c] };
  }
  const added = categories.map((v) => `${c}=${v}`);
  added.forEach((name, i) =>
    cells.set(
      name,
      codes.map((k) => (k === null ? null : k === i ? 1 : 0)),
    ),
  );
  return { step, added };
}
