import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli as run } from '../helpers/cli.js';

/**
 * Data transforms through the CLI: a CSV file's columns, known only once it is read, give the
 * same diagnostic at the transform that `dartsc check` gives for a vega table; the
 * seattle-weather example searches end to end on windows of its table.
 */
const spec = (data: string) => `
import std.linear

cell Layers(C: int) : (x: Vec[c]) -> Vec[C] {
  ops    LINEAR_OPS
  nodes  chain(2)
  output n1
}

space Days(C: int = 8) : Vec[2] -> Logits[2] {
  stem  dense(C)
  cells stack(1, normal: Layers)
  head  dense(2)
}

search {
  space Days
  data  ${data}
  epochs 2
}
`;

describe('cli: data transforms', () => {
  it('reports an unknown column of a CSV file at the transform when the file is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-transforms-'));
    const rows = Array.from({ length: 40 }, (_, i) => `2012-01-${i},${i},${i % 3},${i % 2}`);
    writeFileSync(join(dir, 'days.csv'), ['date,temp,wind,label', ...rows].join('\n') + '\n');
    writeFileSync(
      join(dir, 'spec.darts'),
      spec('csv(path: "days.csv", label: "label") >> drop("dat")'),
    );
    const checked = await run(['check', 'spec.darts'], dir);
    expect(checked.code, checked.stderr).toBe(0);
    const ran = await run(['run', 'spec.darts', '--out', join(dir, 'run')], dir);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(
      /^error\[E0223\]: no column `dat` in .*days\.csv\n {2}--> spec\.darts:18:55\n/,
    );
    expect(ran.stderr).toContain('= help: did you mean `date`?');

    writeFileSync(
      join(dir, 'spec.darts'),
      spec('csv(path: "days.csv", label: "label") >> drop("date")'),
    );
    const fixed = await run(
      ['run', 'spec.darts', '--steps', '1', '--json', '--out', join(dir, 'ok')],
      dir,
    );
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it(
    'searches examples/seattle_weather.darts on windows of the table (--epochs 1 --steps 2)',
    { timeout: 120_000 },
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'dartsc-weather-')), 'run');
      const args = ['--epochs', '1', '--steps', '2', '--out', out];
      const r = await run(['run', 'examples/seattle_weather.darts', ...args]);
      expect(r.code, r.stderr).toBe(0);
      // 1461 days give 1461 - 7 - 1 + 1 windows: 145 held out, then half and half.
      expect(r.stderr).toContain('data seattle-weather: 654 train, 655 valid, 145 held out');
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(config.search.data.transforms.at(-1)).toEqual({
        kind: 'window',
        length: 7,
        by: 'date',
        horizon: 1,
      });
      expect(r.stdout).toMatch(/supernet valid accuracy \d+\.\d% after 1 epoch/);
    },
  );
});
