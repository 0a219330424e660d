import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { splitDataset } from '../../../src/runtime/data.js';
import { loadVega, readVegaTable, vegaNames } from '../../../src/runtime/loaders/vega.js';
import { tableDataset } from '../../../src/runtime/tableDataset.js';
import { dataError, f32 } from '../../helpers/dataErrors.js';

const dataDir = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '../data');

function column(x: Float32Array, width: number, j: number): number[] {
  return Array.from({ length: x.length / width }, (_, i) => x[i * width + j]!);
}

const NAMES = [
  'anscombe',
  'barley',
  'burtin',
  'cars',
  'gapminder',
  'gapminder-health-income',
  'penguins',
  'seattle-weather',
  'stocks',
  'weather',
];

describe('loadVega', () => {
  it('lists the tables of the installed package', () => {
    expect(vegaNames()).toEqual(NAMES);
  });

  it('reads penguins value by value, dropping rows with a missing measurement', () => {
    type Penguin = Record<string, string | number | null>;
    const raw = JSON.parse(readFileSync(join(dataDir, 'penguins.json'), 'utf8')) as Penguin[];
    const features = [
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
    ];
    const kept = raw.filter((r) => features.every((f) => r[f] !== null));
    const data = loadVega('penguins', { label: 'Species' });
    expect(data).toMatchObject({
      name: 'penguins',
      layout: 'Vec',
      shape: [4],
      size: 342,
      classes: 3,
      dropped: 2,
      features,
      classNames: ['Adelie', 'Chinstrap', 'Gentoo'],
    });
    expect(kept.length).toBe(342);
    expect(Array.from(data.y)).toEqual(
      kept.map((r) => data.classNames.indexOf(r.Species as string)),
    );
    // As in the file: a search standardises them on its train split (tableDataset.test.ts).
    features.forEach((f, j) => {
      expect(column(data.x, 4, j)).toEqual(f32(kept.map((r) => r[f] as number)));
    });
  });

  it('drops rows missing the label too, and only those', () => {
    const data = loadVega('penguins', { label: 'Sex' });
    // The file's own quirk: one penguin's sex is recorded as '.'.
    expect(data.classNames).toEqual(['MALE', 'FEMALE', '.']);
    expect(data.size + data.dropped).toBe(344);
    expect(data.dropped).toBe(10);
  });

  it('reads cars, skipping text columns, with an integer label column', () => {
    const data = loadVega('cars', { label: 'Cylinders' });
    expect(data.features).toEqual([
      'Miles_per_Gallon',
      'Displacement',
      'Horsepower',
      'Weight_in_lbs',
      'Acceleration',
    ]);
    expect(data.classNames).toEqual(['8', '4', '6', '3', '5']);
    expect(data.size + data.dropped).toBe(406);
  });

  it('standardises every numeric column with the mean and deviation of the train split', () => {
    const data = tableDataset(readVegaTable('cars', 'Cylinders'), [], { split: 0.5, test: 0.1 });
    const train = splitDataset(data, 0.5, 0.1).train;
    expect(train.length).toBe(Math.floor(0.5 * (data.size - Math.round(0.1 * data.size))));
    for (let j = 0; j < 5; j++) {
      const c = train.map((i) => data.x[i * 5 + j]!);
      const mean = c.reduce((a, b) => a + b, 0) / c.length;
      const variance = c.reduce((a, v) => a + (v - mean) ** 2, 0) / c.length;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 4);
    }
    const fitted = data.transforms?.[0] as unknown as { mean: number[]; std: number[] };
    expect(fitted).toMatchObject({ kind: 'standardize', columns: data.features });
    // A served model standardises raw rows, by column name, with the same constants.
    expect(data.preprocessing).toEqual({
      input: { kind: 'table', columns: data.features },
      steps: [{ kind: 'scale', mean: fitted.mean, std: fitted.std }],
      labels: data.classNames,
    });
  });

  it('reads CSV tables: seattle-weather', () => {
    const data = loadVega('seattle-weather', { label: 'weather' });
    expect(data).toMatchObject({
      shape: [4],
      size: 1461,
      dropped: 0,
      features: ['precipitation', 'temp_max', 'temp_min', 'wind'],
      classNames: ['drizzle', 'rain', 'sun', 'snow', 'fog'],
    });
    const lines = readFileSync(join(dataDir, 'seattle-weather.csv'), 'utf8').trim().split('\n');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(Array.from(data.y.slice(0, 5))).toEqual(
      rows.slice(0, 5).map((r) => data.classNames.indexOf(r[5]!)),
    );
    expect(column(data.x, 4, 3)).toEqual(f32(rows.map((r) => Number(r[4]))));
  });

  it('loads every listed table with a natural label', () => {
    const labels: Record<string, string> = {
      anscombe: 'Series',
      barley: 'site',
      burtin: 'Genus',
      cars: 'Origin',
      gapminder: 'cluster',
      'gapminder-health-income': 'region',
      penguins: 'Species',
      'seattle-weather': 'weather',
      stocks: 'symbol',
      weather: 'location',
    };
    for (const name of NAMES) {
      const data = loadVega(name, { label: labels[name]! });
      expect(data.x.length).toBe(data.size * data.shape[0]!);
      expect(data.x.every(Number.isFinite)).toBe(true);
      expect(data.classes).toBeGreaterThan(1);
    }
  });

  it('reports an unknown name, listing the available ones', () => {
    expect(dataError(() => loadVega('iris', { label: 'species' }))).toBe(
      `unknown vega dataset \`iris\`; the available ones are ${NAMES.map((n) => `\`${n}\``).join(', ')}`,
    );
  });

  it('reports a missing label column, listing the columns', () => {
    expect(dataError(() => loadVega('penguins', { label: 'species' }))).toBe(
      'vega dataset `penguins` has no column `species`; the columns are `Species`, `Island`, ' +
        '`Beak Length (mm)`, `Beak Depth (mm)`, `Flipper Length (mm)`, `Body Mass (g)`, `Sex`',
    );
  });

  it('reports a float label column and a table without numeric features', () => {
    expect(dataError(() => loadVega('anscombe', { label: 'Y' }))).toBe(
      'vega dataset `anscombe`, row 1: the label `Y` must be a string or an integer, found 8.04',
    );
    expect(dataError(() => loadVega('stocks', { label: 'price' }))).toBe(
      'vega dataset `stocks` has no numeric columns besides `price`',
    );
  });
});
