import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { preprocessBatch, type Preprocessing } from '../../intrinsics/preprocessing.js';
import { DataError, type Dataset } from '../dataset.js';
import { parseCsv } from './csv.js';
import { ClassMap, parseNumber, readBytes } from './common.js';

export interface VegaOptions {
  /** The column whose strings or integers become the classes. */
  readonly label: string;
}

/**
 * A vega dataset: `classNames[k]` became class k, `features` names the input columns,
 * `dropped` counts the rows skipped for a missing value.
 */
export type VegaDataset = Dataset & {
  readonly classNames: string[];
  readonly features: string[];
  readonly dropped: number;
};

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
 * missing a feature or the label are dropped (and counted).
 *
 * Unlike the file loaders, features are standardised (zero mean, unit variance per column):
 * raw columns such as a car's weight (~3000) and cylinders (~6) differ in scale by orders
 * of magnitude, which stalls a search that the user cannot fix in the file. The means and
 * standard deviations are those of every kept row (all splits: the test rows included), and
 * the dataset's `preprocessing` keeps them, so that a served model standardises raw rows alike.
 */
export function loadVega(name: string, options: VegaOptions): VegaDataset {
  const available = vegaNames();
  if (!available.includes(name))
    throw new DataError(
      `unknown vega dataset \`${name}\`; the available ones are ${available.map((n) => `\`${n}\``).join(', ')}`,
    );
  const rows = readTable(join(dataDir(), TABLES[name]!));
  const where = `vega dataset \`${name}\``;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const { label } = options;
  if (!columns.includes(label))
    throw new DataError(
      `${where} has no column \`${label}\`; the columns are ${columns.map((c) => `\`${c}\``).join(', ')}`,
    );
  const features = columns.filter((c) => c !== label && isNumeric(rows, c));
  if (features.length === 0)
    throw new DataError(`${where} has no numeric columns besides \`${label}\``);

  const kept = rows
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => !missing(row[label]) && features.every((c) => !missing(row[c])));
  if (kept.length === 0)
    throw new DataError(`${where}: every row misses \`${label}\` or a numeric value`);
  const classes = new ClassMap();
  const y = Int32Array.from(kept, ({ row, i }) =>
    classes.of(labelText(`${where}, row ${i + 1}`, label, row[label])),
  );
  const raw = kept.map(({ row }) => features.map((c) => row[c] as number));
  const preprocessing = standardisation(raw, features);
  return {
    name,
    layout: 'Vec',
    shape: [features.length],
    classes: classes.names.length,
    x: preprocessBatch(preprocessing, raw, [features.length]),
    y,
    preprocessing,
    size: kept.length,
    classNames: classes.names,
    features,
    dropped: rows.length - kept.length,
  };
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
    Object.fromEntries(names.map((n, i) => [n, cell(fields[i] ?? '')])),
  );
}

function cell(text: string): string | number | null {
  return text.trim() === '' ? null : (parseNumber(text) ?? text);
}

function missing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** A column is numeric if it has numbers and nothing else but gaps. */
function isNumeric(rows: readonly Row[], column: string): boolean {
  const present = rows.map((r) => r[column]).filter((v) => !missing(v));
  return present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** Labels are strings or integers (a float column would make a class per value). */
function labelText(where: string, column: string, v: unknown): string {
  if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return String(v);
  throw new DataError(
    `${where}: the label \`${column}\` must be a string or an integer, found ${JSON.stringify(v)}`,
  );
}

/** Each column's mean and standard deviation (population), as a preprocessing of table rows. */
function standardisation(rows: readonly number[][], columns: readonly string[]): Preprocessing {
  const n = rows.length;
  const mean = columns.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0) / n);
  const std = columns.map((_, j) =>
    Math.sqrt(rows.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / n),
  );
  // A constant column (std 0) carries no information: the step maps it to 0.
  return { input: { kind: 'table', columns }, steps: [{ kind: 'scale', mean, std }] };
}
