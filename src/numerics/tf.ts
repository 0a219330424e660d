import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * The only module that imports TensorFlow.js. It selects the backend: `wasm` (SIMD) by
 * default, `cpu` as the exact reference, `tensorflow` (tfjs-node-gpu, else tfjs-node) only
 * when asked for, loaded dynamically so that it is never a dependency.
 */
export { tf };
export type Tensor = tf.Tensor;
export type Variable = tf.Variable;

/** The backends dartsc can run on. */
export type BackendName = 'wasm' | 'cpu' | 'tensorflow';
export const backendNames: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow'];

/** Raised when a requested backend cannot be loaded; the CLI turns it into one line, exit 2. */
export class BackendUnavailable extends Error {
  override name = 'BackendUnavailable';
}

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

// tfjs warns through console (the cpu backend's banner recommending tfjs-node, for one):
// PROD silences it. (IS_TEST would too, but also flags every custom gradient as a leak.)
tf.env().set('PROD', true);

/**
 * Makes `name` the active backend. A `wasm` that fails to start falls back to `cpu` with a
 * warning; a missing `tensorflow` package is a `BackendUnavailable` error.
 */
export async function selectBackend(
  name: BackendName,
  warn: (message: string) => void = () => {},
): Promise<BackendName> {
  if (name === 'tensorflow') return selectTensorflow();
  if (name === 'wasm') {
    try {
      if (!wasmPathsSet) {
        // The .wasm files ship inside the installed package: no network.
        setWasmPaths(
          dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) +
            '/',
        );
        wasmPathsSet = true;
      }
      if (!(await tf.setBackend('wasm'))) throw new Error('setBackend returned false');
      await tf.ready();
      shareIdentity();
      return 'wasm';
    } catch (error) {
      warn(`warning: the wasm backend did not start (${(error as Error).message}); using cpu`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

let identityShared = false;

/**
 * tfjs-wasm's `Identity` copies its input, and autodiff runs it on every tensor a gradient
 * saves (thousands per search step: time, and a second copy of every saved activation).
 * Tensors are immutable, so the output can share the input's data, as the cpu backend's
 * Identity and wasm's own Reshape do.
 */
function shareIdentity(): void {
  if (identityShared) return;
  identityShared = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/**
 * The size of the wasm backend's heap in bytes (undefined on other backends). The heap only
 * grows, so after a step it bounds that step's peak from above (by the allocator's slack).
 */
export function wasmHeapBytes(): number | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength;
}

async function selectTensorflow(): Promise<BackendName> {
  const errors: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      if (await tf.setBackend('tensorflow')) {
        await tf.ready();
        return 'tensorflow';
      }
      errors.push(`${pkg} loaded but did not register the tensorflow backend`);
    } catch (error) {
      errors.push(`${pkg}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new BackendUnavailable(
    'the tensorflow backend needs @tensorflow/tfjs-node@4.22.0 (or -gpu with CUDA): run `npm install --no-save @tensorflow/tfjs-node@4.22.0` on a machine with network access, or use --backend wasm',
  );
}
