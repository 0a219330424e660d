import { intrinsic, type Attrs, type WeightSpec } from '../../intrinsics/registry.js';
import type { TensorShape } from '../../intrinsics/tensorType.js';
import { dropPathNodes } from '../../ir/dropPath.js';
import type { IrGraph, OpNode } from '../../ir/graph.js';
import { invariant } from '../../util/invariant.js';

/**
 * A derived network as TensorFlow.js layers: the one mapping from IR ops to layers, which
 * `emitModule` prints as TypeScript and `buildLayersModel` instantiates in process. Stock
 * layers wherever they compute exactly what the runtime kernel does; the custom layers of
 * `layers.ts` for the rest.
 */
export interface LayerPlan {
  readonly space: string;
  readonly input: TensorShape;
  readonly classes: number;
  readonly steps: readonly LayerStep[];
  /** The variable holding the logits, and the auxiliary logits (when the space has a head). */
  readonly output: string;
  readonly aux?: string;
}

/** A config value: JSON, or an expression of the emitted `createModel` (never user text). */
export type ConfigValue =
  | number
  | boolean
  | string
  | readonly ConfigValue[]
  | { readonly [key: string]: ConfigValue }
  | Expr;

/** An option of `createModel` (`affine`, `dropPath`) or an initializer. */
export interface Expr {
  readonly expr: 'affine' | 'dropPath' | 'uniform' | 'normal';
  readonly bound?: number;
}

export interface LayerStep {
  /** The variable of its output (`x12`, `x12b`). */
  readonly id: string;
  /** `tf.layers[factory]` for a stock layer, else a class of layers.ts. */
  readonly factory: string;
  readonly custom: boolean;
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly inputs: readonly string[];
  /** The runtime weights (`Network` names) this layer's weights take, in the layer's order. */
  readonly weights: readonly LayerWeight[];
  /** Part of the auxiliary head: built only when `createModel` is asked for it. */
  readonly aux: boolean;
}

/** A runtime weight a layer takes; a layer built without affine batch norm skips `affine` ones. */
interface LayerWeight {
  readonly name: string;
  readonly affine: boolean;
}

export const isExpr = (v: ConfigValue): v is Expr =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'expr' in v;

/** The plan of a derived graph. */
export function layerPlan(graph: IrGraph): LayerPlan {
  invariant(graph.kind === 'derived', 'only a derived network has layers');
  const steps: LayerStep[] = [];
  const vars: string[] = ['input'];
  const names = new LayerNames();
  const dropAfter = dropPathNodes(graph);
  for (const node of graph.nodes) {
    if (node.op === 'input') continue;
    invariant(node.op !== 'mixed', 'a derived network has no mixed edges');
    const input = graph.nodes[node.inputs[0]!]!.type;
    const emit = new StepWriter(node, names.of(node.name), steps);
    let out = opSteps(
      node,
      input,
      emit,
      node.inputs.map((i) => vars[i]!),
    );
    if (dropAfter.has(node.id))
      out = emit.step(
        'DartsDropPath',
        true,
        { rate: { expr: 'dropPath' } },
        [out],
        [],
        'drop_path',
      );
    vars[node.id] = out;
  }
  const classes = graph.nodes[graph.output]!.type.dims[0]!;
  return {
    space: graph.space,
    input: graph.nodes[0]!.type,
    classes,
    steps,
    output: vars[graph.output]!,
    ...(graph.aux !== undefined ? { aux: vars[graph.aux]! } : {}),
  };
}

/** Writes the steps of one IR node; the first layer takes the node's name, later ones a suffix. */
class StepWriter {
  #count = 0;
  constructor(
    readonly node: OpNode,
    readonly name: string,
    readonly steps: LayerStep[],
  ) {}

  step(
    factory: string,
    custom: boolean,
    config: Record<string, ConfigValue>,
    inputs: string[],
    weights: LayerWeight[],
    suffix?: string,
  ): string {
    const id = `x${this.node.id}${this.#count === 0 ? '' : String.fromCharCode(96 + this.#count)}`;
    this.#count++;
    const name = suffix ? `${this.name}_${suffix}` : this.name;
    const aux = this.node.site.part === 'aux';
    this.steps.push({ id, factory, custom, config: { ...config, name }, inputs, weights, aux });
    return id;
  }

  /** The runtime weight names of this node, and initializers of the same distributions. */
  weights(input: TensorShape): { names: LayerWeight[]; init: (name: string) => Expr } {
    const { op, attrs, affine } = this.node;
    const specs = intrinsic(op).weights(input, attrs, { affineDefault: affine });
    const init = (name: string): Expr => {
      const spec = specs.find((s) => s.name === name);
      invariant(spec !== undefined, `no weight ${name} in ${this.node.op}`);
      return initializer(spec);
    };
    const names = specs.map((s) => ({ name: `${this.node.name}/${s.name}`, affine: !!s.affine }));
    return { names, init };
  }
}

