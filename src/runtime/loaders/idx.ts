import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { preprocessBatch, type Preprocessing } from '../../intrinsics/preprocessing.js';
import { DataError, type Dataset } from '../dataset.js';
import { classCount, readBytes, volume } from './common.js';

/** An IDX element type: its name, size and big-endian reader. */
interface IdxType {
  readonly name: string;
  readonly bytes: number;
  readonly read: (view: DataView, at: number) => number;
}

const UBYTE: IdxType = { name: 'ubyte', bytes: 1, read: (v, at) => v.getUint8(at) };
const FLOAT: IdxType = { name: 'float32', bytes: 4, read: (v, at) => v.getFloat32(at, false) };

/** The magic numbers we read: 0x0000TTDD, type TT, DD dimensions. */
const IMAGES = new Map([
  [0x00000803, UBYTE],
  [0x00000d03, FLOAT],
]);
const LABELS = new Map([[0x00000801, UBYTE]]);

/** A parsed IDX file: its dimensions, element type and a view of exactly its data bytes. */
interface IdxArray {
  readonly dims: readonly number[];
  readonly type: IdxType;
  readonly data: DataView;
}

/**
 * Reads MNIST-style IDX files, plain or gzipped: 3-D images (ubyte, scaled to [0, 1] by the
 * dataset's `preprocessing`, or float32) of sample shape `[rows, cols, 1]`, and 1-D ubyte labels that are class indices,
 * so `classes` is the largest label + 1.
 */
export function loadIdx(imagesPath: string, labelsPath: string): Dataset {
  const images = readIdx(imagesPath, IMAGES, 'images');
  const labels = readIdx(labelsPath, LABELS, 'labels');
  const [samples, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== samples)
    throw new DataError(
      `${imagesPath} has ${samples} images but ${labelsPath} has ${labels.dims[0]} labels`,
    );
  // Bytes are scaled to [0, 1]: a served model takes the bytes.
  const preprocessing: Preprocessing = {
    input: { kind: 'tensor', shape: [rows, cols, 1] },
    steps: images.type === UBYTE ? [{ kind: 'scale', mean: 0, std: 255 }] : [],
  };
  const raw = toImages(imagesPath, images, rows * cols);
  const x = preprocessBatch(preprocessing, raw, [rows, cols, 1]);
  const y = new Int32Array(samples);
  for (let i = 0; i < samples; i++) y[i] = labels.data.getUint8(i);
  const name = basename(imagesPath);
  return {
    name,
    layout: 'Img',
    shape: [rows, cols, 1],
    classes: classCount(y),
    x,
    y,
    size: samples,
    preprocessing,
  };
}

/** Parses an IDX file whose magic is one of `kinds`, checking its data length against its header. */
function readIdx(path: string, kinds: Map<number, IdxType>, what: string): IdxArray {
  const bytes = gunzipped(path, readBytes(path));
  if (bytes.length < 4)
    throw new DataError(`${path} is not an IDX file (it has only ${bytes.length} bytes)`);
  const magic = bytes.readUInt32BE(0);
  const type = kinds.get(magic);
  if (!type) {
    const expected = [...kinds.keys()].map(hex).join(' or ');
    throw new DataError(
      `${path}: expected an IDX ${what} file (magic ${expected}), found magic ${hex(magic)}`,
    );
  }
  const start = 4 + 4 * (magic & 0xff);
  if (bytes.length < start) throw new DataError(`${path}: the IDX header is cut short`);
  const dims = Array.from({ length: magic & 0xff }, (_, d) => bytes.readUInt32BE(4 + 4 * d));
  const expected = volume(dims) * type.bytes;
  const found = bytes.length - start;
  if (found !== expected)
    throw new DataError(
      `${path}: header says ${dims.join(' x ')} ${type.name} = ${expected} bytes of data, found ${found}`,
    );
  return { dims, type, data: new DataView(bytes.buffer, bytes.byteOffset + start, found) };
}

/** `.gz` files are recognised by their magic (1f 8b), not their name. */
function gunzipped(path: string, bytes: Buffer): Buffer {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataError(`${path}: cannot decompress the gzip data (${(e as Error).message})`);
  }
}

/** Pixels as float32 (bytes as they are), refusing NaN and infinities. */
function toImages(path: string, images: IdxArray, pixels: number): Float32Array {
  const { type, data } = images;
  const x = new Float32Array(data.byteLength / type.bytes);
  for (let i = 0; i < x.length; i++) {
    const v = type.read(data, i * type.bytes);
    if (!Number.isFinite(v))
      throw new DataError(
        `${path}, image ${Math.floor(i / pixels)}: expected finite pixels, found ${v}`,
      );
    x[i] = v;
  }
  return x;
}

function hex(magic: number): string {
  return `0x${magic.toString(16).toUpperCase().padStart(8, '0')}`;
}
