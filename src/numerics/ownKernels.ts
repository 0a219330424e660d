import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from '../util/packageRoot.js';
import type { Window } from './ops.js';
import { tf } from './tf.js';

/**
 * dartsc's own WebAssembly SIMD kernels (native/kernels.c, built into native/kernels.wasm),
 * registered with TensorFlow.js for the `wasm` backend under `Darts*` names. They import
 * tfjs-backend-wasm's memory and read and write tensors where tfjs keeps them: no copies.
 * They implement the composite definitions of ops.ts, which stay the definition (and what
 * `cpu`, `tensorflow` and emitted models run); fastOps.ts wraps them with gradients.
 *
 * Safety: the module must not own anything in tfjs's memory. `kernelModuleProblem` checks
 * the binary before it is instantiated: its only import is the memory, it has no data
 * segments, and its only global (the linker's `__stack_pointer`, unused by the code, which
 * the build script checks) starts at 0, so even a stray use of a shadow stack would trap at
 * address 2^32 − 16 instead of writing into tfjs's heap. Memory may grow between calls:
 * offsets are read per call and the kernels take no typed-array views at all.
 */

/** The WebAssembly API of Node, as far as used here (the compiler's libs do not declare it). */
interface WasmApi {
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): { module: string; name: string; kind: string }[];
  };
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
type WasmModule = { readonly wasmModule: unique symbol };
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** tfjs-backend-wasm's `BackendWasm`, as far as these kernels use it. */
interface WasmBackend {
  readonly wasm: { readonly asm: { readonly memory: object } };
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

interface TensorInfo {
  readonly dataId: object;
  readonly shape: number[];
}

type KernelArgs = {
  inputs: Record<string, TensorInfo | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
};

type Fn = (...args: number[]) => void;
/** The exports of native/kernels.wasm. */
interface KernelExports {
  readonly conv_forward: Fn;
  readonly conv_backward: Fn;
  readonly mm_backward: Fn;
  readonly dw_forward: Fn;
  readonly dw_backward: Fn;
  readonly maxpool_forward: Fn;
  readonly maxpool_backward: Fn;
  readonly avgpool_forward: Fn;
  readonly avgpool_backward: Fn;
  readonly bn_moments: Fn;
  readonly bn_forward: Fn;
  readonly bn_backward: Fn;
}

/** Why the bytes of a kernel module are unsafe to run in tfjs's memory, or undefined. */
export function kernelModuleProblem(bytes: Uint8Array): string | undefined {
  const module = new wasmApi.Module(bytes);
  const imports = wasmApi.Module.imports(module);
  if (imports.length !== 1 || imports[0]!.kind !== 'memory') {
    return 'it must import exactly one thing, the memory';
  }
  let p = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[p++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = leb();
    const body = bytes.subarray(p, p + size);
    if (id === 11 || id === 12) return 'it has a data section';
    if (id === 5) return 'it defines a memory of its own';
    // Each global: i32, mutable, initialised by `i32.const 0; end` (bytes 7f 01 41 00 0b).
    const zeroGlobals = (n: number) =>
      body.length === 1 + 5 * n &&
      Array.from({ length: n }).every((_, i) =>
        [0x7f, 1, 0x41, 0, 0x0b].every((b, k) => body[1 + 5 * i + k] === b),
      );
    if (id === 6 && !zeroGlobals(body[0]!)) return 'its globals are not all i32 starting at 0';
    p += size;
  }
  return undefined;
}

/** The path of the committed binary in the package. */
export const kernelModulePath = (): string => join(packageRoot(), 'native', 'kernels.wasm');

let compiled: WasmModule | undefined;
const instances = new WeakMap<object, KernelExports>();

function compile(): WasmModule {
  if (!compiled) {
    const bytes = readFileSync(kernelModulePath());
    const problem = kernelModuleProblem(bytes);
    if (problem) throw new Error(`native/kernels.wasm is unsafe to load: ${problem}`);
    compiled = new wasmApi.Module(bytes);
  }
  return compiled;
}

/** The module instantiated on a backend's memory (once per backend object). */
function exportsFor(backend: WasmBackend): KernelExports {
  let found = instances.get(backend);
  if (!found) {
    const memory = backend.wasm.asm.memory;
    const instance = new wasmApi.Instance(compile(), { env: { memory } });
    found = instance.exports as unknown as KernelExports;
    instances.set(backend, found);
  }
  return found;
}

/** Calls a kernel export with each tensor's current offset in the heap (0 for none). */
function call(
  backend: WasmBackend,
  name: keyof KernelExports,
  tensors: (TensorInfo | undefined)[],
  ints: number[],
): void {
  const offsets = tensors.map((t) => (t ? backend.dataIdMap.get(t.dataId)!.memoryOffset : 0));
  exportsFor(backend)[name](...offsets, ...ints);
}

/** B, H, W, C, Ho, Wo and the window of a windowed kernel on x (the order kernels.c takes). */
function geometry(x: TensorInfo, win: Window): { ints: number[]; out: number[] } {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const ho = Math.floor((h + 2 * win.ph - (win.kh - 1) * win.dh - 1) / win.sh) + 1;
  const wo = Math.floor((w + 2 * win.pw - (win.kw - 1) * win.dw - 1) / win.sw) + 1;
  const { kh, kw, sh, sw, ph, pw, dh, dw } = win;
  return { ints: [b, h, w, c, ho, wo, kh, kw, sh, sw, ph, pw, dh, dw], out: [b, ho, wo, c] };
}

type Body = (
  backend: WasmBackend,
  inputs: KernelArgs['inputs'],
  attrs: Record<string, unknown>,
) => TensorInfo | TensorInfo[];

const windowed: Record<string, Body> = {
  DartsConv: (be, { x, filter }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const co = filter!.shape[3]!;
    const y = be.makeOutput([...g.out.slice(0, 3), co], 'float32');
    call(be, 'conv_forward', [x, filter, y], [co, ...g.ints]);
    return y;
  },
  DartsConvGrad: (be, { x, filter, dy }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const dx = be.makeOutput(x!.shape, 'float32');
    const df = be.makeOutput(filter!.shape, 'float32');
    call(be, 'conv_backward', [x, filter, dy, dx, df], [filter!.shape[3]!, ...g.ints]);
    return [dx, df];
  },
  DartsDepthwiseConv: (be, { x, filter }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const y = be.makeOutput(g.out, 'float32');
    call(be, 'dw_forward', [x, filter, y], g.ints);
    return y;
  },
  DartsDepthwiseConvGrad: (be, { x, filter, dy }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const dx = be.makeOutput(x!.shape, 'float32');
    const df = be.makeOutput(filter!.shape, 'float32');
    call(be, 'dw_backward', [x, filter, dy, dx, df], g.ints);
    return [dx, df];
  },
  DartsMaxPool: (be, { x }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const y = be.makeOutput(g.out, 'float32');
    call(be, 'maxpool_forward', [x, y], g.ints);
    return y;
  },
  DartsMaxPoolGrad: (be, { x, dy }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const dx = be.makeOutput(x!.shape, 'float32');
    call(be, 'maxpool_backward', [x, dy, dx], g.ints);
    return dx;
  },
  DartsAvgPool: (be, { x }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const y = be.makeOutput(g.out, 'float32');
    call(be, 'avgpool_forward', [x, y], [a.countIncludePad ? 1 : 0, ...g.ints]);
    return y;
  },
  DartsAvgPoolGrad: (be, { x, dy }, a) => {
    const g = geometry(x!, a as unknown as Window);
    const dx = be.makeOutput(x!.shape, 'float32');
    call(be, 'avgpool_backward', [dy, dx], [a.countIncludePad ? 1 : 0, ...g.ints]);
    return dx;
  },
};

/** Rows and channels of x viewed as [M, C] (batch norm). */
const rows = (x: TensorInfo) => {
  const c = x.shape[x.shape.length - 1]!;
  return [x.shape.reduce((a, b) => a * b, 1) / c, c];
};

const matmul: Record<string, Body> = {
  DartsMatMulGrad: (be, { x, w, dy }) => {
    const dx = be.makeOutput(x!.shape, 'float32');
    const dw = be.makeOutput(w!.shape, 'float32');
    call(be, 'mm_backward', [x, w, dy, dx, dw], [x!.shape[0]!, ...w!.shape]);
    return [dx, dw];
  },
};

const batchNorm: Record<string, Body> = {
  DartsBatchNormMoments: (be, { x }) => {
    const [mean, variance] = [0, 1].map(() => be.makeOutput([rows(x!)[1]!], 'float32'));
    call(be, 'bn_moments', [x, mean, variance], rows(x!));
    return [mean!, variance!];
  },
  DartsBatchNorm: (be, { x, mean, variance, gamma, beta }, a) => {
    const y = be.makeOutput(x!.shape, 'float32');
    const ints = [...rows(x!), gamma ? 1 : 0, a.epsilon as number];
    call(be, 'bn_forward', [x, mean, variance, gamma, beta, y], ints);
    return y;
  },
  DartsBatchNormGrad: (be, { x, mean, variance, gamma, dy }, a) => {
    const dx = be.makeOutput(x!.shape, 'float32');
    const [dg, db] = gamma ? [0, 1].map(() => be.makeOutput(gamma.shape, 'float32')) : [];
    const ints = [...rows(x!), gamma ? 1 : 0, a.epsilon as number];
    call(be, 'bn_backward', [x, mean, variance, gamma, dy, dx, dg, db], ints);
    return gamma ? [dx, dg!, db!] : [dx];
  },
};

let registered: boolean | undefined;

/**
 * Registers the kernels with tfjs for `wasm` (once), and says whether they can be used:
 * false if the binary is missing or unsafe (then the composite definitions run).
 */
export function registerOwnKernels(): boolean {
  if (registered !== undefined) return registered;
  try {
    compile();
  } catch {
    return (registered = false);
  }
  for (const [kernelName, body] of Object.entries({ ...windowed, ...matmul, ...batchNorm })) {
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: (({ inputs, backend, attrs }: KernelArgs) =>
        body(backend as WasmBackend, inputs, attrs ?? {})) as unknown as tf.KernelFunc,
    });
  }
  return (registered = true);
}
