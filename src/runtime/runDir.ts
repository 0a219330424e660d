import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

import { genotypeLiteral } from '../elaborate/genotypes.js';
import { alphasText, namedAlphas } from '../ir/alphasFile.js';
import { genotypeJson } from '../ir/genotype.js';
import { restoreSnapshot, snapshotMismatch, takeSnapshot, type TrainState } from './snapshot.js';
import type { EpochReport, PartialEpoch } from './search.js';
import { rawAlphas } from './searchModel.js';
import { appendLineDurable, wholeLines, writeFileDurable } from '../util/durableFile.js';
import { headline } from '../util/metricsText.js';

/**
 * What a checkpoint holds: the network and its optimizers (a retrain has no Adam), the next
 * epoch, and for an interrupted search where in that epoch it stopped.
 */
export interface CheckpointState extends TrainState {
  readonly startEpoch: number;
  readonly partial?: PartialEpoch;
}

/** Where a resumed run goes on: the epoch, and the step within it after an interrupt. */
export interface Resumed {
  readonly startEpoch: number;
  readonly partial?: PartialEpoch;
}

/**
 * The run directory: the resolved configuration, one metrics line per epoch, the latest
 * genotype (JSON and a `.darts` literal) and α, and a checkpoint per epoch. A run never
 * writes into an existing directory unless it resumes it.
 */
export class RunDir {
  private constructor(readonly path: string) {}

  /**
   * Creates a new run directory; refuses one that holds anything (nothing the user has is
   * overwritten). A directory left empty by a run killed before it wrote its configuration
   * holds nothing, and is taken.
   */
  static create(
    path: string,
    config: Record<string, unknown>,
    spec?: { readonly path: string; readonly text: string },
  ): RunDir {
    if (existsSync(path) && !leftEmpty(path))
      throw new RunDirError(
        `\`${path}\` already exists: choose another --out, or resume it with --resume ${path}`,
      );
    mkdirSync(join(path, 'checkpoints'), { recursive: true });
    const saved = spec ? { ...config, specPath: spec.path } : config;
    // Spans point into the spec's source: not configuration, and not saved.
    const plain = JSON.stringify(saved, (key, value) => (key === 'spans' ? undefined : value), 2);
    // A directory with a config.json is a run that started; before it, one holds nothing.
    writeFileDurable(join(path, 'config.json'), plain + '\n');
    // The spec as it was: `--resume` notices when it changed (a run killed before this
    // line has no copy, and resumes unchecked, as runs of older versions do).
    if (spec) writeFileDurable(join(path, specCopy), spec.text);
    return new RunDir(path);
  }

  /** Opens a run directory to resume it; its configuration must be whole. */
  static open(path: string): RunDir {
    const file = join(path, 'config.json');
    if (!existsSync(path)) throw new RunDirError(`\`${path}\` does not exist: nothing to resume`);
    if (!existsSync(file))
      throw new RunDirError(
        `\`${path}\` is not a dartsc run directory (no config.json): if a run was killed before it started, start it again with --out ${path}`,
      );
    const dir = new RunDir(path);
    try {
      dir.#config = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      throw new RunDirError(
        `\`${file}\` is damaged (${(error as Error).message}): a run cannot resume without it; start a new run with another --out`,
      );
    }
    if (typeof dir.#config !== 'object' || dir.#config === null)
      throw new RunDirError(
        `\`${file}\` is damaged (not a JSON object): start a new run with another --out`,
      );
    return dir;
  }

  #config: unknown;

  /** The configuration the run was started with. */
  config(): unknown {
    this.#config ??= JSON.parse(readFileSync(join(this.path, 'config.json'), 'utf8')) as unknown;
    return this.#config;
  }

  /** The spec's path the run started from (older run directories did not keep it). */
  specPath(): string | undefined {
    const saved = (this.config() as { specPath?: unknown }).specPath;
    return typeof saved === 'string' ? saved : undefined;
  }

