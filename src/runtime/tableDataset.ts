import type { TransformSpec } from '../elaborate/dataPipeline.js';
import { checkPipeline } from '../elaborate/pipelineCheck.js';
import { Random } from '../util/random.js';
import { DataError, DataProblem, type Dataset, type TableStep } from './dataset.js';
import { featureColumns, type FeatureColumns } from './featureColumns.js';
import { servedTable } from './servedTable.js';
import { splitIndices } from './splits.js';
import {
  cellNumber,
  columnFacts,
  found,
  missing,
  tableFacts,
  tableLabels,
  type Table,
} from './table.js';

/**
 * A table dataset: `classNames[k]` became class k, `features` names the sample's columns in
 * order, `dropped` counts the rows a vega table skipped for a gap.
 */
export type TableDataset = Dataset & {
  readonly classNames: string[];
  readonly features: string[];
  readonly dropped: number;
};

/** How the search splits the samples: the standardisation is fitted on the train split. */
export interface TableSplit {
  readonly split: number;
  readonly test: number;
}

/** One sample: the rows it is made of (indices into the kept rows) and the row of its label. */
interface Sample {
  readonly rows: readonly number[];
  readonly target: number;
}

/** The order the files' samples take before the split: one fixed shuffle (see `data.ts`). */
export const shuffleSeed = 20190101;

/**
 * Makes a table into samples through its transforms. Rows become `Vec[features]` samples, or
 * with `window` `Seq[length, features]` ones, reshaped by `reshape`. With `split`, the samples
 * are put in the order the search splits them (shuffled once; windows stay in time order, so
 * the valid and test splits come after the train split in time) and the marked columns are
 * standardised with the mean and deviation of the rows the train split's samples read, so the
 * valid and test rows do not shape their own inputs. Without it (a loader used directly) the
 * samples stay in file order, unstandardised. Pipeline problems are `DataProblem`s, bad cells
 * `DataError`s naming the row and column.
 */
export function tableDataset(
  table: Table,
  transforms: readonly TransformSpec[],
  split?: TableSplit,
): TableDataset {
  const { columns, features, window, reshape } = checkedColumns(table, transforms);
  const rows = keptRows(table, columns, window?.by ? [...features, window.by] : features);
  const matrix = featureMatrix(table, columns, features, rows);
  const { y, classNames } = tableLabels(table, rows);
  const samples = orderedSamples(table, columns, rows, window, split !== undefined);
  const steps = [...columns.steps];
  const marked = columns.standardize.filter((c) => features.includes(c));
  if (split && marked.length > 0) {
    const train = splitIndices(samples.length, split.split, split.test, table.name).train;
    steps.push(
      standardize(
        matrix,
        features,
        marked,
        train.map((i) => samples[i]!),
      ),
    );
  }
  const shape = sampleShape(features.length, window, reshape);
  steps.push({ kind: 'columns', names: features }, ...sampleSteps(window, reshape, shape));
  return {
    name: table.name,
    layout: shape.length === 2 ? 'Seq' : 'Vec',
    shape,
    classes: table.task ? 0 : classNames.length,
    x: gatherSamples(matrix, features.length, samples),
    y: gatherTargets(y, samples),
    size: samples.length,
    ...(table.task ? { task: table.task } : {}),
    classNames,
    features,
    dropped: table.lines.length - rows.length,
    preprocessing: {
      ...servedTable(steps, features, shape),
      ...(table.task ? {} : { labels: classNames }),
    },
    transforms: steps,
  };
}

/**
 * The pipeline checked on the loaded table (its first problem thrown as a `DataProblem`), its
 * column transforms applied, and the features: the columns but the window's `by` (and a vega
 * table's text columns).
 */
function checkedColumns(table: Table, transforms: readonly TransformSpec[]) {
  const textFeatures = table.kind === 'csv';
  const source = { kind: 'table', name: table.where, label: table.label, textFeatures } as const;
  const checked = checkPipeline({ ...source, table: tableFacts(table) }, transforms);
  const first = checked.problems[0];
  if (first) throw new DataProblem(first.at, first);
  const columns = featureColumns(table, transforms);
  const window = transforms.find((t) => t.kind === 'window');
  const reshape = transforms.find((t) => t.kind === 'reshape');
  const features = columns.names.filter(
    (c) => c !== window?.by && (textFeatures || columnFacts(c, columns.cells.get(c)!).numeric),
  );
  return { columns, features, window, reshape };
}

type Window = TransformSpec & { kind: 'window' };
type Reshape = TransformSpec & { kind: 'reshape' };

/** A sample's shape: a row's features, a window of rows, or what `reshape` makes of a row. */
function sampleShape(features: number, window?: Window, reshape?: Reshape): number[] {
  if (reshape) return [reshape.length, reshape.channels ?? features / reshape.length];
  return window ? [window.length, features] : [features];
}

