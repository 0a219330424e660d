import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/numerics/tf.js';
import { DataError, type Dataset } from '../../src/runtime/dataset.js';
import { loadCsv } from '../../src/runtime/loaders/csv.js';
import { loadIdx } from '../../src/runtime/loaders/idx.js';
import { loadJsonl } from '../../src/runtime/loaders/jsonl.js';
import { loadNpy } from '../../src/runtime/loaders/npy.js';
import { RunDir, RunDirError } from '../../src/runtime/runDir.js';
import { stateValues, tinyState } from '../helpers/tinyState.js';
import { damageBytes, fuzzScale, Random } from './mutate.js';

/**
 * File fuzzing (docs/reliability.md): data files of every format and checkpoints, damaged at
 * the byte level (flips, cuts, splices, zeros, NaN floats). A loader must give a dataset of
 * finite values and valid labels, or a `DataError`; a resume must restore a checkpoint whose
 * values are finite or pass over it with a warning. Anything else is a failure.
 */
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'dartsc-fuzz-files-'));
const rng0 = new Random(7);

function npy(descr: string, shape: number[], data: Uint8Array): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const header = dict + ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const len = Buffer.alloc(2);
  len.writeUInt16LE(header.length);
  return Buffer.concat([
    Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
    len,
    Buffer.from(header),
    data,
  ]);
}

function idx(magic: number, dims: number[], data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

const n = 12;
const csvText =
  ['a,b,c,label', ...Array.from({ length: n }, (_, i) => `${i},${i / 3},${-i},k${i % 3}`)].join(
    '\n',
  ) + '\n';
const floats = new Float32Array(Array.from({ length: n * 4 }, (_, i) => i / 7));
/** Each format: its clean files, and how to load them. */
const formats: Record<string, { files: Uint8Array[]; load: (paths: string[]) => Dataset }> = {
  csv: {
    files: [Buffer.from(csvText)],
    load: ([p]) => loadCsv(p!, { label: 'label', task: 'classification' }),
  },
  'csv-regression': {
    files: [Buffer.from(csvText.replace(/k(\d)/g, '$1.5'))],
    load: ([p]) => loadCsv(p!, { label: 'label', task: 'regression' }),
  },
  npy: {
    files: [
      npy('<f4', [n, 4], new Uint8Array(floats.buffer)),
      npy('<i4', [n], new Uint8Array(Int32Array.from({ length: n }, (_, i) => i % 3).buffer)),
    ],
    load: ([x, y]) => loadNpy(x!, y!),
  },
  idx: {
    files: [
      idx(
        0x803,
        [n, 2, 2],
        Uint8Array.from({ length: n * 4 }, (_, i) => i * 5),
      ),
      idx(
        0x801,
        [n],
        Uint8Array.from({ length: n }, (_, i) => i % 4),
      ),
    ],
    load: ([x, y]) => loadIdx(x!, y!),
  },
  jsonl: {
    files: [
      Buffer.from(
        readFileSync(join(root, 'examples', 'data', 'digits.tokens.jsonl'), 'utf8')
          .split('\n')
          .slice(0, n)
          .join('\n') + '\n',
      ),
    ],
    load: ([p]) => loadJsonl(p!, { length: 100 }),
  },
};

/** What is wrong with a loaded dataset, or undefined. */
function datasetProblem(d: Dataset): string | undefined {
  if (!d.x.every(Number.isFinite)) return 'a non-finite input';
  if (d.x.length !== d.size * d.shape.reduce((a, b) => a * b, 1)) return 'inputs of the wrong size';
  if (d.y.length !== d.size) return 'labels of the wrong size';
  if (d.task === 'regression')
    return d.y.every(Number.isFinite) ? undefined : 'a non-finite target';
  const bad = Array.from(d.y).find((c) => !Number.isInteger(c) || c < 0 || c >= d.classes);
  return bad === undefined ? undefined : `label ${bad} outside 0..${d.classes - 1}`;
}

describe('fuzz: files', () => {
  const cases = 1_000 * fuzzScale;

  it(`loads ${cases} damaged data files to a valid dataset or a DataError`, () => {
    const rng = new Random(20261206);
    const names = Object.keys(formats);
    const failures: string[] = [];
    for (let i = 0; i < cases && failures.length < 5; i++) {
      const name = names[i % names.length]!;
      const { files, load } = formats[name]!;
      const hit = rng.int(files.length);
      const paths = files.map((bytes, k) => {
        const path = join(dir, `case-${i}-${k}.${name.split('-')[0]}`);
        writeFileSync(path, k === hit ? damageBytes(bytes, rng) : bytes);
        return path;
      });
      try {
        const problem = datasetProblem(load(paths));
        if (problem) failures.push(`${name} ${paths.join(' ')}: loaded with ${problem}`);
      } catch (error) {
        if (!(error instanceof DataError))
          failures.push(
            `${name} ${paths.join(' ')}: threw ${(error as Error).stack}`.slice(0, 1500),
          );
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  describe('checkpoints', () => {
    beforeAll(async () => void (await selectBackend('cpu')));
    afterAll(async () => void (await selectBackend('wasm')));
    const state = tinyState;

    it(`resumes from ${cases} damaged checkpoints only what is whole, or passes over it`, () => {
      const rng = new Random(rng0.int(1e9));
      const path = join(dir, 'run');
      const run = RunDir.create(path, { spec: 'tiny.darts', backend: 'cpu' });
      run.checkpoint(0, state(1, 1));
      run.checkpoint(1, state(2, 2));
      const stem = join(path, 'checkpoints', 'epoch-001');
      const clean = ['.json', '.bin'].map((ext) => readFileSync(stem + ext));
      const failures: string[] = [];
      for (let i = 0; i < cases && failures.length < 5; i++) {
        const hit = rng.int(2);
        clean.forEach((bytes, k) =>
          writeFileSync(stem + ['.json', '.bin'][k], k === hit ? damageBytes(bytes, rng) : bytes),
        );
        const into = state(0, 9);
        try {
          const warnings: string[] = [];
          const epoch = RunDir.open(path).resume(into, (m) => warnings.push(m)).startEpoch;
          const values = stateValues(into).flat();
          if (!values.every(Number.isFinite))
            failures.push(`case ${i}: restored a non-finite value`);
          if (epoch === 1 && warnings.length !== 1)
            failures.push(`case ${i}: passed over silently`);
          if (epoch !== 1 && epoch !== 2) failures.push(`case ${i}: resumed at ${epoch}`);
        } catch (error) {
          if (!(error instanceof RunDirError))
            failures.push(`case ${i}: threw ${(error as Error).stack}`.slice(0, 1500));
        } finally {
          into.net.dispose();
          into.sgd.dispose();
          into.adam.dispose();
        }
      }
      expect(failures).toEqual([]);
    }, 300_000);
  });
});
