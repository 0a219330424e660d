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

/** `0:07`, `12:34`, `1:02:03`; `-:--` when not known yet. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '-:--';
  const s = Math.max(0, Math.round(seconds));
  const mmss = (m: number) => `${m}:${String(s % 60).padStart(2, '0')}`;
  if (s < 3600) return mmss(Math.floor(s / 60));
  return `${Math.floor(s / 3600)}:${mmss(Math.floor(s / 60) % 60).padStart(5, '0')}`;
}
