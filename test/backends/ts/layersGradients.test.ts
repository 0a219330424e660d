import { afterAll, describe, expect, it, vi } from 'vitest';

import * as layers from '../../../src/numerics/layers.js';
import { selectBackend, tf } from '../../../src/numerics/tf.js';
import { Random } from '../../../src/util/random.js';
import { kinkSafe } from '../../helpers/kernels.js';

/**
 * Every custom layer of emitted models, called as a model calls it (constructed from its
 * config, `apply(x, { training })` on a concrete tensor), forward and backward on `cpu` and
 * `wasm`: the loss is the output weighted by a fixed random probe, differentiated with
 * `tf.variableGrads` with respect to the input and every trainable weight.
 *
 * Reference: central finite differences on `cpu`, not the runtime kernels. The layers and the
 * kernels both compute through `numerics/ops.ts`, so comparing one with the other would check
 * `ops.ts` against itself; finite differences are independent of it.
 *
 * Tolerances. Every layer here is piecewise linear in each argument (bilinear in input and
 * filter for the depthwise convolution), and the inputs are kink-safe (values 0.037 apart, so
 * no max-pool argmax changes when a step, on one coordinate or along a direction with entries
 * in [-1, 1], moves each value by at most h = 1e-2; padding never wins), so a central
 * difference has no truncation error: only float32 rounding of the outputs. The loss is summed
 * in float64 from outputs of size at most ~20, each rounded to 6e-8 relative: the loss is off
 * by a few 1e-6, which the division by 2h turns into a few 1e-4. Hence |g − fd| ≤ 1e-3 +
 * 1e-3·|fd|, checked along random directions (all coordinates at once) and on picked
 * coordinates. wasm against cpu: ≤ 1e-5 relative to the largest value (the same float32 ops
 * in a different summation order).
 */

type Layer = tf.layers.Layer;
type LayerClass = abstract new (...args: never[]) => Layer;

interface LayerCase {
  readonly name: string;
  readonly cls: LayerClass;
  readonly make: () => Layer;
  readonly shape: number[];
  readonly x: Float32Array;
  /** Values of the trainable weights, in the layer's order. */
  readonly weights: { shape: number[]; data: Float32Array }[];
  readonly training: boolean;
  /** Math.random is fixed to this during each pass (drop-path masks: same draw every pass). */
  readonly random?: number;
  /** Extra checks on one backend's result. */
  readonly check?: (r: Result, k: LayerCase) => void;
}

