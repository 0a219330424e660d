import type { ColumnFacts, TableFacts } from '../elaborate/pipelineCheck.js';
import { onehotLimits } from '../intrinsics/settings.js';
import { DataError } from './dataset.js';
import { ClassMap, parseNumber } from './loaders/common.js';

/** A cell of a table: a number, a text, or missing (null). */
export type Cell = number | string | null;

/**
 * A table as loaded, before it becomes samples: its feature columns by name (the label kept
 * apart) and the label's cells. CSV cells are texts, parsed into numbers when used; vega cells
 * are the JSON values. The two loaders differ in what a problem means: a CSV table must be
 * complete and numeric (an empty or text cell is an error naming its row), a vega table drops
 * rows with a gap and leaves text columns out of the features, as the vega loader always did.
 */
export interface Table {
  /** The dataset's name: the file's basename, or the vega table's name. */
  readonly name: string;
  /** How messages name it: the path, or ``vega dataset `penguins` ``. */
  readonly where: string;
  readonly kind: 'csv' | 'vega';
  readonly columns: readonly string[];
  readonly cells: ReadonlyMap<string, readonly Cell[]>;
  readonly label: string;
  readonly labels: readonly Cell[];
  /** `regression`: the labels are numeric targets. */
  readonly task?: 'regression';
  /** Each row's line in the file (CSV) or its number (vega), for messages. */
  readonly lines: readonly number[];
}

/** True for a missing cell: null, a blank text or NaN. */
export function missing(v: Cell | undefined): boolean {
  return (
    v === null ||
    v === undefined ||
    (typeof v === 'string' && v.trim() === '') ||
    (typeof v === 'number' && Number.isNaN(v))
  );
}

/** The number a cell holds (a CSV text is parsed), or undefined. */
export function cellNumber(v: Cell): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return typeof v === 'string' ? parseNumber(v) : undefined;
}

/** The category a present cell stands for: a number if it holds one, else its trimmed text. */
export function category(v: Cell, numeric: boolean): string | number {
  return numeric ? cellNumber(v)! : String(v).trim();
}

/** What the pipeline checker needs of a table: every column (the label too) and the rows. */
export function tableFacts(table: Table): TableFacts {
  const columns = table.columns.map((c) => columnFacts(c, table.cells.get(c)!));
  return {
    columns: [...columns, columnFacts(table.label, table.labels)],
    rows: table.lines.length,
  };
}

/** A column's kind, its distinct values and, when few enough to one-hot, their order. */
export function columnFacts(name: string, cells: readonly Cell[]): ColumnFacts {
  const present = cells.filter((v) => !missing(v));
  const numeric = present.length > 0 && present.every((v) => cellNumber(v) !== undefined);
  const distinct = new Set(present.map((v) => category(v, numeric)));
  if (distinct.size > onehotLimits.text) return { name, numeric, distinct: distinct.size };
  // Sorted, so that the categories do not depend on the order of the rows.
  const values = [...distinct].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1,
  );
  return { name, numeric, distinct: distinct.size, values };
}

/**
 * The labels of some rows: classes by first appearance (their names kept), or the numeric
 * targets of a regression. Throws a DataError naming the row of a bad label.
 */
export function tableLabels(
  table: Table,
  rows: readonly number[],
): { y: Int32Array | Float32Array; classNames: string[] } {
  const where = (r: number) => `${table.where}, row ${table.lines[r]}, column \`${table.label}\``;
  const classes = new ClassMap();
  const y = table.task ? new Float32Array(rows.length) : new Int32Array(rows.length);
  rows.forEach((r, i) => {
    const v = table.labels[r]!;
    if (table.task) {
      const n = cellNumber(v);
      if (n === undefined) throw new DataError(`${where(r)}: expected a number, found ${found(v)}`);
      y[i] = n;
    } else if (typeof v === 'string' && v.trim() !== '') y[i] = classes.of(v.trim());
    else if (typeof v === 'number' && Number.isInteger(v)) y[i] = classes.of(String(v));
    else if (table.kind === 'csv')
      throw new DataError(`${where(r)}: expected a label, found ${found(v)}`);
    // vega: labels are strings or integers (a float column would make a class per value).
    else
      throw new DataError(
        `${table.where}, row ${table.lines[r]}: the label \`${table.label}\` must be a string or an integer, found ${JSON.stringify(v)}`,
      );
  });
  return { y, classNames: classes.names };
}

/** How a cell is named in messages. */
export function found(v: Cell): string {
  return missing(v) ? 'an empty cell' : `\`${String(v)}\``;
}
