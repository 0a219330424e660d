import { invariant } from '../util/invariant.js';
import { edgeNames } from './cellStates.js';
import type { IrTable } from './graph.js';

/**
 * A run's `alphas.json`: per α table, the raw α with what names them (the candidates of each
 * column, the edge of each row), so that α are never read against another spec's layout.
 * Files written before the names were added hold only the rows (`{ "normal": [[...], ...] }`);
 * they are still read, unnamed.
 */

/** One table as `alphas.json` writes it. */
export interface NamedAlphaTable {
  readonly cell: string;
  /** The cell's input states (`c_{k-2}`, `c_{k-1}`). */
  readonly inputs: number;
  readonly keep: number;
  /** The candidates, in column order. */
  readonly columns: readonly string[];
  readonly parameterFree: readonly boolean[];
  /** Each row's edge, `c_{k-2} -> 0` (see `edgeNames`). */
  readonly rows: readonly string[];
  /** Raw α (logits), one row per edge. */
  readonly alpha: readonly (readonly number[])[];
}

/** One table as read back: an older file has only `alpha`. */
export type SavedAlphaTable = Partial<Omit<NamedAlphaTable, 'alpha'>> &
  Pick<NamedAlphaTable, 'alpha'>;

/** The content of `alphas.json` for raw α by table name (the table order is kept). */
export function namedAlphas(
  tables: readonly IrTable[],
  raw: Readonly<Record<string, readonly (readonly number[])[]>>,
): Record<string, NamedAlphaTable> {
  return Object.fromEntries(
    tables.map((t): [string, NamedAlphaTable] => {
      const alpha = raw[t.name];
      invariant(alpha, `no α for table ${t.name}`);
      return [
        t.name,
        {
          cell: t.cell,
          inputs: t.inputs,
          keep: t.keep,
          columns: t.columns,
          parameterFree: t.parameterFree,
          rows: edgeNames(t),
          alpha,
        },
      ];
    }),
  );
}

/** The text of `alphas.json`: one line per name list and per α row, so that it reads as a table. */
export function alphasText(file: Readonly<Record<string, NamedAlphaTable>>): string {
  const line = (v: unknown) => JSON.stringify(v);
  const tables = Object.entries(file).map(([name, table]) => {
    const fields = Object.entries(table).map(([key, value]) =>
      key === 'alpha' && table.alpha.length
        ? `    "alpha": [\n${table.alpha.map((r) => `      ${line(r)}`).join(',\n')}\n    ]`
        : `    ${line(key)}: ${line(value)}`,
    );
    return `  ${line(name)}: {\n${fields.join(',\n')}\n  }`;
  });
  return `{\n${tables.join(',\n')}\n}\n`;
}

/** A parsed `alphas.json`, its tables by name, or what makes it unreadable. */
export type ReadAlphas =
  { readonly tables: Readonly<Record<string, SavedAlphaTable>> } | { readonly problem: string };

/**
 * Reads parsed `alphas.json` of either format, a table at a time: a list of rows is an older
 * file's table, an object with `alpha` a named one. Names are checked against the α they name;
 * whether the α fit a spec is for the caller (`alphasMismatch`, and the shapes).
 */
export function readAlphas(json: unknown): ReadAlphas {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { problem: 'not an object of α tables (`{ "normal": ... }`)' };
  const tables: [string, SavedAlphaTable][] = [];
  for (const [name, value] of Object.entries(json)) {
    const table = readTable(value);
    if (typeof table === 'string') return { problem: `\`${name}\` ${table}` };
    tables.push([name, table]);
  }
  // fromEntries defines every name as an own property, `__proto__` too.
  return { tables: Object.fromEntries(tables) };
}

/** One table of either format, or what is wrong with it (after its name). */
function readTable(value: unknown): SavedAlphaTable | string {
  if (Array.isArray(value)) return isMatrix(value) ? { alpha: value } : notRows;
  if (typeof value !== 'object' || value === null || !('alpha' in value))
    return 'is neither rows of α nor a table with `alpha`';
  const t = value as Record<string, unknown>;
  if (!isMatrix(t.alpha)) return `\`alpha\` ${notRows}`;
  const wrong = Object.entries(fieldTypes).find(([k, ok]) => t[k] !== undefined && !ok(t[k]));
  if (wrong) return `has a malformed \`${wrong[0]}\``;
  const table = t as SavedAlphaTable;
  const { alpha, columns, rows, parameterFree } = table;
  if (rows && rows.length !== alpha.length)
    return `names ${rows.length} rows but has ${alpha.length} rows of α`;
  if (columns && alpha.some((r) => r.length !== columns.length))
    return `names ${columns.length} columns but has an α row of another length`;
  if (columns && parameterFree && parameterFree.length !== columns.length)
    return `has ${parameterFree.length} \`parameterFree\` flags for ${columns.length} columns`;
  return table;
}

const notRows = 'is not a list of rows of finite numbers';

const isMatrix = (x: unknown): x is number[][] =>
  Array.isArray(x) &&
  x.every((r) => Array.isArray(r) && r.every((v) => typeof v === 'number' && Number.isFinite(v)));

const listOf = (type: string) => (x: unknown) =>
  Array.isArray(x) && x.every((v) => typeof v === type);
const isCount = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** The optional fields of a named table and their types. */
const fieldTypes: Record<string, (x: unknown) => boolean> = {
  cell: (x) => typeof x === 'string',
  inputs: isCount,
  keep: isCount,
  columns: listOf('string'),
  parameterFree: listOf('boolean'),
  rows: listOf('string'),
};

/**
 * The first difference between a saved table's names and the spec's table, or undefined when
 * they agree (or the file has no names). Columns and rows are compared, the cell's name is
 * not: a renamed cell with the same candidates and edges gives the α the same meaning.
 */
export function alphasMismatch(saved: SavedAlphaTable, table: IrTable): string | undefined {
  const renamed = saved.cell !== undefined && saved.cell !== table.cell;
  const where = {
    of: `\`${table.name}\`${renamed ? ` (cell ${saved.cell})` : ''}`,
    spec: `the spec's cell ${table.cell}`,
  };
  return (
    (saved.columns && firstDifference('column', saved.columns, table.columns, where)) ??
    (saved.rows && firstDifference('row', saved.rows, edgeNames(table), where))
  );
}

/** Where two name lists first differ (by position, 1-based), worded for `alphasMismatch`. */
function firstDifference(
  kind: string,
  found: readonly string[],
  expected: readonly string[],
  { of, spec }: { readonly of: string; readonly spec: string },
): string | undefined {
  const n = Math.max(found.length, expected.length);
  for (let i = 0; i < n; i++) {
    const [a, b] = [found[i], expected[i]];
    if (a === b) continue;
    if (a === undefined) return `${of} has no ${kind} ${i + 1}, ${spec} has \`${b}\` there`;
    return `${kind} ${i + 1} of ${of} is \`${a}\`, ${spec} has ${b === undefined ? `no ${kind} ${i + 1}` : `\`${b}\` there`}`;
  }
  return undefined;
}
