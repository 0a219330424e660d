import { describe, expect, it } from 'vitest';

import { heatMap } from '../../src/report/heatMap.js';
import { alphaHeatMap, byClass, parseChart } from '../helpers/charts.js';
import { findAll, textOf, type XmlElement } from '../helpers/parseXml.js';

/** WCAG 2 relative luminance of `#rrggbb`, written here again so the test does not trust the code. */
function luminance(hex: string): number {
  expect(hex).toMatch(/^#[0-9a-f]{6}$/);
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Each cell's group: its rectangle, its printed text and its tooltip. */
function cells(doc: XmlElement) {
  return byClass(doc, 'cell').map((rect) => {
    const group = findAll(doc, (e) => e.name === 'g' && e.children.includes(rect))[0]!;
    const text = group.children.find((c) => typeof c !== 'string' && c.name === 'text');
    const title = group.children.find((c) => typeof c !== 'string' && c.name === 'title');
    return { rect, text: text as XmlElement, title: title as XmlElement };
  });
}

describe('report: heatMap', () => {
  const doc = parseChart(heatMap(alphaHeatMap));
  const all = cells(doc);

  it('has a cell per row and column, in row order, with its value printed', () => {
    expect(all).toHaveLength(5 * 4);
    const printed = all.map((c) => Number(textOf(c.text)));
    expect(printed).toEqual(alphaHeatMap.values.flat().map((v) => Number(v.toFixed(2))));
    expect(all.map((c) => textOf(c.text))).toContain('0.21');
  });

  it('names each cell by row and column in its tooltip', () => {
    expect(textOf(all[4 * 4]!.title)).toBe('2 → 3 · none: 0.213');
    expect(textOf(all[4 * 4 + 2]!.title)).toBe('2 → 3 · sep_conv_3x3: 0.387');
  });

  it('colours a larger value darker', () => {
    const byValue = all
      .map((c, i) => ({ value: alphaHeatMap.values.flat()[i]!, fill: c.rect.attributes['fill']! }))
      .sort((a, b) => a.value - b.value);
    for (let i = 1; i < byValue.length; i++) {
      const [lighter, darker] = [byValue[i - 1]!, byValue[i]!];
      if (darker.value > lighter.value) {
        expect(luminance(darker.fill)).toBeLessThan(luminance(lighter.fill));
      }
    }
  });

  it('prints values in a colour that contrasts with their cell', () => {
    const colors = new Set(all.map((c) => c.text.attributes['fill']));
    expect(colors.size).toBe(2); // dark text on light cells, light text on dark ones
    const ramp = cells(
      parseChart(
        heatMap({
          title: 'ramp',
          rows: ['r'],
          columns: Array.from({ length: 41 }, (_, i) => `c${i}`),
          values: [Array.from({ length: 41 }, (_, i) => i / 40)],
        }),
      ),
    );
    for (const c of ramp) {
      // 4.35:1 is the best both black and white can guarantee where they cross over.
      expect(contrast(c.rect.attributes['fill']!, c.text.attributes['fill']!)).toBeGreaterThan(4.3);
    }
  });

  it('outlines the marked cells, and only those', () => {
    const marked = byClass(doc, 'marked');
    const index = (rect: XmlElement) => all.findIndex((c) => c.rect === rect);
    expect(marked.map(index)).toEqual([0 * 4 + 2, 1 * 4 + 1, 2 * 4 + 2, 4 * 4 + 2]);
    for (const rect of marked) expect(rect.attributes['stroke']).toMatch(/^#/);
    for (const c of all.filter((c) => !marked.includes(c.rect))) {
      expect(c.rect.attributes['stroke']).toBeUndefined();
    }
  });

  it('prints n/a for a missing or non-finite value', () => {
    const svg = heatMap({ ...alphaHeatMap, values: [[NaN, Infinity], [0.5]] });
    const printed = cells(parseChart(svg)).map((c) => textOf(c.text));
    expect(printed.slice(0, 6)).toEqual(['n/a', 'n/a', 'n/a', 'n/a', '0.50', 'n/a']);
    expect(printed).toHaveLength(20);
  });

  it('cuts a long label with an ellipsis and keeps it whole in a tooltip', () => {
    const long = `${'sep_conv_3x3_'.repeat(20)}end`;
    const svg = heatMap({ ...alphaHeatMap, rows: [long, ...alphaHeatMap.rows.slice(1)] });
    const rowLabels = byClass(parseChart(svg), 'row-labels')[0]!;
    const labels = findAll(rowLabels, (e) => e.name === 'g' && e !== rowLabels);
    expect(labels).toHaveLength(1);
    const [title, text] = findAll(labels[0]!, (e) => e !== labels[0]);
    expect([title!.name, textOf(title!)]).toEqual(['title', long]);
    expect([text!.name, textOf(text!)]).toEqual([
      'text',
      expect.stringMatching(/^sep_conv_3x3_.*…$/),
    ]);
  });

  it('sizes itself from its rows and columns, with every cell inside', () => {
    const size = (rows: number, columns: number) => {
      const doc = parseChart(
        heatMap({
          title: 'm',
          rows: Array.from({ length: rows }, (_, i) => `r${i}`),
          columns: Array.from({ length: columns }, (_, i) => `c${i}`),
          values: [],
        }),
      );
      for (const rect of byClass(doc, 'cell')) {
        const right = Number(rect.attributes['x']) + Number(rect.attributes['width']);
        const bottom = Number(rect.attributes['y']) + Number(rect.attributes['height']);
        expect(right).toBeLessThanOrEqual(Number(doc.attributes['width']));
        expect(bottom).toBeLessThanOrEqual(Number(doc.attributes['height']));
      }
      return [Number(doc.attributes['width']), Number(doc.attributes['height'])];
    };
    const [w1, h1] = size(14, 8);
    const [w2, h2] = size(28, 16);
    expect(w2! - w1!).toBeGreaterThanOrEqual(8 * 40);
    expect(h2! - h1!).toBeGreaterThanOrEqual(14 * 20);
  });
});
