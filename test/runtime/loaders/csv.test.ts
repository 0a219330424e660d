import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadCsv, parseCsv } from '../../../src/runtime/loaders/csv.js';
import { dataError, f32 } from '../../helpers/dataErrors.js';

const dir = mkdtempSync(join(tmpdir(), 'dartsc-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** Writes `text` to a fresh file and returns its path. */
function file(text: string, name = `t${count++}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadCsv', () => {
  it('reads numeric features and string labels by first appearance', () => {
    const path = file(
      'bill_length,species,mass\n39.1,Adelie,3750\n46.5,Gentoo,4000\n-1e2,Adelie,.5\n',
      'penguins.csv',
    );
    const data = loadCsv(path, { label: 'species' });
    expect(data.name).toBe('penguins.csv');
    expect(data.layout).toBe('Vec');
    expect(data.shape).toEqual([2]);
    expect(data.size).toBe(3);
    expect(data.classes).toBe(2);
    expect(data.classNames).toEqual(['Adelie', 'Gentoo']);
    expect(Array.from(data.x)).toEqual(f32([39.1, 3750, 46.5, 4000, -100, 0.5]));
    expect(Array.from(data.y)).toEqual([0, 1, 0]);
    // Numbers as in the file: a served model takes rows of the feature columns, and names
    // the classes as the file did.
    expect(data.preprocessing).toEqual({
      input: { kind: 'table', columns: ['bill_length', 'mass'] },
      steps: [],
      labels: ['Adelie', 'Gentoo'],
    });
  });

  it('maps integer labels by first appearance too, keeping their names', () => {
    const data = loadCsv(file('y,a\n3,1\n1,2\n3,3\n0,4\n'), {
      label: 'y',
      task: 'classification',
    });
    expect(Array.from(data.y)).toEqual([0, 1, 0, 2]);
    expect(data.classNames).toEqual(['3', '1', '0']);
    expect(data.shape).toEqual([1]);
    expect(Array.from(data.x)).toEqual([1, 2, 3, 4]);
  });

  it('parses quoted fields with commas, escaped quotes and line breaks', () => {
    const text = 'a,"the, label",b\n"1.5","Adelie, ""big"" one",2\n3,"two\nlines",4\n5,x,6\n';
    const data = loadCsv(file(text), { label: 'the, label' });
    expect(data.classNames).toEqual(['Adelie, "big" one', 'two\nlines', 'x']);
    expect(Array.from(data.x)).toEqual([1.5, 2, 3, 4, 5, 6]);
  });

  it('accepts CRLF, a BOM, blank lines and no trailing newline', () => {
    const data = loadCsv(file('\uFEFFx,y\r\n1,a\r\n\r\n2,"b"\r\n\n3,a'), { label: 'y' });
    expect(Array.from(data.x)).toEqual([1, 2, 3]);
    expect(Array.from(data.y)).toEqual([0, 1, 0]);
    expect(data.classNames).toEqual(['a', 'b']);
  });

  it('keeps editor line numbers across quoted line breaks and blank lines', () => {
    expect(parseCsv('a,b\n"x\ny",1\n\n2,3\n', 'f.csv')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', '1'] },
      { line: 5, fields: ['2', '3'] },
    ]);
    const path = file('x,y\n"1",a\n\n2,"b\nc"\n3\n');
    expect(dataError(() => loadCsv(path, { label: 'y' }))).toBe(
      `${path}, row 6: expected 2 fields, found 1`,
    );
  });

  it('reports an empty file', () => {
    const path = file('');
    expect(dataError(() => loadCsv(path, { label: 'y' }))).toBe(`${path} is empty`);
  });

  it('reports a header without rows', () => {
    const path = file('x,y\n');
    expect(dataError(() => loadCsv(path, { label: 'y' }))).toBe(
      `${path}: no data rows after the header`,
    );
  });

  it('reports a missing label column, listing the columns', () => {
    const path = file('bill_length,mass,species\n1,2,a\n');
    expect(dataError(() => loadCsv(path, { label: 'Species' }))).toBe(
      `${path}: no label column \`Species\`; the columns are \`bill_length\`, \`mass\`, \`species\``,
    );
  });

  it('reports a label without features and a repeated column', () => {
    const only = file('y\na\n');
    expect(dataError(() => loadCsv(only, { label: 'y' }))).toBe(
      `${only}: no feature columns besides the label \`y\``,
    );
    const twice = file('x,y,x\n1,a,2\n');
    expect(dataError(() => loadCsv(twice, { label: 'y' }))).toBe(
      `${twice}: column \`x\` appears twice in the header`,
    );
  });

  it('reports a ragged row by its line', () => {
    const rows = ['a,b,c,d,y', '1,2,3,4,p', '1,2,3,4,p', '1,2,3,4,p', '1,2,3,4,p', '1,2,3,4,p'];
    const path = file([...rows, '1,2,3,p', '1,2,3,4,p'].join('\n'));
    expect(dataError(() => loadCsv(path, { label: 'y' }))).toBe(
      `${path}, row 7: expected 5 fields, found 4`,
    );
    const long = file('a,y\n1,p,3\n');
    expect(dataError(() => loadCsv(long, { label: 'y' }))).toBe(
      `${long}, row 2: expected 2 fields, found 3`,
    );
  });

  it('reports a non-numeric feature by row and column', () => {
    const path = file('bill_length,species\n1,a\nabc,b\n');
    expect(dataError(() => loadCsv(path, { label: 'species' }))).toBe(
      `${path}, row 3, column \`bill_length\`: expected a number, found \`abc\``,
    );
    for (const bad of ['0x10', 'Infinity', 'NaN', '1e999', '1;5', '1 2']) {
      const p = file(`x,y\n${bad},a\n`);
      expect(dataError(() => loadCsv(p, { label: 'y' }))).toBe(
        `${p}, row 2, column \`x\`: expected a number, found \`${bad}\``,
      );
    }
  });

  it('reports empty feature and label cells', () => {
    const feature = file('a,b,y\n1,2,p\n3,,q\n');
    expect(dataError(() => loadCsv(feature, { label: 'y' }))).toBe(
      `${feature}, row 3, column \`b\`: expected a number, found an empty cell`,
    );
    const label = file('a,y\n1, \n');
    expect(dataError(() => loadCsv(label, { label: 'y' }))).toBe(
      `${label}, row 2, column \`y\`: expected a label, found an empty cell`,
    );
  });

  it('reports broken quoting', () => {
    const open = file('a,y\n1,p\n2,"q\n');
    expect(dataError(() => loadCsv(open, { label: 'y' }))).toBe(
      `${open}, row 3: a quoted field is not closed`,
    );
    const after = file('a,y\n1,"p"q\n');
    expect(dataError(() => loadCsv(after, { label: 'y' }))).toBe(
      `${after}, row 2: expected a comma or a line end after a closing quote, found \`q\``,
    );
  });

  it('reads numeric targets for regression, in any column, and rejects a non-numeric one', () => {
    const data = loadCsv(file('a,price,b\n1,2.5,3\n4,-1e-2,6\n'), {
      label: 'price',
      task: 'regression',
    });
    expect(data).toMatchObject({ task: 'regression', classes: 0, shape: [2], size: 2 });
    expect(data.y).toBeInstanceOf(Float32Array);
    expect(Array.from(data.y)).toEqual([2.5, Math.fround(-1e-2)]);
    expect(Array.from(data.x)).toEqual([1, 3, 4, 6]);
    const bad = file('a,price\n1,cheap\n');
    expect(dataError(() => loadCsv(bad, { label: 'price', task: 'regression' }))).toBe(
      `${bad}, row 2, column \`price\`: expected a number, found \`cheap\``,
    );
  });

  it('rejects an unknown task before reading', () => {
    const path = join(dir, 'never-read.csv');
    expect(dataError(() => loadCsv(path, { label: 'y', task: 'ranking' }))).toBe(
      `${path}: unknown task \`ranking\`; use "classification" or "regression"`,
    );
  });

  it('reports a missing file or a directory', () => {
    const path = join(dir, 'absent.csv');
    expect(dataError(() => loadCsv(path, { label: 'y' }))).toBe(
      `cannot read ${path}: no such file`,
    );
    expect(dataError(() => loadCsv(dir, { label: 'y' }))).toBe(
      `cannot read ${dir}: it is a directory`,
    );
  });
});
