import { basename } from 'node:path';

import type { Layout } from '../../intrinsics/tensorType.js';
import { DataError, type Dataset } from '../dataset.js';
import { classCount, pyShape, readBytes, volume } from './common.js';

/** An element type of a .npy file: its NumPy name, size and little-endian reader. */
interface Dtype {
  readonly name: string;
  readonly bytes: number;
  readonly float: boolean;
  readonly read: (view: DataView, at: number) => number;
}

const DTYPES: Record<string, Dtype> = {
  f4: { name: 'float32', bytes: 4, float: true, read: (v, at) => v.getFloat32(at, true) },
  f8: { name: 'float64', bytes: 8, float: true, read: (v, at) => v.getFloat64(at, true) },
  i1: { name: 'int8', bytes: 1, float: false, read: (v, at) => v.getInt8(at) },
  i2: { name: 'int16', bytes: 2, float: false, read: (v, at) => v.getInt16(at, true) },
  i4: { name: 'int32', bytes: 4, float: false, read: (v, at) => v.getInt32(at, true) },
  i8: { name: 'int64', bytes: 8, float: false, read: (v, at) => Number(v.getBigInt64(at, true)) },
  u1: { name: 'uint8', bytes: 1, float: false, read: (v, at) => v.getUint8(at) },
  u2: { name: 'uint16', bytes: 2, float: false, read: (v, at) => v.getUint16(at, true) },
  u4: { name: 'uint32', bytes: 4, float: false, read: (v, at) => v.getUint32(at, true) },
  u8: { name: 'uint64', bytes: 8, float: false, read: (v, at) => Number(v.getBigUint64(at, true)) },
  b1: { name: 'bool', bytes: 1, float: false, read: (v, at) => v.getUint8(at) },
};

/** A parsed .npy array: its shape, element type and a view of exactly its data bytes. */
export interface NpyArray {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly data: DataView;
}

export interface NpyOptions {
  /**
   * The sample type, when the rank alone cannot tell (`(N, L)` token ids are `Tokens`).
   * By default `(N, C)` is `Vec`, `(N, L, C)` is `Seq` and `(N, H, W, C)` is `Img`.
   */
  readonly layout?: Layout;
}

/** The sample rank of each layout. */
const RANK: Record<Layout, number> = { Vec: 1, Tokens: 1, Seq: 2, Img: 3 };
const BY_RANK: Layout[] = ['Vec', 'Seq', 'Img'];

/**
 * Reads inputs and labels saved with `numpy.save`: inputs of any float or integer dtype
 * (as float32; the sample shape is `shape[1:]`), 1-D integer labels (or floats holding
 * integers) that are class indices, so `classes` is the largest label + 1.
 */
export function loadNpy(inputsPath: string, labelsPath: string, options: NpyOptions = {}): Dataset {
  const inputs = readNpy(inputsPath);
  const labels = readNpy(labelsPath);
  const layout = layoutOf(inputsPath, inputs.shape, options.layout);
  if (labels.shape.length !== 1)
    throw new DataError(`${labelsPath}: labels must be 1-D, found shape ${pyShape(labels.shape)}`);
  const samples = inputs.shape[0]!;
  if (labels.shape[0] !== samples)
    throw new DataError(
      `${inputsPath} has ${samples} samples but ${labelsPath} has ${labels.shape[0]} labels`,
    );
  const shape = inputs.shape.slice(1);
  const x = toInputs(inputsPath, inputs, volume(shape), layout === 'Tokens');
  const y = toLabels(labelsPath, labels);
  const name = basename(inputsPath);
  // The arrays' numbers as they are.
  const preprocessing = { input: { kind: 'tensor' as const, shape }, steps: [] };
  const dataset = {
    name,
    layout,
    shape,
    classes: classCount(y),
    x,
    y,
    size: samples,
    preprocessing,
  };
  return layout === 'Tokens'
    ? { ...dataset, vocab: x.reduce((m, t) => Math.max(m, t + 1), 0) }
    : dataset;
}

/** The inputs' layout: the one asked for if the rank fits, else the one the rank implies. */
function layoutOf(path: string, shape: readonly number[], wanted?: Layout): Layout {
  const rank = shape.length - 1;
  const layout = wanted ?? BY_RANK[rank - 1];
  if (layout === undefined)
    throw new DataError(
      `${path}: inputs must be 2-D, 3-D or 4-D (samples first), found shape ${pyShape(shape)}`,
    );
  if (RANK[layout] !== rank)
    throw new DataError(
      `${path}: \`${layout}\` samples are ${RANK[layout]}-D, but inputs of shape ${pyShape(shape)} hold ${rank}-D samples`,
    );
  return layout;
}

