import { softmax } from '../../ir/genotype.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import type { SearchMethod } from './method.js';

/**
 * DARTS+ (Liang et al., 2019): DARTS, stopped early when collapse begins, by its first
 * criterion: once the normal cell's genotype holds `skips` or more skip connections (2 in the
 * paper), the search ends after that epoch and keeps that genotype. (Its second criterion,
 * the ranking of α stable for 10 epochs, is not implemented.)
 */
export function dartsPlus(config: MethodConfig): SearchMethod {
  const limit = Number(config.args.skips);
  return {
    config,
    forward: () => ({}),
    probabilities: softmax,
    stop: ({ skips }) => {
      const n = skips('normal');
      return n >= limit
        ? `the normal cell holds ${n} skip connections; DARTS+ stops at ${limit}`
        : undefined;
    },
  };
}
