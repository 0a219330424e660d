import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

import { format } from '../../src/format/format.js';
import plugin from '../../src/format/prettierPlugin.js';
import { root, runCli } from '../helpers/cli.js';

const messy = 'search{space A(C:4)\nepochs 3 // few\n}\n';
const tidy = 'search {\n  space   A(C: 4)\n  epochs  3 // few\n}\n';

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-fmt-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('cli: fmt', () => {
  it('rewrites the files that change, names them, and leaves the others alone', async () => {
    const dir = tempDir({ 'a.darts': messy, 'b.darts': tidy });
    const before = statSync(join(dir, 'b.darts')).mtimeMs;
    const r = await runCli(['fmt', 'a.darts', 'b.darts'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'formatted a.darts\n', stderr: '' });
    expect(readFileSync(join(dir, 'a.darts'), 'utf8')).toBe(tidy);
    expect(statSync(join(dir, 'b.darts')).mtimeMs).toBe(before);
    // No temporary file is left beside them.
    expect(readdirSync(dir).sort()).toEqual(['a.darts', 'b.darts']);
  });

  it('--check writes nothing, lists the unformatted files and exits 1', async () => {
    const dir = tempDir({ 'a.darts': messy, 'b.darts': tidy });
    const r = await runCli(['fmt', '--check', 'a.darts', 'b.darts'], dir);
    expect(r).toMatchObject({ code: 1, stdout: 'a.darts\n' });
    expect(r.stderr).toBe('1 file not formatted (run dartsc fmt)\n');
    expect(readFileSync(join(dir, 'a.darts'), 'utf8')).toBe(messy);
  });

  it('--check exits 0 when every file is formatted', async () => {
    const dir = tempDir({ 'b.darts': tidy });
    expect(await runCli(['fmt', '--check', 'b.darts'], dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('reports a file that does not parse as check does, leaves it, and exits 1', async () => {
    const bad = 'search {\n  epochs [\n}\n';
    const dir = tempDir({ 'bad.darts': bad, 'a.darts': messy });
    const r = await runCli(['fmt', 'bad.darts', 'a.darts'], dir);
    const checked = await runCli(['check', 'bad.darts'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[E0104]');
    expect(r.stderr).toContain('--> bad.darts:2:11');
    expect(checked.stderr.startsWith(r.stderr)).toBe(true);
    expect(readFileSync(join(dir, 'bad.darts'), 'utf8')).toBe(bad);
    // The other files are still formatted.
    expect(r.stdout).toBe('formatted a.darts\n');
  });

  it('is a usage error without a file, and a missing file is one too', async () => {
    expect((await runCli(['fmt'])).code).toBe(2);
    const r = await runCli(['fmt', 'no_such.darts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read `no_such.darts`');
  });

  it('prints its usage for --help, and main lists it', async () => {
    expect((await runCli(['fmt', '--help'])).stdout).toContain('usage: dartsc fmt [--check]');
    expect((await runCli(['--help'])).stdout).toContain('fmt FILE...');
  });

  it('finds the standard library and the examples formatted', async () => {
    const files = ['stdlib', 'examples'].flatMap((d) =>
      readdirSync(join(root, d))
        .filter((f) => f.endsWith('.darts'))
        .map((f) => `${d}/${f}`),
    );
    expect(files.length).toBeGreaterThan(8);
    expect(await runCli(['fmt', '--check', ...files])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('the prettier plugin', () => {
  it('formats .darts as dartsc fmt does, through the prettier API', async () => {
    for (const text of [messy, readFileSync(join(root, 'examples', 'mnist.darts'), 'utf8')]) {
      const out = await prettier.format(text, { parser: 'darts', plugins: [plugin] });
      expect(out).toBe(format({ text }).value);
    }
    // By the file name, as prettier infers the parser.
    const out = await prettier.format(messy, { filepath: 'x.darts', plugins: [plugin] });
    expect(out).toBe(tidy);
  });

  it('reports a file that does not parse as a syntax error at its place', async () => {
    await expect(
      prettier.format('search {\n  epochs [\n}\n', { parser: 'darts', plugins: [plugin] }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('expected `,` or `]`, found `}` (E0104)'),
      loc: { start: { line: 2, column: 11 } },
    });
  });

  it('checks and writes files through the prettier CLI, with dartsc fmt output', () => {
    const dir = tempDir({ 'a.darts': messy, 'b.darts': tidy });
    const require = createRequire(import.meta.url);
    const cli = require.resolve('prettier/bin/prettier.cjs');
    // The plugin from its TypeScript source, loaded through tsx.
    const tsx = require.resolve('tsx/esm');
    const pluginPath = join(root, 'src', 'format', 'prettierPlugin.ts');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', tsx, cli, '--plugin', pluginPath, ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
    const check = run('--check', 'a.darts', 'b.darts');
    expect(check.status).toBe(1);
    expect(check.stdout + check.stderr).toContain('a.darts');
    expect(check.stdout + check.stderr).not.toContain('b.darts');
    expect(run('--write', 'a.darts').status).toBe(0);
    expect(readFileSync(join(dir, 'a.darts'), 'utf8')).toBe(tidy);
    expect(run('--check', 'a.darts', 'b.darts').status).toBe(0);
  });
});
