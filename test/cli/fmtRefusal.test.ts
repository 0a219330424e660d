import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

import { InternalError } from '../../src/util/invariant.js';
import { runCli } from '../helpers/cli.js';

/*
 * The formatter checks its own output (same tree, same comments in the same order) and throws
 * an InternalError when a layout would break that. No input is known to do so any more, so
 * the check's failure is simulated for one file: the command must say so in one line, leave
 * that file as it is, format the others and exit 70.
 */
vi.mock('../../src/format/format.js', async (original) => {
  const real = await original<typeof import('../../src/format/format.js')>();
  return {
    format: (source: { text: string; path?: string }) => {
      if (source.path === 'bad.darts')
        throw new InternalError('fmt: the formatted bad.darts does not keep its comments');
      return real.format(source);
    },
  };
});

describe('cli: fmt when its own check refuses a layout', () => {
  it('reports it in one line, leaves the file, formats the rest and exits 70', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-fmt-'));
    const messy = 'search{space A(C:4)\nepochs 3 // few\n}\n';
    writeFileSync(join(dir, 'bad.darts'), messy);
    writeFileSync(join(dir, 'good.darts'), messy);
    const r = await runCli(['fmt', 'bad.darts', 'good.darts'], dir);
    expect(r.code).toBe(70);
    expect(r.stderr).toBe(
      'error: cannot format bad.darts: the formatted bad.darts does not keep its comments; the file is left as it is (a formatter bug: please report it with the file)\n',
    );
    expect(r.stdout).toBe('formatted good.darts\n');
    expect(readFileSync(join(dir, 'bad.darts'), 'utf8')).toBe(messy);
    expect(readFileSync(join(dir, 'good.darts'), 'utf8')).not.toBe(messy);
  });
});
