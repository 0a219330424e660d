import { diagnostic, type Diagnostic } from '../../diagnostics/Diagnostic.js';
import type { IrGraph } from '../../ir/graph.js';
import { graphParams, nodeWeights } from '../../ir/graph.js';
import { fastOps } from '../../numerics/fastOps.js';
import { im2colKernels, kernels } from './kernels.js';
import type { Span } from '../../source/SourceFile.js';

/**
 * The wasm backend's heap is capped near 4 GB and never shrinks; past it a step dies with
 * `memory access out of bounds`. Before a run, the step's memory is estimated from the IR and
 * a batch that cannot fit is refused with a diagnostic naming one that does.
 *
 * Calibration: the heap after two search steps (it only grows, so this bounds the peak)
 * against the bytes of every node's float32 output, per sample, measured on the examples in a
 * fresh worker (docs/performance.md, "Memory"). With dartsc's own wasm kernels (no padded
 * copies; saved tensors shared, not cloned) it is about 2.6 times (2.1 to 2.8 with the own
 * dense convolutions: mnist at batch 8 to 64, p3b5, the CIFAR-10 network); 2.6 is used. With them turned off (DARTSC_OWN_KERNELS=0) the composites
 * keep about 10 times, as first measured on one DARTS cell. Six copies of the weights are
 * added (weights, gradients, momentum, the second-order step's copy, Adam's two moments), and
 * dense convolutions without the own kernels also keep their im2col patches (k² times their
 * input), counted three times (the patches, their gradient, the concatenation).
 */
export const wasmHeapLimit = 3.4e9;
const activationFactor = { own: 2.6, composite: 10 };

/**
 * Estimated peak bytes of one search step at `batch`, with dartsc's own wasm kernels (`own`,
 * the default when they load) or the composite ops.
 */
export function estimateStepBytes(graph: IrGraph, batch: number, own = ownKernelsActive()): number {
  const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
  const activations = graph.nodes.reduce((sum, n) => sum + size(n.type.dims), 0);
  const factor = own ? activationFactor.own : activationFactor.composite;
  const patches = graph.nodes.reduce((sum, n) => {
    if (own) return 0;
    if (n.op === 'input' || n.op === 'mixed' || !im2colKernels.has(kernels[n.op])) return sum;
    // The filter [kh, kw, Cin, Cout]: each output position keeps kh·kw·Cin patch values.
    const [kh, kw, cin] = nodeWeights(graph, n)[0]!.shape as [number, number, number];
    return sum + 3 * size(n.type.dims.slice(0, -1)) * kh * kw * cin;
  }, 0);
  return 4 * batch * (factor * activations + patches) + 6 * 4 * graphParams(graph, false);
}

/** Whether the convolutions, pools and batch norms run on dartsc's own wasm kernels. */
function ownKernelsActive(): boolean {
  return fastOps() !== null;
}

/** The largest batch whose step fits under `limit` (0 when even one sample does not). */
export function largestBatch(
  graph: IrGraph,
  limit = wasmHeapLimit,
  own = ownKernelsActive(),
): number {
  const one = estimateStepBytes(graph, 1, own);
  const fixed = estimateStepBytes(graph, 0, own);
  return one > limit ? 0 : Math.floor((limit - fixed) / (one - fixed));
}

/**
 * E0501 when a step at `batch` would not fit in the wasm heap; `span` is where the batch is
 * set. Each of `workers` search workers has its own heap and holds its share of the batch.
 */
export function checkWasmMemory(
  graph: IrGraph,
  batch: number,
  span: Span,
  workers = 1,
): Diagnostic | undefined {
  const share = Math.ceil(batch / workers);
  const bytes = estimateStepBytes(graph, share);
  if (bytes <= wasmHeapLimit) return undefined;
  const fits = largestBatch(graph) * workers;
  return diagnostic(
    'E0501',
    span,
    { batch, share, workers, gigabytes: Math.round(bytes / 1e8) / 10 },
    {
      help: { fits, workers },
      notes: ['the estimate is per step, from every tensor the step keeps for its backward pass'],
    },
  );
}
