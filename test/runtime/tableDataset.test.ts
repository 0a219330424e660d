import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { TransformSpec } from '../../src/elaborate/dataPipeline.js';
import { splitDataset } from '../../src/runtime/data.js';
import { DataProblem } from '../../src/runtime/dataset.js';
import { readCsvTable } from '../../src/runtime/loaders/csv.js';
import type { Table } from '../../src/runtime/table.js';
import { tableDataset } from '../../src/runtime/tableDataset.js';
import { dataError, f32 } from '../helpers/dataErrors.js';

/**
 * The data transforms on small hand-made tables, against values worked out by hand: each
 * transform's features, the train-split-only standardisation, window and horizon alignment,
 * reshape, the preprocessing record, and the problems found once a file is read.
 */
const dir = mkdtempSync(join(tmpdir(), 'dartsc-transforms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** A CSV table from its text; the label column is `label`. */
function csv(text: string, label = 'label'): Table {
  const path = join(dir, `t${count++}.csv`);
  writeFileSync(path, text);
  return readCsvTable(path, { label });
}

// Six days out of order: temp = 10 * day, rain alternates, the label alternates x, y.
const WEEK = `day,city,temp,rain,label
3,b,30,1,x
1,a,10,0,y
2,a,20,1,x
5,c,50,0,y
4,b,40,1,x
6,a,60,0,y
`;

const rows = (x: Float32Array, width: number) =>
  Array.from({ length: x.length / width }, (_, i) =>
    Array.from(x.subarray(i * width, (i + 1) * width)),
  );

/** The problem a pipeline reports once its table is read: its code and message. */
function problem(load: () => unknown): { code: string; message: string; help?: string } {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(DataProblem);
    const d = (e as DataProblem).at({ file: undefined as never, start: 0, end: 0 });
    return { code: d.code, message: d.message, ...(d.help ? { help: d.help } : {}) };
  }
  throw new Error('expected a DataProblem');
}

describe('runtime: tableDataset', () => {
  it('selects columns in the order given, and drops columns by name', () => {
    const selected = tableDataset(csv(WEEK), [{ kind: 'select', columns: ['rain', 'temp'] }]);
    expect(selected.features).toEqual(['rain', 'temp']);
    expect(selected.shape).toEqual([2]);
    expect(rows(selected.x, 2)).toEqual([
      [1, 30],
      [0, 10],
      [1, 20],
      [0, 50],
      [1, 40],
      [0, 60],
    ]);
    const dropped = tableDataset(csv(WEEK), [{ kind: 'drop', columns: ['day', 'city'] }]);
    expect(dropped.features).toEqual(['temp', 'rain']);
    expect(rows(dropped.x, 2)[0]).toEqual([30, 1]);
    expect(Array.from(dropped.y)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(dropped.classNames).toEqual(['x', 'y']);
  });

  it('one-hot encodes a column in place, one 0/1 column per sorted value', () => {
    const data = tableDataset(csv(WEEK), [
      { kind: 'drop', columns: ['day', 'rain'] },
      { kind: 'onehot', columns: ['city'] },
    ]);
    expect(data.features).toEqual(['city=a', 'city=b', 'city=c', 'temp']);
    expect(rows(data.x, 4)).toEqual([
      [0, 1, 0, 30],
      [1, 0, 0, 10],
      [1, 0, 0, 20],
      [0, 0, 1, 50],
      [0, 1, 0, 40],
      [1, 0, 0, 60],
    ]);
    expect(data.transforms?.[0]).toEqual({
      kind: 'onehot',
      column: 'city',
      categories: ['a', 'b', 'c'],
    });
  });

  it('indexes a column by the position of its values, sorted (numbers by value)', () => {
    const data = tableDataset(csv(WEEK), [
      { kind: 'select', columns: ['city', 'temp'] },
      { kind: 'index', columns: ['city', 'temp'] },
    ]);
    expect(rows(data.x, 2)).toEqual([
      [1, 2],
      [0, 0],
      [0, 1],
      [2, 4],
      [1, 3],
      [0, 5],
    ]);
    expect(data.transforms?.[1]).toEqual({
      kind: 'index',
      column: 'temp',
      categories: [10, 20, 30, 40, 50, 60],
    });
  });

  it('standardises with the mean and deviation of the rows of the train split only', () => {
    // Six samples, none held out, split 0.5: the train split is three of the shuffled rows.
    const transforms: TransformSpec[] = [
      { kind: 'drop', columns: ['city'] },
      { kind: 'standardize', columns: ['temp'] },
    ];
    const data = tableDataset(csv(WEEK), transforms, { split: 0.5, test: 0 });
    const { train, valid } = splitDataset(data, 0.5, 0);
    expect(train).toHaveLength(3);
    // `day` is not standardised: it tells which rows the train split holds.
    const days = train.map((i) => data.x[i * 3]!);
    const temps = days.map((d) => 10 * d);
    const mean = temps.reduce((a, b) => a + b, 0) / 3;
    const std = Math.sqrt(temps.reduce((a, t) => a + (t - mean) ** 2, 0) / 3);
    expect(data.transforms?.[0]).toEqual({
      kind: 'standardize',
      columns: ['temp'],
      mean: [mean],
      std: [std],
    });
    for (const i of [...train, ...valid])
      expect(data.x[i * 3 + 1]).toBeCloseTo((10 * data.x[i * 3]! - mean) / std, 6);
    // Other values in the valid rows change nothing in the train split or the constants.
    const validDays = new Set(valid.map((i) => data.x[i * 3]!));
    const changed = WEEK.split('\n')
      .map((line) =>
        validDays.has(Number(line.split(',')[0])) ? line.replace(/,\d+,/, ',9999,') : line,
      )
      .join('\n');
    const other = tableDataset(csv(changed), transforms, { split: 0.5, test: 0 });
    expect(other.transforms?.[0]).toEqual(data.transforms?.[0]);
    for (const i of train)
      expect(other.x.subarray(i * 3, i * 3 + 3)).toEqual(data.x.subarray(i * 3, i * 3 + 3));
  });

  it('makes windows of rows ordered by a column, labelled `horizon` rows after the last', () => {
    const transforms = (horizon: number): TransformSpec[] => [
      { kind: 'drop', columns: ['city'] },
      { kind: 'window', length: 3, by: 'day', horizon },
    ];
    // By day: temps 10..60, rains 0 1 1 1 0 0, labels y x x x y y.
    const next = tableDataset(csv(WEEK), transforms(1));
    expect(next.layout).toBe('Seq');
    expect(next.shape).toEqual([3, 2]);
    expect(next.features).toEqual(['temp', 'rain']);
    expect(next.size).toBe(6 - 3 - 1 + 1);
    expect(rows(next.x, 6)).toEqual([
      [10, 0, 20, 1, 30, 1],
      [20, 1, 30, 1, 40, 1],
      [30, 1, 40, 1, 50, 0],
    ]);
    const label = (d: (typeof next)['y'], names: string[]) => Array.from(d, (k) => names[k]);
    expect(label(next.y, next.classNames)).toEqual(['x', 'y', 'y']); // days 4, 5, 6
    const last = tableDataset(csv(WEEK), transforms(0));
    expect(last.size).toBe(4);
    expect(label(last.y, last.classNames)).toEqual(['x', 'x', 'y', 'y']); // days 3 to 6
    const later = tableDataset(csv(WEEK), transforms(2));
    expect(later.size).toBe(2);
    expect(label(later.y, later.classNames)).toEqual(['y', 'y']); // days 5, 6
  });

  it('orders windows by a date column as text, and keeps them in time order for the split', () => {
    const table = csv(
      'date,v,label\n2012-01-03,3,c\n2011-12-31,0,a\n2012-01-01,1,b\n2012-01-02,2,a\n',
    );
    const data = tableDataset(table, [{ kind: 'window', length: 2, by: 'date', horizon: 1 }], {
      split: 0.5,
      test: 0,
    });
    // Standardise nothing (CSV), shuffle nothing: the first window is the earliest.
    expect(rows(data.x, 2)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(Array.from(data.y, (k) => data.classNames[k])).toEqual(['a', 'c']);
  });

  it('fits the standardisation of windows on the rows the train windows read', () => {
    // Windows of 2 days, horizon 1: 4 windows; 1 held out, 1 trains (days 1 and 2).
    const data = tableDataset(
      csv(WEEK),
      [
        { kind: 'select', columns: ['day', 'temp'] },
        { kind: 'standardize', columns: ['temp'] },
        { kind: 'window', length: 2, by: 'day', horizon: 1 },
      ],
      { split: 0.5, test: 0.25 },
    );
    expect(data.size).toBe(4);
    expect(data.transforms).toEqual([
      { kind: 'standardize', columns: ['temp'], mean: [15], std: [5] },
      { kind: 'columns', names: ['temp'] },
      { kind: 'window', length: 2, horizon: 1, by: 'day' },
    ]);
    expect(Array.from(data.x)).toEqual(f32([-1, 1, 1, 3, 3, 5, 5, 7]));
  });

  it('reshapes Vec samples into sequences, the features in order', () => {
    const data = tableDataset(csv(WEEK), [
      { kind: 'drop', columns: ['city'] },
      { kind: 'index', columns: ['rain'] },
      { kind: 'reshape', length: 3 },
    ]);
    expect(data.layout).toBe('Seq');
    expect(data.shape).toEqual([3, 1]);
    expect(rows(data.x, 3)[0]).toEqual([3, 30, 1]);
    const pairs = tableDataset(csv('a,b,c,d,label\n1,2,3,4,x\n'), [
      { kind: 'reshape', length: 2, channels: 2 },
    ]);
    expect(pairs.shape).toEqual([2, 2]);
    expect(pairs.transforms?.at(-1)).toEqual({ kind: 'reshape', shape: [2, 2] });
  });

  it('drops the vega rows with a gap only in the columns it uses', () => {
    const table: Table = {
      name: 't',
      where: 'vega dataset `t`',
      kind: 'vega',
      columns: ['a', 'b', 'name'],
      cells: new Map([
        ['a', [1, 2, 3]],
        ['b', [null, 5, 6]],
        ['name', ['p', 'q', null]],
      ]),
      label: 'label',
      labels: ['x', 'y', 'x'],
      lines: [1, 2, 3],
    };
    expect(tableDataset(table, []).dropped).toBe(1);
    const data = tableDataset(table, [{ kind: 'drop', columns: ['b'] }]);
    expect(data).toMatchObject({ size: 3, dropped: 0, features: ['a'] }); // `name` is text
  });

  it("standardises a vega table's numeric columns, but not the codes of one it encodes", () => {
    const table: Table = {
      name: 't',
      where: 'vega dataset `t`',
      kind: 'vega',
      columns: ['a', 'k'],
      cells: new Map([
        ['a', [1, 3, 5, 7]],
        ['k', [8, 4, 5, 3]],
      ]),
      label: 'label',
      labels: ['x', 'y', 'x', 'y'],
      lines: [1, 2, 3, 4],
    };
    // Nothing held out, split 0.5: window-free samples are shuffled, so fit on what trains.
    const data = tableDataset(table, [{ kind: 'index', columns: ['k'] }], { split: 0.5, test: 0 });
    const train = splitDataset(data, 0.5, 0).train;
    // The codes are not standardised: they tell which row each sample is (k sorted: 3 4 5 8).
    const rowOf = (i: number) => [8, 4, 5, 3].indexOf([3, 4, 5, 8][data.x[i * 2 + 1]!]!);
    expect(Array.from({ length: 4 }, (_, i) => rowOf(i)).sort()).toEqual([0, 1, 2, 3]);
    const a = train.map((i) => [1, 3, 5, 7][rowOf(i)]!);
    const mean = (a[0]! + a[1]!) / 2;
    expect(data.transforms?.[1]).toEqual({
      kind: 'standardize',
      columns: ['a'],
      mean: [mean],
      std: [Math.abs(a[0]! - a[1]!) / 2],
    });
  });

  it('reports an unknown column of a file with the closest names', () => {
    const found = problem(() => tableDataset(csv(WEEK), [{ kind: 'drop', columns: ['tmp'] }]));
    expect(found.code).toBe('E0223');
    expect(found.message).toMatch(/^no column `tmp` in .*\.csv$/);
    expect(found.help).toBe('did you mean `temp`?');
  });

  it('reports a window longer than the file, a reshape that does not divide, and a measurement one-hot', () => {
    const window = problem(() =>
      tableDataset(csv(WEEK), [{ kind: 'window', length: 6, horizon: 1 }]),
    );
    expect(window.code).toBe('E0419');
    expect(window.message).toMatch(/needs 7 rows, but .*\.csv has 6$/);
    const reshape = problem(() =>
      tableDataset(csv(WEEK), [
        { kind: 'drop', columns: ['city'] },
        { kind: 'reshape', length: 2 },
      ]),
    );
    expect(reshape).toMatchObject({
      code: 'E0420',
      message: '3 features do not divide into 2 steps',
    });
    const many = `v,label\n${Array.from({ length: 17 }, (_, i) => `${i / 2},a`).join('\n')}\n`;
    const onehot = problem(() => tableDataset(csv(many), [{ kind: 'onehot', columns: ['v'] }]));
    expect(onehot.code).toBe('E0421');
  });

  it('names the row and column of a text cell that no transform removed', () => {
    const text = 'date,temp,label\n2012-01-01,1,x\n2012-01-02,2,y\n';
    expect(dataError(() => tableDataset(csv(text), []))).toMatch(
      /\.csv, row 2, column `date`: expected a number, found `2012-01-01`$/,
    );
    expect(tableDataset(csv(text), [{ kind: 'drop', columns: ['date'] }]).features).toEqual([
      'temp',
    ]);
  });
});
