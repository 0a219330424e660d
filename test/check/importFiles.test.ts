import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { compile } from '../../src/api/compile.js';
import { OptionError } from '../../src/api/result.js';
import { main } from '../../src/cli/main.js';

/**
 * Imports on the real file system read regular files only (issue 13): `import "/dev/zero"`
 * and `import "/dev/stdin"` hung while memory grew past gigabytes. A device, a directory or a
 * named pipe is now E0222 naming the file, found with `stat` before anything is read; a huge
 * file is E0111 without being read. A hang would fail on the test's timeout.
 */
const dir = mkdtempSync(join(tmpdir(), 'dartsc-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function importing(target: string) {
  const path = join(dir, 'main.darts');
  writeFileSync(path, `import "${target}"\n\nlet C = 16\n`);
  const { diagnostics } = compile(path, { cwd: dir });
  return diagnostics.map((d) => ({ code: d.code, message: d.message }));
}

describe('check: imports read regular files only', () => {
  const fast = { timeout: 5_000 };

  it('refuses /dev/zero as a character device (E0222)', fast, () => {
    expect(importing('/dev/zero')).toEqual([
      {
        code: 'E0222',
        message: 'imported `/dev/zero` is a character device, not a regular file',
      },
    ]);
  });

  it('refuses /dev/stdin unless it is a regular file (E0222)', fast, () => {
    const codes = importing('/dev/stdin').map((d) => d.code);
    expect(codes).toEqual(statSync('/dev/stdin').isFile() ? [] : ['E0222']);
  });

  it('refuses a directory and a named pipe, naming them (E0222)', fast, () => {
    mkdirSync(join(dir, 'lib'));
    expect(importing('lib')).toEqual([
      { code: 'E0222', message: 'imported `lib` is a directory, not a regular file' },
    ]);
    execFileSync('mkfifo', [join(dir, 'pipe.darts')]);
    expect(importing('pipe.darts')).toEqual([
      { code: 'E0222', message: 'imported `pipe.darts` is a named pipe, not a regular file' },
    ]);
  });

  it('refuses a file of more than 3,000,000 bytes without reading it (E0111)', fast, () => {
    writeFileSync(join(dir, 'huge.darts'), Buffer.alloc(3_000_001, 0x20));
    expect(importing('huge.darts')).toEqual([
      {
        code: 'E0111',
        message:
          '`huge.darts` is too large: 3,000,001 bytes, more than the limit of 1,000,000 characters',
      },
    ]);
  });

  it('refuses a device as the spec itself with an option error, not a hang', fast, () => {
    expect(() => compile('/dev/zero', { cwd: dir })).toThrow(OptionError);
  });

  it('refuses a device given to `dartsc check` with a usage error (exit 2)', fast, async () => {
    let err = '';
    const io = { stdout: () => {}, stderr: (t: string) => (err += t), cwd: dir, color: false };
    expect(await main(['check', '/dev/zero'], io)).toBe(2);
    expect(err).toContain('cannot read `/dev/zero`: not a regular file');
  });
});
