import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import ts from 'typescript';

import { layerPlan } from '../../src/backends/ts/layerPlan.js';
import { emitModule } from '../../src/backends/ts/emitModule.js';
import { identityPreprocessing, type Preprocessing } from '../../src/intrinsics/preprocessing.js';
import type { IrGraph } from '../../src/ir/graph.js';

/**
 * Emitted modules in a scratch directory under node_modules (so that `@tensorflow/tfjs`
 * resolves as it would in a user's project), type-checked and compiled by `tsc --strict`.
 */
export class EmitDir {
  readonly dir: string;
  readonly #files: string[] = [];

  constructor() {
    const cache = join(import.meta.dirname, '..', '..', 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    this.dir = mkdtempSync(join(cache, 'dartsc-emit-'));
    writeFileSync(join(this.dir, 'package.json'), '{ "type": "module" }\n');
  }

  /** Emits `graph` as `<name>.ts` (by default taking inputs as they are); returns its text. */
  async add(
    name: string,
    graph: IrGraph,
    genotype = 'random',
    preprocessing: Preprocessing = identityPreprocessing(layerPlan(graph).input),
  ): Promise<string> {
    const text = await emitModule(layerPlan(graph), {
      spec: `${name}.darts`,
      genotype,
      genotypeJson: {},
      preprocessing,
    });
    return this.write(name, text);
  }

  /** Writes a module's text (one `emit` or `train` wrote) as `<name>.ts`; returns it. */
  write(name: string, text: string): string {
    const path = join(this.dir, `${name}.ts`);
    writeFileSync(path, text);
    this.#files.push(path);
    return text;
  }

  /** `tsc --strict` over every module: the diagnostics as text (empty when clean), then JS. */
  compile(): string[] {
    const program = ts.createProgram(this.#files, {
      strict: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      outDir: this.dir,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    program.emit();
    return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  /** The compiled module `<name>.js`. */
  async load(name: string): Promise<EmittedModule> {
    return (await import(pathToFileURL(join(this.dir, `${name}.js`)).href)) as EmittedModule;
  }
}

/** What an emitted module exports. */
export interface EmittedModule {
  readonly INPUT_SHAPE: readonly number[];
  readonly NUM_CLASSES: number;
  readonly GENOTYPE: unknown;
  createModel(options?: {
    affine?: boolean;
    dropPath?: number;
    auxiliary?: boolean;
  }): import('@tensorflow/tfjs').LayersModel;
  setDropPath(model: import('@tensorflow/tfjs').LayersModel, rate: number): void;
  readonly PREPROCESSING: import('../../src/intrinsics/preprocessing.js').Preprocessing;
  preprocess(
    samples: import('../../src/intrinsics/preprocessing.js').RawBatch,
  ): import('@tensorflow/tfjs').Tensor;
  predictRaw(
    model: import('@tensorflow/tfjs').LayersModel,
    samples: import('../../src/intrinsics/preprocessing.js').RawBatch,
  ): import('@tensorflow/tfjs').Tensor;
  classify(
    model: import('@tensorflow/tfjs').LayersModel,
    samples: import('../../src/intrinsics/preprocessing.js').RawBatch,
  ): string[];
}
