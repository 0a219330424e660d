import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compile } from '../../src/index.js';
import { requestNetwork } from '../../src/api/network.js';
import { alphasText, namedAlphas } from '../../src/ir/alphasFile.js';
import { cellDot } from '../../src/report/cellDot.js';
import { drawnCell } from '../../src/report/drawnCell.js';
import { root, runCli } from '../helpers/cli.js';

/**
 * A copy of a run directory kept from before the report existed (made by dartsc at 3938d63;
 * the train run without its model files, which the report does not read).
 */
function oldRun(name: 'tiny-search' | 'mnist-train'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'dartsc-report-')), name);
  cpSync(join(root, 'test', 'fixtures', 'runs', name), dir, { recursive: true });
  return dir;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('dartsc report on run directories from before the report', () => {
  it('draws a search run: its cell, α, curves, settings, and the genotype it recorded', async () => {
    const dir = oldRun('tiny-search');
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(dir, 'report.html')}\n`);
    const html = read(dir, 'report.html');
    // The genotype in genotype.json: four max pools (see the fixture).
    const genotype = JSON.parse(read(dir, 'genotype.json')) as { normal: [string, number][] };
    expect(genotype.normal.map(([op]) => op)).toEqual(Array(4).fill('max_pool_3x3'));
    const cells = /<section id="cells">[\s\S]*?<\/section>/.exec(html)![0];
    expect(cells.match(/>max_pool_3x3<\/text>/g)).toHaveLength(4);
    // The cell file is Graphviz's drawing of the genotype as the spec lays the cell out.
    const dot = cellDot(
      drawnCell(
        { pairs: genotype.normal, concat: [2, 3] },
        { role: 'normal', cell: 'Tiny', inputs: 2, keep: 2 },
      ),
      // Colours come from the page's palette; compare the structure, not the colours.
    ).replace(/color="[^"]*"/g, '');
    expect(read(dir, 'cell-normal.dot').replace(/color="[^"]*"/g, '')).toBe(dot);
    expect(read(dir, 'cell-normal.svg')).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\n?$/);
    for (const id of ['cells', 'alphas', 'curves', 'settings'])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('Finished: 3 epochs, supernet valid accuracy 56.3%.');
    expect(html).toContain('synthetic(samples: 256, classes: 2, seed: 1)');
    // The spec's copy, escaped (it has `->` and `>>`).
    expect(html).toContain('Img[8, 8, 3] -&gt; Logits[2]');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('draws a train run: the trained network and its test accuracy', async () => {
    const dir = oldRun('mnist-train');
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const html = read(dir, 'report.html');
    expect(html).toContain('Finished: test accuracy 10.3% on the held-out split after 1 epoch.');
    // mnist.darts's genotype Found: normal and reduce cells.
    expect(existsSync(join(dir, 'cell-normal.svg'))).toBe(true);
    expect(existsSync(join(dir, 'cell-reduce.svg'))).toBe(true);
    expect(html).toContain('The trained network’s cells');
    expect(html).toContain('<tr><th>test</th><td>accuracy 10.3%</td></tr>');
  });

  it('without the spec, infers the cell layout from the sizes of α and the genotype', async () => {
    const dir = oldRun('tiny-search');
    rmSync(join(dir, 'spec.darts'));
    const config = JSON.parse(read(dir, 'config.json')) as Record<string, unknown>;
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ ...config, specPath: join(dir, 'gone.darts') }),
    );
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const html = read(dir, 'report.html');
    expect(html).toContain('The spec of this run is not available');
    // 5 α rows and 4 pairs fit only a 2-input DAG of 2 nodes keeping 2 edges each.
    expect(read(dir, 'cell-normal.dot')).toContain('"c_{k-2}" -> "0"');
    expect(html).toContain('op 4');
  });

  it('without the spec, takes the names and layout of a named alphas.json', async () => {
    const dir = oldRun('tiny-search');
    const program = compile(join(dir, 'spec.darts'), { cwd: dir }).value!;
    const { tables } = requestNetwork(program).value!.graph;
    const raw = JSON.parse(read(dir, 'alphas.json')) as Record<string, number[][]>;
    writeFileSync(join(dir, 'alphas.json'), alphasText(namedAlphas(tables, raw)));
    rmSync(join(dir, 'spec.darts'));
    const config = JSON.parse(read(dir, 'config.json')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, specPath: undefined }));
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const html = read(dir, 'report.html');
    expect(html).not.toContain('not available');
    expect(html).not.toContain('op 4');
    for (const label of ['c_{k-2} -&gt; 0', '0 -&gt; 1', 'sep_conv_3x3'])
      expect(html).toContain(label);
    expect(read(dir, 'cell-normal.dot')).toContain('"c_{k-1}" -> "0" [label="max_pool_3x3"');
  });

  it('--open hands the page to the desktop opener (xdg-open on Linux)', async () => {
    const dir = oldRun('tiny-search');
    const bin = mkdtempSync(join(tmpdir(), 'dartsc-opener-'));
    const opened = join(bin, 'opened.txt');
    // Written aside and moved, so that the file appears whole (the opener runs detached).
    const script = `#!/bin/sh\necho "$@" > ${opened}.part && mv ${opened}.part ${opened}\n`;
    writeFileSync(join(bin, 'xdg-open'), script, { mode: 0o755 });
    // The opener is looked up on the PATH the CLI is given (bin.ts gives it the process's).
    const r = await runCli(['report', dir, '--open'], root, { PATH: `${bin}:${process.env.PATH}` });
    expect(r.code, r.stderr).toBe(0);
    for (let i = 0; i < 100 && !existsSync(opened); i++)
      await new Promise((f) => setTimeout(f, 50));
    expect(readFileSync(opened, 'utf8')).toBe(`${join(dir, 'report.html')}\n`);
  });

  it('refuses a directory that is not a run, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-report-'));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: `.*` is not a dartsc run directory \(no config\.json\)/);
    expect((await runCli(['report', join(dir, 'nope')])).stderr).toContain('does not exist');
  });
});
