import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { root, runCli as run } from '../helpers/cli.js';

/**
 * Settings and other crashes found by new users (docs/reliability.md): each used to pass
 * `check` and then crash (exit 70) or run to a silent NaN; each is now a diagnostic before
 * any work, or a run that ends well.
 */
const tiny = readFileSync(join(root, 'examples', 'tiny.darts'), 'utf8');

function specDir(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-reliability-'));
  writeFileSync(join(dir, 'spec.darts'), text);
  return dir;
}

describe('hostile search settings are refused by check, so run never starts', () => {
  const cases: [string, string, RegExp[]][] = [
    [
      'sgd(lr: -1, momentum: 99, clip: -1)',
      'weights sgd(lr: -1, momentum: 99, clip: -1)',
      [
        /spec\.darts:\d+:19: error\[E0320\]: `lr` of `sgd` must be greater than 0, found -1/,
        /error\[E0320\]: `momentum` of `sgd` must be in \[0, 1\), found 99/,
        /error\[E0320\]: `clip` of `sgd` must be greater than 0, found -1/,
      ],
    ],
    [
      'adam(betas: (2, -1))',
      'arch adam(betas: (2, -1))',
      [
        /beta 1 of `adam` must be in \[0, 1\), found 2/,
        /beta 2 of `adam` must be in \[0, 1\), found -1/,
      ],
    ],
    [
      'synthetic(samples: -5)',
      'data synthetic(samples: -5, classes: 2)',
      [/`samples` of `synthetic` must be at least 1, found -5/],
    ],
    [
      'synthetic(classes: 0)',
      'data synthetic(samples: 64, classes: 0)',
      [/`classes` of `synthetic` must be at least 1, found 0/],
    ],
    [
      'synthetic(noise: -1, test: 1)',
      'data synthetic(samples: 64, noise: -1, test: 1)',
      [
        /`noise` of `synthetic` must be at least 0, found -1/,
        /`test` of `synthetic` must be in \[0, 1\), found 1/,
      ],
    ],
  ];
  for (const [name, line, messages] of cases) {
    it(name, async () => {
      // The line replaces the spec's own setting of that name, or is added.
      const [setting] = line.split(' ');
      const own = new RegExp(`^ {2}${setting} .*$`, 'm');
      const text = own.test(tiny)
        ? tiny.replace(own, `  ${line}`)
        : tiny.replace('order   second', `order   second\n  ${line}`);
      const dir = specDir(text);
      const checked = await run(['check', 'spec.darts', '--diagnostic-format', 'short'], dir);
      expect(checked.code).toBe(1);
      for (const m of messages) expect(checked.stderr).toMatch(m);
      const out = join(dir, 'run');
      const ran = await run(['run', 'spec.darts', '--backend', 'cpu', '--out', out], dir);
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('error[E0320]');
      expect(ran.stderr).not.toMatch(/internal compiler error|\n\s+at /);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('accepts a huge weight learning rate and a cosine that anneals to 0', async () => {
    const text = tiny.replace(
      'order   second',
      'order   second\n  weights sgd(lr: cosine(1e6, 0), momentum: 0, decay: 0)',
    );
    const checked = await run(['check', 'spec.darts'], specDir(text));
    expect(checked.stderr).toBe('checked 1 file: no problems\n');
    expect(checked.code).toBe(0);
  });
});

it('refuses a retrain learning rate of 0, as the search refuses one (exit 2)', async () => {
  const spec =
    tiny +
    '\ngenotype G {\n  normal [(sep_conv_3x3, 0), (sep_conv_3x3, 1), (skip_connect, 0), (max_pool_3x3, 2)]\n}\n';
  const dir = specDir(spec);
  const argv = [
    'train',
    'spec.darts',
    '--genotype',
    'G',
    '--backend',
    'cpu',
    '--out',
    join(dir, 't'),
  ];
  const r = await run([...argv, '--lr', '0'], dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--lr takes a number > 0, found `0`');
  expect(existsSync(join(dir, 't'))).toBe(false);
});

describe('a genotype whose concat does not fit the cell is a diagnostic, not a crash', () => {
  const spec = (concat: string) =>
    tiny.replace(
      /\nsearch \{[\s\S]*$/,
      `
genotype G {
  normal        [(sep_conv_3x3, 0), (sep_conv_3x3, 1), (skip_connect, 0), (max_pool_3x3, 2)]
  normal_concat ${concat}
}
`,
    );
  const commands = [
    ['inspect', 'spec.darts', '--space', 'TinyNet', '--genotype', 'G', '--retrain'],
    ['emit', 'spec.darts', '--space', 'TinyNet', '--genotype', 'G', '-o', 'net.ts'],
  ];

  it('refuses `normal_concat []` in check', async () => {
    const dir = specDir(spec('[]'));
    const checked = await run(['check', 'spec.darts', '--diagnostic-format', 'short'], dir);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('error[E0404]: invalid genotype: `normal_concat` is empty');
    for (const argv of commands) {
      const r = await run(argv, dir);
      expect(r.code, argv[0]).toBe(1);
      expect(r.stderr).not.toContain('internal compiler error');
    }
  });

  it('refuses a state past the cell when the derived network is built', async () => {
    const dir = specDir(spec('[2, 7]'));
    for (const argv of commands) {
      const r = await run(argv, dir);
      expect(r.code, argv[0]).toBe(1);
      expect(r.stderr).toContain(
        'error[E0404]: invalid genotype: `normal_concat` names state 7, but the normal cell has states 0 to 3',
      );
      expect(r.stderr).toMatch(/--> spec\.darts:\d+:17\n/);
      expect(r.stderr).not.toContain('internal compiler error');
    }
    expect(existsSync(join(dir, 'net.ts'))).toBe(false);
  });

  it('refuses the same concat read from a genotype file', async () => {
    const dir = specDir(spec('[2, 3]'));
    const json = {
      normal: [
        ['sep_conv_3x3', 0],
        ['sep_conv_3x3', 1],
        ['skip_connect', 0],
        ['max_pool_3x3', 2],
      ],
    };
    for (const concat of [[], [2, 9]]) {
      writeFileSync(join(dir, 'g.json'), JSON.stringify({ ...json, normal_concat: concat }));
      const argv = [
        'emit',
        'spec.darts',
        '--space',
        'TinyNet',
        '--genotype',
        'g.json',
        '-o',
        'x.ts',
      ];
      const r = await run(argv, dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error[E0404]: invalid genotype: `normal_concat`');
    }
  });
});

describe('a cell that leaves an input unused searches and retrains (its weights get no gradient)', () => {
  const spec = tiny
    .replace('nodes  2\n  keep   2', 'node   a from s1\n  node   b from s1, a\n  keep   1')
    .replace(/epochs {2}\d+/, 'epochs  1');

  it('warns of the unused input in check', async () => {
    const r = await run(['check', 'spec.darts', '--diagnostic-format', 'short'], specDir(spec));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning[W0402]: input `s0` of cell `Tiny` is never read');
  });

  for (const order of ['first', 'second']) {
    it(`runs a ${order}-order search to finite α, then retrains the genotype`, async () => {
      const dir = specDir(spec);
      const out = join(dir, 'run');
      const base = ['spec.darts', '--backend', 'cpu', '--steps', '2'];
      const searched = await run(['run', ...base, '--order', order, '--out', out], dir);
      expect(searched.code, searched.stderr).toBe(0);
      const alphas = JSON.parse(readFileSync(join(out, 'alphas.json'), 'utf8')) as {
        normal: { alpha: number[][] };
      };
      const values = alphas.normal.alpha.flat();
      expect(values).toHaveLength(3 * 4);
      expect(values.every((v) => Number.isFinite(v))).toBe(true);
      const genotype = join(out, 'genotype.json');
      const trained = await run(
        ['train', ...base, '--genotype', genotype, '--out', join(dir, 'train')],
        dir,
      );
      expect(trained.code, trained.stderr).toBe(0);
    });
  }
});

describe('a reader that closes the pipe early', () => {
  it('ends `dartsc inspect --ir | head -1` quietly with exit 141, without a stack trace', async () => {
    // The real process (bin.ts), from the sources: only it touches process.stdout.
    const argv = [
      '--import',
      'tsx',
      'src/cli/bin.ts',
      'inspect',
      'examples/darts_cifar10.darts',
      '--ir',
    ];
    const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString();
      child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(first).toMatch(/^supernet DartsCifar/);
    expect(stderr).toBe('');
    expect(code).toBe(141);
  }, 60_000);
});
