import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { heatMap, lineChart, opColor } from '../../src/report/charts.js';
import { alphaHeatMap, byClass, lossChart, parseChart } from '../helpers/charts.js';
import { findAll, textOf } from '../helpers/parseXml.js';

/**
 * The charts of the run report. Goldens pin the whole markup (`UPDATE_GOLDENS=1 npm test`
 * rewrites test/fixtures/report/*.svg; review the diff, and open the files in a browser); the
 * other tests check geometry, ticks, escaping and edge cases independently of them.
 */
const root = join(import.meta.dirname, '..', '..');
const update = process.env.UPDATE_GOLDENS === '1';

function compareGolden(name: string, svg: string): void {
  const dir = join(root, 'test', 'fixtures', 'report');
  const golden = join(dir, name);
  if (update) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(golden, `${svg}\n`);
  }
  if (!existsSync(golden)) throw new Error(`missing ${golden}; run UPDATE_GOLDENS=1 npm test`);
  expect(`${svg}\n`).toBe(readFileSync(golden, 'utf8'));
}

describe('report: chart goldens', () => {
  it('draws a two-series loss chart over 3 epochs as its golden', () => {
    compareGolden('lossChart.svg', lineChart(lossChart));
  });

  it('draws a 5×4 heat map with marks as its golden', () => {
    compareGolden('alphaHeatMap.svg', heatMap(alphaHeatMap));
  });

  it('gives byte-identical output for the same input', () => {
    expect(lineChart(lossChart)).toBe(lineChart(structuredClone(lossChart)));
    expect(heatMap(alphaHeatMap)).toBe(heatMap(structuredClone(alphaHeatMap)));
  });
});

/** [x, y] pairs of the `M`/`L` commands of a path, and where each run starts. */
function pathPoints(d: string): { x: number; y: number; move: boolean }[] {
  expect(d).toMatch(/^(?:[ML]-?\d+(?:\.\d)? -?\d+(?:\.\d)?(?: |$))*$/);
  return [...d.matchAll(/([ML])(-?[\d.]+) (-?[\d.]+)/g)].map((m) => ({
    move: m[1] === 'M',
    x: Number(m[2]),
    y: Number(m[3]),
  }));
}

