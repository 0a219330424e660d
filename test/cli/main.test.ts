import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { root, runCli } from '../helpers/cli.js';

import { allCodes } from '../../src/diagnostics/codes.js';

const run = runCli;

function tempFile(text: string): { dir: string; name: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-cli-'));
  writeFileSync(join(dir, 'spec.darts'), text);
  return { dir, name: 'spec.darts' };
}

describe('cli: main', () => {
  it('checks the examples clean with exit 0', async () => {
    const r = await run(['check', 'examples/mnist.darts', 'examples/tiny.darts']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('checked 2 files: no problems\n');
  });

  it('exits 1 and prints a code frame when there are errors', async () => {
    const { dir, name } = tempFile('import std.ops2d\nlet ops = [sep_conv_3x4]\n');
    const r = await run(['check', name], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[E0201]: cannot find name `sep_conv_3x4` in this scope');
    expect(r.stderr).toContain('--> spec.darts:2:12');
    expect(r.stderr).toContain('= help: did you mean `sep_conv_3x3`?');
    expect(r.stderr).toContain('1 error, 0 warnings');
  });

  it('checks the settings of a search block as run would resolve them', async () => {
    const spec = readFileSync(join(root, 'examples', 'tiny.darts'), 'utf8');
    const { dir, name } = tempFile(spec.replace('batch   16', 'batch   16\n  split   1.5'));
    const r = await run(['check', name, '--diagnostic-format', 'short'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /spec\.darts:\d+:\d+: error\[E0312\]: expected a portion strictly between 0 and 1/,
    );
  });

  it('exits 0 when there are only warnings', async () => {
    const { dir, name } = tempFile('import std.ops2d\nlet x = 1\n');
    const r = await run(['check', name, '--diagnostic-format', 'short'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('spec.darts:1:1: warning[W0201]: import `std.ops2d` is never used');
  });

  it('prints one JSON object per diagnostic with --diagnostic-format json', async () => {
    const { dir, name } = tempFile('cell X {\n');
    const r = await run(['check', name, '--diagnostic-format', 'json'], dir);
    expect(r.code).toBe(1);
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.code)).toContain('E0104');
    expect(lines[0]).toMatchObject({ severity: 'error', span: { file: 'spec.darts' } });
  });

  it('exits 2 for usage errors, without a stack trace', async () => {
    for (const argv of [
      [],
      ['frobnicate'],
      ['check'],
      ['check', 'does-not-exist.darts'],
      ['check', 'examples/tiny.darts', '--diagnostic-format', 'xml'],
      ['check', 'examples/tiny.darts', '--bogus'],
      ['explain'],
      ['explain', 'E9999'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    }
  });

  it('explains every code', async () => {
    for (const code of allCodes) {
      const r = await run(['explain', code.toLowerCase()]);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(`${code} (`)).toBe(true);
    }
  });

  it('prints help for the tool and for each command', async () => {
    expect((await run(['--help'])).stdout).toContain('check FILE...');
    expect((await run(['check', '--help'])).stdout).toContain('--diagnostic-format');
  });
});