  /**
   * Refuses to resume from a spec whose text differs from the one the run started from (its
   * copy in the run directory), naming that spec: the checkpoints belong to its network.
   */
  checkSpec(path: string, text: string): void {
    const copy = join(this.path, specCopy);
    if (!existsSync(copy) || readFileSync(copy, 'utf8') === text) return;
    const started = this.specPath() ?? copy;
    throw new RunDirError(
      started === path
        ? `\`${path}\` changed since the run in \`${this.path}\` started (its copy is ${copy}): restore it to resume, or start a new run with --out`
        : `the run in \`${this.path}\` was started from \`${started}\`, not \`${path}\`: resume it with that spec (or with --resume alone), or start a new run with --out`,
    );
  }

  /**
   * The backend to resume on: the one the run started on unless `asked` names another, which
   * is taken with a warning (the results will then differ from an unbroken run's).
   */
  backend<B extends string>(asked: B | undefined, warn: (message: string) => void): B | undefined {
    const saved = (this.config() as { backend?: B }).backend;
    if (asked !== undefined && saved !== undefined && asked !== saved)
      warn(
        `warning: resuming on ${asked}, but the run started on ${saved}: its results will differ from an uninterrupted run's`,
      );
    return asked ?? saved;
  }

  /** Writes an epoch's metrics, genotype and α, and its checkpoint. */
  writeEpoch(report: EpochReport, state: CheckpointState, spec: string): void {
    const { genotype, alphas, ...metrics } = report;
    // The checkpoint last: it is what makes the epoch done. A kill before it leaves an epoch
    // that the resumed run redoes, after truncating its metrics line (`resumeAt`).
    this.appendMetrics({ ...metrics, genotype: genotypeJson(genotype), alphas });
    writeFileDurable(
      join(this.path, 'genotype.json'),
      JSON.stringify(genotypeJson(genotype), null, 2) + '\n',
    );
    writeFileDurable(
      join(this.path, 'genotype.darts'),
      genotypeLiteral(genotype, runComment(spec, report)),
    );
    const named = namedAlphas(state.net.graph.tables, rawAlphas(state.net));
    writeFileDurable(join(this.path, 'alphas.json'), alphasText(named));
    this.checkpoint(report.epoch, state);
  }

  /**
   * Writes the checkpoint of `epoch` (0-based); with `keepTwo`, removes all but it and the one
   * before (the fallback if it is found damaged).
   */
  checkpoint(epoch: number, state: CheckpointState, keepTwo = false): void {
    const earlier = keepTwo ? this.#checkpoints().slice(0, -1) : [];
    saveCheckpoint(
      join(this.path, 'checkpoints', `epoch-${String(epoch).padStart(3, '0')}`),
      state,
    );
    // An interrupt's checkpoint within this epoch is superseded (the manifest goes first).
    for (const ext of ['.json', '.bin'])
      rmSync(join(this.path, 'checkpoints', partialName + ext), { force: true });
    for (const stem of earlier)
      for (const ext of ['.json', '.bin']) rmSync(stem + ext, { force: true });
  }

  /** Appends one line to `metrics.jsonl`. */
  appendMetrics(line: unknown): void {
    appendLineDurable(join(this.path, 'metrics.jsonl'), JSON.stringify(line));
  }

  /**
   * Restores the newest valid checkpoint into `state` and returns where to go on (epoch 0
   * without one): an interrupt's checkpoint (`partial`) when it is newer than the last
   * epoch's. A damaged checkpoint (cut short, a wrong checksum, a non-finite value) is passed
   * over with a warning for the one before; one of another network is an error.
   * `metrics.jsonl` is then cut back to the epochs before that one, so none is written twice.
   */
  resume(state: CheckpointState, warn: (message: string) => void): Resumed {
    const epochs = this.#checkpoints().reverse();
    const partial = join(this.path, 'checkpoints', partialName);
    const stems = existsSync(partial + '.json') ? [partial, ...epochs] : epochs;
    const damaged: string[] = [];
    let resumed: Resumed = { startEpoch: 0 };
    for (const stem of stems) {
      try {
        resumed = loadCheckpoint(stem, state);
        break;
      } catch (error) {
        if (!(error instanceof CheckpointDamaged)) throw error;
        damaged.push(`${basename(stem)} (${error.message})`);
      }
    }
    const { startEpoch, partial: step } = resumed;
    if (damaged.length)
      warn(
        `warning: damaged checkpoint${damaged.length > 1 ? 's' : ''} ${damaged.join(', ')} in ${this.path}: ` +
          (step
            ? `resuming in epoch ${startEpoch + 1} after step ${step.step}`
            : startEpoch
              ? `resuming after epoch ${startEpoch}`
              : 'starting from the first epoch'),
      );
    this.resumeAt(startEpoch);
    return resumed;
  }

