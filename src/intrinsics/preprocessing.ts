import type { TensorShape } from './tensorType.js';

/*
 * How raw samples become a network's inputs, as data: what a data loader did to the samples a
 * network trains on (MNIST's mean and std, a table's per-column standardisation, ...). The
 * loaders describe it and compute their inputs through `preprocessBatch`; `dartsc train` saves
 * the description in `model.json` and `result.json`, and `dartsc emit` writes it into the
 * module as `PREPROCESSING`, with the code below the marker copied in (types exported,
 * functions module-local), so that a served model takes raw samples and computes exactly the
 * inputs the network was trained on.
 *
 * Steps form an open union: a new kind is an interface added to `PreprocessStep`, its function
 * in `stepFunctions` and its check in `stepChecks` (a kind without them does not compile). A
 * step maps one sample to one sample; it sees the sample's values and, for tables, their
 * column names.
 */

/** The identity: raw samples are what the network takes (synthetic data, no data known). */
export function identityPreprocessing(input: TensorShape): Preprocessing {
  return { input: { kind: 'tensor', shape: [...input.dims] }, steps: [] };
}

/** A finite number, or a list of them. */
const constants = (x: unknown): boolean =>
  Array.isArray(x) ? x.every(constants) : typeof x === 'number' && Number.isFinite(x);

/** What a step of each kind read back must hold (a kind without an entry does not compile). */
const stepChecks: {
  readonly [K in PreprocessStep['kind']]: (step: Readonly<Record<string, unknown>>) => boolean;
} = {
  scale: (s) => constants(s.mean) && constants(s.std),
  pad: (s) => Number.isInteger(s.length) && constants(s.value),
  encode: (s) =>
    typeof s.column === 'string' &&
    (s.as === 'onehot' || s.as === 'index') &&
    Array.isArray(s.categories) &&
    s.categories.every((c) => typeof c === 'string' || typeof c === 'number'),
};

/**
 * Whether a value read back (a `model.json`'s metadata) is a preprocessing this dartsc can
 * apply: a raw input it knows and only step kinds it knows, their fields of the right types.
 */
export function isPreprocessing(value: unknown): value is Preprocessing {
  const v = value as { input?: Readonly<Record<string, unknown>>; steps?: unknown } | null;
  if (typeof v !== 'object' || v === null || !Array.isArray(v.steps)) return false;
  const input = v.input;
  const inputOk =
    (input?.kind === 'tensor' && Array.isArray(input.shape) && constants(input.shape)) ||
    (input?.kind === 'table' &&
      Array.isArray(input.columns) &&
      input.columns.every((c) => typeof c === 'string') &&
      (input.rows === undefined || (Number.isInteger(input.rows) && Number(input.rows) >= 1))) ||
    input?.kind === 'tokens';
  const stepOk = (s: unknown) => {
    if (typeof s !== 'object' || s === null) return false;
    const step = s as Readonly<Record<string, unknown>>;
    const kind = step.kind as PreprocessStep['kind'];
    return typeof kind === 'string' && Object.hasOwn(stepChecks, kind) && stepChecks[kind](step);
  };
  const labels = (v as { labels?: unknown }).labels;
  const labelsOk =
    labels === undefined || (Array.isArray(labels) && labels.every((l) => typeof l === 'string'));
  return inputOk && labelsOk && v.steps.every(stepOk);
}

// --- emitted below ---

/** One raw value: a number, or a table cell's text (for steps that encode categories). */
export type RawValue = number | string;

/** Values nested to any depth (an image as rows of pixels), read in order. */
export type NestedValues = readonly (RawValue | NestedValues)[];

/**
 * One raw sample: its values in order (an array, a typed array, or nested arrays; channels
 * last), or a table row as an object by column name (other keys, such as the label, are
 * ignored; a JSON row may hold anything, and a value a step cannot take is an error).
 */
export type RawSample =
  | ArrayLike<RawValue>
  | NestedValues
  | { readonly [column: string]: unknown }
  /** A window of table rows, oldest first. */
  | readonly RawSample[];

/** Raw samples: an array of them, or every sample's values one after another in a typed array. */
export type RawBatch = readonly RawSample[] | Float32Array | Float64Array | Uint8Array;

/** What one raw sample is. */
export type RawInput =
  /** Numbers of this shape (channels last). */
  | { readonly kind: 'tensor'; readonly shape: readonly number[] }
  /**
   * A table row: one value per column, in this order, or by name; with `rows`, a sample is
   * that many consecutive rows (a window), oldest first.
   */
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly rows?: number }
  /** Token ids, any number of them. */
  | { readonly kind: 'tokens' };

