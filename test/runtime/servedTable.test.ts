import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { DataSpec } from '../../src/elaborate/dataPipeline.js';
import { preprocessBatch, type RawSample } from '../../src/intrinsics/preprocessing.js';
import { loadDataset } from '../../src/runtime/data.js';

/**
 * A served model takes raw table rows: for tables whose transforms encode categories and make
 * windows, the preprocessing a dataset records, applied to the raw rows of vega-datasets read
 * here (not through the loaders), gives exactly the samples the network trained on.
 */
const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('vega-datasets')), '..', 'data');
type Row = Record<string, string | number | null>;

const vegaRows = (file: string): Row[] => JSON.parse(readFileSync(join(dataDir, file), 'utf8'));

/** seattle-weather.csv by hand: numbers where the text is one. */
function seattleRows(): Row[] {
  const [header, ...lines] = readFileSync(join(dataDir, 'seattle-weather.csv'), 'utf8')
    .trim()
    .split('\n');
  const names = header!.split(',');
  return lines.map((line) =>
    Object.fromEntries(
      line.split(',').map((v, i) => [names[i]!, /^-?[\d.]+$/.test(v) ? Number(v) : v]),
    ),
  );
}

const samplesOf = (x: Float32Array, size: number) =>
  Array.from({ length: x.length / size }, (_, i) =>
    Array.from(x.subarray(i * size, (i + 1) * size)),
  );

describe('runtime: served table preprocessing', () => {
  it('encodes categories as the search did: penguins with onehot("Island") and index("Sex")', () => {
    const spec: DataSpec = {
      kind: 'vega',
      args: { name: 'penguins', label: 'Species' },
      transforms: [
        { kind: 'onehot', columns: ['Island'] },
        { kind: 'index', columns: ['Sex'] },
      ],
    };
    const data = loadDataset(spec, { layout: 'Vec', dims: [8] }, 3);
    const p = data.preprocessing;
    expect(p.input).toEqual({
      kind: 'table',
      columns: [
        'Island',
        'Beak Length (mm)',
        'Beak Depth (mm)',
        'Flipper Length (mm)',
        'Body Mass (g)',
        'Sex',
      ],
    });
    expect(p.steps.map((s) => s.kind)).toEqual(['encode', 'encode', 'scale']);
    // Every complete row of the file, served, is one of the samples; and every sample is one.
    const used = [...(p.input as unknown as { columns: string[] }).columns, 'Species'];
    const raw = vegaRows('penguins.json').filter((r) => used.every((c) => r[c] !== null));
    expect(raw.length).toBe(data.size);
    const key = (v: number[]) => v.map((x) => x.toFixed(4)).join(' ');
    const served = samplesOf(preprocessBatch(p, raw as RawSample[], data.shape), 8).map(key);
    expect(served.sort()).toEqual(samplesOf(data.x, 8).map(key).sort());
    // The one-hot columns are 0/1 with one 1; the island names are the categories.
    expect(served.some((s) => s.startsWith('1.0000 0.0000 0.0000'))).toBe(true);
  });

  it('serves a window of raw rows, oldest first: seattle-weather as the example searches it', () => {
    const columns = ['precipitation', 'temp_max', 'temp_min', 'wind'];
    const spec: DataSpec = {
      kind: 'vega',
      args: { name: 'seattle-weather', label: 'weather' },
      transforms: [
        { kind: 'select', columns: ['date', ...columns] },
        { kind: 'window', length: 7, by: 'date', horizon: 1 },
      ],
    };
    const data = loadDataset(spec, { layout: 'Seq', dims: [7, 4] }, 5);
    expect(data.preprocessing.input).toEqual({ kind: 'table', columns, rows: 7 });
    const days = seattleRows().sort((a, b) => String(a.date).localeCompare(String(b.date)));
    // Window i is days i..i+6, labelled by day i+7: the samples stay in time order.
    expect(data.size).toBe(days.length - 7);
    const windows = [0, 1, 500, data.size - 1].map((i) => days.slice(i, i + 7));
    const served = samplesOf(preprocessBatch(data.preprocessing, windows, [7, 4]), 28);
    const expected = samplesOf(data.x, 28);
    [0, 1, 500, data.size - 1].forEach((i, k) => {
      served[k]!.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 5));
    });
  });
});