  /**
   * Saves where an interrupted search stopped within an epoch (`checkpoints/partial`),
   * replaced by the next interrupt's and removed when that epoch's checkpoint is written.
   */
  interrupted(state: CheckpointState): void {
    saveCheckpoint(join(this.path, 'checkpoints', partialName), state);
  }

  /** Keeps the whole, readable lines of `metrics.jsonl` of the epochs before `epoch`. */
  resumeAt(epoch: number): void {
    const file = join(this.path, 'metrics.jsonl');
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    const kept = wholeLines(file).filter((line) => epochOf(line) < epoch);
    const next = kept.map((line) => line + '\n').join('');
    if (next !== text) writeFileDurable(file, next);
  }

  /** Checkpoint path stems, oldest first. */
  #checkpoints(): string[] {
    const dir = join(this.path, 'checkpoints');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => /^epoch-\d+\.json$/.test(f))
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

/** The epoch of a metrics line; Infinity for a line that is not one (it is dropped). */
function epochOf(line: string): number {
  try {
    const epoch = (JSON.parse(line) as { epoch?: unknown }).epoch;
    return typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0 ? epoch : Infinity;
  } catch {
    return Infinity;
  }
}

/** Whether a directory holds nothing but what a run killed before its config.json leaves. */
function leftEmpty(path: string): boolean {
  if (!statSync(path).isDirectory()) return false;
  const entries = readdirSync(path).filter((f) => !f.endsWith('.tmp'));
  if (entries.length === 0) return true;
  return (
    entries.length === 1 &&
    entries[0] === 'checkpoints' &&
    statSync(join(path, 'checkpoints')).isDirectory() &&
    readdirSync(join(path, 'checkpoints')).length === 0
  );
}

/** The checkpoint an interrupt writes within an epoch. */
const partialName = 'partial';

/** The copy of the entry spec in a run directory. */
const specCopy = 'spec.darts';

/** The checkpoint format: 1 added `format`, `bytes` and `sha256`; older ones have none. */
const checkpointFormat = 1;

interface Manifest {
  readonly format?: number;
  /** The epoch done (0-based); for an interrupt's checkpoint, the epoch it stopped in. */
  readonly epoch: number;
  /** An interrupt's checkpoint: the steps done in `epoch` and their train sums. */
  readonly partial?: PartialEpoch;
  readonly adamSteps: number;
  readonly bytes?: number;
  readonly sha256?: string;
  readonly tensors: { readonly name: string; readonly shape: number[]; readonly offset: number }[];
}

/** A checkpoint that cannot be trusted: cut short, altered, or not a checkpoint at all. */
class CheckpointDamaged extends Error {}

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
  const bytes = new Uint8Array(all.buffer);
  // The weights first, then the manifest that vouches for them: a kill between the two
  // leaves no manifest, so no checkpoint.
  writeFileDurable(`${stem}.bin`, bytes);
  const manifest: Manifest = {
    format: checkpointFormat,
    ...(state.partial
      ? { epoch: state.startEpoch, partial: state.partial }
      : { epoch: state.startEpoch - 1 }),
    adamSteps: snapshot.adamSteps,
    bytes: bytes.byteLength,
    sha256: sha256(bytes),
    tensors,
  };
  writeFileDurable(`${stem}.json`, JSON.stringify(manifest) + '\n');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reads and verifies a checkpoint's manifest and weights; throws `CheckpointDamaged`. */
