import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterAll, describe, expect, it } from 'vitest';

import { loadIdx } from '../../../src/runtime/loaders/idx.js';
import { dataError } from '../../helpers/dataErrors.js';

const dir = mkdtempSync(join(tmpdir(), 'dartsc-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;

/** An IDX file: big-endian magic and dimensions, then the data bytes. */
function idxBytes(magic: number, dims: number[], data: Buffer): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

function write(bytes: Buffer, name = `f${count++}-idx`): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Big-endian float32 bytes. */
function floatsBE(values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeFloatBE(v, 4 * i));
  return b;
}

const pixels = [0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8];
const images = write(idxBytes(0x803, [2, 2, 3], Buffer.from(pixels)), 'train-images-idx3-ubyte');
const labels = write(idxBytes(0x801, [2], Buffer.from([7, 2])), 'train-labels-idx1-ubyte');

describe('loadIdx', () => {
  it('reads ubyte images scaled to [0, 1] as Img[rows, cols, 1]', () => {
    const data = loadIdx(images, labels);
    expect(data).toMatchObject({
      name: 'train-images-idx3-ubyte',
      layout: 'Img',
      shape: [2, 3, 1],
      size: 2,
      classes: 8,
    });
    expect(Array.from(data.x)).toEqual(Array.from(Float32Array.from(pixels, (p) => p / 255)));
    expect(Array.from(data.y)).toEqual([7, 2]);
    // A served model takes the bytes: the scaling is part of the data's preprocessing.
    expect(data.preprocessing).toEqual({
      input: { kind: 'tensor', shape: [2, 3, 1] },
      steps: [{ kind: 'scale', mean: 0, std: 255 }],
    });
  });

  it('reads gzipped files, recognised by their magic rather than their name', () => {
    const gzImages = write(gzipSync(idxBytes(0x803, [2, 2, 3], Buffer.from(pixels))), 'i.gz');
    const gzLabels = write(gzipSync(idxBytes(0x801, [2], Buffer.from([7, 2]))), 'labels-no-ext');
    const data = loadIdx(gzImages, gzLabels);
    expect(Array.from(data.x)).toEqual(Array.from(loadIdx(images, labels).x));
    expect(Array.from(data.y)).toEqual([7, 2]);
  });

  it('reads float32 images unscaled', () => {
    const values = [0.5, -1.25, 3, 1e-3];
    const path = write(idxBytes(0xd03, [1, 2, 2], floatsBE(values)));
    const one = write(idxBytes(0x801, [1], Buffer.from([0])));
    const data = loadIdx(path, one);
    expect(data).toMatchObject({ shape: [2, 2, 1], classes: 1 });
    expect(Array.from(data.x)).toEqual(Array.from(Float32Array.from(values)));
    const nan = write(idxBytes(0xd03, [1, 1, 2], floatsBE([1, NaN])));
    expect(dataError(() => loadIdx(nan, one))).toBe(
      `${nan}, image 0: expected finite pixels, found NaN`,
    );
  });

  it('reports a wrong magic, naming the magic found (e.g. swapped files)', () => {
    expect(dataError(() => loadIdx(labels, images))).toBe(
      `${labels}: expected an IDX images file (magic 0x00000803 or 0x00000D03), found magic 0x00000801`,
    );
    const png = write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expect(dataError(() => loadIdx(images, png))).toBe(
      `${png}: expected an IDX labels file (magic 0x00000801), found magic 0x89504E47`,
    );
    const tiny = write(Buffer.from([0, 0]));
    expect(dataError(() => loadIdx(tiny, labels))).toBe(
      `${tiny} is not an IDX file (it has only 2 bytes)`,
    );
  });

  it('reports images and labels that disagree in count', () => {
    const three = write(idxBytes(0x801, [3], Buffer.from([1, 2, 3])));
    expect(dataError(() => loadIdx(images, three))).toBe(
      `${images} has 2 images but ${three} has 3 labels`,
    );
  });

  it('reports truncated data and headers', () => {
    const short = write(idxBytes(0x803, [60000, 28, 28], Buffer.alloc(1000)));
    expect(dataError(() => loadIdx(short, labels))).toBe(
      `${short}: header says 60000 x 28 x 28 ubyte = 47040000 bytes of data, found 1000`,
    );
    const float = write(idxBytes(0xd03, [2, 2, 3], Buffer.alloc(47)));
    expect(dataError(() => loadIdx(float, labels))).toBe(
      `${float}: header says 2 x 2 x 3 float32 = 48 bytes of data, found 47`,
    );
    const cut = write(idxBytes(0x803, [2, 2, 3], Buffer.alloc(0)).subarray(0, 10));
    expect(dataError(() => loadIdx(cut, labels))).toBe(`${cut}: the IDX header is cut short`);
    const gz = gzipSync(idxBytes(0x801, [2], Buffer.from([7, 2])));
    const badGz = write(gz.subarray(0, gz.length - 12));
    expect(dataError(() => loadIdx(images, badGz))).toBe(
      `${badGz}: cannot decompress the gzip data (unexpected end of file)`,
    );
  });
});
