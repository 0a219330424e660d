import { methodNames, methodSpecs } from './methods.js';
import type { ParamSpec, ValueKind } from './registry.js';
import type { Layout } from './tensorType.js';

/**
 * The settings schema: the settings each kind of block accepts (`epochs 10`, `ops [...]`), the
 * words and functions that may appear in their values, and every default. The checker uses it
 * for unknown, duplicate and missing settings and for name resolution inside values; the
 * elaborator resolves a search block with its defaults; the loaders fill data arguments from
 * it; docs/search.md is tested against it. Each default is written here once.
 */

/**
 * The reference defaults of a search block (quark0/darts cnn/train_search.py; darts-semantics
 * §6.7).
 */
export const searchDefaults = {
  split: 0.5,
  epochs: 50,
  batch: 64,
  seed: 2,
  weights: {
    lr: { kind: 'cosine', max: 0.025, min: 0.001 },
    momentum: 0.9,
    decay: 3e-4,
    clip: 5,
  },
  arch: { lr: 3e-4, betas: [0.5, 0.999], eps: 1e-8, decay: 1e-3 },
  order: 'first',
  init: { kind: 'normal', std: 1e-3 },
} as const;

/**
 * The reference's retrain settings (quark0/darts cnn/train.py), but for the epochs, batch and
 * seed, which come from the search block: the search's optimizer with a cosine schedule to 0,
 * drop-path ramped to 0.2, and the auxiliary loss weighted 0.4.
 */
export const retrainDefaults = {
  lr: { kind: 'cosine', max: searchDefaults.weights.lr.max, min: 0 },
  momentum: searchDefaults.weights.momentum,
  decay: searchDefaults.weights.decay,
  clip: searchDefaults.weights.clip,
  dropPath: 0.2,
  auxWeight: 0.4,
} as const;

/** The share of a data file held out for the final test, unless the data source says `test:`. */
const heldOut = 0.1;

/** The kinds of block that hold settings. */
export type BlockKind = 'cell' | 'space' | 'search' | 'genotype';

export interface SettingSpec {
  readonly required: boolean;
  /** A complete example line, used in help texts and docs. */
  readonly example: string;
  readonly doc: string;
  /** Names only meaningful inside this setting's value (functions and words). */
  readonly vocabulary?: readonly string[];
}

const param = (name: string, kind: ValueKind, def?: ParamSpec['default']): ParamSpec => ({
  name,
  kind,
  ...(def !== undefined ? { default: def } : {}),
});

/** Functions that take any number of positional arguments. */
export const variadicFunctions: readonly string[] = ['concat'];

/** Functions that only exist inside setting values, with their parameters. */
export const settingFunctions: Record<string, readonly ParamSpec[]> = {
  // cell
  concat: [],
  chain: [param('count', 'int')],
  // space
  stack: [
    param('count', 'int'),
    param('normal', 'any'),
    param('reduce', 'any', null),
    param('at', 'any', null),
    param('width', 'int', null),
    param('reads', 'any', null),
  ],
  // search: data sources
  mnist: [
    param('limit', 'int', 10000),
    param('test', 'float', heldOut),
    param('normalize', 'bool', true),
  ],
  mnist_rows: [
    param('limit', 'int', 10000),
    param('test', 'float', heldOut),
    param('normalize', 'bool', true),
  ],
  // `classes` defaults to the space's outputs; synthetic data holds nothing out unless asked.
  synthetic: [
    param('samples', 'int', 256),
    param('classes', 'int', null),
    param('seed', 'int', 0),
    param('noise', 'float', 0.8),
    param('test', 'float', 0),
  ],
  csv: [
    param('path', 'string'),
    param('label', 'string'),
    param('task', 'string', 'classification'),
    param('test', 'float', heldOut),
  ],
  npy: [param('inputs', 'string'), param('labels', 'string'), param('test', 'float', heldOut)],
  idx: [param('images', 'string'), param('labels', 'string'), param('test', 'float', heldOut)],
  jsonl: [param('path', 'string'), param('length', 'int'), param('test', 'float', heldOut)],
  vega: [param('name', 'string'), param('label', 'string'), param('test', 'float', heldOut)],
  // search: data transforms, after a source with `>>` (`columns`: a name or a list of names)
  select: [param('columns', 'any')],
  drop: [param('columns', 'any')],
  onehot: [param('columns', 'any')],
  index: [param('columns', 'any')],
  standardize: [param('columns', 'any', null)],
  window: [param('length', 'int'), param('by', 'string', null), param('horizon', 'int', 1)],
  reshape: [param('length', 'int'), param('channels', 'int', null)],
  // search: optimizers, schedules, initialisers (`lr` of sgd and `betas` of adam are
  // structured: their defaults are `searchDefaults.weights.lr` and `searchDefaults.arch.betas`)
  sgd: [
    param('lr', 'any', null),
    param('momentum', 'float', searchDefaults.weights.momentum),
    param('decay', 'float', searchDefaults.weights.decay),
    param('clip', 'float', searchDefaults.weights.clip),
  ],
  adam: [
    param('lr', 'float', searchDefaults.arch.lr),
    param('betas', 'any', null),
    param('eps', 'float', searchDefaults.arch.eps),
    param('decay', 'float', searchDefaults.arch.decay),
  ],
  cosine: [param('max', 'float'), param('min', 'float', 0), param('epochs', 'int', null)],
  constant: [param('value', 'float')],
  normal: [param('std', 'float', searchDefaults.init.std)],
  // search: methods (intrinsics/methods.ts)
  ...Object.fromEntries(methodNames.map((name) => [name, methodSpecs[name].params])),
};