function initializer(spec: WeightSpec): Expr {
  if (spec.init === 'uniform') return { expr: 'uniform', bound: 1 / Math.sqrt(spec.fanIn!) };
  invariant(spec.init === 'normal', `no initializer for ${spec.init}`);
  return { expr: 'normal' };
}

const int = (attrs: Attrs, key: string, fallback = 0) =>
  (attrs[key] as number | undefined) ?? fallback;

/** Kernel, stride, padding and dilation of a windowed op, defaulted. */
const windowOf = (a: Attrs) =>
  [int(a, 'kernel'), int(a, 'stride', 1), int(a, 'padding'), int(a, 'dilation', 1)] as const;

/** The steps of one op; returns the variable of its output. */
function opSteps(node: OpNode, input: TensorShape, emit: StepWriter, inputs: string[]): string {
  const a = node.attrs;
  const image = input.layout === 'Img';
  const suffix1d = image ? '2d' : '1d';
  const [x] = inputs as [string];
  switch (node.op) {
    case 'conv1d':
    case 'conv2d':
      return convSteps(node, input, emit, x);
    case 'depthwise_conv1d':
    case 'depthwise_conv2d':
      return depthwiseSteps(node, input, emit, x);
    case 'pointwise_conv':
    case 'dense':
      return denseSteps(node, input, emit, x);
    case 'max_pool':
    case 'avg_pool':
      return poolSteps(node, input, emit, x);
    case 'batch_norm':
      return batchNorm(emit, x, emit.weights(input).names, a.affine);
    case 'relu':
      return emit.step('reLU', false, {}, [x], []);
    case 'dropout':
      return emit.step('dropout', false, { rate: a.rate as number }, [x], []);
    case 'zero':
      return emit.step(
        'DartsSubsample',
        true,
        { stride: int(a, 'stride', 1), zero: true },
        [x],
        [],
      );
    case 'identity':
      return x;
    case 'factorized_reduce':
      return factorizedReduce(node, input, emit, x);
    case 'concat':
      return emit.step('concatenate', false, { axis: -1 }, inputs, []);
    case 'add':
      return emit.step('add', false, {}, inputs, []);
    case 'global_avg_pool':
      return emit.step(`globalAveragePooling${suffix1d}`, false, {}, [x], []);
    case 'embedding': {
      const w = emit.weights(input);
      const config = { inputDim: int(a, 'vocab'), outputDim: int(a, 'dim') };
      const init = { embeddingsInitializer: w.init('weight') };
      return emit.step('embedding', false, { ...config, ...init }, [x], w.names);
    }
    case 'flatten':
      return emit.step('flatten', false, {}, [x], []);
    case 'channel_slice':
    case 'channel_shuffle':
      // Only a PC-DARTS supernet has them, and a supernet is never emitted.
      invariant(false, `${node.op} in a derived network`);
  }
}

/** A linear map over the last axis: the stock dense layer (a 1x1 convolution is one too). */
function denseSteps(node: OpNode, input: TensorShape, emit: StepWriter, x: string): string {
  const w = emit.weights(input);
  const bias = node.attrs.bias === true;
  const config = {
    units: int(node.attrs, 'out'),
    useBias: bias,
    kernelInitializer: w.init('weight'),
    ...(bias ? { biasInitializer: w.init('bias') } : {}),
  };
  return emit.step('dense', false, config, [x], w.names);
}

/** Pooling: the stock layer without padding, ours with PyTorch's padding. */
function poolSteps(node: OpNode, input: TensorShape, emit: StepWriter, x: string): string {
  const a = node.attrs;
  const [k, s, p] = [int(a, 'kernel'), int(a, 'stride', 1), int(a, 'padding')];
  const kind = node.op === 'max_pool' ? 'max' : 'average';
  const suffix = input.layout === 'Img' ? '2d' : '1d';
  if (p === 0)
    return emit.step(`${kind}Pooling${suffix}`, false, { poolSize: k, strides: s }, [x], []);
  const countIncludePad = a.count_include_pad === true;
  const config = { kind: kind === 'max' ? 'max' : 'avg', kernel: k, stride: s, padding: p };
  return emit.step('DartsPool', true, { ...config, countIncludePad }, [x], []);
}

