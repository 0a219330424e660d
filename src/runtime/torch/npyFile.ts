import { writeFileDurable } from '../../util/durableFile.js';

/**
 * Writes a C-ordered little-endian .npy file (format 1.0) of float32 or int32 values: how the
 * PyTorch engine receives dartsc's data and test inputs, so that both engines read the samples
 * dartsc's own loaders produced.
 */
export function writeNpy(
  path: string,
  data: Float32Array | Int32Array,
  shape: readonly number[],
): void {
  const descr = data instanceof Float32Array ? '<f4' : '<i4';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  // The magic, version and length take 10 bytes; the header is padded to a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  writeFileDurable(path, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}