/** Parses a .npy file (format 1.0, 2.0 or 3.0), checking the data is exactly as long as the header says. */
export function readNpy(path: string): NpyArray {
  const bytes = readBytes(path);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new DataError(`${path} is not a .npy file (bad magic)`);
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    throw new DataError(`${path}: unsupported .npy format version ${major}.${bytes[7]}`);
  // Version 1 stores the header length in 2 bytes, later versions in 4.
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new DataError(`${path}: the .npy header is cut short`);
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = 8 + lenBytes + headerLen;
  if (bytes.length < start) throw new DataError(`${path}: the .npy header is cut short`);
  const { dtype, shape } = parseHeader(path, bytes.toString('utf8', 8 + lenBytes, start));
  const expected = volume(shape) * dtype.bytes;
  const found = bytes.length - start;
  if (found !== expected) {
    const dims = shape.length > 0 ? `${shape.join(' x ')} ` : '';
    throw new DataError(
      `${path}: header says ${dims}${dtype.name} = ${expected} bytes of data, found ${found}`,
    );
  }
  return { shape, dtype, data: new DataView(bytes.buffer, bytes.byteOffset + start, found) };
}

/** The header is a Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`. */
function parseHeader(path: string, header: string): { dtype: Dtype; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const dims = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || dims === undefined)
    throw new DataError(`${path}: cannot read the .npy header \`${header.trim()}\``);
  if (fortran === 'True')
    throw new DataError(
      `${path}: Fortran-ordered arrays are not supported; save a C-ordered array (numpy.ascontiguousarray)`,
    );
  const shape = dims
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => (/^\d+L?$/.test(d) ? parseInt(d, 10) : NaN));
  if (shape.some(Number.isNaN))
    throw new DataError(`${path}: cannot read the .npy header \`${header.trim()}\``);
  return { dtype: dtypeOf(path, descr), shape };
}

/** `<f4`, `|u1`, ...: little-endian (or byte-sized) floats, integers and booleans. */
function dtypeOf(path: string, descr: string): Dtype {
  const m = /^([<>|=])([a-zA-Z]\d+)$/.exec(descr);
  const dtype = m ? DTYPES[m[2]!] : undefined;
  if (!m || !dtype)
    throw new DataError(
      `${path}: unsupported dtype \`${descr}\`; use float32, float64 or an integer type`,
    );
  // NumPy writes `|` for byte-sized types, `<` or `>` for the rest.
  if (m[1] === '>' && dtype.bytes > 1)
    throw new DataError(
      `${path}: big-endian dtype \`${descr}\` is not supported; save it little-endian (\`<${m[2]}\`)`,
    );
  return dtype;
}

/**
 * Inputs as float32, refusing NaN and infinities, which would poison training silently;
 * token ids must be non-negative integers.
 */
function toInputs(
  path: string,
  array: NpyArray,
  sampleSize: number,
  tokens: boolean,
): Float32Array {
  const { dtype, data } = array;
  const x = new Float32Array(data.byteLength / dtype.bytes);
  for (let i = 0; i < x.length; i++) {
    const v = dtype.read(data, i * dtype.bytes);
    const bad = tokens ? !Number.isInteger(v) || v < 0 || v >= 2 ** 24 : !Number.isFinite(v);
    if (bad)
      throw new DataError(
        `${path}, sample ${Math.floor(i / sampleSize)}: expected ${tokens ? 'token ids (non-negative integers)' : 'finite numbers'}, found ${v}`,
      );
    x[i] = v;
  }
  return x;
}

/** Labels are class indices: non-negative integers, whatever dtype holds them. */
function toLabels(path: string, array: NpyArray): Int32Array {
  const { dtype, data } = array;
  const y = new Int32Array(data.byteLength / dtype.bytes);
  for (let i = 0; i < y.length; i++) {
    const v = dtype.read(data, i * dtype.bytes);
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff)
      throw new DataError(`${path}, index ${i}: expected a non-negative integer label, found ${v}`);
    y[i] = v;
  }
  return y;
}
