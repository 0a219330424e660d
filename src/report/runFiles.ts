import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { wholeLines } from '../util/durableFile.js';

/** Loss and accuracy of one pass, as metrics.jsonl holds them. */
export interface PassMetrics {
  readonly loss: number;
  /** null for regression. */
  readonly accuracy: number | null;
}

/** One line of metrics.jsonl: a search epoch (valid, genotype, softmax α) or a retrain epoch. */
export interface EpochLine {
  readonly epoch: number;
  readonly epochs: number;
  readonly lr: number;
  readonly seconds: number;
  readonly train: PassMetrics;
  readonly valid?: PassMetrics;
  readonly dropPath?: number;
  /** The genotype after this epoch, in the reference's JSON form. */
  readonly genotype?: Record<string, unknown>;
  /** softmax(α) per table after this epoch, one row per edge. */
  readonly alphas?: Record<string, number[][]>;
}

/** What a run directory holds, read leniently: a file that is missing or damaged is absent. */
export interface RunFiles {
  readonly dir: string;
  readonly kind: 'search' | 'train';
  readonly config: Record<string, unknown>;
  /** The spec the run started from: its copy in the directory, else the path it was read from. */
  readonly spec?: { readonly path: string; readonly text: string };
  readonly epochs: readonly EpochLine[];
  readonly genotypeJson?: Record<string, unknown>;
  readonly genotypeLiteral?: string;
  /** alphas.json as parsed JSON (named or, from older runs, bare rows). */
  readonly alphas?: unknown;
  /** A retrain's result.json. */
  readonly result?: Record<string, unknown>;
  /** An interrupt's checkpoint is newer than the last epoch's. */
  readonly interrupted: boolean;
  /** Files found damaged, shown in the report rather than failing it. */
  readonly problems: readonly string[];
}

/** Reads a run directory; undefined when it has no readable config.json (not a run). */
export function readRunFiles(dir: string): RunFiles | undefined {
  const problems: string[] = [];
  const json = (name: string): unknown => {
    const file = join(dir, name);
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const config = json('config.json');
  if (!isRecord(config)) return undefined;
  const genotypeJson = json('genotype.json');
  const result = json('result.json');
  const literal = join(dir, 'genotype.darts');
  const spec = specOf(dir, config);
  return {
    dir,
    kind: isRecord(config.search) ? 'search' : 'train',
    config,
    ...(spec ? { spec } : {}),
    epochs: epochLines(join(dir, 'metrics.jsonl'), problems),
    ...(isRecord(genotypeJson) ? { genotypeJson } : {}),
    ...(existsSync(literal) ? { genotypeLiteral: readFileSync(literal, 'utf8') } : {}),
    alphas: json('alphas.json'),
    ...(isRecord(result) ? { result } : {}),
    interrupted: existsSync(join(dir, 'checkpoints', 'partial.json')),
    problems,
  };
}

/** The spec's copy (`spec.darts`, since runs kept one), else the file it was started from. */
function specOf(dir: string, config: Record<string, unknown>) {
  const copy = join(dir, 'spec.darts');
  const path = typeof config.specPath === 'string' ? config.specPath : undefined;
  if (existsSync(copy)) return { path: path ?? copy, text: readFileSync(copy, 'utf8') };
  if (path && existsSync(path)) return { path, text: readFileSync(path, 'utf8') };
  return undefined;
}

/** The readable epoch lines, in epoch order, the last of a repeated epoch winning. */
function epochLines(file: string, problems: string[]): EpochLine[] {
  if (!existsSync(file)) return [];
  const byEpoch = new Map<number, EpochLine>();
  let bad = 0;
  for (const line of wholeLines(file)) {
    const parsed = parse(line);
    if (parsed) byEpoch.set(parsed.epoch, parsed);
    else bad++;
  }
  if (bad) problems.push(`metrics.jsonl: ${bad} unreadable line${bad > 1 ? 's' : ''} skipped`);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

function parse(line: string): EpochLine | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (!isRecord(value) || !Number.isInteger(value.epoch) || !isPass(value.train)) return;
    return value as unknown as EpochLine;
  } catch {
    return undefined;
  }
}

const isPass = (x: unknown): boolean =>
  isRecord(x) &&
  typeof x.loss === 'number' &&
  (typeof x.accuracy === 'number' || x.accuracy === null);

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
