import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { alphaSpread, flatMessage } from '../../src/report/alphaSpread.js';
import { collapseMessage, measureCollapse } from '../../src/report/collapse.js';
import { root, runCli } from '../helpers/cli.js';
import { dartsOps, dartsV2 } from '../helpers/darts.js';

/** The DARTS candidates (stdlib ops2d): none is excluded; none, the pools and skip have no weights. */
const darts = {
  columns: dartsOps,
  excluded: [true, false, false, false, false, false, false, false],
  parameterFree: [true, true, true, true, false, false, false, false],
};
const normal = { role: 'normal', ...darts };
const reduce = { role: 'reduce', ...darts };

/** A softmax row with `p` on column `c` and the rest spread evenly. */
const row = (c: number, p: number) => darts.columns.map((_, i) => (i === c ? p : (1 - p) / 7));

describe('collapse: parameter-free ops taking over', () => {
  it('warns on a genotype dominated by skip_connect, with the share and the threshold', () => {
    const pairs = {
      normal: [
        ['skip_connect', 0],
        ['skip_connect', 1],
        ['skip_connect', 0],
        ['sep_conv_3x3', 1],
        ['skip_connect', 1],
        ['max_pool_3x3', 0],
        ['skip_connect', 0],
        ['dil_conv_3x3', 2],
      ] as [string, number][],
    };
    const [m] = measureCollapse([normal], pairs);
    expect(m).toMatchObject({
      where: 'genotype',
      count: 6,
      total: 8,
      share: 0.75,
      threshold: 0.5,
      over: true,
    });
    expect(m!.ops).toEqual([
      ['skip_connect', 5],
      ['max_pool_3x3', 1],
    ]);
    expect(collapseMessage(m!)).toBe(
      'parameter-free ops take 6 of the 8 edges the normal cell keeps (75%, warning at 50%: skip_connect 5, max_pool_3x3 1)',
    );
  });

  it('warns on α whose strongest op is skip_connect on most edges; `none` does not count', () => {
    // 14 edges: skip strongest on 8, sep_conv on 4; on 2 `none` is largest but excluded, so
    // their strongest allowed op is sep_conv_5x5 (0.2 > the even share 0.1).
    const rows = [
      ...Array.from({ length: 8 }, () => row(3, 0.6)),
      ...Array.from({ length: 4 }, () => row(4, 0.5)),
      ...Array.from({ length: 2 }, () =>
        darts.columns.map((_, i) => (i === 0 ? 0.5 : i === 5 ? 0.2 : 0.3 / 6)),
      ),
    ];
    const [m] = measureCollapse([normal], {}, { normal: rows });
    expect(m).toMatchObject({ where: 'alpha', count: 8, total: 14, over: true });
    expect(m!.share).toBeCloseTo(8 / 14, 12);
    expect(collapseMessage(m!)).toContain(
      '8 of the 14 edges of the normal cell, by strongest α (57%',
    );
  });

  it('is quiet below the threshold (DARTS_V2: 2 skips of 8) and for reduction cells', () => {
    // DARTS_V2's reduction cell is max pools and skips only, which is expected there.
    const measures = measureCollapse([normal, reduce], dartsV2);
    expect(measures).toHaveLength(1);
    expect(measures[0]).toMatchObject({ role: 'normal', count: 2, share: 0.25, over: false });
  });

  it('the report of a run collapsed onto skip_connect shows the warning panel', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dartsc-collapse-')), 'run');
    cpSync(join(root, 'test', 'fixtures', 'runs', 'tiny-search'), dir, { recursive: true });
    // Tiny's columns: none, max_pool_3x3, skip_connect, sep_conv_3x3; 5 edges.
    const skips = {
      normal: [
        ['skip_connect', 1],
        ['skip_connect', 0],
        ['skip_connect', 2],
        ['sep_conv_3x3', 1],
      ],
      normal_concat: [2, 3],
    };
    writeFileSync(join(dir, 'genotype.json'), JSON.stringify(skips));
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { alphas: { normal: number[][] } };
    last.alphas.normal = [0, 1, 2, 3, 4].map((i) =>
      i < 4 ? [0.1, 0.1, 0.7, 0.1] : [0.1, 0.1, 0.1, 0.7],
    );
    lines[lines.length - 1] = JSON.stringify(last);
    writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="warnings" class="warnings">');
    expect(html).toContain(
      'parameter-free ops take 3 of the 4 edges the normal cell keeps (75%, warning at 50%: skip_connect 3)',
    );
    expect(html).toContain(
      'parameter-free ops take 4 of the 5 edges of the normal cell, by strongest α (80%, warning at 50%: skip_connect 4)',
    );
    expect(r.stderr).toContain('warning: parameter-free ops take 3 of the 4 edges');
  });
});

describe('flat α: a genotype decided by noise', () => {
  it('measures the largest spread of an edge relative to the uniform weight, by hand', () => {
    expect(alphaSpread({ normal: [[0.5, 0.5]] })).toMatchObject({
      spread: 0,
      uniform: 0.5,
      flat: true,
    });
    // (0.6 − 0.4) / 0.5 = 0.4 on the second row of `reduce`.
    expect(
      alphaSpread({
        normal: [[0.55, 0.45]],
        reduce: [
          [0.5, 0.5],
          [0.6, 0.4],
        ],
      }),
    ).toMatchObject({
      role: 'reduce',
      row: 1,
      flat: false,
    });
    expect(alphaSpread({ normal: [[0.55, 0.45]], reduce: [[0.6, 0.4]] })!.spread).toBeCloseTo(
      0.4,
      12,
    );
    expect(alphaSpread({})).toBeUndefined();
  });

  it('warns for the α of the old tiny run (weights 0.2497 to 0.2510), not for a real spread', () => {
    const lines = readFileSync(
      join(root, 'test', 'fixtures', 'runs', 'tiny-search', 'metrics.jsonl'),
      'utf8',
    );
    const last = JSON.parse(lines.trim().split('\n').at(-1)!) as {
      alphas: Record<string, number[][]>;
    };
    const spread = alphaSpread(last.alphas)!;
    expect(spread.flat).toBe(true);
    expect(flatMessage(spread)).toMatch(
      /^α barely moved: on every edge the ops' weights differ by at most [0-9]% of the uniform weight 0\.250 \(warning below 20%\)/,
    );
    expect(flatMessage(alphaSpread({ normal: [[0.1, 0.2, 0.3, 0.4]] }))).toBeUndefined();
  });
});
