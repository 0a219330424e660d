import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { haveChromium, openFile } from '../helpers/browser.js';
import { root, runCli } from '../helpers/cli.js';

/** Where the screenshot is kept for a person to look at (ignored by git). */
const artifacts = join(root, 'test-artifacts');

describe('the report in a browser', () => {
  it('of a real short run shows the cells, the heat map and the curves, offline and without errors', async () => {
    expect(
      haveChromium,
      'the browser test needs Debian chromium: apt-get install -y chromium',
    ).toBe(true);
    const out = join(mkdtempSync(join(tmpdir(), 'dartsc-browser-')), 'run');
    const r = await runCli(['run', 'examples/tiny.darts', '--epochs', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    // At the end the terminal shows the genotype drawn as text, and where the report is.
    expect(r.stderr).toMatch(
      /\nnormal cell \(Tiny\)\n {2}0 <- \w+\(c_\{k-[12]\}\) \+ \w+\(c_\{k-[12]\}\)\n {2}1 <- .*\n {2}c_\{k\} = concat\(0, 1\)\n/,
    );
    expect(r.stdout).toContain(`(report: ${join(out, 'report.html')})`);
    const opened = await openFile(join(out, 'report.html'));
    try {
      const { page } = opened;
      // One diagram per derived cell (Tiny has a normal cell only), laid out by Graphviz.
      expect(await page.locator('#cells figure.cell svg g.node').count()).toBe(2 + 2 + 1);
      expect(await page.locator('#cells figure.cell svg g.edge').count()).toBe(4 + 2);
      // The heat map: Tiny's 5 edges by its 4 candidates.
      expect(await page.locator('#alphas .heatmap svg rect.cell').count()).toBe(5 * 4);
      // Loss, accuracy, learning rate, time; and each op's weight over epochs.
      expect(await page.locator('#curves svg').count()).toBe(4);
      expect(await page.locator('#alphas .opcurves svg path.series').count()).toBe(4);
      // Drawn, not just present: the cell diagram has a size on the page.
      const box = await page.locator('#cells figure.cell svg').first().boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
    } finally {
      await opened.close();
    }
  }, 60_000);
});
