import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { inCodeSpan } from './helpers/markdown.js';

/**
 * The package as a user gets it: `npm pack` this repository (which builds dist/ through
 * `prepare`), `npm install` the tarball into a scratch ESM project, then import `dartsc` there
 * from plain JavaScript and type-check a TypeScript file against the shipped declarations.
 * The install takes its dependencies from the npm cache (`--prefer-offline`) that `npm ci`
 * filled. The worked example of docs/api.md runs there too.
 *
 * The searches use the default `wasm` backend: on `cpu`, three steps of examples/mnist.darts
 * and the epoch's validation pass take minutes rather than seconds.
 */
const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const mnist = join(root, 'examples', 'mnist.darts');
const apiDoc = readFileSync(join(root, 'docs', 'api.md'), 'utf8');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a user's shell: without what `npm test` exports about this package
 * (`npm_package_*`, `npm_lifecycle_*`, and `npm_config_local_prefix`, which would point npm
 * back at this repository). The npm settings (`npm_config_cache`, ...) stay.
 */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^npm_/i.test(k) || (/^npm_config_/i.test(k) && !/local_prefix$/i.test(k)),
  ),
);

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(command: string, args: readonly string[], cwd: string): Promise<string> {
  const r = await run(command, args, cwd);
  if (r.code !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The first ```js block after the heading `## A worked example` of docs/api.md. */
function workedExample(markdown: string): string {
  const section = markdown.slice(markdown.indexOf('\n## A worked example\n'));
  const block = /\n```js\n([\s\S]*?)\n```\n/.exec(section);
  if (!section.startsWith('\n## A worked example') || !block)
    throw new Error('docs/api.md has no ```js block under "## A worked example"');
  return block[1]! + '\n';
}

/** A search of three steps through the installed package; prints what the test checks. */
const searchScript = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as dartsc from 'dartsc';
import { compile, search, derive, emit, train } from 'dartsc';

const compiled = compile(${JSON.stringify(mnist)});
const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
if (!compiled.value || errors.length > 0) throw new Error('compile: ' + JSON.stringify(errors.map((d) => d.message)));
const program = compiled.value;

const job = search(program, { epochs: 1, steps: 3, backend: 'wasm', out: 'run' });
const events = [];
for await (const e of job) events.push(e.kind === 'start' ? { kind: e.kind, backend: e.backend } : { kind: e.kind });
const result = await job.result;
if (!result.value) throw new Error('search: ' + JSON.stringify(result.diagnostics.map((d) => d.message)));

const alphas = JSON.parse(readFileSync('run/alphas.json', 'utf8'));
const derived = derive(program, alphas).value.genotypeJson;
// The PyTorch program's fixed parts (.py) ship with the package.
await dartsc.exportPytorch(program, { out: 'exported', epochs: 1, steps: 1 });
const exported = readFileSync('exported/program.py', 'utf8');
const require = createRequire(import.meta.url);
let deepImport = 'allowed';
try {
  require.resolve('dartsc/dist/src/api/job.js');
} catch (error) {
  deepImport = error.code;
}
console.log(JSON.stringify({
  functions: [compile, search, derive, emit, train].map((f) => typeof f),
  exports: Object.keys(dartsc).sort(),
  events,
  genotype: result.value.genotypeJson,
  derived,
  manifest: require('dartsc/package.json').name,
  deepImport,
  pytorch: exported.includes('def forward(') && exported.includes('def standalone('),
}));
`;

/** Uses the public types the way a TypeScript consumer would; must check with no errors. */
const typedConsumer = `
import {
  backendNames,
  BackendUnavailable,
  compile,
  DataError,
  derive,
  emit,
  formatDiagnostics,
  inspect,
  loadModel,
  nodeHost,
  OptionError,
  RunDirError,
  search,
  train,
  type BackendName,
  type CompilerHost,
  type Derived,
  type Diagnostic,
  type Emitted,
  type EpochReport,
  type Genotype,
  type Inspection,
  type Job,
  type LoadModelOptions,
  type Preprocessing,
  type PreprocessStep,
  type Program,
  type RawBatch,
  type RawInput,
  type RawSample,
  type Result,
  type SearchEvent,
  type SearchOptions,
  type SearchResult,
  type ServedModel,
  type TrainEvent,
  type TrainResult,
} from 'dartsc';

const host: CompilerHost = nodeHost('.');
const r: Result<Program> = compile('spec.darts', { cwd: '.', host });
const alsoText: Result<Program> = compile({ text: 'import std.ops2d\\n', path: 'x.darts' });
const diagnostics: readonly Diagnostic[] = [...r.diagnostics, ...alsoText.diagnostics];
const shown: string = formatDiagnostics(diagnostics, { format: 'short' });
const backend: BackendName = backendNames[0] ?? 'cpu';

export async function pipeline(program: Program): Promise<number | null> {
  const info: Result<Inspection> = inspect(program, { overrides: { C: 4 } });
  const params: number = info.value?.summary.params ?? 0;
  const options: SearchOptions = { epochs: 1, steps: 3, backend, signal: new AbortController().signal };
  const job: Job<SearchEvent, Result<SearchResult>> = search(program, options);
  for await (const event of job) {
    if (event.kind === 'step') {
      const loss: number = event.loss;
      // @ts-expect-error a step event carries no genotype
      void event.genotype;
      void loss;
    } else if (event.kind === 'epoch') {
      const report: EpochReport = event;
      const accuracy: number | null = report.valid.accuracy;
      void accuracy;
    } else if (event.kind === 'start') {
      const columns: readonly string[] = event.tables[0]?.columns ?? [];
      void columns;
    }
  }
  const found = (await job.result).value;
  const genotype: Genotype | undefined = found?.genotype;
  if (!found?.genotypeJson || !genotype) return null;
  const derived: Result<Derived> = derive(program, {}, { keep: 1 });
  const emitted: Result<Emitted> = await emit(program, { genotype: found.genotypeJson });
  const trained: Job<TrainEvent, Result<TrainResult>> = train(program, { genotype: 'Found' });
  const result = (await trained.result).value;
  result?.model.dispose();
  void [shown, params, derived, emitted];
  return result?.test?.accuracy ?? null;
}

export async function serve(dir: string): Promise<number[]> {
  const options: LoadModelOptions = { backend: 'cpu', cwd: '.' };
  const served: ServedModel = await loadModel(dir, options);
  const pre: Preprocessing = served.preprocessing;
  const input: RawInput = pre.input;
  const step: PreprocessStep | undefined = pre.steps[0];
  const scaled: boolean = step?.kind === 'scale' && typeof step.mean === 'number';
  const row: RawSample = { 'Body Mass (g)': 3750 };
  const batch: RawBatch = input.kind === 'table' ? [row] : new Float32Array(784);
  const logits: number[][] = served.predict(batch);
  served.preprocess(batch).dispose();
  served.dispose();
  void scaled;
  return logits.map((l) => l.indexOf(Math.max(...l)));
}

export function kindOf(error: unknown): string {
  if (error instanceof OptionError || error instanceof DataError) return error.message;
  if (error instanceof RunDirError || error instanceof BackendUnavailable) return error.name;
  return 'other';
}

export function misuse(program: Program): void {
  // @ts-expect-error epochs is a number
  search(program, { epochs: '1' });
  // @ts-expect-error there is no gpu backend
  train(program, { genotype: 'Found', backend: 'gpu' });
  // @ts-expect-error emit needs a genotype
  void emit(program, {});
  // @ts-expect-error not a diagnostic format
  formatDiagnostics([], { format: 'html' });
}
`;

/** A deliberate type error: the check must report it (so that the clean check means something). */
const brokenConsumer = `
import { compile, type Program } from 'dartsc';

export const program: Program = compile('spec.darts');
`;

const tsconfig = (files: string[]) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      types: ['node'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    },
    files,
  });

let work: string;
let project: string;
let tarball: string;
const timings: Record<string, number> = {};

async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await f();
  } finally {
    timings[name] = (Date.now() - started) / 1000;
  }
}

describe('the packed package', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dartsc-package-'));
    const packs = join(work, 'packs');
    project = join(work, 'project');
    mkdirSync(packs);
    mkdirSync(join(project, 'examples'), { recursive: true });
    await timed('npm pack', () => ok('npm', ['pack', '--pack-destination', packs], root));
    const [name, ...more] = readdirSync(packs).filter((f) => /^dartsc-.*\.tgz$/.test(f));
    expect(more).toEqual([]);
    tarball = join(packs, name!);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2),
    );
    // What a TypeScript consumer on Node has; the same major as ours, from the cache.
    const typesNode = `@types/node@${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['@types/node']}`;
    const install = ['install', tarball, typesNode, '--prefer-offline', '--no-audit', '--no-fund'];
    await timed('npm install', () => ok('npm', install, project));
    copyFileSync(mnist, join(project, 'examples', 'mnist.darts'));
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (Object.keys(timings).length) console.log('package test timings (s):', timings);
  });

  it('ships the build, the standard library and what emit and explain read', async () => {
    const listed = await ok('tar', ['-tzf', tarball], work);
    const files = new Set(listed.split('\n').map((f) => f.replace(/^package\//, '')));
    for (const f of [
      'package.json',
      'bin/dartsc.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/bin.js',
      'src/numerics/ops.ts',
      'src/numerics/layers.ts',
      'src/intrinsics/preprocessing.ts',
      ...['stdlib', 'src/diagnostics/explanations'].flatMap((dir) =>
        readdirSync(join(root, dir)).map((f) => `${dir}/${f}`),
      ),
    ])
      expect(files, f).toContain(f);
    // Only the build of src/ (no tests or scripts), and no output left over from a deleted module.
    const built = [...files].filter((f) => f.startsWith('dist/'));
    expect(built.filter((f) => !f.startsWith('dist/src/'))).toEqual([]);
    const stale = built
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.replace(/^dist\//, '').replace(/\.js$/, '.ts'))
      .filter((f) => !existsSync(join(root, f)));
    expect(stale).toEqual([]);
  });

  it(
    'imports from plain JavaScript and runs a three-step search',
    { timeout: 180_000 },
    async () => {
      writeFileSync(join(project, 'search.mjs'), searchScript);
      const out = await timed('search script', () => ok(process.execPath, ['search.mjs'], project));
      const seen = JSON.parse(out.trim().split('\n').at(-1)!);
      expect(seen.functions).toEqual(Array(5).fill('function'));
      // One epoch at the cosine schedule's floor: a warning first (docs/search.md).
      expect(seen.events.map((e: { kind: string }) => e.kind)).toEqual([
        'warning',
        'start',
        'step',
        'step',
        'step',
        'epoch',
      ]);
      expect(seen.events[1].backend).toBe('wasm'); // the .wasm files resolve from the install
      for (const role of ['normal', 'reduce']) {
        expect(seen.genotype[role]).toHaveLength(4);
        for (const [op, input] of seen.genotype[role]) {
          expect(typeof op).toBe('string');
          expect(Number.isInteger(input)).toBe(true);
        }
        expect(seen.genotype[`${role}_concat`]).toEqual([2, 3]);
      }
      expect(seen.derived).toEqual(seen.genotype); // derive from the saved α agrees
      expect(seen.manifest).toBe('dartsc');
      expect(seen.pytorch).toBe(true);
      expect(seen.deepImport).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
      // Every export of the installed package is documented.
      expect(seen.exports.length).toBeGreaterThan(10);
      expect(seen.exports.filter((name: string) => !inCodeSpan(name, apiDoc))).toEqual([]);
    },
  );

  it('type-checks a TypeScript consumer with no errors', { timeout: 120_000 }, async () => {
    writeFileSync(join(project, 'consumer.ts'), typedConsumer);
    writeFileSync(join(project, 'tsconfig.json'), tsconfig(['consumer.ts']));
    const r = await timed('tsc', () => run(tsc, ['-p', 'tsconfig.json'], project));
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('reports a type error in a consumer (the check is not vacuous)', async () => {
    writeFileSync(join(project, 'broken.ts'), brokenConsumer);
    writeFileSync(join(project, 'tsconfig.broken.json'), tsconfig(['broken.ts']));
    const r = await run(tsc, ['-p', 'tsconfig.broken.json'], project);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/^broken\.ts\(4,14\): error TS\d+: Type 'Result<Program>' is /m);
  });

  it('runs the worked example of docs/api.md', { timeout: 180_000 }, async () => {
    writeFileSync(join(project, 'worked-example.mjs'), workedExample(apiDoc));
    const r = await timed('worked example', () =>
      run(process.execPath, ['worked-example.mjs'], project),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^searching Mnist, \d+ weights$/m);
    expect(r.stdout).toMatch(/^genotype Searched \{$/m);
    expect(r.stdout).toMatch(/^test accuracy [\d.]+ on \d+ held-out samples$/m);
    expect(readFileSync(join(project, 'model.ts'), 'utf8')).toContain(
      'export function createModel',
    );
  });
});
