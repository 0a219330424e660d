import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers/cli.js';

describe('cli: lsp', () => {
  it('is listed in the help, with its own usage', async () => {
    expect((await runCli(['--help'])).stdout).toContain(
      'lsp               run the language server',
    );
    expect((await runCli(['lsp', '--help'])).stdout).toContain('usage: dartsc lsp [--stdio]');
  });

  it('refuses arguments and unknown flags with exit 2 and no stack trace', async () => {
    for (const argv of [
      ['lsp', 'spec.darts'],
      ['lsp', '--socket=1'],
    ]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    }
  });

  it('needs the streams of a process (an in-process caller has none)', async () => {
    // Past its flags, which include the client's process id that some clients pass.
    for (const argv of [['lsp'], ['lsp', '--stdio', '--clientProcessId=4242']]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('lsp needs the standard input and output of a process');
    }
  });
});
