import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadDataset } from '../../../src/runtime/data.js';
import { DataProblem } from '../../../src/runtime/dataset.js';
import { loadNpy, readNpy } from '../../../src/runtime/loaders/npy.js';
import { dataError, f32 } from '../../helpers/dataErrors.js';

const dir = mkdtempSync(join(tmpdir(), 'dartsc-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;

interface NpyHeader {
  descr: string;
  shape: number[];
  fortran?: boolean;
  version?: 1 | 2;
}

/** A .npy file as numpy.save writes it: magic, version, header padded to 64 bytes, data. */
function npyBytes({ descr, shape, fortran = false, version = 1 }: NpyHeader, data: Uint8Array) {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const order = fortran ? 'True' : 'False';
  return rawNpy(
    `{'descr': '${descr}', 'fortran_order': ${order}, 'shape': (${dims}), }`,
    data,
    version,
  );
}

function rawNpy(dict: string, data: Uint8Array, version = 1): Buffer {
  const prefix = version === 1 ? 10 : 12;
  const header = dict + ' '.repeat(63 - ((prefix + dict.length) % 64)) + '\n';
  expect((prefix + header.length) % 64).toBe(0);
  const len = Buffer.alloc(version === 1 ? 2 : 4);
  if (version === 1) len.writeUInt16LE(header.length);
  else len.writeUInt32LE(header.length);
  const magic = Buffer.from([0x93, ...Buffer.from('NUMPY'), version, 0]);
  return Buffer.concat([magic, len, Buffer.from(header, 'latin1'), data]);
}

/** Writes a .npy file and returns its path. */
function npy(header: NpyHeader, data: ArrayBufferView, name = `a${count++}.npy`): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    npyBytes(header, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  );
  return path;
}

describe('loadNpy', () => {
  it('reads float32 vectors with int64 labels', () => {
    const x = npy(
      { descr: '<f4', shape: [3, 2] },
      Float32Array.of(0.1, -2, 3.5, 4, 5, 1e-3),
      'x.npy',
    );
    const y = npy({ descr: '<i8', shape: [3] }, BigInt64Array.of(0n, 2n, 1n));
    const data = loadNpy(x, y);
    expect(data).toMatchObject({ name: 'x.npy', layout: 'Vec', shape: [2], size: 3, classes: 3 });
    expect(Array.from(data.x)).toEqual(f32([0.1, -2, 3.5, 4, 5, 1e-3]));
    expect(Array.from(data.y)).toEqual([0, 2, 1]);
  });

  it('reads float64 sequences with uint8 labels, in format 2.0', () => {
    const values = Array.from({ length: 12 }, (_, i) => i / 3);
    const x = npy({ descr: '<f8', shape: [2, 2, 3], version: 2 }, Float64Array.from(values));
    const y = npy({ descr: '|u1', shape: [2] }, Uint8Array.of(4, 1));
    const data = loadNpy(x, y);
    expect(data).toMatchObject({ layout: 'Seq', shape: [2, 3], size: 2, classes: 5 });
    expect(Array.from(data.x)).toEqual(f32(values));
    expect(Array.from(data.y)).toEqual([4, 1]);
  });

  it('reads integer images with float labels holding integers', () => {
    const x = npy({ descr: '|u1', shape: [2, 2, 1, 1] }, Uint8Array.of(0, 255, 7, 9));
    const y = npy({ descr: '<f4', shape: [2] }, Float32Array.of(1, 0));
    const data = loadNpy(x, y);
    expect(data).toMatchObject({ layout: 'Img', shape: [2, 1, 1], classes: 2 });
    expect(Array.from(data.x)).toEqual([0, 255, 7, 9]);
    expect(Array.from(data.y)).toEqual([1, 0]);
    const i4 = npy({ descr: '<i4', shape: [1, 2] }, Int32Array.of(-5, 70000));
    const l4 = npy({ descr: '<i4', shape: [1] }, Int32Array.of(0));
    expect(Array.from(loadNpy(i4, l4).x)).toEqual([-5, 70000]);
  });

  it('reads (N, L) token ids as Tokens when asked', () => {
    const x = npy({ descr: '<i8', shape: [2, 3] }, BigInt64Array.of(1n, 2n, 0n, 9n, 9n, 3n));
    const y = npy({ descr: '<i8', shape: [2] }, BigInt64Array.of(1n, 0n));
    const data = loadNpy(x, y, { layout: 'Tokens' });
    expect(data).toMatchObject({ layout: 'Tokens', shape: [3], classes: 2 });
    expect(Array.from(data.x)).toEqual([1, 2, 0, 9, 9, 3]);
    const bad = npy({ descr: '<f4', shape: [2, 1] }, Float32Array.of(1, 0.5));
    expect(dataError(() => loadNpy(bad, y, { layout: 'Tokens' }))).toBe(
      `${bad}, sample 1: expected token ids (non-negative integers), found 0.5`,
    );
    expect(dataError(() => loadNpy(x, y, { layout: 'Img' }))).toBe(
      `${x}: \`Img\` samples are 3-D, but inputs of shape (2, 3) hold 1-D samples`,
    );
  });

  const labels = npy({ descr: '<i4', shape: [2] }, Int32Array.of(0, 1));

  it('reshapes Vec samples into sequences for a space that takes them, through `reshape`', () => {
    const x = npy(
      { descr: '<f4', shape: [2, 6] },
      Float32Array.from({ length: 12 }, (_, i) => i),
    );
    const y = npy({ descr: '<i4', shape: [2] }, Int32Array.of(0, 1));
    const spec = { kind: 'npy', args: { inputs: x, labels: y, test: 0 } };
    const seq = { layout: 'Seq', dims: [3, 2] } as const;
    const data = loadDataset({ ...spec, transforms: [{ kind: 'reshape', length: 3 }] }, seq, 2);
    expect(data).toMatchObject({ layout: 'Seq', shape: [3, 2], size: 2 });
    expect(data.transforms).toEqual([{ kind: 'reshape', shape: [3, 2] }]);
    // A served model reads the same 6 values in the same order: its preprocessing is the identity.
    expect(data.preprocessing.steps).toEqual([]);
    // The samples are shuffled whole: each is one row of the file, in order.
    expect([0, 6]).toContain(data.x[0]);
    expect(Array.from(data.x.subarray(0, 6))).toEqual(
      f32([0, 1, 2, 3, 4, 5].map((v) => v + data.x[0]!)),
    );
    const uneven = { ...spec, transforms: [{ kind: 'reshape' as const, length: 4 }] };
    expect(() => loadDataset(uneven, seq, 2)).toThrow(DataProblem);
  });

  it('reports a file that is not .npy', () => {
    const path = join(dir, 'x.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    expect(dataError(() => loadNpy(path, labels))).toBe(`${path} is not a .npy file (bad magic)`);
    const bytes = npyBytes({ descr: '<f4', shape: [0] }, new Uint8Array());
    const cut = join(dir, 'cut.npy');
    writeFileSync(cut, bytes.subarray(0, 40));
    expect(dataError(() => readNpy(cut))).toBe(`${cut}: the .npy header is cut short`);
    bytes[6] = 4;
    const v4 = join(dir, 'v4.npy');
    writeFileSync(v4, bytes);
    expect(dataError(() => readNpy(v4))).toBe(`${v4}: unsupported .npy format version 4.0`);
  });

  it('reports unsupported, big-endian and unreadable dtypes', () => {
    const c8 = npy({ descr: '<c8', shape: [2, 1] }, new Float32Array(4));
    expect(dataError(() => loadNpy(c8, labels))).toBe(
      `${c8}: unsupported dtype \`<c8\`; use float32, float64 or an integer type`,
    );
    const big = npy({ descr: '>f4', shape: [2, 1] }, new Float32Array(2));
    expect(dataError(() => loadNpy(big, labels))).toBe(
      `${big}: big-endian dtype \`>f4\` is not supported; save it little-endian (\`<f4\`)`,
    );
    const path = join(dir, 'struct.npy');
    const header = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }";
    writeFileSync(path, rawNpy(header, new Uint8Array(8)));
    expect(dataError(() => readNpy(path))).toBe(
      `${path}: cannot read the .npy header \`${header}\``,
    );
  });

  it('reports Fortran order', () => {
    const path = npy({ descr: '<f4', shape: [2, 2], fortran: true }, new Float32Array(4));
    expect(dataError(() => loadNpy(path, labels))).toBe(
      `${path}: Fortran-ordered arrays are not supported; save a C-ordered array (numpy.ascontiguousarray)`,
    );
  });

  it('reports truncated or overlong data', () => {
    const path = npy({ descr: '<f4', shape: [1000, 28, 28] }, new Float32Array(25));
    expect(dataError(() => loadNpy(path, labels))).toBe(
      `${path}: header says 1000 x 28 x 28 float32 = 3136000 bytes of data, found 100`,
    );
    const long = npy({ descr: '<i8', shape: [2] }, new BigInt64Array(3));
    expect(dataError(() => readNpy(long))).toBe(
      `${long}: header says 2 int64 = 16 bytes of data, found 24`,
    );
  });

  it('reports inputs and labels that disagree in count', () => {
    const x = npy({ descr: '<f4', shape: [3, 1] }, new Float32Array(3));
    expect(dataError(() => loadNpy(x, labels))).toBe(
      `${x} has 3 samples but ${labels} has 2 labels`,
    );
  });

  it('reports labels that are not 1-D and inputs without a sample shape', () => {
    const x = npy({ descr: '<f4', shape: [2, 1] }, new Float32Array(2));
    const y = npy({ descr: '<i4', shape: [2, 1] }, new Int32Array(2));
    expect(dataError(() => loadNpy(x, y))).toBe(`${y}: labels must be 1-D, found shape (2, 1)`);
    const flat = npy({ descr: '<f4', shape: [2] }, new Float32Array(2));
    expect(dataError(() => loadNpy(flat, labels))).toBe(
      `${flat}: inputs must be 2-D, 3-D or 4-D (samples first), found shape (2,)`,
    );
  });

  it('reports bad label and input values by index', () => {
    const x = npy({ descr: '<f4', shape: [2, 2] }, Float32Array.of(1, 2, 3, NaN));
    expect(dataError(() => loadNpy(x, labels))).toBe(
      `${x}, sample 1: expected finite numbers, found NaN`,
    );
    const ok = npy({ descr: '<f4', shape: [2, 1] }, new Float32Array(2));
    const frac = npy({ descr: '<f8', shape: [2] }, Float64Array.of(1, 2.5));
    expect(dataError(() => loadNpy(ok, frac))).toBe(
      `${frac}, index 1: expected a non-negative integer label, found 2.5`,
    );
    const neg = npy({ descr: '<i4', shape: [2] }, Int32Array.of(-1, 0));
    expect(dataError(() => loadNpy(ok, neg))).toBe(
      `${neg}, index 0: expected a non-negative integer label, found -1`,
    );
  });
});

/** Whether the system Python has NumPy, to cross-check against files NumPy itself wrote. */
function hasNumpy(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasNumpy())('loadNpy on files numpy.save wrote', () => {
  it('reads them value by value', () => {
    const x = join(dir, 'np-x.npy');
    const y = join(dir, 'np-y.npy');
    const f = join(dir, 'np-f.npy');
    const script = [
      'import numpy as np, sys',
      'np.save(sys.argv[1], (np.arange(24) * 0.5 - 3).astype(np.float32).reshape(4, 2, 3))',
      'np.save(sys.argv[2], np.array([3, 0, 1, 2]))',
      'np.save(sys.argv[3], np.asfortranarray(np.ones((4, 2, 3), dtype=np.float64)))',
    ].join('\n');
    execFileSync('/usr/bin/python3', ['-c', script, x, y, f]);
    const data = loadNpy(x, y);
    expect(data).toMatchObject({ layout: 'Seq', shape: [2, 3], size: 4, classes: 4 });
    expect(Array.from(data.x)).toEqual(Array.from({ length: 24 }, (_, i) => i * 0.5 - 3));
    expect(Array.from(data.y)).toEqual([3, 0, 1, 2]);
    expect(() => loadNpy(f, y)).toThrow(
      `${f}: Fortran-ordered arrays are not supported; save a C-ordered array (numpy.ascontiguousarray)`,
    );
  });
});
