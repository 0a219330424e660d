import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { genotypeJson } from '../ir/genotype.js';
import { genotypeLiteral } from '../elaborate/genotypes.js';
import { restoreSnapshot, snapshotMismatch, takeSnapshot, type TrainState } from './snapshot.js';
import type { EpochReport } from './search.js';
import { rawAlphas } from './search.js';
import { headline } from '../util/metricsText.js';

/** What a checkpoint holds: the network and its optimizers (a retrain has no Adam), and the next epoch. */
export interface CheckpointState extends TrainState {
  readonly startEpoch: number;
}

/**
 * The run directory: the resolved configuration, one metrics line per epoch, the latest
 * genotype (JSON and a `.darts` literal) and α, and a checkpoint per epoch. A run never
 * writes into an existing directory unless it resumes it.
 */
export class RunDir {
  private constructor(readonly path: string) {}

  /** Creates a new run directory; refuses one that exists (nothing the user has is overwritten). */
  static create(path: string, config: Record<string, unknown>): RunDir {
    if (existsSync(path))
      throw new RunDirError(
        `\`${path}\` already exists: choose another --out, or resume it with --resume ${path}`,
      );
    mkdirSync(join(path, 'checkpoints'), { recursive: true });
    // Spans point into the spec's source: not configuration, and not saved.
    const plain = JSON.stringify(config, (key, value) => (key === 'spans' ? undefined : value), 2);
    writeFileSync(join(path, 'config.json'), plain + '\n');
    return new RunDir(path);
  }

  /** Opens a run directory to resume it. */
  static open(path: string): RunDir {
    if (!existsSync(join(path, 'config.json')))
      throw new RunDirError(`\`${path}\` is not a dartsc run directory (no config.json)`);
    return new RunDir(path);
  }

  /** The configuration the run was started with. */
  config(): unknown {
    return JSON.parse(readFileSync(join(this.path, 'config.json'), 'utf8'));
  }

  /** Writes an epoch's metrics, genotype and α, and its checkpoint. */
  writeEpoch(report: EpochReport, state: CheckpointState, spec: string): void {
    const { genotype, alphas, ...metrics } = report;
    this.appendMetrics({ ...metrics, genotype: genotypeJson(genotype), alphas });
    writeFileSync(
      join(this.path, 'genotype.json'),
      JSON.stringify(genotypeJson(genotype), null, 2) + '\n',
    );
    writeFileSync(
      join(this.path, 'genotype.darts'),
      genotypeLiteral(genotype, runComment(spec, report)),
    );
    writeFileSync(
      join(this.path, 'alphas.json'),
      JSON.stringify(rawAlphas(state.net), null, 2) + '\n',
    );
    this.checkpoint(report.epoch, state);
  }

  /** Writes the checkpoint of `epoch` (0-based); with `keepOne`, removes the earlier ones. */
  checkpoint(epoch: number, state: CheckpointState, keepOne = false): void {
    const earlier = keepOne ? this.#checkpoints() : [];
    saveCheckpoint(
      join(this.path, 'checkpoints', `epoch-${String(epoch).padStart(3, '0')}`),
      state,
    );
    for (const stem of earlier)
      for (const ext of ['.json', '.bin']) rmSync(stem + ext, { force: true });
  }

  /** Appends one line to `metrics.jsonl`. */
  appendMetrics(line: unknown): void {
    appendFileSync(join(this.path, 'metrics.jsonl'), JSON.stringify(line) + '\n');
  }

  /** The newest checkpoint's path stem, if any. */
  latestCheckpoint(): string | undefined {
    return this.#checkpoints().pop();
  }

  /** Checkpoint path stems, oldest first. */
  #checkpoints(): string[] {
    return readdirSync(join(this.path, 'checkpoints'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(this.path, 'checkpoints', f.replace(/\.json$/, '')));
  }
}

/** A problem with the run directory, reported as one line (exit 2). */
export class RunDirError extends Error {
  override name = 'RunDirError';
}

/** The comment heading a searched genotype. */
export function runComment(spec: string, report: Pick<EpochReport, 'epoch' | 'valid'>): string {
  return `Derived by dartsc run from ${spec} after epoch ${report.epoch + 1} (supernet valid ${headline(report.valid, 2)}).`;
}

interface Manifest {
  readonly epoch: number;
  readonly adamSteps: number;
  readonly tensors: { readonly name: string; readonly shape: number[]; readonly offset: number }[];
}

/** Saves weights, running statistics, α and both optimizers' state, after `state.startEpoch - 1`. */
function saveCheckpoint(stem: string, state: CheckpointState): void {
  const snapshot = takeSnapshot(state);
  const tensors: Manifest['tensors'] = [];
  let offset = 0;
  for (const { name, shape, data } of snapshot.tensors) {
    tensors.push({ name, shape: [...shape], offset });
    offset += data.length;
  }
  const all = new Float32Array(offset);
  snapshot.tensors.forEach((t, i) => all.set(t.data, tensors[i]!.offset));
  writeFileSync(`${stem}.bin`, Buffer.from(all.buffer));
  const manifest: Manifest = {
    epoch: state.startEpoch - 1,
    adamSteps: snapshot.adamSteps,
    tensors,
  };
  writeFileSync(`${stem}.json`, JSON.stringify(manifest) + '\n');
}

/**
 * Restores a checkpoint into a fresh state built from the same graph; returns the next epoch.
 * Tensors are matched by name and shape, so a checkpoint of another network (an edited spec)
 * is refused with the first tensor that differs, before anything is assigned.
 */
export function loadCheckpoint(stem: string, state: CheckpointState): number {
  const manifest = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as Manifest;
  const bytes = readFileSync(`${stem}.bin`);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const problem = snapshotMismatch(state, new Map(manifest.tensors.map((t) => [t.name, t.shape])));
  if (problem)
    throw new RunDirError(`checkpoint ${stem} ${problem}: it belongs to another network`);
  const tensors = manifest.tensors.map(({ name, shape, offset }) => ({
    name,
    shape,
    data: all.slice(offset, offset + shape.reduce((a, b) => a * b, 1)),
  }));
  restoreSnapshot(state, { tensors, adamSteps: manifest.adamSteps });
  return manifest.epoch + 1;
}