describe('report: lineChart', () => {
  // x 0..10 and y 0..1 give, by hand, x ticks 0, 2, …, 10 (10/6 ≈ 1.7 rounds to a step of 2)
  // and y ticks 0, 0.2, …, 1: the axes span exactly the data.
  const chart = lineChart({
    title: 't',
    xLabel: 'x',
    yLabel: 'y',
    width: 400,
    height: 200,
    series: [
      {
        name: 'a',
        points: [
          [0, 0],
          [2.5, 0.25],
          [10, 1],
        ],
      },
    ],
  });
  const doc = parseChart(chart);
  const [plot] = byClass(doc, 'plot-area');
  const [left, top, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(plot!.attributes[k]));

  it('maps a known point to the pixel computed from the plot area and axis range', () => {
    const [path] = byClass(doc, 'series');
    const points = pathPoints(path!.attributes['d']!);
    expect(points).toHaveLength(3);
    // (2.5, 0.25) is a quarter of the way along both axes; y grows upwards.
    expect(points[1]!.x).toBeCloseTo(left! + 0.25 * w!, 1);
    expect(points[1]!.y).toBeCloseTo(top! + h! - 0.25 * h!, 1);
    expect(points[0]).toEqual({ move: true, x: left, y: top! + h! });
    expect(points[2]).toEqual({ move: false, x: left! + w!, y: top });
  });

  it('labels the axes with the ticks computed by hand, each at its pixel', () => {
    const labels = findAll(
      byClass(doc, 'axes')[0]!,
      (e) => e.name === 'text' && !e.attributes['class'],
    );
    const xs = labels.filter((e) => e.attributes['text-anchor'] === 'middle');
    const ys = labels.filter((e) => e.attributes['text-anchor'] === 'end');
    expect(xs.map(textOf)).toEqual(['0', '2', '4', '6', '8', '10']);
    expect(ys.map(textOf)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    xs.forEach((e, i) => expect(Number(e.attributes['x'])).toBeCloseTo(left! + (i / 5) * w!, 1));
    ys.forEach((e, i) =>
      expect(Number(e.attributes['y'])).toBeCloseTo(top! + h! - (i / 5) * h!, 1),
    );
  });

  it('chooses nice ticks covering the data', () => {
    const svg = lineChart({
      ...lossChart,
      series: [
        {
          name: 's',
          points: [
            [0, 0.013],
            [7, 0.0871],
          ],
        },
      ],
    });
    const ys = findAll(parseChart(svg), (e) => e.attributes['text-anchor'] === 'end').map((e) =>
      Number(textOf(e)),
    );
    expect(ys[0]).toBeLessThanOrEqual(0.013);
    expect(ys[ys.length - 1]).toBeGreaterThanOrEqual(0.0871);
    const step = ys[1]! - ys[0]!;
    expect(step / 10 ** Math.floor(Math.log10(step) + 1e-9)).toSatisfy((m: number) =>
      [1, 2, 5].some((n) => Math.abs(m - n) < 1e-6),
    );
    ys.forEach((t, i) => expect(t).toBeCloseTo(ys[0]! + i * step, 9));
  });

  it('draws one path per series, named, in its palette colour, dashed when asked', () => {
    const paths = byClass(parseChart(lineChart(lossChart)), 'series');
    expect(paths.map((p) => p.attributes['data-name'])).toEqual(['train', 'valid']);
    expect(paths.map((p) => p.attributes['stroke'])).toEqual([opColor(0), opColor(1)]);
    expect(paths.map((p) => p.attributes['stroke-dasharray'])).toEqual([undefined, '5 3']);
  });

  it('gives each point a tooltip with its series, x and y', () => {
    const titles = findAll(parseChart(lineChart(lossChart)), (e) => e.name === 'circle').map(
      textOf,
    );
    expect(titles).toContain('valid · epoch 2: 1.71');
    expect(titles).toHaveLength(6);
  });

  it('skips a NaN or infinite point and breaks the line there', () => {
    const points: [number, number][] = [
      [1, 1],
      [2, NaN],
      [3, 2],
      [4, Infinity],
      [5, 3],
      [6, 4],
    ];
    const svg = lineChart({ ...lossChart, series: [{ name: 's', points }] });
    const path = byClass(parseChart(svg), 'series')[0]!;
    expect(pathPoints(path.attributes['d']!).map((p) => p.move)).toEqual([true, true, true, false]);
  });

  it('shows y ticks and tooltips as percentages when asked', () => {
    const svg = lineChart({
      ...lossChart,
      percent: true,
      yMin: 0,
      yMax: 1,
      series: [
        {
          name: 'acc',
          points: [
            [1, 0.5],
            [2, 0.734],
          ],
        },
      ],
    });
    const doc = parseChart(svg);
    const ys = findAll(doc, (e) => e.attributes['text-anchor'] === 'end').map(textOf);
    expect(ys).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
    expect(findAll(doc, (e) => e.name === 'circle').map(textOf)).toContain('acc · epoch 2: 73.4%');
  });

  it('puts epochs on whole-number ticks, even for a single epoch', () => {
    for (const points of [
      [[1, 0.5]],
      [
        [1, 0.5],
        [2, 0.4],
      ],
    ] as [number, number][][]) {
      const doc = parseChart(lineChart({ ...lossChart, series: [{ name: 's', points }] }));
      const xs = findAll(
        doc,
        (e) => e.attributes['text-anchor'] === 'middle' && !e.attributes['class'],
      );
      expect(xs.map(textOf).every((t) => /^-?\d+$/.test(t))).toBe(true);
    }
  });

  it('wraps a legend of many series into rows, growing the picture', () => {
    const series = Array.from({ length: 30 }, (_, i) => ({
      name: `edge ${i} sep_conv_3x3`,
      points: [],
    }));
    const doc = parseChart(lineChart({ ...lossChart, series }));
    const rows = new Set(
      findAll(byClass(doc, 'legend')[0]!, (e) => e.name === 'line').map((e) => e.attributes['y1']),
    );
    expect(rows.size).toBeGreaterThan(3);
    expect(Number(doc.attributes['height'])).toBeGreaterThan(260 + 3 * 16);
    for (const line of findAll(byClass(doc, 'legend')[0]!, (e) => e.name === 'text')) {
      expect(Number(line.attributes['x'])).toBeLessThan(560);
    }
  });

  it('cuts a long series name with an ellipsis and keeps it whole in a tooltip', () => {
    const name = `cell 3 · edge 7 · ${'dil_conv_5x5 '.repeat(8)}`;
    const doc = parseChart(lineChart({ ...lossChart, series: [{ name, points: [[1, 1]] }] }));
    const item = byClass(doc, 'legend-item')[0]!;
    expect(textOf(findAll(item, (e) => e.name === 'text')[0]!)).toMatch(/^cell 3 · edge 7 .*…$/);
    expect(textOf(findAll(item, (e) => e.name === 'title')[0]!)).toBe(name);
  });
});