function readCheckpoint(stem: string): { manifest: Manifest; all: Float32Array } {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as Manifest;
  } catch (error) {
    throw new CheckpointDamaged(`unreadable manifest: ${(error as Error).message}`);
  }
  const problem = manifestProblem(manifest, basename(stem));
  if (problem) throw new CheckpointDamaged(problem);
  if (!existsSync(`${stem}.bin`)) throw new CheckpointDamaged('its .bin file is missing');
  const bytes = readFileSync(`${stem}.bin`);
  if (manifest.bytes !== undefined && bytes.byteLength !== manifest.bytes)
    throw new CheckpointDamaged(`${bytes.byteLength} bytes of weights, expected ${manifest.bytes}`);
  if (manifest.sha256 !== undefined && sha256(bytes) !== manifest.sha256)
    throw new CheckpointDamaged('the weights do not match their checksum');
  if (bytes.byteLength % 4) throw new CheckpointDamaged('the weights file is cut short');
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  for (const { name, shape, offset } of manifest.tensors)
    if (offset + shape.reduce((a, b) => a * b, 1) > all.length)
      throw new CheckpointDamaged(`tensor ${name} runs past the end of the weights`);
  if (!all.every(Number.isFinite)) throw new CheckpointDamaged('a weight is not finite');
  return { manifest, all };
}

const isCount = (x: unknown): x is number =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** What is wrong with a manifest's fields, or undefined. */
function manifestProblem(m: Manifest, name: string): string | undefined {
  if (typeof m !== 'object' || m === null) return 'the manifest is not an object';
  if (m.format !== undefined && m.format !== checkpointFormat)
    return `format ${String(m.format)}, this dartsc reads ${checkpointFormat}`;
  const expected = name === partialName ? name : `epoch-${String(m.epoch).padStart(3, '0')}`;
  if (!isCount(m.epoch) || expected !== name)
    return `its epoch ${JSON.stringify(m.epoch)} does not match its name`;
  if (name === partialName) {
    const p = m.partial;
    if (typeof p !== 'object' || p === null || !isCount(p.step) || !isCount(p.seen))
      return 'no step of the interrupted epoch';
    if (!Number.isFinite(p.loss) || !isCount(p.correct)) return 'bad sums of the interrupted epoch';
  }
  if (!isCount(m.adamSteps)) return `bad adamSteps ${JSON.stringify(m.adamSteps)}`;
  if (m.format !== undefined && (!isCount(m.bytes) || typeof m.sha256 !== 'string'))
    return 'no size or checksum';
  if (!Array.isArray(m.tensors)) return 'no tensor list';
  const bad = m.tensors.find(
    (t) =>
      typeof t !== 'object' ||
      t === null ||
      typeof t.name !== 'string' ||
      !isCount(t.offset) ||
      !Array.isArray(t.shape) ||
      !t.shape.every(isCount),
  );
  return bad ? `a malformed tensor entry ${JSON.stringify(bad).slice(0, 80)}` : undefined;
}

/**
 * Restores a checkpoint into a fresh state built from the same graph; returns where to go on.
 * It is verified first (`CheckpointDamaged`); tensors are matched by name and shape, so a
 * checkpoint of another network (an edited spec) is refused with the first tensor that
 * differs, before anything is assigned.
 */
function loadCheckpoint(stem: string, state: CheckpointState): Resumed {
  const { manifest, all } = readCheckpoint(stem);
  const problem = snapshotMismatch(state, new Map(manifest.tensors.map((t) => [t.name, t.shape])));
  if (problem)
    throw new RunDirError(`checkpoint ${stem} ${problem}: it belongs to another network`);
  const tensors = manifest.tensors.map(({ name, shape, offset }) => ({
    name,
    shape,
    data: all.slice(offset, offset + shape.reduce((a, b) => a * b, 1)),
  }));
  restoreSnapshot(state, { tensors, adamSteps: manifest.adamSteps });
  return manifest.partial
    ? { startEpoch: manifest.epoch, partial: manifest.partial }
    : { startEpoch: manifest.epoch + 1 };
}
