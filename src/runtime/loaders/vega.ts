import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { TableFacts } from '../../elaborate/pipelineCheck.js';
import { DataError } from '../dataset.js';
import { columnFacts, type Cell, type Table } from '../table.js';
import { tableDataset, type TableDataset } from '../tableDataset.js';
import { parseCsv } from './csv.js';
import { parseNumber, readBytes } from './common.js';

export interface VegaOptions {
  /** The column whose strings or integers become the classes. */
  readonly label: string;
}

/** The flat tables of vega-datasets worth classifying, by the name a search uses. */
const TABLES: Record<string, string> = {
  anscombe: 'anscombe.json',
  barley: 'barley.json',
  burtin: 'burtin.json',
  cars: 'cars.json',
  gapminder: 'gapminder.json',
  'gapminder-health-income': 'gapminder-health-income.csv',
  iris: 'iris.json',
  penguins: 'penguins.json',
  'seattle-weather': 'seattle-weather.csv',
  stocks: 'stocks.csv',
  weather: 'weather.csv',
};

type Row = Record<string, unknown>;

/** The names `loadVega` accepts: the tables present in the installed vega-datasets. */
export function vegaNames(): string[] {
  const dir = dataDir();
  return Object.keys(TABLES).filter((name) => existsSync(join(dir, TABLES[name]!)));
}

/**
 * Reads a table of the vega-datasets package (from disk; no network): every numeric column
 * but `label` is a feature, the label's values become classes by first appearance, and rows
 * missing a feature or the label are dropped (and counted). The values are as in the file: a
 * search standardises them with the constants of its train split (`tableDataset`).
 */
export function loadVega(name: string, options: VegaOptions): TableDataset {
  return tableDataset(readVegaTable(name, options.label), []);
}

/**
 * A vega table as loaded: its columns by name and its label column, which must exist. The
 * rows keep their gaps; `tableDataset` drops the rows with a gap in a column it uses.
 */
export function readVegaTable(name: string, label: string): Table {
  const available = vegaNames();
  if (!available.includes(name))
    throw new DataError(
      `unknown vega dataset \`${name}\`; the available ones are ${available.map((n) => `\`${n}\``).join(', ')}`,
    );
  const rows = readTable(join(dataDir(), TABLES[name]!));
  const where = `vega dataset \`${name}\``;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (!columns.includes(label))
    throw new DataError(
      `${where} has no column \`${label}\`; the columns are ${columns.map((c) => `\`${c}\``).join(', ')}`,
    );
  const column = (c: string) => rows.map((r) => cell(r[c]));
  const features = columns.filter((c) => c !== label);
  if (!features.some((c) => columnFacts(c, column(c)).numeric))
    throw new DataError(`${where} has no numeric columns besides \`${label}\``);
  return {
    name,
    where,
    kind: 'vega',
    columns: features,
    cells: new Map(features.map((c) => [c, column(c)])),
    label,
    labels: column(label),
    lines: rows.map((_, i) => i + 1),
  };
}

const factsCache = new Map<string, TableFacts | undefined>();

/**
 * The columns and rows of a vega table, for `dartsc check` (undefined for a name that is not
 * installed: the loader reports it when the search runs).
 */
export function vegaTableFacts(name: string): TableFacts | undefined {
  if (!factsCache.has(name)) {
    let facts: TableFacts | undefined;
    try {
      const rows = readTable(join(dataDir(), TABLES[name]!));
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      facts = {
        columns: columns.map((c) =>
          columnFacts(
            c,
            rows.map((r) => cell(r[c])),
          ),
        ),
        rows: rows.length,
      };
    } catch {
      facts = undefined;
    }
    factsCache.set(name, facts);
  }
  return factsCache.get(name);
}

/** The package's `data/` folder, found from its entry module (package.json is not exported). */
function dataDir(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('vega-datasets');
  } catch {
    throw new DataError(
      'the vega loader needs the vega-datasets package: npm install vega-datasets',
    );
  }
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'data');
}

/** A JSON array of flat objects, or a CSV file whose numeric-looking cells become numbers. */
function readTable(path: string): Row[] {
  const text = readBytes(path).toString('utf8');
  if (!path.endsWith('.csv')) return JSON.parse(text) as Row[];
  const [header, ...records] = parseCsv(text, path);
  const names = header?.fields ?? [];
  return records.map(({ fields }) =>
    Object.fromEntries(names.map((n, i) => [n, parsed(fields[i] ?? '')])),
  );
}

/** A CSV cell as JSON would hold it: a number if it reads as one, null if blank. */
function parsed(text: string): string | number | null {
  return text.trim() === '' ? null : (parseNumber(text) ?? text);
}

/** A value of a row: numbers and texts as they are, anything else (null, NaN) a gap. */
function cell(v: unknown): Cell {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
