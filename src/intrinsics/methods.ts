import type { ParamSpec } from './registry.js';

/**
 * The search methods of the `method` setting (darts-semantics §12): each a policy over the
 * same supernet and kernels. This table is what check and elaborate read (names, parameters
 * with defaults, ranges); each method's numerics live in `runtime/methods/`, one file each.
 */
export interface MethodSpec {
  /** The paper, for the docs and `--help`. */
  readonly paper: string;
  /** What it changes, in one line. */
  readonly summary: string;
  /** How an α row becomes the weights derivation ranks and reports show. */
  readonly weights: 'softmax' | 'sigmoid';
  readonly params: readonly ParamSpec[];
  /** Per numeric parameter: its range as text, the test, and a hint (E0320). */
  readonly ranges: Readonly<Record<string, MethodRange>>;
}

export interface MethodRange {
  readonly text: string;
  readonly holds: (x: number) => boolean;
  readonly hint: string;
}

const p = (name: string, kind: 'int' | 'float' | 'string', def: number | string, doc: string) => ({
  name,
  kind,
  default: def,
  doc,
});
const positive = (hint: string): MethodRange => ({
  text: 'greater than 0',
  holds: (x) => x > 0,
  hint,
});
const atLeastOne = (hint: string): MethodRange => ({
  text: 'at least 1',
  holds: (x) => x >= 1,
  hint,
});
const atLeastZero = (hint: string): MethodRange => ({
  text: 'at least 0',
  holds: (x) => x >= 0,
  hint,
});

export const methodSpecs = {
  darts: {
    paper: 'Liu, Simonyan and Yang, DARTS: Differentiable Architecture Search, ICLR 2019',
    summary: 'softmax over the candidates of each edge; the default',
    weights: 'softmax',
    params: [],
    ranges: {},
  },
  fair_darts: {
    paper:
      'Chu et al., Fair DARTS: Eliminating Unfair Advantages in Differentiable Architecture Search, ECCV 2020',
    summary: 'an independent sigmoid per candidate, and a zero-one loss that pushes each to 0 or 1',
    weights: 'sigmoid',
    params: [
      p('zero_one', 'float', 10, 'weight of the zero-one loss'),
      p(
        'threshold',
        'float',
        0.85,
        'a kept op’s sigmoid at least this (reported; ranking as DARTS)',
      ),
    ],
    ranges: {
      zero_one: atLeastZero('the loss weight is at least 0, e.g. `zero_one: 10`; `0` turns it off'),
      threshold: {
        text: 'in (0, 1)',
        holds: (x) => x > 0 && x < 1,
        hint: 'a sigmoid value, e.g. `threshold: 0.85`',
      },
    },
  },
  gdas: {
    paper: 'Dong and Yang, Searching for a Robust Neural Architecture in Four GPU Hours, CVPR 2019',
    summary: 'one op per edge sampled by Gumbel-softmax each step; only it runs',
    weights: 'softmax',
    params: [
      p('tau_max', 'float', 10, 'the Gumbel-softmax temperature at the first epoch'),
      p('tau_min', 'float', 0.1, 'the temperature at the last epoch (linear in between)'),
    ],
    ranges: {
      tau_max: positive('a temperature is positive, e.g. `tau_max: 10`'),
      tau_min: positive('a temperature is positive, e.g. `tau_min: 0.1`'),
    },
  },
  darts_minus: {
    paper:
      'Chu et al., DARTS-: Robustly Stepping out of Performance Collapse Without Indicators, ICLR 2021',
    summary: 'an auxiliary skip connection on every edge, its weight decaying to 0',
    weights: 'softmax',
    params: [
      p('beta', 'float', 1, 'the skip weight at the first step'),
      p('decay', 'string', 'linear', '`linear` or `cosine` decay of the skip weight to 0'),
    ],
    ranges: { beta: atLeastZero('the skip weight starts at 0 or above, e.g. `beta: 1`') },
  },
  pc_darts: {
    paper:
      'Xu et al., PC-DARTS: Partial Channel Connections for Memory-Efficient Architecture Search, ICLR 2020',
    summary: 'each mixed op sees 1/k of the channels; per-node softmax weights on the edges',
    weights: 'softmax',
    params: [
      p('k', 'int', 4, 'the mixed op sees 1/k of each edge’s channels'),
      p('warmup', 'int', 15, 'epochs that train the weights alone before α and β move'),
    ],
    ranges: {
      k: atLeastOne('a channel divisor, e.g. `k: 4`; `1` sees every channel'),
      warmup: atLeastZero('epochs of weights alone, e.g. `warmup: 15`; `0` moves α from the start'),
    },
  },
  drnas: {
    paper: 'Chen et al., DrNAS: Dirichlet Neural Architecture Search, ICLR 2021',
    summary: 'mixing weights sampled each step from Dir(elu(α) + 1), with pathwise gradients',
    weights: 'softmax',
    params: [
      p(
        'kl',
        'float',
        0,
        'weight of the KL divergence to Dir(1) (0: the reference’s default, L2 by the α decay)',
      ),
    ],
    ranges: { kl: atLeastZero('the KL weight is at least 0, e.g. `kl: 1e-3`; `0` turns it off') },
  },
  random: {
    paper:
      'Li and Talwalkar, Random Search and Reproducibility for Neural Architecture Search, UAI 2019',
    summary:
      'random search with weight sharing: uniform random paths train, the best of `samples` random genotypes is kept',
    weights: 'softmax',
    params: [
      p('samples', 'int', 16, 'random genotypes scored with the shared weights after each epoch'),
    ],
    ranges: {
      samples: atLeastOne('score at least one genotype, e.g. `samples: 16`'),
    },
  },
  darts_plus: {
    paper:
      'Liang et al., DARTS+: Improved Differentiable Architecture Search with Early Stopping, 2019',
    summary: 'DARTS, stopped once the normal cell holds `skips` skip connections',
    weights: 'softmax',
    params: [p('skips', 'int', 2, 'skip connections in the normal cell that stop the search')],
    ranges: {
      skips: atLeastOne('a count of skip connections, e.g. `skips: 2`'),
    },
  },
} as const satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof methodSpecs;

/** The method names, in documentation order. */
export const methodNames = Object.keys(methodSpecs) as MethodName[];

/** A resolved `method` setting: its name and every parameter (defaults filled in). */
export interface MethodConfig {
  readonly name: MethodName;
  readonly args: Readonly<Record<string, number | string>>;
}

/** The method of a search block without `method`, and of runs made before there was one. */
export const defaultMethod: MethodConfig = { name: 'darts', args: {} };

/** A method's parameters with their defaults, overridden by `given`. */
export function methodArgs(
  name: MethodName,
  given: Readonly<Record<string, number | string>> = {},
): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const param of methodSpecs[name].params) out[param.name] = param.default;
  return { ...out, ...given };
}

/** The channel divisor of a PC-DARTS search (its supernet's edges), else undefined. */
export function partialChannels(method: MethodConfig | undefined): number | undefined {
  return method?.name === 'pc_darts' ? Number(method.args.k) : undefined;
}
