import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/numerics/tf.js';
import { RunDir, RunDirError } from '../../src/runtime/runDir.js';
import { stateValues, tinyState } from '../helpers/tinyState.js';

/**
 * Crash-safe run directories (docs/reliability.md): damaged checkpoints are passed over for
 * the one before, never restored; metrics are cut back to whole lines of finished epochs; a
 * directory without a readable configuration is refused with what to do.
 */
const state = tinyState;
const weightsOf = stateValues;

beforeAll(async () => void (await selectBackend('cpu')));
afterAll(async () => void (await selectBackend('wasm')));

/** A run directory with the checkpoints of epochs 0 and 1 (different weights) and metrics. */
function runWithTwoEpochs() {
  const path = join(mkdtempSync(join(tmpdir(), 'dartsc-rundir-')), 'run');
  const dir = RunDir.create(path, { spec: 'tiny.darts', backend: 'cpu' });
  const first = state(1, 1);
  const second = state(2, 2);
  dir.checkpoint(0, first);
  dir.checkpoint(1, second);
  for (const epoch of [0, 1]) dir.appendMetrics({ epoch, loss: 1 });
  return { path, dir, first: weightsOf(first), second: weightsOf(second) };
}

const stem = (path: string, epoch: number) =>
  join(path, 'checkpoints', `epoch-${String(epoch).padStart(3, '0')}`);

/** Resumes into a fresh state: the epoch it goes on from, the warnings, the weights. */
function resume(path: string) {
  const warnings: string[] = [];
  const into = state(0, 9);
  const { startEpoch } = RunDir.open(path).resume(into, (m) => warnings.push(m));
  return { startEpoch, warnings, weights: weightsOf(into) };
}

const manifestOf = (path: string) => JSON.parse(readFileSync(stem(path, 1) + '.json', 'utf8'));
const withManifest = (change: (m: Record<string, unknown>) => unknown) => (path: string) =>
  writeFileSync(stem(path, 1) + '.json', JSON.stringify(change(manifestOf(path))));
const withBin = (change: (b: Buffer) => Buffer) => (path: string) =>
  writeFileSync(stem(path, 1) + '.bin', change(readFileSync(stem(path, 1) + '.bin')));
/** Float `i` of the weights set to `value`, the checksum made to match (an undetected edit). */
const setFloat = (i: number, value: number) => (path: string) => {
  withBin((b) => {
    b.writeFloatLE(value, i * 4);
    return b;
  })(path);
  const sha = createHash('sha256')
    .update(readFileSync(stem(path, 1) + '.bin'))
    .digest('hex');
  withManifest((m) => ({ ...m, sha256: sha }))(path);
};

const damages: [string, (path: string) => void, RegExp][] = [
  ['a truncated .bin', withBin((b) => b.subarray(0, b.length - 8)), /bytes of weights/],
  ['an empty .bin', withBin(() => Buffer.alloc(0)), /bytes of weights/],
  ['a missing .bin', (p) => rmSync(stem(p, 1) + '.bin'), /missing/],
  ['a flipped sign bit', withBin((b) => ((b[3]! ^= 0x80), b)), /checksum/],
  ['a NaN with a matching checksum', setFloat(0, NaN), /not finite/],
  ['an infinity', setFloat(5, Infinity), /not finite/],
  ['an empty manifest', (p) => writeFileSync(stem(p, 1) + '.json', ''), /unreadable manifest/],
  [
    'a cut-off manifest',
    (p) => writeFileSync(stem(p, 1) + '.json', '{"format":1,"epo'),
    /unreadable/,
  ],
  [
    'a manifest that is not an object',
    (p) => writeFileSync(stem(p, 1) + '.json', '7'),
    /not an object/,
  ],
  ['a manifest epoch of NaN', withManifest((m) => ({ ...m, epoch: 'NaN' })), /epoch/],
  ['a manifest epoch of 99', withManifest((m) => ({ ...m, epoch: 99 })), /epoch 99/],
  ['a manifest epoch of -3', withManifest((m) => ({ ...m, epoch: -3 })), /epoch -3/],
  [
    'an offset past the end',
    withManifest((m) => {
      const tensors = m.tensors as { offset: number }[];
      tensors[tensors.length - 1]!.offset = 1e6;
      return m;
    }),
    /past the end/,
  ],
  [
    'a malformed tensor entry',
    withManifest((m) => ({ ...m, tensors: [{ name: 3 }] })),
    /malformed/,
  ],
  ['an unknown format', withManifest((m) => ({ ...m, format: 7 })), /format 7/],
  [
    'a manifest without its checksum',
    withManifest((m) => ({ ...m, sha256: undefined })),
    /checksum/,
  ],
];