/** A data source's arguments with the schema's defaults filled in (what the loaders read). */
export function dataArgs(
  kind: string,
  given: Readonly<Record<string, number | string | boolean | null>>,
): Record<string, number | string | boolean | null> {
  const out: Record<string, number | string | boolean | null> = {};
  for (const p of settingFunctions[kind] ?? [])
    if (p.default !== undefined) out[p.name] = p.default;
  return { ...out, ...given };
}

/** The data sources of the `data` setting. */
export const dataSources = [
  'mnist',
  'mnist_rows',
  'synthetic',
  'csv',
  'npy',
  'idx',
  'jsonl',
  'vega',
];

/** The transforms that may follow a data source in the `data` setting (`>> drop("date")`). */
export const dataTransforms = [
  'select',
  'drop',
  'onehot',
  'index',
  'standardize',
  'window',
  'reshape',
] as const;

/** A data transform's name. */
export type TransformKind = (typeof dataTransforms)[number];

/**
 * The most distinct values `onehot` accepts in a column: a numeric column with more is a
 * measurement rather than categories (standardise it), a text one an identifier (drop it).
 */
export const onehotLimits = { numeric: 16, text: 256 } as const;

/** What a dataset gives: its sample type and number of classes. */
export interface DatasetFacts {
  readonly layout: Layout;
  readonly dims: readonly number[];
  readonly classes: number;
  /** Token data only: the largest token id + 1. */
  readonly vocab?: number;
  /** `regression`: one real target per sample instead of a class. */
  readonly task?: 'regression';
}

/** The built-in datasets, whose shapes the checker knows before anything is loaded. */
export const builtinDatasets: Readonly<Record<string, DatasetFacts>> = {
  mnist: { layout: 'Img', dims: [28, 28, 1], classes: 10 },
  mnist_rows: { layout: 'Seq', dims: [28, 28], classes: 10 },
};

/** Words (not functions) that only exist inside setting values. */
const words = {
  nodes: 'every intermediate node of the cell, in order',
  first: 'first-order α gradient (ξ = 0)',
  second: 'second-order (unrolled) α gradient',
  zeros: 'α initialised to zero (the paper)',
};

/** The word names, for resolution. */
export const settingWords: readonly string[] = Object.keys(words);

