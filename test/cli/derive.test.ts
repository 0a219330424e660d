import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import type { NamedAlphaTable } from '../../src/ir/alphasFile.js';
import { root, runCli } from '../helpers/cli.js';

/**
 * `alphas.json` names its columns and rows, and `dartsc derive` refuses α whose names are not
 * the spec's (docs/search.md, the run directory); files of older runs, unnamed, still derive.
 */
const read = (path: string) => readFileSync(path, 'utf8');
const json = (path: string) => JSON.parse(read(path)) as Record<string, NamedAlphaTable>;
const fixture = join(root, 'test', 'fixtures', 'runs', 'tiny-search');

let out: string;
beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), 'dartsc-derive-')), 'run');
  const r = await runCli(['run', 'examples/tiny.darts', '--epochs', '1', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

/** The error line of a refusal (the command's usage follows it). */
const firstLine = (stderr: string) => stderr.split('\n')[0];

/** `dartsc derive SPEC --alphas FILE --json`. */
const derive = (spec: string, alphas: string) =>
  runCli(['derive', spec, '--alphas', alphas, '--json']);

/** The run's alphas.json with its `normal` table changed, written beside it. */
function changed(change: (t: NamedAlphaTable) => NamedAlphaTable): string {
  const file = join(out, 'changed.json');
  const alphas = json(join(out, 'alphas.json'));
  writeFileSync(file, JSON.stringify({ ...alphas, normal: change(alphas.normal!) }));
  return file;
}

describe('cli: derive from a named alphas.json', () => {
  it('writes the raw α of each table with the names of its columns and rows', () => {
    const alphas = json(join(out, 'alphas.json'));
    expect(Object.keys(alphas)).toEqual(['normal']);
    const { alpha, ...names } = alphas.normal!;
    expect(names).toEqual({
      cell: 'Tiny',
      inputs: 2,
      keep: 2,
      columns: ['none', 'max_pool_3x3', 'skip_connect', 'sep_conv_3x3'],
      parameterFree: [true, true, true, false],
      rows: ['c_{k-2} -> 0', 'c_{k-1} -> 0', 'c_{k-2} -> 1', 'c_{k-1} -> 1', '0 -> 1'],
    });
    expect(alpha).toHaveLength(5);
    for (const row of alpha) expect(row).toHaveLength(4);
    // Raw α, not probabilities: rows do not sum to 1.
    expect(alpha.flat().some((v) => v < 0)).toBe(true);
  });

  it("reproduces the run's genotype.json", async () => {
    const r = await derive('examples/tiny.darts', join(out, 'alphas.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(read(join(out, 'genotype.json'))));
  });

  it('derives the genotype of an older unnamed alphas.json from its spec', async () => {
    expect(Array.isArray(json(join(fixture, 'alphas.json')).normal)).toBe(true);
    const r = await derive(join(fixture, 'spec.darts'), join(fixture, 'alphas.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(read(join(fixture, 'genotype.json'))));
  });

  it('derives α of a renamed cell whose candidates and edges are the same', async () => {
    const r = await derive(
      'examples/tiny.darts',
      changed((t) => ({ ...t, cell: 'Small' })),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(read(join(out, 'genotype.json'))));
  });

  const swap = <T>(xs: readonly T[], i: number, j: number) =>
    xs.map((x, k) => (k === i ? xs[j]! : k === j ? xs[i]! : x));
  const refused = [
    [
      'reordered columns (with their α)',
      (t: NamedAlphaTable) => ({
        ...t,
        columns: swap(t.columns, 2, 3),
        alpha: t.alpha.map((r) => swap(r, 2, 3)),
      }),
      "column 3 of `normal` is `sep_conv_3x3`, the spec's cell Tiny has `skip_connect` there",
    ],
    [
      'a renamed op',
      (t: NamedAlphaTable) => ({ ...t, columns: t.columns.map((c) => c.replace('3x3', '5x5')) }),
      "column 2 of `normal` is `max_pool_5x5`, the spec's cell Tiny has `max_pool_3x3` there",
    ],
    [
      'a different row',
      (t: NamedAlphaTable) => ({ ...t, rows: swap(t.rows, 0, 1) }),
      "row 1 of `normal` is `c_{k-1} -> 0`, the spec's cell Tiny has `c_{k-2} -> 0` there",
    ],
    [
      'a row too many',
      (t: NamedAlphaTable) => ({
        ...t,
        rows: [...t.rows, '1 -> 2'],
        alpha: [...t.alpha, t.alpha[0]!],
      }),
      "row 6 of `normal` is `1 -> 2`, the spec's cell Tiny has no row 6",
    ],
  ] as const;

  it.each(refused)('refuses %s, naming the file and the first mismatch (exit 2)', async (...c) => {
    const [, change, mismatch] = c;
    const file = changed(change);
    const r = await derive('examples/tiny.darts', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(firstLine(r.stderr)).toBe(
      `error: ${file}: ${mismatch}: these α are from another spec (or the spec changed)`,
    );
  });

  it('refuses a named file with a table the spec does not have', async () => {
    const alphas = json(join(out, 'alphas.json'));
    const file = join(out, 'extra.json');
    writeFileSync(file, JSON.stringify({ ...alphas, reduce: alphas.normal }));
    const r = await derive('examples/tiny.darts', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: the spec has no table \`reduce\` (it has \`normal\`)`);
  });

  it('refuses names that do not fit their own α', async () => {
    const file = changed((t) => ({ ...t, alpha: t.alpha.slice(1) }));
    const r = await derive('examples/tiny.darts', file);
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toBe(`error: ${file}: \`normal\` names 5 rows but has 4 rows of α`);
  });
});
