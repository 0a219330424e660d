import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  heatMap,
  lineChart,
  type HeatMapOptions,
  type LineChartOptions,
} from '../../src/report/charts.js';
import { alphaHeatMap, byClass, lossChart, parseChart } from '../helpers/charts.js';
import { findAll, parseXml, textOf } from '../helpers/parseXml.js';

/**
 * The charts of the run report with hostile input: labels that are markup, characters XML
 * forbids, and data no run should produce but a crash or a user can (NaN, infinities, huge
 * values, empty series, ragged tables). Every case must give well-formed SVG without a NaN.
 */

const nasty = `<script>&"'`;

describe('report: escaping', () => {
  const svgs = [
    lineChart({
      title: nasty,
      xLabel: nasty,
      yLabel: nasty,
      series: [{ name: nasty, points: [[1, 2]], color: nasty }],
    }),
    heatMap({ title: nasty, rows: [nasty], columns: [nasty], values: [[0.5]], marked: [[0, 0]] }),
  ];

  it('writes a label such as <script>&"\' only escaped', () => {
    for (const svg of svgs) {
      expect(svg).not.toContain('<script');
      expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
      expect(svg.replace(/="[^"]*"/g, '')).not.toMatch(/["']/);
      expect(svg).toContain('&lt;script&gt;&amp;&quot;&#39;');
    }
  });

  it('gives the label back intact to an XML reader, in text and attributes', () => {
    for (const svg of svgs) {
      const doc = parseChart(svg);
      expect(doc.attributes['aria-label']).toBe(nasty);
      expect(textOf(findAll(doc, (e) => e.name === 'title')[0]!)).toBe(nasty);
    }
    expect(byClass(parseChart(svgs[0]!), 'series')[0]!.attributes['data-name']).toBe(nasty);
  });

  it('replaces characters XML forbids', () => {
    const svg = lineChart({ ...lossChart, title: 'a\u0000b\ud800c' });
    expect(parseChart(svg).attributes['aria-label']).toBe('a\ufffdb\ufffdc');
  });
});

describe('report: chart edge cases', () => {
  const lines: [string, Partial<LineChartOptions>][] = [
    ['no series', { series: [] }],
    ['an empty series', { series: [{ name: 'e', points: [] }] }],
    ['one point', { series: [{ name: 'p', points: [[3, 0.5]] }] }],
    [
      'all-equal values',
      {
        series: [
          {
            name: 'c',
            points: [
              [1, 2],
              [2, 2],
              [3, 2],
            ],
          },
        ],
      },
    ],
    [
      'all zero',
      {
        series: [
          {
            name: 'z',
            points: [
              [0, 0],
              [0, 0],
            ],
          },
        ],
      },
    ],
    [
      'only NaN and Infinity',
      {
        series: [
          {
            name: 'n',
            points: [
              [NaN, 1],
              [1, -Infinity],
            ],
          },
        ],
      },
    ],
    [
      'huge and tiny values',
      {
        series: [
          {
            name: 'h',
            points: [
              [0, 3.4e38],
              [1, -1e-30],
              [2, 1e301],
            ],
          },
        ],
      },
    ],
    [
      'negative values',
      {
        series: [
          {
            name: 'neg',
            points: [
              [-5, -0.001],
              [5, -0.002],
            ],
          },
        ],
      },
    ],
    ['a reversed, degenerate y range', { yMin: 2, yMax: -2, series: [] }],
    ['a non-finite size', { width: NaN, height: -Infinity }],
    ['a tiny size', { width: 1, height: 1 }],
    ['a huge size', { width: 1e300, height: 1e300 }],
    [
      'malformed points',
      { series: [{ name: 'm', points: [[], [1], [null, 2], ['1', 2]] as never }] },
    ],
    ['long labels', { title: 'T'.repeat(500), xLabel: 'x'.repeat(500), yLabel: 'y'.repeat(500) }],
  ];
  for (const [name, options] of lines) {
    it(`draws a line chart with ${name}`, () => {
      parseChart(lineChart({ ...lossChart, ...options }));
    });
  }

  const maps: [string, Partial<HeatMapOptions>][] = [
    ['no rows', { rows: [], values: [] }],
    ['no columns', { columns: [], values: [[], [], [], [], []] }],
    [
      'ragged and non-finite values',
      { values: [[NaN], [Infinity, -Infinity], [], [2, -1, 0.5, 0.5, 9]] },
    ],
    [
      'marks out of range',
      {
        marked: [
          [-1, 0],
          [0, 99],
          [NaN, 1],
          [0.5, 1],
        ],
      },
    ],
    ['long labels', { rows: ['r'.repeat(300)], columns: ['c'.repeat(300)] }],
  ];
  for (const [name, options] of maps) {
    it(`draws a heat map with ${name}`, () => {
      parseChart(heatMap({ ...alphaHeatMap, ...options }));
    });
  }

  it('draws any series and labels as well-formed SVG without non-numbers (property)', () => {
    // Any UTF-16 unit: control characters and lone surrogates too.
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -5, max: 100 }),
      fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e300, 5e-324),
    );
    const series = fc.record({
      name: fc.string({ unit: anyUnit, maxLength: 40 }),
      points: fc.array(fc.tuple(value, value), { maxLength: 8 }),
      dashed: fc.boolean(),
    });
    const options = fc.record({
      title: fc.string({ unit: anyUnit }),
      series: fc.array(series, { maxLength: 12 }),
      percent: fc.boolean(),
      integerX: fc.boolean(),
      yMin: fc.option(value, { nil: undefined }),
    });
    fc.assert(
      fc.property(options, (o) => {
        const doc = parseChart(lineChart({ xLabel: 'x', yLabel: 'y', ...o }));
        expect(byClass(doc, 'series')).toHaveLength(o.series.length);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('report: the well-formedness check of these tests', () => {
  it('accepts a well-formed document and decodes its entities', () => {
    const doc = parseXml('<svg a="&lt;&#39;&#x41;"><g/><text>x &amp; y</text></svg>');
    expect(doc.attributes['a']).toBe("<'A");
    expect(textOf(doc)).toBe('x & y');
  });

  for (const bad of [
    '<svg><g></svg>',
    '<svg></g>',
    '<svg>a & b</svg>',
    '<svg>a < b</svg>',
    '<svg a="1" a="2"/>',
    '<svg a=1/>',
    '<svg a="<"/>',
    '<svg>&nbsp;</svg>',
    '<svg>\u0001</svg>',
    '<svg/><svg/>',
    '<!-- c --><svg/>',
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(() => parseXml(bad)).toThrow();
    });
  }
});
