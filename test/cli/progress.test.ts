import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import type { SearchEvent, StepEvent } from '../../src/index.js';
import { main } from '../../src/cli/main.js';
import { searchPrinter } from '../../src/cli/progress.js';
import { duration } from '../../src/util/metricsText.js';
import { root } from '../helpers/cli.js';

/** An in-memory io on a fake clock (ms) that the test moves; each stderr line keeps its time. */
function fakeIo(interactive: boolean) {
  const clock = { t: 0 };
  const lines: { t: number; text: string }[] = [];
  let stderr = '';
  const io = {
    stdout: () => {},
    stderr: (text: string) => {
      stderr += text;
      for (const line of text.split('\n').filter(Boolean)) lines.push({ t: clock.t, text: line });
    },
    cwd: root,
    color: false,
    interactive,
    now: () => clock.t,
  };
  return { io, clock, lines, stderr: () => stderr };
}

/** The start of a search of `epochs` epochs (what the printer reads of it). */
const start = (epochs: number, startEpoch = 0, startStep?: number) =>
  ({
    kind: 'start',
    spec: 'x.darts',
    space: 'X',
    params: 10,
    tables: [],
    data: 'synthetic',
    splits: { train: 160, valid: 160, test: 0 },
    backend: 'cpu',
    workers: 1,
    config: { epochs, batch: 16, order: 'first', seed: 1 },
    startEpoch,
    ...(startStep ? { startStep } : {}),
  }) as unknown as SearchEvent;

const epochEnd = (epoch: number, epochs: number): SearchEvent => ({
  kind: 'epoch',
  epoch,
  epochs,
  lr: 0.01,
  train: { loss: 0.5, accuracy: 0.5 },
  valid: { loss: 0.5, accuracy: 0.5 },
  genotype: {},
  alphas: {},
  seconds: 1,
});

const step = (epoch: number, s: number, loss: number): StepEvent => ({
  kind: 'step',
  epoch,
  step: s,
  steps: 10,
  loss,
});

describe('cli: progress', () => {
  it('writes a plain progress line at most every 10 s, with the step, the mean loss and the run ETA', () => {
    const { io, clock, lines } = fakeIo(false);
    const print = searchPrinter(io, 'text');
    print.event(start(3));
    // 3 epochs of 10 steps, 3 s a step, and 5 s of validation after each epoch's last step.
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let s = 1; s <= 10; s++) {
        clock.t += 3000;
        print.event(step(epoch, s, 1 - s / 10));
      }
      clock.t += 5000;
      print.event(epochEnd(epoch, 3));
    }
    const progress = lines.filter((l) => / step \d+\/10 /.test(l.text));
    expect(progress.length).toBe(6);
    // Epoch 1, step 4 at 12 s: 3 s a step, no validation measured yet, so 6 steps of this
    // epoch and 2 epochs of 10 steps are left: 18 + 60 = 78 s. Mean loss of 0.9 … 0.6: 0.75.
    expect(progress[0]).toEqual({
      t: 12_000,
      text: 'epoch 1/3 step 4/10 loss 0.750 eta 1:18 (run)',
    });
    expect(progress[1]).toEqual({
      t: 24_000,
      text: 'epoch 1/3 step 8/10 loss 0.550 eta 1:06 (run)',
    });
    // Epoch 2 started after the epoch line at 35 s; step 4 at 47 s: 6 steps and the 5 s
    // validation of this epoch, one epoch of 10 steps and its validation: 23 + 35 = 58 s.
    expect(progress[2]).toEqual({
      t: 47_000,
      text: 'epoch 2/3 step 4/10 loss 0.750 eta 0:58 (run)',
    });
    // Epoch 3 (the last), step 4 at 82 s: 6 steps and its validation, 23 s.
    expect(progress[4]).toEqual({
      t: 82_000,
      text: 'epoch 3/3 step 4/10 loss 0.750 eta 0:23 (run)',
    });
    // Never two lines within 10 s, never more than 10 s and one step (3 s) without one.
    expect(lines[0]!.t).toBe(0);
    for (let i = 1; i < lines.length; i++) {
      const gap = lines[i]!.t - lines[i - 1]!.t;
      if (progress.includes(lines[i]!)) expect(gap).toBeGreaterThanOrEqual(10_000);
      expect(gap).toBeLessThan(10_000 + 3000);
    }
  });

  it('shows on a terminal the epoch bar with the time left in the epoch and in the run', () => {
    const { io, clock, stderr } = fakeIo(true);
    const print = searchPrinter(io, 'text');
    // Resumed in epoch 2 of 4 after its step 6; 2 s a step, 4 s of validation.
    print.event(start(4, 1, 6));
    for (let s = 7; s <= 10; s++) {
      clock.t += 2000;
      print.event(step(1, s, 0.5));
      // A step is timed from the one before it: the first has no ETA.
      if (s === 7) expect(stderr()).toMatch(/ 7\/10 loss 0\.500 eta -:-- \(run -:--\)$/);
    }
    clock.t += 4000;
    print.event(epochEnd(1, 4));
    for (let s = 1; s <= 5; s++) {
      clock.t += 2000;
      print.event(step(2, s, 1 - s / 10));
    }
    // Epoch 3: 5 steps and the validation left, 5·2 + 4 = 14 s; then epoch 4, 10·2 + 4 = 24 s.
    // The loss is the mean of 0.9 … 0.5.
    expect(stderr().split('\r').at(-1)).toBe(
      'epoch 3/4 [##########          ] 5/10 loss 0.700 eta 0:14 (run 0:38)',
    );
    // The bar is blanked before the epoch line, which a shorter line would not cover.
    expect(stderr()).toContain(`(run 0:40)\r${' '.repeat(69)}\repoch 2/4  lr 0.0100`);
    expect(stderr()).not.toMatch(/ step \d+\/\d+ loss/);
  });

  it('keeps the bar within 100 columns for a long run, with hours as h:mm:ss', () => {
    const { io, clock, stderr } = fakeIo(true);
    const print = searchPrinter(io, 'text');
    print.event(start(600));
    for (const s of [1, 2]) {
      clock.t += 50_000;
      print.event({ kind: 'step', epoch: 0, step: s, steps: 10_000, loss: 12.345 });
    }
    // 9,998 steps of 50 s left in this epoch, then 599 epochs of 10,000.
    const bar = stderr().split('\r').at(-1)!;
    expect(bar).toContain('eta 138:51:40 (run 83333:18:20)');
    expect(bar.length).toBeLessThanOrEqual(100);
    expect([duration(59.6), duration(754), duration(3723)]).toEqual(['1:00', '12:34', '1:02:03']);
  });
});

