import { expect } from 'vitest';

import type { HeatMapOptions, LineChartOptions } from '../../src/report/charts.js';
import { findAll, hasClass, parseXml, type XmlElement } from './parseXml.js';

// The inputs of the chart goldens (test/fixtures/report/), reused by the other chart tests, and
// the well-formedness check every chart test applies.

/** Train and validation loss over 3 epochs. */
export const lossChart: LineChartOptions = {
  title: 'Loss',
  xLabel: 'epoch',
  yLabel: 'cross-entropy',
  integerX: true,
  series: [
    {
      name: 'train',
      points: [
        [1, 2.31],
        [2, 1.52],
        [3, 1.07],
      ],
    },
    {
      name: 'valid',
      points: [
        [1, 2.35],
        [2, 1.71],
        [3, 1.38],
      ],
      dashed: true,
    },
  ],
};

/** softmax(α) of 5 edges over 4 ops, with the kept ops marked. */
export const alphaHeatMap: HeatMapOptions = {
  title: 'normal cell · softmax(α), epoch 3',
  rows: ['0 → 2', '1 → 2', '0 → 3', '1 → 3', '2 → 3'],
  columns: ['none', 'skip_connect', 'sep_conv_3x3', 'max_pool_3x3'],
  values: [
    [0.1, 0.2, 0.6, 0.1],
    [0.05, 0.5, 0.4, 0.05],
    [0, 0.25, 0.5, 0.25],
    [0.9, 0.05, 0.03, 0.02],
    [0.213, 0.3, 0.387, 0.1],
  ],
  marked: [
    [0, 2],
    [1, 1],
    [2, 2],
    [4, 2],
  ],
};

/** Parses `svg` (throwing if it is not well-formed) and checks it has no non-numbers in it. */
export function parseChart(svg: string): XmlElement {
  expect(svg).not.toMatch(/NaN|Infinity|undefined|\[object/);
  const doc = parseXml(svg);
  expect(doc.name).toBe('svg');
  expect(doc.attributes['viewBox']).toMatch(/^0 0 \d+(\.\d)? \d+(\.\d)?$/);
  expect(doc.attributes['role']).toBe('img');
  return doc;
}

/** The elements of `doc` with the class `cls`. */
export function byClass(doc: XmlElement, cls: string): XmlElement[] {
  return findAll(doc, (e) => hasClass(e, cls));
}
