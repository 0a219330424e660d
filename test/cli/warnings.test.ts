import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers/cli.js';

import { floorWarning } from '../../src/api/floorWarning.js';

const run = runCli;
const temp = () => mkdtempSync(join(tmpdir(), 'dartsc-warnings-'));
const genotype = 'test/fixtures/runs/tiny-search';
const quick = ['--steps', '1', '--backend', 'cpu', '--quiet'];
/** The warning lines, the collapse warnings of a search's end (docs/report.md) left out. */
/** The warnings of the settings, without those on what the search found (docs/report.md). */
const warnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('warning:') && !l.includes('known collapse') && !l.includes('α barely moved'),
    );

/** Settings that run but waste the run say so, as `warning:` lines on stderr. */
describe('cli: footgun warnings', () => {
  it('words the floor warning after where the epochs came from', () => {
    const search = { kind: 'cosine' as const, max: 0.025, min: 0.001 };
    expect(floorWarning(search, 1, false, 'advice')).toBe(
      'warning: with `epochs 1` the cosine schedule runs its only epoch at lr 0.001 (its floor): advice',
    );
    expect(floorWarning({ ...search, epochs: 1 }, 4, false, 'advice')).toBe(
      'warning: `cosine(0.025, 0.001, 1)` runs the first epoch at lr 0.001 (its floor): give the schedule 2 or more epochs',
    );
    expect(floorWarning(search, 2, true, 'advice')).toBeUndefined();
  });

  it(
    'warns that run --epochs 1 searches at the floor, and names every flag a resume ignores',
    { timeout: 60_000 },
    async () => {
      const dir = temp();
      const first = await run([
        'run',
        'examples/tiny.darts',
        '--epochs',
        '1',
        ...quick,
        '--out',
        join(dir, 'a'),
      ]);
      expect(first.code, first.stderr).toBe(0);
      expect(warnings(first.stderr)).toEqual([
        'warning: with --epochs 1 the cosine schedule runs its only epoch at lr 0.001 (its floor): use 2 or more epochs, or a constant lr',
      ]);
      const resumed = await run([
        ...['run', '--resume', join(dir, 'a'), '--epochs', '2', ...quick],
        ...['--batch', '8', '--seed', '3', '--out', join(dir, 'b')],
      ]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(warnings(resumed.stderr)).toEqual([
        'warning: --out, --batch, --seed, --steps ignored: a resumed run keeps its settings',
      ]);
      expect(existsSync(join(dir, 'b'))).toBe(false);
    },
  );

  it(
    'warns that train --epochs 1 trains at lr 0, and names every flag a resume ignores',
    { timeout: 60_000 },
    async () => {
      const dir = temp();
      const args = ['train', 'examples/tiny.darts', '--genotype', genotype, ...quick];
      const first = await run([...args, '--epochs', '1', '--out', join(dir, 't')]);
      expect(first.code, first.stderr).toBe(0);
      expect(warnings(first.stderr)).toEqual([
        'warning: with --epochs 1 the cosine schedule runs its only epoch at lr 0 (its floor): the weights never change; use 2 or more epochs',
      ]);
      const resumed = await run([
        ...args,
        ...['--resume', join(dir, 't'), '--epochs', '2', '--out', join(dir, 'u')],
      ]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(warnings(resumed.stderr)).toEqual([
        'warning: --out, --steps ignored: a resumed retrain keeps its settings',
      ]);
      expect(existsSync(join(dir, 'u'))).toBe(false);
    },
  );
});