/**
 * `(v - mean) / std` for every value; a std of 0 (a constant column) gives 0. `mean` and
 * `std` are one number for all values, or a list cycled over the values: one per table
 * column, per channel (channels last) or per value.
 */
export interface ScaleStep {
  readonly kind: 'scale';
  readonly mean: number | readonly number[];
  readonly std: number | readonly number[];
}

/** The first `length` values, padded with `value` when there are fewer (token sequences). */
export interface PadStep {
  readonly kind: 'pad';
  readonly length: number;
  readonly value: number;
}

/**
 * A categorical table column encoded by its category: `onehot` puts one 0/1 value per
 * category in its place (columns `column=category`), `index` the category's position. A
 * number matches a numeric category by value (`"4.0"` is 4), a text a text category trimmed;
 * a value matching none is an error (a served model cannot encode what training never saw).
 */
export interface EncodeStep {
  readonly kind: 'encode';
  readonly column: string;
  readonly as: 'onehot' | 'index';
  readonly categories: readonly (string | number)[];
}

/** One step of a preprocessing; new kinds join this union (and `stepFunctions`). */
export type PreprocessStep = ScaleStep | PadStep | EncodeStep;

/**
 * How raw samples become a network's inputs: the raw sample, then the steps in order; and,
 * for classes with names (a table's label values, MNIST's digits), the name of each output.
 */
export interface Preprocessing {
  readonly input: RawInput;
  readonly steps: readonly PreprocessStep[];
  readonly labels?: readonly string[];
}

/** The class of each row of logits: its label where the data named it, else its index. */
export function classesOf(preprocessing: Preprocessing, logits: readonly number[][]): string[] {
  return logits.map((row) => {
    const best = row.reduce((b, v, i) => (v > row[b]! ? i : b), 0);
    return preprocessing.labels?.[best] ?? String(best);
  });
}

/** A sample between steps: its values and, for tables, the column each value is. */
interface Frame {
  readonly values: readonly RawValue[];
  readonly columns?: readonly string[];
}

type StepFunctions = {
  readonly [K in PreprocessStep['kind']]: (
    step: Extract<PreprocessStep, { kind: K }>,
    frame: Frame,
  ) => Frame;
};

const stepFunctions: StepFunctions = {
  scale: (step, frame) => {
    const at = (p: number | readonly number[], i: number) =>
      typeof p === 'number' ? p : p[i % p.length]!;
    const values = frame.values.map((_, i) => {
      const v = numberAt(frame, i);
      const std = at(step.std, i);
      return std === 0 ? 0 : (v - at(step.mean, i)) / std;
    });
    return { ...frame, values };
  },
  pad: (step, frame) => ({
    values: Array.from({ length: step.length }, (_, i) =>
      i < frame.values.length ? frame.values[i]! : step.value,
    ),
  }),
  encode: (step, frame) => {
    const names = step.categories.map(String);
    const values: RawValue[] = [];
    const columns: string[] = [];
    frame.values.forEach((v, i) => {
      const column = frame.columns?.[i] ?? '';
      if (column !== step.column) return void (values.push(v), columns.push(column));
      const k = categoryOf(step.categories, v);
      if (k < 0)
        throw new Error(
          `column ${JSON.stringify(column)}: ${JSON.stringify(v)} is not one of its categories (${names.join(', ')})`,
        );
      if (step.as === 'index') return void (values.push(k), columns.push(column));
      names.forEach((name, j) => (values.push(j === k ? 1 : 0), columns.push(`${column}=${name}`)));
    });
    return { values, columns };
  },
};

/** The position of `v` among `categories`: numbers by value, texts trimmed; -1 for none. */
function categoryOf(categories: readonly (string | number)[], v: RawValue): number {
  const text = String(v).trim();
  return categories.findIndex((c) =>
    typeof c === 'number' ? text !== '' && Number(text) === c : text === c,
  );
}

/** The sample's value `i` as a number, or an error naming its column. */
function numberAt(frame: Frame, i: number): number {
  const v = frame.values[i];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const where =
    frame.columns?.[i] !== undefined ? `column ${JSON.stringify(frame.columns[i])}` : `value ${i}`;
  const found = typeof v === 'string' ? JSON.stringify(v) : String(v);
  throw new Error(`${where}: expected a finite number, found ${found}`);
}

