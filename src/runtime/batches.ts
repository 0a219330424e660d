import { tf, type Tensor } from '../numerics/tf.js';
import { gather, type Dataset } from './data.js';

/** Batches as tensors, and their losses and metrics (search and retrain alike). */

/** One batch of inputs and labels (class indices), or targets for regression. */
export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly regression: boolean;
}

/** Loss and accuracy over some samples; no accuracy for regression. */
export interface Metrics {
  readonly loss: number;
  readonly accuracy: number | null;
}

/** The loss of a batch: cross-entropy on classes, mean squared error on regression targets. */
export function batchLoss(out: Tensor, batch: Batch): tf.Scalar {
  if (!batch.regression) return crossEntropy(out, batch.y);
  return tf.losses.meanSquaredError(batch.y, tf.reshape(out, [-1])) as tf.Scalar;
}

/** Correct predictions in a batch (argmax against the label; none counted for regression). */
export function batchHits(out: Tensor, batch: Batch): number {
  if (batch.regression) return 0;
  return tf.tidy(
    () =>
      tf
        .sum(tf.cast(tf.equal(tf.argMax(out, -1), tf.cast(batch.y, 'int32')), 'int32'))
        .dataSync()[0]!,
  );
}

/** Metrics from summed loss and hits over `n` samples. */
export function metrics(loss: number, hits: number, n: number, regression: boolean): Metrics {
  const seen = Math.max(1, n);
  return { loss: loss / seen, accuracy: regression ? null : hits / seen };
}

/** Mean softmax cross-entropy against integer labels. */
function crossEntropy(logits: Tensor, labels: Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1]!;
  return tf.losses.softmaxCrossEntropy(
    tf.oneHot(tf.cast(labels, 'int32'), classes),
    logits,
  ) as tf.Scalar;
}

/** The samples `indices` as tensors. */
export function toBatch(data: Dataset, indices: readonly number[]): Batch {
  const { x, y } = gather(data, indices);
  const regression = data.task === 'regression';
  return {
    x: tf.tensor(x, [indices.length, ...data.shape]),
    y: tf.tensor1d(y, regression ? 'float32' : 'int32'),
    regression,
  };
}