describe('runtime: run directory', () => {
  it('resumes from the newest checkpoint, restoring its weights exactly', () => {
    const { path, second } = runWithTwoEpochs();
    const r = resume(path);
    expect(r).toMatchObject({ startEpoch: 2, warnings: [] });
    expect(r.weights).toEqual(second);
  });

  for (const [what, damage, reason] of damages)
    it(`passes over a checkpoint with ${what} for the one before, with a warning`, () => {
      const { path, first } = runWithTwoEpochs();
      damage(path);
      const r = resume(path);
      expect(r.startEpoch).toBe(1);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/damaged checkpoint epoch-001 \(/);
      expect(r.warnings[0]).toMatch(reason);
      expect(r.weights).toEqual(first);
      // Epoch 1 is redone: its metrics line goes, epoch 0's stays.
      const lines = readFileSync(join(path, 'metrics.jsonl'), 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).epoch)).toEqual([0]);
    });

  it('starts from the first epoch when no checkpoint is valid, restoring nothing', () => {
    const { path } = runWithTwoEpochs();
    for (const epoch of [0, 1]) writeFileSync(stem(path, epoch) + '.bin', 'x');
    const r = resume(path);
    expect(r.startEpoch).toBe(0);
    expect(r.warnings[0]).toMatch(
      /damaged checkpoints epoch-001 .*epoch-000 .*starting from the first epoch/,
    );
    expect(r.weights).toEqual(weightsOf(state(0, 9)));
    expect(readFileSync(join(path, 'metrics.jsonl'), 'utf8')).toBe('');
  });

  it("resumes an interrupt's checkpoint within the next epoch, or passes over it when damaged", () => {
    const { path } = runWithTwoEpochs();
    const partial = { step: 2, loss: 1.5, correct: 7, seen: 16 };
    const within = { ...state(2, 3), partial };
    RunDir.open(path).interrupted(within);
    const r = resume(path);
    expect(r.weights).toEqual(weightsOf(within));
    expect(r).toMatchObject({ startEpoch: 2, warnings: [] });
    const into = state(0, 9);
    expect(RunDir.open(path).resume(into, () => {})).toEqual({ startEpoch: 2, partial });
    writeFileSync(join(path, 'checkpoints', 'partial.bin'), 'x');
    const fallback = resume(path);
    expect(fallback.startEpoch).toBe(2);
    expect(fallback.warnings[0]).toMatch(/damaged checkpoint partial \(.*resuming after epoch 2/);
    expect(RunDir.open(path).resume(state(0, 9), () => {})).toEqual({ startEpoch: 2 });
    // The epoch's own checkpoint supersedes it.
    RunDir.open(path).checkpoint(2, state(3, 4));
    expect(existsSync(join(path, 'checkpoints', 'partial.json'))).toBe(false);
  });

  it('refuses a checkpoint of another network instead of passing over it', () => {
    const { path } = runWithTwoEpochs();
    withManifest((m) => {
      (m.tensors as { shape: number[] }[])[0]!.shape = [1, 2, 3];
      return m;
    })(path);
    expect(() => resume(path)).toThrow(/belongs to another network/);
  });

  it('cuts metrics.jsonl back to whole lines of finished epochs', () => {
    const { path } = runWithTwoEpochs();
    const file = join(path, 'metrics.jsonl');
    // A kill during an append (a cut-off line), and a line of an epoch not checkpointed.
    writeFileSync(file, readFileSync(file, 'utf8') + '{"epoch":2,"loss":1}\n{"epoch":3,"lo');
    expect(resume(path).startEpoch).toBe(2);
    const lines = readFileSync(file, 'utf8');
    expect(lines.endsWith('\n')).toBe(true);
    expect(
      lines
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).epoch),
    ).toEqual([0, 1]);
  });

  it('writes files whole: no temporary file stays behind', () => {
    const { path } = runWithTwoEpochs();
    expect(readdirSync(path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(path, 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(manifestOf(path)).toMatchObject({ format: 1, epoch: 1 });
    expect(manifestOf(path).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to resume without a readable config.json, saying what to do', () => {
    const root = mkdtempSync(join(tmpdir(), 'dartsc-rundir-'));
    expect(() => RunDir.open(join(root, 'none'))).toThrow(/does not exist/);
    mkdirSync(join(root, 'empty'));
    expect(() => RunDir.open(join(root, 'empty'))).toThrow(/no config.json.*--out/);
    const { path } = runWithTwoEpochs();
    writeFileSync(join(path, 'config.json'), '{"spec": "tiny.da');
    expect(() => RunDir.open(path)).toThrow(RunDirError);
    expect(() => RunDir.open(path)).toThrow(/damaged.*another --out/);
  });

  it('takes a directory a killed run left empty, and refuses one that holds anything', () => {
    const root = mkdtempSync(join(tmpdir(), 'dartsc-rundir-'));
    mkdirSync(join(root, 'killed', 'checkpoints'), { recursive: true });
    writeFileSync(join(root, 'killed', 'config.json.123.tmp'), '{"sp');
    expect(RunDir.create(join(root, 'killed'), { spec: 'a' }).config()).toEqual({ spec: 'a' });
    mkdirSync(join(root, 'used'));
    writeFileSync(join(root, 'used', 'notes.txt'), 'mine');
    expect(() => RunDir.create(join(root, 'used'), {})).toThrow(/already exists/);
    expect(readFileSync(join(root, 'used', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('resumes on the backend the run started on unless told otherwise, with a warning', () => {
    const { path } = runWithTwoEpochs();
    const warnings: string[] = [];
    const dir = RunDir.open(path);
    expect(dir.backend(undefined, (m) => warnings.push(m))).toBe('cpu');
    expect(warnings).toEqual([]);
    expect(dir.backend('wasm', (m) => warnings.push(m))).toBe('wasm');
    expect(warnings[0]).toMatch(/resuming on wasm, but the run started on cpu/);
  });
});