interface Result {
  readonly output: Float32Array;
  readonly outShape: number[];
  readonly probe: Float32Array;
  /** Gradients: the input's, then each trainable weight's. */
  readonly grads: Float32Array[];
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

let seed = 1;
function layerCase(
  name: string,
  cls: LayerClass,
  make: () => Layer,
  shape: number[],
  extra: Partial<Pick<LayerCase, 'training' | 'random' | 'check'>> & {
    negative?: boolean;
    weightShapes?: number[][];
  } = {},
): LayerCase {
  const rng = new Random(seed++);
  let x = kinkSafe(size(shape), rng);
  if (extra.negative) {
    // All below -0.5, as kink-safe as before (a shift keeps the spacing).
    const top = Math.max(...x);
    x = x.map((v) => v - top - 0.5);
  }
  const weights = (extra.weightShapes ?? []).map((s) => ({
    shape: s,
    data: rng.uniform(size(s), 0.5),
  }));
  const rank = shape.length === 4 ? 'Img' : 'Seq';
  return {
    name: `${name} ${rank}[${shape.slice(1)}]`,
    cls,
    make,
    shape,
    x,
    weights,
    training: extra.training ?? true,
    ...(extra.random === undefined ? {} : { random: extra.random }),
    ...(extra.check ? { check: extra.check } : {}),
  };
}

const img = [2, 6, 6, 3];
const seqShape = [2, 8, 3];

/** Max pooling sends each output's probe weight to exactly one input cell (never padding). */
function maxPoolRoutesEveryOutput(r: Result) {
  const sumGrad = r.grads[0]!.reduce((a, b) => a + b, 0);
  const sumProbe = r.probe.reduce((a, b) => a + b, 0);
  expect(Math.abs(sumGrad - sumProbe), `Σ dx ${sumGrad} vs Σ probe ${sumProbe}`).toBeLessThan(1e-4);
}

/** The gradient is the probe times a per-example factor 0 or 1/keep, the output x times the same. */
function dropPathMask(keep: number, mustMix: boolean) {
  return (r: Result, k: LayerCase) => {
    const batch = k.shape[0]!;
    const per = size(k.shape) / batch;
    const factors = Array.from({ length: batch }, (_, b) => {
      const g = r.grads[0]!.slice(b * per, (b + 1) * per);
      const y = r.output.slice(b * per, (b + 1) * per);
      const p = r.probe.slice(b * per, (b + 1) * per);
      const x = k.x.slice(b * per, (b + 1) * per);
      const f = g[0]! / p[0]!;
      expect(
        [0, 1 / keep].some((a) => Math.abs(f - a) < 1e-5),
        `factor ${f}`,
      ).toBe(true);
      g.forEach((v, i) => expect(v).toBeCloseTo(p[i]! * f, 5));
      y.forEach((v, i) => expect(v).toBeCloseTo(x[i]! * f, 5));
      return f;
    });
    if (mustMix) expect(new Set(factors.map((f) => f > 0)).size, `${factors}`).toBe(2);
  };
}

const cases: LayerCase[] = [
  // DartsPool: the DARTS candidates' 3x3 pools, padding 1, stride 1 and 2
  ...[img, seqShape].flatMap((shape) =>
    [1, 2].flatMap((stride) => [
      ...[false, true].map((negative) =>
        layerCase(
          `DartsPool max stride ${stride}${negative ? ' all-negative' : ''}`,
          layers.DartsPool,
          () =>
            new layers.DartsPool({
              kind: 'max',
              kernel: 3,
              stride,
              padding: 1,
              countIncludePad: false,
            }),
          shape,
          { negative, check: maxPoolRoutesEveryOutput },
        ),
      ),
      ...[false, true].map((countIncludePad) =>
        layerCase(
          `DartsPool avg stride ${stride} countIncludePad ${countIncludePad}`,
          layers.DartsPool,
          () =>
            new layers.DartsPool({ kind: 'avg', kernel: 3, stride, padding: 1, countIncludePad }),
          shape,
        ),
      ),
    ]),
  ),
  // DartsDepthwiseConv: sep_conv_3x3 and dil_conv_3x3 depthwise parts, stride 1 and 2
  ...[img, seqShape].flatMap((shape) =>
    [1, 2].flatMap((dilation) =>
      [1, 2].map((stride) =>
        layerCase(
          `DartsDepthwiseConv k3 dilation ${dilation} stride ${stride}`,
          layers.DartsDepthwiseConv,
          () =>
            new layers.DartsDepthwiseConv({
              kernelSize: 3,
              stride,
              padding: dilation,
              dilation,
              bound: 1 / 3,
            }),
          shape,
          { weightShapes: [shape.length === 4 ? [3, 3, 3, 1] : [1, 3, 3, 1]] },
        ),
      ),
    ),
  ),
  // DartsSubsample: factorized-reduce's offset path, the strided `none` op; odd sizes (ceil)
  ...[
    [2, 5, 5, 3],
    [2, 7, 3],
  ].flatMap((shape) =>
    [
      { offset: 1, zero: false },
      { offset: 1, zero: true },
      { offset: 0, zero: false },
    ].map(({ offset, zero }) =>
      layerCase(
        `DartsSubsample stride 2 offset ${offset} zero ${zero}`,
        layers.DartsSubsample,
        () => new layers.DartsSubsample({ stride: 2, offset, zero }),
        shape,
      ),
    ),
  ),
  // DartsPad
  ...[
    [2, 4, 4, 3],
    [2, 6, 3],
  ].map((shape) =>
    layerCase('DartsPad 1', layers.DartsPad, () => new layers.DartsPad({ padding: 1 }), shape),
  ),
  // DartsDropPath: masks from a fixed Math.random (tfjs seeds an unseeded draw from it), so
  // both backends and every finite-difference pass draw the same mask
  ...[
    [8, 3, 3, 2],
    [8, 4, 2],
  ].flatMap((shape) => [
    layerCase(
      'DartsDropPath rate 0.5 training',
      layers.DartsDropPath,
      () => new layers.DartsDropPath({ rate: 0.5 }),
      shape,
      { random: 0.3, check: dropPathMask(0.5, true) },
    ),
    layerCase(
      'DartsDropPath rate 0 training',
      layers.DartsDropPath,
      () => new layers.DartsDropPath({ rate: 0 }),
      shape,
      { check: dropPathMask(1, false) },
    ),
    layerCase(
      'DartsDropPath rate 0.5 inference',
      layers.DartsDropPath,
      () => new layers.DartsDropPath({ rate: 0.5 }),
      shape,
      { training: false, check: dropPathMask(1, false) },
    ),
  ]),
];

/** A built layer with the case's weights. */
function buildLayer(k: LayerCase, weights: Float32Array[]): Layer {
  const layer = k.make();
  layer.build(k.shape);
  const shapes = layer.trainableWeights.map((w) => w.shape);
  expect(shapes).toEqual(k.weights.map((w) => w.shape));
  if (shapes.length > 0) {
    const values = weights.map((w, i) => tf.tensor(w, k.weights[i]!.shape));
    layer.setWeights(values);
    tf.dispose(values);
  }
  return layer;
}

function withRandom<T>(k: LayerCase, f: () => T): T {
  if (k.random === undefined) return f();
  const spy = vi.spyOn(Math, 'random').mockReturnValue(k.random);
  try {
    return f();
  } finally {
    spy.mockRestore();
  }
}

const probeOf = (shape: number[]) => new Random(99).uniform(size(shape), 1);

/** Forward and backward of a case on one backend; no tensor outlives it. */
async function evaluate(k: LayerCase, backend: 'cpu' | 'wasm'): Promise<Result> {
  expect(await selectBackend(backend)).toBe(backend);
  const start = tf.memory().numTensors;
  const layer = buildLayer(
    k,
    k.weights.map((w) => w.data),
  );
  const outShape = layer.computeOutputShape(k.shape) as number[];
  const probeData = probeOf(outShape);
  const initial = tf.tensor(k.x, k.shape);
  const x = tf.variable(initial);
  initial.dispose();
  const probe = tf.tensor(probeData, outShape);
  const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];