/** The settings of each block kind, in documentation order. */
export const blockSettings: Record<BlockKind, Record<string, SettingSpec>> = {
  cell: {
    ops: {
      required: true,
      example: 'ops [none, skip_connect, sep_conv_3x3]',
      doc: 'the candidate primitives on every edge, in α column order',
      vocabulary: [],
    },
    nodes: {
      required: false,
      example: 'nodes 4',
      doc: 'intermediate nodes: `N` wires each node from every earlier state (DARTS); `chain(N)` from the previous state only (layer-wise)',
      vocabulary: ['chain'],
    },
    keep: {
      required: false,
      example: 'keep 2',
      doc: 'incoming edges each node keeps in the genotype (default 2)',
    },
    output: {
      required: false,
      example: 'output concat(nodes)',
      doc: 'the cell output: `concat(...)` of states, or one state (default `concat(nodes)`)',
      vocabulary: ['concat', 'nodes'],
    },
    preprocess: {
      required: false,
      example:
        'preprocess [relu >> conv2d(C, 1) >> batch_norm, relu >> conv2d(C, 1) >> batch_norm]',
      doc: 'one pipeline per cell input mapping it to the cell width (default: the DARTS preprocessors)',
    },
  },
  space: {
    stem: {
      required: false,
      example: 'stem conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)',
      doc: 'the pipeline from the input to the first cell',
    },
    cells: {
      required: true,
      example:
        'cells stack(layers, normal: Normal, reduce: Reduce, at: [layers / 3, 2 * layers / 3])',
      doc: 'the cells, usually `stack(count, normal: Cell, reduce: Cell, at: [positions])`',
      vocabulary: ['stack'],
    },
    head: {
      required: true,
      example: 'head global_avg_pool >> dense(10)',
      doc: 'the pipeline from the last cell to the output',
    },
    aux: {
      required: false,
      example: 'aux cifar_aux_head(classes)',
      doc: 'an auxiliary head after the cell at 2*layers/3, used only when retraining with the auxiliary loss',
    },
  },
  search: {
    space: {
      required: true,
      example: 'space Mnist(C: 8)',
      doc: 'the space to search, with its arguments',
    },
    data: {
      required: true,
      example: 'data mnist()',
      doc: 'the dataset: a source, then any transforms after `>>`',
      vocabulary: [...dataSources, ...dataTransforms],
    },
    split: {
      required: false,
      example: 'split 0.5',
      doc: `the portion of the training data used to train the weights; the rest trains α (default ${searchDefaults.split})`,
    },
    epochs: {
      required: false,
      example: 'epochs 50',
      doc: `search epochs (default ${searchDefaults.epochs})`,
    },
    batch: {
      required: false,
      example: 'batch 64',
      doc: `batch size (default ${searchDefaults.batch})`,
    },
    seed: {
      required: false,
      example: 'seed 2',
      doc: `the one seed for weights, α, data order and dropout (default ${searchDefaults.seed})`,
    },
    weights: {
      required: false,
      example: 'weights sgd(lr: cosine(0.025, 0.001), momentum: 0.9, decay: 3e-4, clip: 5)',
      doc: 'the weight optimizer and its schedule',
      vocabulary: ['sgd', 'cosine', 'constant'],
    },
    arch: {
      required: false,
      example: 'arch adam(lr: 3e-4, betas: (0.5, 0.999), decay: 1e-3)',
      doc: 'the α optimizer',
      vocabulary: ['adam'],
    },
    order: {
      required: false,
      example: 'order second',
      doc: `\`first\` or \`second\` (default \`${searchDefaults.order}\`)`,
      vocabulary: ['first', 'second'],
    },
    method: {
      required: false,
      example: 'method gdas(tau_max: 10, tau_min: 0.1)',
      doc: `the search method: ${methodNames.map((n) => `\`${n}\``).join(', ')} (default \`darts\`), with its settings (docs/methods.md)`,
      vocabulary: methodNames,
    },
    init: {
      required: false,
      example: 'init normal(1e-3)',
      doc: `α initialisation: \`normal(std)\` (default std ${searchDefaults.init.std}) or \`zeros\``,
      vocabulary: ['normal', 'zeros'],
    },
  },
  genotype: {
    normal: {
      required: false,
      example: 'normal [(sep_conv_3x3, 0), (sep_conv_3x3, 1)]',
      doc: '(op, input state) pairs of the normal cell, two per node, strongest first',
    },
    normal_concat: {
      required: false,
      example: 'normal_concat [2, 3, 4, 5]',
      doc: 'the states concatenated into the normal cell output',
    },
    reduce: {
      required: false,
      example: 'reduce [(max_pool_3x3, 0), (max_pool_3x3, 1)]',
      doc: 'the pairs of the reduction cell',
    },
    reduce_concat: {
      required: false,
      example: 'reduce_concat [2, 3, 4, 5]',
      doc: 'the states concatenated into the reduction cell output',
    },
  },
};

/** How a block kind is named in messages. */
export function describeBlock(kind: BlockKind, name?: string): string {
  const label = kind === 'search' ? 'search block' : kind;
  return name ? `${label} \`${name}\`` : `this ${label}`;
}
