import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers/cli.js';

import { flagProblem } from '../../src/cli/flagProblem.js';
import { runOptions } from '../../src/cli/commands/run.js';

const firstLine = (text: string) => text.split('\n')[0];

/** A mistyped flag gets dartsc's own one-line message, the command's usage, and exit 2. */
describe('cli: flags', () => {
  for (const [command, typo, meant] of [
    ['run', '--epoch', '--epochs'],
    ['train', '--drop-pth', '--drop-path'],
    ['emit', '--genotyp', '--genotype'],
  ] as const) {
    it(`names the option meant by \`${typo}\` for dartsc ${command}`, async () => {
      const r = await runCli([command, 'examples/tiny.darts', typo, '2']);
      expect(r.code).toBe(2);
      expect(firstLine(r.stderr)).toBe(
        `error: unknown option \`${typo}\` for \`dartsc ${command}\`; did you mean \`${meant}\`?`,
      );
      expect(r.stderr).toContain(`usage: dartsc ${command} SPEC`);
    });
  }

  it('says which option lacks its value', async () => {
    for (const [argv, message] of [
      [['run', 'examples/tiny.darts', '--epochs'], 'error: `--epochs` needs a value'],
      [['train', 'examples/tiny.darts', '--genotype'], 'error: `--genotype` needs a value'],
      [
        ['emit', 'examples/tiny.darts', '--genotype', '-o', 'x.ts'],
        'error: `--genotype` needs a value before `-o`',
      ],
    ] as const) {
      const r = await runCli([...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(firstLine(r.stderr)).toBe(message);
    }
  });

  it('words each kind of flag problem', () => {
    const problem = (...args: string[]) => flagProblem('run', args, runOptions);
    expect(problem('--quiett')).toBe(
      'unknown option `--quiett` for `dartsc run`; did you mean `--quiet`?',
    );
    expect(problem('-x')).toBe('unknown option `-x` for `dartsc run`');
    expect(problem('--seed', '-1')).toBe(
      '`--seed` needs a value, found `-1` (write `--seed=-1` if that is the value)',
    );
    expect(problem('--json=yes')).toBe('`--json` takes no value, found `--json=yes`');
    expect(problem('x.darts', '--epochs', '2')).toBeUndefined();
  });

  it('lists --version in the help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--version {9}print the version of dartsc$/m);
    expect((await runCli(['--version'])).stdout).toMatch(/^dartsc \d+\.\d+\.\d+\n$/);
  });
});