/** Symmetric zero padding: the stock layer on images, ours on sequences. */
function pad(emit: StepWriter, image: boolean, p: number, x: string): string {
  if (p === 0) return x;
  if (image)
    return emit.step(
      'zeroPadding2d',
      false,
      {
        padding: [
          [p, p],
          [p, p],
        ],
      },
      [x],
      [],
      'pad',
    );
  return emit.step('DartsPad', true, { padding: p }, [x], [], 'pad');
}

function convSteps(node: OpNode, input: TensorShape, emit: StepWriter, x: string): string {
  const a = node.attrs;
  const [k, s, p, d] = windowOf(a);
  const image = input.layout === 'Img';
  const w = emit.weights(input);
  const bias = a.bias === true;
  // The layers API refuses a stride with a dilation: convolve densely, then subsample.
  const late = s > 1 && d > 1;
  const padded = pad(emit, image, p, x);
  const conv = emit.step(
    image ? 'conv2d' : 'conv1d',
    false,
    {
      filters: int(a, 'out'),
      kernelSize: k,
      strides: late ? 1 : s,
      ...(d > 1 ? { dilationRate: d } : {}),
      useBias: bias,
      kernelInitializer: w.init('weight'),
      ...(bias ? { biasInitializer: w.init('bias') } : {}),
    },
    [padded],
    w.names,
    p > 0 ? 'conv' : undefined,
  );
  return late
    ? emit.step('DartsSubsample', true, { stride: s, zero: false }, [conv], [], 'stride')
    : conv;
}

function depthwiseSteps(node: OpNode, input: TensorShape, emit: StepWriter, x: string): string {
  const a = node.attrs;
  const [k, s, p, d] = windowOf(a);
  const w = emit.weights(input);
  const init = w.init('weight');
  if (input.layout === 'Img' && d === 1) {
    const padded = pad(emit, true, p, x);
    const config = { kernelSize: k, strides: s };
    const more = { useBias: false, depthwiseInitializer: init };
    return emit.step(
      'depthwiseConv2d',
      false,
      { ...config, ...more },
      [padded],
      w.names,
      p > 0 ? 'conv' : undefined,
    );
  }
  const config = { kernelSize: k, stride: s, padding: p, dilation: d, bound: init.bound! };
  return emit.step('DartsDepthwiseConv', true, config, [x], w.names);
}

function batchNorm(
  emit: StepWriter,
  x: string,
  weights: LayerWeight[],
  affine: unknown,
  suffix?: string,
): string {
  // An explicit `affine:` in the spec stays; otherwise the `affine` option decides (default on).
  const flag: ConfigValue = typeof affine === 'boolean' ? affine : { expr: 'affine' };
  const config = { momentum: 0.9, epsilon: 1e-5, center: flag, scale: flag };
  return emit.step('batchNormalization', false, config, [x], weights, suffix);
}

function factorizedReduce(node: OpNode, input: TensorShape, emit: StepWriter, x: string): string {
  const image = input.layout === 'Img';
  const w = emit.weights(input);
  const [path1, path2, ...bn] = w.names as [LayerWeight, LayerWeight, ...LayerWeight[]];
  const half = int(node.attrs, 'out') / 2;
  const relu = emit.step('reLU', false, {}, [x], [], 'relu');
  // The second path reads the input shifted by one (one pixel down and right on an image).
  const shifted = image
    ? emit.step(
        'cropping2D',
        false,
        {
          cropping: [
            [1, 0],
            [1, 0],
          ],
        },
        [relu],
        [],
        'shift',
      )
    : emit.step('DartsSubsample', true, { stride: 1, offset: 1, zero: false }, [relu], [], 'shift');
  const path = (from: string, weight: LayerWeight, init: Expr, suffix: string) =>
    emit.step(
      image ? 'conv2d' : 'conv1d',
      false,
      {
        filters: half,
        kernelSize: 1,
        strides: 2,
        useBias: false,
        kernelInitializer: init,
      },
      [from],
      [weight],
      suffix,
    );
  const a = path(relu, path1, w.init('path1'), 'path1');
  const b = path(shifted, path2, w.init('path2'), 'path2');
  const joined = emit.step('concatenate', false, { axis: -1 }, [a, b], [], 'concat');
  return batchNorm(emit, joined, bn, undefined, 'bn');
}

/** Layer names from IR node names: [A-Za-z0-9_] only, unique. */
class LayerNames {
  readonly #used = new Set<string>();
  of(irName: string): string {
    const base = irName.replace(/[^A-Za-z0-9_]/g, '_');
    let name = base;
    for (let i = 2; this.#used.has(name); i++) name = `${base}_${i}`;
    this.#used.add(name);
    return name;
  }
}