/** How rows make a sample, for the preprocessing record. */
function sampleSteps(window?: Window, reshape?: Reshape, shape?: number[]): TableStep[] {
  const { length, horizon, by } = window ?? {};
  return [
    ...(window
      ? [{ kind: 'window' as const, length: length!, horizon: horizon!, ...(by ? { by } : {}) }]
      : []),
    ...(reshape && shape ? [{ kind: 'reshape' as const, shape }] : []),
  ];
}

/**
 * The samples in the order the search splits them: each kept row, once shuffled (files are
 * often sorted by class), or the windows in time order. Unordered for a direct load.
 */
function orderedSamples(
  table: Table,
  columns: FeatureColumns,
  rows: readonly number[],
  window: Window | undefined,
  ordered: boolean,
): Sample[] {
  if (window) return windows(table, columns, rows, window);
  const samples = rows.map((_, i) => ({ rows: [i], target: i }));
  if (!ordered) return samples;
  return new Random(shuffleSeed).permutation(samples.length).map((i) => samples[i]!);
}

/** The rows a sample may use: all of a CSV table, a vega table's rows without a gap. */
function keptRows(table: Table, columns: FeatureColumns, used: readonly string[]): number[] {
  const all = table.lines.map((_, r) => r);
  if (table.kind === 'csv') return all;
  return all.filter(
    (r) => !missing(table.labels[r]) && used.every((c) => !missing(columns.cells.get(c)![r])),
  );
}

/** The features of the kept rows, row-major; a cell that is no number is a DataError. */
function featureMatrix(
  table: Table,
  columns: FeatureColumns,
  features: readonly string[],
  rows: readonly number[],
): Float64Array {
  const x = new Float64Array(rows.length * features.length);
  features.forEach((c, j) => {
    const cells = columns.cells.get(c)!;
    rows.forEach((r, i) => {
      const v = cellNumber(cells[r]!);
      if (v === undefined)
        throw new DataError(
          `${table.where}, row ${table.lines[r]}, column \`${c}\`: expected a number, found ${found(cells[r]!)}`,
        );
      x[i * features.length + j] = v;
    });
  });
  return x;
}

/**
 * The windows over the kept rows ordered by `by` (stably; numbers by value, texts as texts,
 * so ISO dates in time order): `length` consecutive rows, labelled by the row `horizon` after
 * the last (`horizon: 0` is the last row itself).
 */
function windows(
  table: Table,
  columns: FeatureColumns,
  rows: readonly number[],
  t: Window,
): Sample[] {
  const order = rows.map((_, i) => i);
  if (t.by) {
    const cells = rows.map((r) => columns.cells.get(t.by!)![r]!);
    const numeric = columnFacts(t.by, cells).numeric;
    const key = (i: number) => (numeric ? cellNumber(cells[i]!)! : String(cells[i]).trim());
    order.sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }
  const count = order.length - t.length - t.horizon + 1;
  if (count < 1)
    throw new DataError(
      `${table.where}: a window with its target needs ${t.length + t.horizon} rows, but only ${order.length} rows are complete`,
    );
  return Array.from({ length: count }, (_, s) => ({
    rows: order.slice(s, s + t.length),
    target: order[s + t.length - 1 + t.horizon]!,
  }));
}

/**
 * Standardises the marked columns of `matrix` in place with the mean and (population)
 * deviation of the rows the `train` samples read; a constant column keeps std 1.
 */
function standardize(
  matrix: Float64Array,
  features: readonly string[],
  marked: readonly string[],
  train: readonly Sample[],
): TableStep {
  const fit = [...new Set(train.flatMap((s) => s.rows))];
  const width = features.length;
  const mean: number[] = [];
  const std: number[] = [];
  for (const c of marked) {
    const j = features.indexOf(c);
    const values = fit.map((r) => matrix[r * width + j]!);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const d = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
    const s = d > 0 ? d : 1;
    for (let r = 0; r < matrix.length / width; r++)
      matrix[r * width + j] = (matrix[r * width + j]! - m) / s;
    mean.push(m);
    std.push(s);
  }
  return { kind: 'standardize', columns: marked, mean, std };
}

function gatherSamples(
  matrix: Float64Array,
  width: number,
  samples: readonly Sample[],
): Float32Array {
  const size = (samples[0]?.rows.length ?? 0) * width;
  const x = new Float32Array(samples.length * size);
  samples.forEach((s, i) =>
    s.rows.forEach((r, k) =>
      x.set(matrix.subarray(r * width, (r + 1) * width), i * size + k * width),
    ),
  );
  return x;
}

function gatherTargets(
  y: Int32Array | Float32Array,
  samples: readonly Sample[],
): Int32Array | Float32Array {
  const out =
    y instanceof Int32Array ? new Int32Array(samples.length) : new Float32Array(samples.length);
  samples.forEach((s, i) => (out[i] = y[s.target]!));
  return out;
}
