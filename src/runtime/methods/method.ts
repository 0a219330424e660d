import type { ForwardOptions } from '../../backends/tfjs/network.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import type { Genotype } from '../../ir/genotype.js';
import type { IrTable } from '../../ir/graph.js';
import type { tf, Tensor } from '../../numerics/tf.js';

/** Where a step is in the search: what schedules (a temperature, a decay) read. */
export interface StepMoment {
  /** The epoch, from 0. */
  readonly epoch: number;
  readonly epochs: number;
}

/**
 * A search method as policies over the DARTS loop (darts-semantics §12): the mixing of α, an
 * extra term on the supernet's edges, a loss on α, and the weights derivation ranks. A new
 * method is one file here, its entry in `intrinsics/methods.ts`, and its tests.
 */
export interface SearchMethod {
  readonly config: MethodConfig;
  /** The forward options of one step's losses: how α mixes, and any skip term. `seed` is the
   * step's (the same for every loss of a step, so a sampled path is the same in each). */
  forward(moment: StepMoment, seed: number): Pick<ForwardOptions, 'mixing' | 'skipWeight'>;
  /** How the supernet is evaluated after an epoch, when not as it trains (`forward`'s). */
  evaluation?(): Pick<ForwardOptions, 'mixing' | 'skipWeight'>;
  /**
   * After each epoch, a genotype the method picks itself (random search: the best of its
   * samples by `score`, accuracy on valid data with the shared weights); α is set to it.
   */
  choose?(ctx: {
    readonly tables: readonly IrTable[];
    readonly score: (genotype: Genotype) => number;
    readonly seed: number;
  }): Genotype;
  /**
   * Why the search stops after this epoch, if it should (DARTS+: too many skip connections in
   * the normal cell); `skips` counts a genotype's skip ops in a cell role.
   */
  stop?(ctx: {
    readonly genotype: Genotype;
    readonly skips: (role: string) => number;
  }): string | undefined;
  /** Whether α stays as it is at this moment (a warm-up of the weights alone). */
  frozen?(moment: StepMoment): boolean;
  /** A loss on α alone, added to the α objective (it leaves the weights' gradients alone). */
  alphaLoss?(alphas: readonly Tensor[]): tf.Scalar;
  /** One α row as the weights a genotype is derived from and reports show. */
  probabilities(row: readonly number[]): number[];
  /** What the method has to say about the final genotype (one sentence each), if anything. */
  notes?(tables: readonly NotedTable[], genotype: Genotype, weights: Weights): string[];
}

/** What a note needs of an α table: its role and its nodes' edges. */
export interface NotedTable {
  readonly role: string;
  readonly keep: number;
  readonly nodeEdges: readonly (readonly number[])[];
  readonly columns: readonly string[];
}

/** The method's weights per table (`probabilities` of each α row). */
export type Weights = Readonly<Record<string, readonly (readonly number[])[]>>;
