import { basename } from 'node:path';

import { preprocessBatch, type Preprocessing } from '../../intrinsics/preprocessing.js';
import { DataError, type Dataset } from '../dataset.js';
import { classCount, readBytes } from './common.js';

export interface JsonlOptions {
  /** Every sample is padded with 0 or truncated to this many tokens. */
  readonly length: number;
}

/** A token dataset; `vocab` is the largest token id + 1 (to check against an embedding). */
export type JsonlDataset = Dataset & { readonly vocab: number };

/** Token ids are stored as float32, which holds integers exactly only up to 2^24. */
const MAX_TOKEN = 2 ** 24;

/**
 * Reads one `{"tokens": [ids...], "label": k}` object per line into `Tokens[length]`
 * samples (padded with 0, the usual padding id, or truncated). Labels are class indices,
 * so `classes` is the largest label + 1. Blank lines are skipped.
 */
export function loadJsonl(path: string, options: JsonlOptions): JsonlDataset {
  const { length } = options;
  if (!Number.isInteger(length) || length < 1)
    throw new DataError(`${path}: the length must be a positive integer, found ${length}`);
  const samples = readBytes(path)
    .toString('utf8')
    .split('\n')
    .map((text, i) => ({ text: text.trim(), line: i + 1 }))
    .filter(({ text }) => text !== '')
    .map(({ text, line }) => parseLine(`${path}, line ${line}`, text));
  if (samples.length === 0) throw new DataError(`${path} is empty`);

  // A served model takes token lists of any length, cut or padded as here.
  const preprocessing: Preprocessing = {
    input: { kind: 'tokens' },
    steps: [{ kind: 'pad', length, value: 0 }],
  };
  const x = preprocessBatch(
    preprocessing,
    samples.map((s) => s.tokens),
    [length],
  );
  const y = Int32Array.from(samples, (s) => s.label);
  let vocab = 0;
  for (const { tokens } of samples)
    for (const t of tokens.slice(0, length)) vocab = Math.max(vocab, t + 1);
  return {
    name: basename(path),
    layout: 'Tokens',
    shape: [length],
    classes: classCount(y),
    x,
    y,
    size: samples.length,
    vocab,
    preprocessing,
  };
}

/** One line's sample, or a DataError saying what is wrong at `where`. */
function parseLine(where: string, text: string): { tokens: number[]; label: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DataError(`${where}: invalid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DataError(`${where}: expected an object with \`tokens\` and \`label\``);
  const { tokens, label } = value as { tokens?: unknown; label?: unknown };
  if (tokens === undefined) throw new DataError(`${where}: missing \`tokens\``);
  if (!Array.isArray(tokens))
    throw new DataError(`${where}: \`tokens\` must be an array of token ids`);
  tokens.forEach((t, i) => {
    if (!isIndex(t, MAX_TOKEN))
      throw new DataError(
        `${where}, \`tokens[${i}]\`: expected a non-negative integer token id below ${MAX_TOKEN}, found ${JSON.stringify(t)}`,
      );
  });
  if (label === undefined) throw new DataError(`${where}: missing \`label\``);
  if (!isIndex(label, 0x7fffffff))
    throw new DataError(
      `${where}: \`label\` must be a non-negative integer, found ${JSON.stringify(label)}`,
    );
  return { tokens: tokens as number[], label };
}

function isIndex(v: unknown, limit: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < limit;
}