  // A forward pass outside any tidy leaves its output alone.
  const alone = tf.memory().numTensors;
  const forward = withRandom(k, () => layer.apply(x, { training: k.training }) as tf.Tensor);
  expect(tf.memory().numTensors - alone, 'tensors left by a forward pass').toBe(1);
  forward.dispose();

  const before = tf.memory().numTensors;
  let y: tf.Tensor | undefined;
  const { value, grads } = withRandom(k, () =>
    tf.variableGrads(() => {
      const out = layer.apply(x, { training: k.training }) as tf.Tensor;
      y = tf.keep(out);
      return tf.sum(tf.mul(out, probe)) as tf.Scalar;
    }, vars),
  );
  // Only the loss, the kept output and one gradient per variable survive the pass.
  expect(tf.memory().numTensors - before, 'tensors left by forward + backward').toBe(
    2 + vars.length,
  );
  expect(y!.shape).toEqual(outShape);
  const result: Result = {
    output: y!.dataSync().slice() as Float32Array,
    outShape,
    probe: probeData,
    grads: vars.map((v) => grads[v.name]!.dataSync().slice() as Float32Array),
  };
  tf.dispose([value, y!, ...Object.values(grads), x, probe]);
  layer.weights.forEach((w) => w.dispose());
  expect(tf.memory().numTensors, 'tensors left by the case').toBe(start);
  return result;
}

