import { describe, expect, it } from 'vitest';

import {
  alphasMismatch,
  alphasText,
  namedAlphas,
  readAlphas,
  type SavedAlphaTable,
} from '../../src/ir/alphasFile.js';
import type { IrTable } from '../../src/ir/graph.js';
import { exampleText } from '../helpers/derived.js';
import { graphOf } from '../helpers/host.js';

const tiny = graphOf(exampleText('tiny.darts')).tables[0]!;
const cifar = graphOf(exampleText('darts_cifar10.darts')).tables;

/** α numbered by position, so that a row or column out of place shows. */
const numbered = (t: IrTable) =>
  Array.from({ length: t.rows }, (_, r) => t.columns.map((_, c) => r + c / 10));

const tinyNamed = () => namedAlphas([tiny], { normal: numbered(tiny) }).normal!;
const read = (json: unknown) => readAlphas(json) as { tables: Record<string, SavedAlphaTable> };

describe('ir: alphasFile', () => {
  it("names a table's columns by candidate and its rows by edge", () => {
    expect(tinyNamed()).toEqual({
      cell: 'Tiny',
      inputs: 2,
      keep: 2,
      columns: ['none', 'max_pool_3x3', 'skip_connect', 'sep_conv_3x3'],
      parameterFree: [true, true, true, false],
      rows: ['c_{k-2} -> 0', 'c_{k-1} -> 0', 'c_{k-2} -> 1', 'c_{k-1} -> 1', '0 -> 1'],
      alpha: numbered(tiny),
    });
  });

  it("names a one-input cell's rows from `c_{k-1}`", () => {
    const uno = graphOf(exampleText('uno.darts')).tables[0]!;
    const named = namedAlphas([uno], { normal: numbered(uno) }).normal!;
    expect([named.cell, named.inputs, named.rows]).toEqual([
      'Layers',
      1,
      ['c_{k-1} -> 0', '0 -> 1'],
    ]);
  });

  it('writes one line per α row and reads the text back as written', () => {
    const raw = Object.fromEntries(cifar.map((t) => [t.name, numbered(t)]));
    const file = namedAlphas(cifar, raw);
    const text = alphasText(file);
    expect(Object.keys(file)).toEqual(['normal', 'reduce']);
    expect(file.reduce!.rows).toHaveLength(14);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain(`\n      ${JSON.stringify(raw.normal![13])}\n`);
    expect(text).toContain(`\n    "columns": ${JSON.stringify(cifar[0]!.columns)},\n`);
    expect(readAlphas(JSON.parse(text))).toEqual({ tables: JSON.parse(text) });
    for (const t of cifar)
      expect(alphasMismatch(read(JSON.parse(text)).tables[t.name]!, t)).toBe(undefined);
  });

  it("reads an older file's rows as an unnamed table", () => {
    expect(readAlphas({ normal: [[1, 2]], reduce: [] })).toEqual({
      tables: { normal: { alpha: [[1, 2]] }, reduce: { alpha: [] } },
    });
    const odd = read(JSON.parse('{"__proto__": [[1]]}'));
    expect(Object.hasOwn(odd.tables, '__proto__')).toBe(true);
  });

  it.each([
    [null, 'not an object of α tables'],
    [[[1]], 'not an object of α tables'],
    [{ normal: 3 }, '`normal` is neither rows of α nor a table with `alpha`'],
    [{ normal: { columns: ['a'] } }, '`normal` is neither rows of α nor a table with `alpha`'],
    [{ normal: [[1, 'a']] }, '`normal` is not a list of rows of finite numbers'],
    [{ normal: [[1, null]] }, '`normal` is not a list of rows of finite numbers'],
    [{ normal: { alpha: [1] } }, '`normal` `alpha` is not a list of rows of finite numbers'],
    [{ normal: { alpha: [[1]], cell: 3 } }, '`normal` has a malformed `cell`'],
    [{ normal: { alpha: [[1]], columns: [1] } }, '`normal` has a malformed `columns`'],
    [{ normal: { alpha: [[1]], rows: ['a', 'b'] } }, '`normal` names 2 rows but has 1 rows of α'],
    [
      { normal: { alpha: [[1], [1, 2]], columns: ['a'] } },
      '`normal` names 1 columns but has an α row of another length',
    ],
    [
      { normal: { alpha: [[1]], columns: ['a'], parameterFree: [] } },
      '`normal` has 0 `parameterFree` flags for 1 columns',
    ],
  ])('refuses %j: %s', (json, problem) => {
    expect(readAlphas(json)).toEqual({ problem: expect.stringContaining(problem) as string });
  });

  it("agrees with the spec's own table, and with a renamed cell of the same candidates and edges", () => {
    expect(alphasMismatch(tinyNamed(), tiny)).toBeUndefined();
    expect(alphasMismatch({ ...tinyNamed(), cell: 'Small' }, tiny)).toBeUndefined();
    expect(alphasMismatch({ alpha: [] }, tiny)).toBeUndefined();
  });

  const columns = tiny.columns;
  const rows = tinyNamed().rows;
  it.each([
    [
      'reordered columns',
      { columns: [columns[0], columns[1], columns[3], columns[2]] },
      "column 3 of `normal` is `sep_conv_3x3`, the spec's cell Tiny has `skip_connect` there",
    ],
    [
      'a renamed op',
      { columns: [...columns.slice(0, 3), 'sep_conv_5x5'] },
      "column 4 of `normal` is `sep_conv_5x5`, the spec's cell Tiny has `sep_conv_3x3` there",
    ],
    [
      'an extra column',
      { columns: [...columns, 'avg_pool_3x3'] },
      "column 5 of `normal` is `avg_pool_3x3`, the spec's cell Tiny has no column 5",
    ],
    [
      'a missing column',
      { columns: columns.slice(0, 3) },
      "`normal` has no column 4, the spec's cell Tiny has `sep_conv_3x3` there",
    ],
    [
      'a different row',
      { rows: [...rows.slice(0, 4), 'c_{k-1} -> 1'] },
      "row 5 of `normal` is `c_{k-1} -> 1`, the spec's cell Tiny has `0 -> 1` there",
    ],
    [
      'a renamed cell with other columns',
      { cell: 'Small', columns: ['none', ...columns.slice(2)] },
      "column 2 of `normal` (cell Small) is `skip_connect`, the spec's cell Tiny has `max_pool_3x3` there",
    ],
  ])('names the first difference: %s', (_, change, message) => {
    expect(alphasMismatch({ ...tinyNamed(), ...change } as SavedAlphaTable, tiny)).toBe(message);
  });
});