/** The CLI in-process without a terminal, on a clock that moves 4 s each time it is read. */
async function slowCli(argv: string[]) {
  let t = 0;
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: root,
    color: false,
    interactive: false,
    env: { DARTSC_WORKERS: '1' },
    now: () => (t += 4000),
  });
  return { code, stdout, stderr };
}

const out = () => join(mkdtempSync(join(tmpdir(), 'dartsc-progress-')), 'out');
const progressLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => / step \d+\/\d+ loss /.test(l) || /^epoch \d+\/\d+ {2}lr/.test(l));

/** A genotype of examples/uno.darts (gapminder: it keeps a held-out test split). */
function unoGenotype(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dartsc-progress-')), 'uno.json');
  writeFileSync(file, '{"normal": [["linear_block", 0], ["encoder", 1]], "normal_concat": [2]}');
  return file;
}

describe('cli: progress of run and train without a terminal', () => {
  it('prints progress lines between the epoch lines of a search', async () => {
    const r = await slowCli(['run', 'examples/tiny.darts', '--epochs', '2', '--out', out()]);
    expect(r.code, r.stderr).toBe(0);
    // 8 steps an epoch, 4 s a step: a line at steps 3 and 6 (12 s after the last line). At
    // step 3 of epoch 1, 5 steps and then 8 are left: 52 s; in epoch 2 the 4 s between its
    // last step and its end count too: 5 steps and 4 s, 24 s.
    expect(progressLines(r.stderr).map((l) => l.replace(/loss [\d.]+/, 'loss L'))).toEqual([
      'epoch 1/2 step 3/8 loss L eta 0:52 (run)',
      'epoch 1/2 step 6/8 loss L eta 0:40 (run)',
      expect.stringMatching(/^epoch 1\/2 {2}lr /),
      'epoch 2/2 step 3/8 loss L eta 0:24 (run)',
      'epoch 2/2 step 6/8 loss L eta 0:12 (run)',
      expect.stringMatching(/^epoch 2\/2 {2}lr /),
    ]);
    expect(r.stdout).toContain('genotype Searched {');
  });

  it('prints progress lines in a retrain too', async () => {
    const args = ['train', 'examples/uno.darts', '--genotype', unoGenotype()];
    const r = await slowCli([...args, '--epochs', '1', '--steps', '4', '--out', out()]);
    expect(r.code, r.stderr).toBe(0);
    expect(progressLines(r.stderr)).toEqual([
      expect.stringMatching(/^epoch 1\/1 step 3\/4 loss [\d.]+ eta 0:04 \(run\)$/),
      expect.stringMatching(/^epoch 1\/1 {2}lr /),
    ]);
  });

  it('prints with --quiet only the result: the genotype of a search, the accuracy of a retrain', async () => {
    const run = await slowCli([
      'run',
      'examples/tiny.darts',
      '--epochs',
      '1',
      '--steps',
      '4',
      '--quiet',
      '--out',
      out(),
    ]);
    expect(run.code, run.stderr).toBe(0);
    // Warnings still print: here, one epoch at the schedule's floor, and tiny's pools winning
    // its normal cell with α that barely moved (docs/report.md).
    const outcome = /^warning: (parameter-free ops|α barely moved)/;
    expect(run.stderr.split('\n').filter((l) => !outcome.test(l))).toEqual([
      expect.stringMatching(/^warning: with --epochs 1 the cosine schedule runs its only epoch/),
      '',
    ]);
    expect(run.stdout).toMatch(/^\nsupernet valid accuracy [\d.]+% after 1 epochs; wrote /);
    expect(run.stdout).toContain('genotype Searched {');
    const args = ['train', 'examples/uno.darts', '--genotype', unoGenotype(), '--quiet'];
    const train = await slowCli([...args, '--epochs', '1', '--steps', '4', '--out', out()]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/^warning: with --epochs 1 the cosine schedule [^\n]*\n$/);
    expect(train.stdout).toMatch(/^test accuracy [\d.]+% on \d+ held-out samples; wrote /);
  });
});
