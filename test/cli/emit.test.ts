import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { root, runCli } from '../helpers/cli.js';

const update = process.env.UPDATE_GOLDENS === '1';

const run = runCli;

const temp = () => mkdtempSync(join(tmpdir(), 'dartsc-emit-'));

describe('cli: emit', () => {
  /** Golden emitted modules: `UPDATE_GOLDENS=1 npm test` rewrites them; review the diff. */
  for (const [example, golden] of [
    ['mnist.darts', 'mnist.model.ts'],
    ['p3b5.darts', 'p3b5.model.ts'],
  ] as const) {
    it(`emits ${example} --genotype Found as test/fixtures/emit/${golden}`, async () => {
      const r = await run(['emit', `examples/${example}`, '--genotype', 'Found']);
      expect(r.code, r.stderr).toBe(0);
      const path = join(root, 'test', 'fixtures', 'emit', golden);
      if (update || !existsSync(path)) {
        if (!update) throw new Error(`missing golden ${golden}; run UPDATE_GOLDENS=1 npm test`);
        writeFileSync(path, r.stdout);
      }
      expect(r.stdout).toBe(readFileSync(path, 'utf8'));
    });
  }

  it('emits a spec whose data files are not there, with the identity preprocessing and a warning', async () => {
    const r = await run(['emit', 'examples/darts_cifar10.darts', '--genotype', 'DARTS_V2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: the data could not be loaded \(cannot read .*cifar10_train_x\.npy/,
    );
    expect(r.stdout).toContain('export const PREPROCESSING: Preprocessing = {');
    expect(r.stdout).toContain("  input: { kind: 'tensor', shape: [32, 32, 3] },\n  steps: [],");
  });

  it('writes -o FILE, and never replaces an existing file without --force', async () => {
    const out = join(temp(), 'model.ts');
    const args = ['emit', 'examples/mnist.darts', '--genotype', 'Found', '-o', out];
    expect((await run(args)).code).toBe(0);
    writeFileSync(out, 'mine');
    const again = await run(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists; pass --force to replace it');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect((await run([...args, '--force'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('export function createModel(');
  });

  it('escapes hostile file names: they stay inside string literals and comments', async () => {
    const dir = temp();
    const hostile = 'evil\'\nprocess.exit(1)\u2028`${process.exit(2)}`"\\.darts';
    writeFileSync(join(dir, hostile), readFileSync(join(root, 'examples', 'uno.darts'), 'utf8'));
    writeFileSync(
      join(dir, "g'en\u2029\n.json"),
      JSON.stringify({
        normal: [
          ['linear_block', 0],
          ['skip_connect', 1],
        ],
        normal_concat: [2],
      }),
    );
    const r = await run(['emit', hostile, '--genotype', "g'en\u2029\n.json"], dir);
    expect(r.code, r.stderr).toBe(0);
    const header = r.stdout.split('\n').slice(0, 3);
    expect(header.every((l) => l.startsWith('//'))).toBe(true);
    expect(r.stdout).not.toMatch(/[\u2028\u2029]/);
    expect(r.stdout).not.toContain('\nprocess.exit(1)');
    expect(r.stdout).toContain('\\nprocess.exit(1)');
    expect(r.stdout).toContain('\\u2028');
  });
});
