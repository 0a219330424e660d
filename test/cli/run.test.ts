import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';
import { root, runCli } from '../helpers/cli.js';

const run = runCli;

const temp = () => mkdtempSync(join(tmpdir(), 'dartsc-run-'));
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('cli: run', () => {
  it('explains in one line how to get the tensorflow backend, and exits 2', async () => {
    const r = await run([
      'run',
      'examples/tiny.darts',
      '--backend',
      'tensorflow',
      '--out',
      join(temp(), 'x'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('npm install --no-save @tensorflow/tfjs-node@4.22.0');
  });

  it('refuses a batch that does not fit the wasm heap, naming one that does', async () => {
    const r = await run(['run', 'examples/darts_cifar10.darts', '--out', join(temp(), 'x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[E0501\]: a search step at batch 64 needs about [\d.]+ GB/);
    expect(r.stderr).toMatch(/help: `batch \d+` fits \(with 1 worker;/);
  });

  it('checks the wasm heap per worker: each holds its share of the batch', async () => {
    const args = ['run', 'examples/darts_cifar10.darts', '--out', join(temp(), 'x')];
    const r = await run([...args, '--workers', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /at batch 64 \(32 per worker, 2 workers\) needs about [\d.]+ GB per worker/,
    );
    const fits = (text: string) => Number(/`batch (\d+)` fits/.exec(text)![1]);
    const one = await run(args);
    expect(fits(r.stderr)).toBe(2 * fits(one.stderr));
  });

  describe('ties file data to the space when it is loaded (E0413)', () => {
    const spec = (length: number, vocab: number) => `
import std.ops1d
cell C1(C: int) {
  ops    [skip_connect, sep_conv_3]
  nodes  1
  keep   1
}
space Text(C: int = 4) : Tokens[6] -> Logits[2] {
  stem  embedding(${vocab}, C)
  cells stack(1, normal: C1)
  head  global_avg_pool >> dense(2)
}
search {
  space  Text
  data   jsonl(path: "tokens.jsonl", length: ${length})
  epochs 1
}
`;
    const runSpec = async (length: number, vocab: number) => {
      const dir = temp();
      const lines = Array.from(
        { length: 8 },
        (_, i) => `{"tokens": [1, 2, ${i}], "label": ${i % 2}}`,
      );
      writeFileSync(join(dir, 'tokens.jsonl'), lines.join('\n'));
      writeFileSync(join(dir, 'text.darts'), spec(length, vocab));
      const r = await run([
        'run',
        join(dir, 'text.darts'),
        '--out',
        join(dir, 'out'),
        '--backend',
        'cpu',
      ]);
      return { ...r, wrote: existsSync(join(dir, 'out')) };
    };

    it('token ids past the embedding', async () => {
      const r = await runSpec(6, 5);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        "error[E0413]: data `jsonl` gives token ids up to 7, but space `Text` takes ids below 5 (its embedding's `vocab`)",
      );
      expect(r.stderr).toContain('help: give the embedding `vocab: 8` or more');
      expect(r.stderr).toMatch(/--> .*text\.darts:15:10/);
      expect(r.wrote).toBe(false);
    });

    it('a sequence length other than the space input', async () => {
      const r = await runSpec(5, 8);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'error[E0413]: data `jsonl` gives samples of type `Tokens[5]`, but space `Text` takes `Tokens[6]`',
      );
      expect(r.wrote).toBe(false);
    });
  });

  it('gives identical genotype.json and alphas.json for the same seed on cpu', async () => {
    const dirs = [join(temp(), 'a'), join(temp(), 'b')];
    for (const out of dirs) {
      const r = await run([
        'run',
        'examples/tiny.darts',
        '--backend',
        'cpu',
        '--seed',
        '1',
        '--epochs',
        '1',
        '--steps',
        '2',
        '--out',
        out,
      ]);
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
    }
    for (const file of ['genotype.json', 'alphas.json'])
      expect(read(dirs[0]!, file)).toBe(read(dirs[1]!, file));
    for (const file of [
      'config.json',
      'metrics.jsonl',
      'genotype.darts',
      'checkpoints/epoch-000.json',
      'checkpoints/epoch-000.bin',
    ]) {
      expect(existsSync(join(dirs[0]!, file)), file).toBe(true);
    }
    expect(read(dirs[0]!, 'genotype.darts')).toMatch(/^genotype Searched \{/m);
  });

  it('never writes into an existing directory, and resumes one to the same result as an unbroken run', async () => {
    const base = temp();
    const whole = join(base, 'whole');
    const parts = join(base, 'parts');
    const args = ['examples/tiny.darts', '--seed', '3', '--epochs', '2'];
    expect((await run(['run', ...args, '--out', whole])).code).toBe(0);
    expect((await run(['run', ...args, '--out', parts])).code).toBe(0);
    const before = read(parts, 'metrics.jsonl');
    const again = await run(['run', ...args, '--out', parts]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(read(parts, 'metrics.jsonl')).toBe(before);
    // Interrupt `parts` after its first epoch: drop the second epoch's checkpoint and metrics.
    rmSync(join(parts, 'checkpoints', 'epoch-001.json'));
    rmSync(join(parts, 'checkpoints', 'epoch-001.bin'));
    writeFileSync(join(parts, 'metrics.jsonl'), before.split('\n')[0] + '\n');
    writeFileSync(join(parts, 'alphas.json'), '{}');
    const resumed = await run(['run', 'examples/tiny.darts', '--resume', parts]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('epochs 2 to 2');
    expect(read(parts, 'alphas.json')).toBe(read(whole, 'alphas.json'));
    expect(read(parts, 'metrics.jsonl').trim().split('\n')).toHaveLength(2);
  });

  it('refuses to resume a run with the checkpoint of another network, naming the tensor', async () => {
    const base = temp();
    const out = join(base, 'run');
    const tiny = readFileSync(join(root, 'examples', 'tiny.darts'), 'utf8');
    writeFileSync(join(base, 'tiny.darts'), tiny);
    const first = await run([
      'run',
      join(base, 'tiny.darts'),
      '--epochs',
      '1',
      '--steps',
      '1',
      '--out',
      out,
    ]);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(
      join(base, 'tiny.darts'),
      tiny.replace('space   TinyNet(C: 4)', 'space   TinyNet(C: 6)'),
    );
    // A run directory of an older dartsc kept no copy of its spec: the edit is found by the
    // checkpoint's tensors (with the copy, the changed text is reported first; below).
    rmSync(join(out, 'spec.darts'));
    const resumed = await run(['run', join(base, 'tiny.darts'), '--resume', out, '--epochs', '2']);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(
      /^error: checkpoint .*epoch-000 has `w:stem\/conv2d\.0\/weight` of shape \[3, 3, 3, 8\], the network \[3, 3, 3, 12\]: it belongs to another network\n$/,
    );
  });

  it('derives the genotype again from saved α, with another keep if asked', async () => {
    const out = join(temp(), 'run');
    expect(
      (await run(['run', 'examples/tiny.darts', '--seed', '2', '--epochs', '1', '--out', out]))
        .code,
    ).toBe(0);
    const derived = await run([
      'derive',
      'examples/tiny.darts',
      '--alphas',
      join(out, 'alphas.json'),
      '--json',
    ]);
    expect(derived.code).toBe(0);
    expect(JSON.parse(derived.stdout)).toEqual(JSON.parse(read(out, 'genotype.json')));
    const one = await run([
      'derive',
      'examples/tiny.darts',
      '--alphas',
      join(out, 'alphas.json'),
      '--keep',
      '1',
      '--json',
    ]);
    expect((JSON.parse(one.stdout) as { normal: unknown[] }).normal).toHaveLength(2);
    writeFileSync(join(out, 'bad.json'), '{"normal": [[1, 2]]}');
    const bad = await run(['derive', 'examples/tiny.darts', '--alphas', join(out, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('`normal` must be 5 rows of 4 numbers');
  });

  it('starts --json output with the resolved settings as plain data (no spans, no spec text)', async () => {
    const out = join(temp(), 'run');
    const r = await run([
      'run',
      'examples/tiny.darts',
      '--epochs',
      '1',
      '--steps',
      '1',
      '--json',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const start = JSON.parse(r.stdout.split('\n')[0]!) as Record<string, unknown>;
    expect(start.kind).toBe('start');
    expect(Object.keys(start.config as object)).not.toContain('spans');
    expect(r.stdout.split('\n')[0]).not.toContain('TinyNet(C: int = 4)');
    expect(start.config).toEqual(JSON.parse(read(out, 'config.json')).search);
    expect(start.config).toMatchObject({ epochs: 1, batch: 16, maxSteps: 1, order: 'second' });
    // It ends with the outcome, the collapse warnings (as sentences) included.
    const done = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(done).toMatchObject({ kind: 'done', runDir: out, collapse: expect.any(Array) });
    for (const w of done.collapse as string[]) expect(w).toMatch(/^parameter-free ops take \d+ of/);
  });

  it('stops after the current step on an interrupt, and exits 130 with how to resume', async () => {
    const out = join(temp(), 'run');
    const interrupt = new AbortController();
    let stderr = '';
    const steps: string[] = [];
    const code = await main(
      // Three steps an epoch (the resume keeps the run's --steps): the interrupt comes in the
      // first epoch, between steps 2 and 3.
      [
        'run',
        'examples/tiny.darts',
        ...['--epochs', '2', '--steps', '3', '--json'],
        ...['--backend', 'cpu', '--out', out],
      ],
      {
        stdout: (t) => {
          if (t.includes('"kind":"step"')) steps.push(t);
          if (steps.length === 2) interrupt.abort();
        },
        stderr: (t) => (stderr += t),
        cwd: root,
        color: false,
        env: {},
        signal: interrupt.signal,
      },
    );
    expect(code).toBe(130);
    expect(stderr).toContain('--resume');
    expect(steps).toHaveLength(2);
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(false);
    const resumed = await run(['run', 'examples/tiny.darts', '--resume', out, '--backend', 'wasm']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(read(out, 'metrics.jsonl').trim().split('\n')).toHaveLength(2);
  });

  it('writes to runs/<spec file name>-<timestamp> in the working directory by default', async () => {
    const cwd = temp();
    const spec = join(root, 'examples', 'tiny.darts');
    const r = await run(['run', spec, '--epochs', '1', '--steps', '1', '--backend', 'cpu'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'runs'))).toEqual([expect.stringMatching(/^tiny-\d{8}-\d{6}$/)]);
  });
});

describe('cli: run --resume', () => {
  const tiny = readFileSync(join(root, 'examples', 'tiny.darts'), 'utf8');
  /** A one-epoch run of the tiny example copied to a fresh folder. */
  async function oneEpoch() {
    const cwd = temp();
    writeFileSync(join(cwd, 'tiny.darts'), tiny);
    const r = await run(
      ['run', 'tiny.darts', '--epochs', '1', '--steps', '2', '--backend', 'cpu', '--out', 'r'],
      cwd,
    );
    expect(r.code, r.stderr).toBe(0);
    return cwd;
  }

  it('needs no SPEC: the run directory knows its spec and keeps a copy', async () => {
    const cwd = await oneEpoch();
    expect(readFileSync(join(cwd, 'r', 'spec.darts'), 'utf8')).toBe(tiny);
    const r = await run(['run', '--resume', 'r', '--epochs', '2'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('epochs 2 to 2');
    // Started with --backend cpu, resumed without: on cpu again, not the default wasm.
    expect(r.stderr).toMatch(/backend cpu\b/);
    expect(read(join(cwd, 'r'), 'metrics.jsonl').trim().split('\n')).toHaveLength(2);
  });

  it('names the spec a run started from when given another, or says it changed', async () => {
    const cwd = await oneEpoch();
    writeFileSync(join(cwd, 'other.darts'), tiny + '\n// another spec\n');
    const other = await run(['run', 'other.darts', '--resume', 'r', '--epochs', '2'], cwd);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/was started from `.*tiny\.darts`, not `.*other\.darts`/);
    writeFileSync(join(cwd, 'tiny.darts'), tiny + '\n// edited\n');
    const edited = await run(['run', 'tiny.darts', '--resume', 'r', '--epochs', '2'], cwd);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/tiny\.darts` changed since the run/);
  });
});

describe('cli: what the file system refuses', () => {
  it('says in one line that an output cannot be written, with no stack trace (exit 2)', async () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'afile'), '');
    const args = ['--epochs', '1', '--steps', '1', '--backend', 'cpu'];
    const under = await run(
      ['run', join(root, 'examples', 'tiny.darts'), ...args, '--out', 'afile/r'],
      cwd,
    );
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(
      /^error: cannot mkdir `.*afile\/r.*`: a part of the path is not a directory\n$/m,
    );
    expect(under.stderr).not.toMatch(/internal compiler error|\n\s+at /);
    const emitted = await run(
      ['emit', join(root, 'examples', 'mnist.darts'), '--genotype', 'Found', '-o', 'none/m.ts'],
      cwd,
    );
    expect(emitted.code).toBe(2);
    expect(emitted.stderr).toMatch(
      /^error: cannot open `.*none\/m\.ts`: no such file or directory\n$/,
    );
  });
});
