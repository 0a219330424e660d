import { softmax } from '../../ir/genotype.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import type { SearchMethod, StepMoment } from './method.js';

/**
 * DARTS- (Meituan-AutoML/DARTS-): every mixed edge adds β times a skip connection outside
 * the softmax sum, β decaying over the search, so the skip candidate need not win to let
 * gradients through. The schedules are the reference's `DecayScheduler` from epoch 0 to the
 * last: linear β·(E − e)/E, cosine β·(1 + cos(πe/E))/2. The skip term is the edge's own skip
 * candidate (identity; on strided edges its factorized reduce, whose weights the reference
 * does not share).
 */
export function dartsMinus(config: MethodConfig): SearchMethod {
  const beta = Number(config.args.beta);
  const cosine = config.args.decay === 'cosine';
  return {
    config,
    forward: (moment) => ({ skipWeight: skipWeight(beta, cosine, moment) }),
    probabilities: softmax,
  };
}

/** β at an epoch. */
export function skipWeight(beta: number, cosine: boolean, { epoch, epochs }: StepMoment): number {
  return cosine
    ? (beta * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2
    : (beta * (epochs - epoch)) / epochs;
}
