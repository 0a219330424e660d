import { readFileSync } from 'node:fs';

import { DataError } from '../dataset.js';

/** Reads a whole data file, turning file-system failures into one-line DataErrors. */
export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new DataError(`cannot read ${path}: ${why}`);
  }
}

/** Numbers by the decimal syntax a user writes: no hex, no `Infinity`, no blanks (unlike `Number`). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The finite number a text cell holds, or undefined (`1e999` overflows, so it is not one). */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  const n = NUMBER.test(t) ? Number(t) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Class indices by first appearance, keeping the names for reports. */
export class ClassMap {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  of(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
    }
    return i;
  }
}

/** `(1000, 28, 28)` as NumPy prints shapes, for messages. */
export function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The product of a shape (1 for a scalar). */
export function volume(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Classes for labels that are class indices already: the largest label + 1. */
export function classCount(y: Int32Array): number {
  let max = -1;
  for (const v of y) if (v > max) max = v;
  return max + 1;
}
