import { readFileSync } from 'node:fs';

import { writeFileDurable } from '../../util/durableFile.js';
import type { Snapshot } from '../snapshot.js';

/**
 * The state files dartsc and a PyTorch program exchange (`runtime.py`, `State.load/save`): a
 * snapshot's tensors in dartsc's layouts, by their snapshot names, as float32 in `STEM.bin`,
 * and `STEM.json` naming each tensor's shape and offset. The data goes first and the index
 * last, so an index always names complete data.
 */
interface StateIndex {
  readonly tensors: readonly { name: string; shape: number[]; offset: number }[];
  readonly adamSteps: number;
}

export function writeStateFiles(stem: string, snapshot: Snapshot): void {
  const total = snapshot.tensors.reduce((n, t) => n + t.data.length, 0);
  const all = new Float32Array(total);
  const tensors: StateIndex['tensors'][number][] = [];
  let offset = 0;
  for (const t of snapshot.tensors) {
    all.set(t.data, offset);
    tensors.push({ name: t.name, shape: [...t.shape], offset });
    offset += t.data.length;
  }
  writeFileDurable(`${stem}.bin`, new Uint8Array(all.buffer));
  const index: StateIndex = { tensors, adamSteps: snapshot.adamSteps };
  writeFileDurable(`${stem}.json`, JSON.stringify(index));
}

export function readStateFiles(stem: string): Snapshot {
  const index = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as StateIndex;
  const bytes = readFileSync(`${stem}.bin`);
  const all = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  return {
    tensors: index.tensors.map((t) => {
      const size = t.shape.reduce((a, b) => a * b, 1);
      return { name: t.name, shape: t.shape, data: all.slice(t.offset, t.offset + size) };
    }),
    adamSteps: index.adamSteps,
  };
}
