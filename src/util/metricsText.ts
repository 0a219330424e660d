/** Loss and accuracy, as the runtime reports them (no accuracy for regression). */
interface LossAndAccuracy {
  readonly loss: number;
  readonly accuracy: number | null;
}

/** `accuracy 93.6%`, or for regression `loss (MSE) 0.1234`. */
export function headline(m: LossAndAccuracy, digits = 1): string {
  if (m.accuracy === null) return `loss (MSE) ${m.loss.toFixed(4)}`;
  return `accuracy ${(m.accuracy * 100).toFixed(digits)}%`;
}

/** `loss 0.912 acc 71.2%`, or for regression `loss 0.912`. */
export function brief(m: LossAndAccuracy): string {
  const acc = m.accuracy === null ? '' : ` acc ${(m.accuracy * 100).toFixed(1)}%`;
  return `loss ${m.loss.toFixed(3)}${acc}`;
}