/** The loss at given input and weights on cpu, summed in float64. */
function lossAt(k: LayerCase, x: Float32Array, weights: Float32Array[]): number {
  const layer = buildLayer(k, weights);
  const out = withRandom(k, () =>
    tf.tidy(() => {
      const y = layer.apply(tf.tensor(x, k.shape), { training: k.training }) as tf.Tensor;
      return y.dataSync().slice();
    }),
  );
  layer.weights.forEach((w) => w.dispose());
  const probe = probeOf(layer.computeOutputShape(k.shape) as number[]);
  let loss = 0;
  out.forEach((v, i) => (loss += v * probe[i]!));
  return loss;
}

const h = 1e-2;
const fdTolerance = (fd: number) => 1e-3 + 1e-3 * Math.abs(fd);

function worstRelative(a: Float32Array, b: Float32Array): number {
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  return Math.max(0, ...Array.from(a, (v, i) => Math.abs(v - b[i]!))) / scale;
}

describe('numerics/layers: gradients of the custom layers on cpu and wasm', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('has 1-D and 2-D cases for every exported layer class', () => {
    const exported = Object.entries(layers).filter(
      ([, v]) => typeof v === 'function' && v.prototype instanceof tf.layers.Layer,
    );
    expect(exported.length).toBeGreaterThan(0);
    const covered = new Set<unknown>(cases.map((k) => k.cls));
    expect(exported.filter(([, v]) => !covered.has(v)).map(([n]) => n)).toEqual([]);
    expect([...covered].filter((c) => !exported.some(([, v]) => v === c))).toEqual([]);
    for (const [name, cls] of exported) {
      const ranks = new Set(cases.filter((k) => k.cls === cls).map((k) => k.shape.length));
      expect([...ranks].sort(), name).toEqual([3, 4]);
    }
  });

  for (const k of cases) {
    it(`${k.name}: gradient equals central finite differences on cpu`, async () => {
      const exact = await evaluate(k, 'cpu');
      k.check?.(exact, k);
      const targets = [k.x, ...k.weights.map((w) => w.data)];
      const loss = (arrays: Float32Array[]) => lossAt(k, arrays[0]!, arrays.slice(1));
      // Random directions over every target at once: the derivative along one is Σ g·dir.
      for (const d of [1, 2, 3]) {
        const dirs = targets.map((a, t) => new Random(100 * d + t).uniform(a.length, 1));
        const along = (step: number) =>
          targets.map((a, t) => a.map((v, j) => v + step * dirs[t]![j]!));
        const fd = (loss(along(h)) - loss(along(-h))) / (2 * h);
        let g = 0;
        dirs.forEach((dir, t) => dir.forEach((v, j) => (g += v * exact.grads[t]![j]!)));
        expect(Math.abs(g - fd), `direction ${d}: analytic ${g}, fd ${fd}`).toBeLessThanOrEqual(
          fdTolerance(fd),
        );
      }
      // Picked coordinates of each target.
      targets.forEach((a, t) => {
        const n = Math.min(8, a.length);
        for (const index of Array.from({ length: n }, (_, i) => Math.floor((i * a.length) / n))) {
          const at = (step: number) =>
            loss(
              targets.map((b, u) => (u === t ? b.map((v, j) => (j === index ? v + step : v)) : b)),
            );
          const fd = (at(h) - at(-h)) / (2 * h);
          const g = exact.grads[t]![index]!;
          expect(
            Math.abs(g - fd),
            `target ${t}[${index}]: analytic ${g}, fd ${fd}`,
          ).toBeLessThanOrEqual(fdTolerance(fd));
        }
      });
    });

    it(`${k.name}: wasm agrees with cpu (output and gradients)`, async () => {
      const cpu = await evaluate(k, 'cpu');
      const wasm = await evaluate(k, 'wasm');
      expect(wasm.outShape).toEqual(cpu.outShape);
      expect(
        worstRelative(wasm.output, cpu.output),
        'output, relative to max(1, |cpu|)',
      ).toBeLessThanOrEqual(1e-5);
      wasm.grads.forEach((g, i) =>
        expect(
          worstRelative(g, cpu.grads[i]!),
          `gradient ${i}, relative to max(1, |cpu|)`,
        ).toBeLessThanOrEqual(1e-5),
      );
      k.check?.(wasm, k);
    });
  }
});
