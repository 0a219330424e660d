import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { fastOps } from '../../src/numerics/fastOps.js';
import { windowOf } from '../../src/numerics/ops.js';
import { kernelModulePath, kernelModuleProblem } from '../../src/numerics/ownKernels.js';
import { selectBackend, tf } from '../../src/numerics/tf.js';

/**
 * native/kernels.wasm: the committed binary is the build of native/kernels.c (rebuilt and
 * compared byte for byte where clang 14 and lld are installed, as in CI), it passes the
 * safety check run before it is loaded into tfjs's memory (and modules that would own memory
 * there fail it), and the kernels stay right when tfjs grows its memory between calls.
 */
const root = join(import.meta.dirname, '..', '..');
const hasClang = spawnSync('clang', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasClang)
  console.warn('skipping the rebuild of native/kernels.wasm: no clang (apt-get install clang lld)');

/** A module importing env.memory, followed by the given sections (id, body bytes). */
function moduleWith(...sections: [number, number[]][]): Uint8Array {
  const memoryImport = [1, 3, ...Buffer.from('env'), 6, ...Buffer.from('memory'), 2, 0, 1];
  const all: [number, number[]][] = [[2, memoryImport], ...sections];
  const bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  for (const [id, body] of all) bytes.push(id, body.length, ...body);
  return Uint8Array.from(bytes);
}

describe('numerics/ownKernels: the kernel module', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it.skipIf(!hasClang)('native/kernels.wasm is the build of native/kernels.c', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dartsc-kernels-')), 'kernels.wasm');
    const build = spawnSync('bash', [join(root, 'scripts', 'buildKernels.sh'), out], {
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(kernelModulePath()))).toBe(true);
  });

  it('the committed binary imports only the memory, has no data and no stack of its own', () => {
    expect(kernelModuleProblem(readFileSync(kernelModulePath()))).toBeUndefined();
  });

  it('rejects modules that would own memory in tfjs heap', () => {
    expect(kernelModuleProblem(moduleWith())).toBeUndefined();
    // A data segment writing 42 at address 0.
    const data = moduleWith([11, [1, 0, 0x41, 0, 0x0b, 1, 42]]);
    expect(kernelModuleProblem(data)).toMatch(/data section/);
    // A stack pointer starting at 1024, where a shadow stack would write into tfjs's heap.
    const stack = moduleWith([6, [1, 0x7f, 1, 0x41, 0x80, 0x08, 0x0b]]);
    expect(kernelModuleProblem(stack)).toMatch(/globals/);
    expect(kernelModuleProblem(moduleWith([6, [1, 0x7f, 1, 0x41, 0, 0x0b]]))).toBeUndefined();
  });

  it('gives the same results after tfjs grows its memory between calls', async () => {
    await selectBackend('wasm');
    const fast = fastOps()!;
    const win = windowOf(true, 3, 2, 1);
    const run = () =>
      tf.tidy(() => {
        const x = tf.linspace(-1, 1, 2 * 9 * 7 * 5).reshape([2, 9, 7, 5]);
        const f = tf.linspace(-0.5, 0.5, 45).reshape([3, 3, 5, 1]);
        const dense = tf.linspace(-0.3, 0.3, 225).reshape([3, 3, 5, 5]);
        const w = tf.linspace(-1, 1, 15).reshape([5, 3]);
        const loss = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor, v: tf.Tensor) => {
          const y = fast.maxPool(fast.depthwiseConv(fast.denseConv(a, d, win), b, win), win);
          return tf.sum(tf.square(fast.matmulLast(y, v)));
        };
        return tf
          .grads(loss)([x, f, dense, w])
          .map((g) => Array.from(g.dataSync()));
      });
    const before = run();
    // 256 MB more than the heap held: tfjs grows the memory (its buffer is replaced).
    const big = tf.zeros([64 * 1024 * 1024]);
    const after = run();
    big.dispose();
    expect(after).toEqual(before);
  });
});