/** One raw sample as the network's input values (flat, channels last). */
export function preprocessSample(preprocessing: Preprocessing, sample: RawSample): Float32Array {
  let frame = rawFrame(preprocessing.input, sample);
  for (const step of preprocessing.steps) {
    const run = stepFunctions[step.kind] as (step: PreprocessStep, frame: Frame) => Frame;
    frame = run(step, frame);
  }
  return Float32Array.from(frame.values, (_, i) => numberAt(frame, i));
}

/**
 * Raw samples as one flat array of network inputs (`shape` is one input's), sample after
 * sample; throws an Error naming the first sample that does not fit.
 */
export function preprocessBatch(
  preprocessing: Preprocessing,
  samples: RawBatch,
  shape: readonly number[],
): Float32Array {
  const size = volume(shape);
  const list = ArrayBuffer.isView(samples)
    ? samplesOf(preprocessing.input, samples)
    : (samples as readonly RawSample[]);
  const out = new Float32Array(list.length * size);
  list.forEach((sample, n) => {
    let values: Float32Array;
    try {
      values = preprocessSample(preprocessing, sample);
    } catch (error) {
      throw new Error(`sample ${n}: ${(error as Error).message}`, { cause: error });
    }
    if (values.length !== size)
      throw new Error(`sample ${n}: ${values.length} values, the network takes ${size}`);
    out.set(values, n * size);
  });
  return out;
}

/** A flat typed array cut into samples of the raw input's width. */
function samplesOf(input: RawInput, flat: Float32Array | Float64Array | Uint8Array): RawSample[] {
  if (input.kind === 'tokens')
    throw new Error('token sequences vary in length: pass an array of samples');
  const row = input.kind === 'table' ? input.columns.length : volume(input.shape);
  const rows = input.kind === 'table' ? (input.rows ?? 1) : 1;
  const width = row * rows;
  if (flat.length % width !== 0)
    throw new Error(`${flat.length} values are not whole samples of ${width}`);
  const cut = (a: number, b: number) => flat.subarray(a, b);
  return Array.from({ length: flat.length / width }, (_, n) =>
    input.kind === 'table' && input.rows !== undefined
      ? Array.from({ length: rows }, (_, k) => cut(n * width + k * row, n * width + (k + 1) * row))
      : cut(n * width, (n + 1) * width),
  );
}

/** A raw sample's values in order, checked against what the input says it is. */
function rawFrame(input: RawInput, sample: RawSample): Frame {
  if (input.kind === 'table' && input.rows !== undefined) return windowFrame(input, sample);
  const listed = Array.isArray(sample) || ArrayBuffer.isView(sample);
  if (input.kind === 'table' && !listed && typeof sample === 'object' && sample !== null) {
    const row = sample as { readonly [column: string]: unknown };
    const values = input.columns.map((c) => {
      if (!Object.prototype.hasOwnProperty.call(row, c))
        throw new Error(`no column ${JSON.stringify(c)}`);
      return row[c] as RawValue; // checked by the step that reads it
    });
    return { values, columns: input.columns };
  }
  if (!listed)
    throw new Error(
      `expected an array of values${input.kind === 'table' ? ' or a row object' : ''}`,
    );
  const values = flatValues(sample as ArrayLike<unknown>);
  const expected =
    input.kind === 'table'
      ? input.columns.length
      : input.kind === 'tensor'
        ? volume(input.shape)
        : values.length;
  if (values.length !== expected)
    throw new Error(`expected ${expected} values, found ${values.length}`);
  return input.kind === 'table' ? { values, columns: input.columns } : { values };
}

/** A window of table rows: `rows` rows, each an array or a row object, one after another. */
function windowFrame(input: RawInput & { kind: 'table' }, sample: RawSample): Frame {
  const rows = input.rows!;
  if (!Array.isArray(sample) || sample.length !== rows)
    throw new Error(`expected an array of ${rows} rows (a window), oldest first`);
  const row = { ...input, rows: undefined };
  const frames = (sample as readonly RawSample[]).map((r, k) => {
    try {
      return rawFrame(row, r);
    } catch (error) {
      throw new Error(`row ${k}: ${(error as Error).message}`, { cause: error });
    }
  });
  return {
    values: frames.flatMap((f) => f.values),
    columns: frames.flatMap((f) => f.columns ?? []),
  };
}

/** Nested arrays (and typed arrays inside arrays) read in order; other values are checked later. */
function flatValues(values: ArrayLike<unknown>, into: RawValue[] = []): RawValue[] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Array.isArray(v) || ArrayBuffer.isView(v)) flatValues(v as ArrayLike<unknown>, into);
    else into.push(v as RawValue);
  }
  return into;
}

function volume(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
