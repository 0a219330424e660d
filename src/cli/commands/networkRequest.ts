import { basename, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';

import { check } from '../../check/check.js';
import type { NetworkModel } from '../../elaborate/model.js';
import {
  buildNetwork,
  genotypeFromJson,
  type NetworkOptions,
  type NetworkSource,
} from '../../elaborate/networks.js';
import { hasErrors } from '../../diagnostics/Diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/render.js';
import { SourceFile } from '../../source/SourceFile.js';
import { nodeHost } from '../../api/host.js';
import { readUserFile, UsageError, type CliIo } from '../io.js';

/** The options that name a network, shared by `inspect`, `emit` and `train`. */
export const networkOptions = {
  space: { type: 'string' },
  search: { type: 'string' },
  genotype: { type: 'string' },
  set: { type: 'string', multiple: true, default: [] as string[] },
  'no-color': { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];

export interface NetworkRequest {
  readonly spec: string;
  readonly space?: string;
  readonly search?: string;
  readonly genotype?: string;
  readonly set?: readonly string[];
  readonly aux: boolean;
  readonly color: boolean;
}

/** A checked spec and the network it names; undefined after reporting diagnostics. */
export interface BuiltNetwork {
  readonly source: NetworkSource;
  readonly model: NetworkModel;
  /** The genotype's JSON form, and how the user named it (its name or its file's name). */
  readonly genotype?: { readonly json: Record<string, unknown>; readonly label: string };
}

/** Checks SPEC and builds the network of a request, reporting problems as diagnostics. */
export function buildRequested(request: NetworkRequest, io: CliIo): BuiltNetwork | undefined {
  const path = resolve(io.cwd, request.spec);
  const text = readUserFile(path, request.spec);
  const checked = check(path, text, nodeHost(io.cwd));
  const report = (d: Parameters<typeof formatDiagnostics>[0]) =>
    io.stderr(formatDiagnostics(d, { format: 'pretty', color: request.color }));
  if (hasErrors(checked.diagnostics)) return void report(checked.diagnostics);
  const options: NetworkOptions = {
    ...(request.space ? { space: request.space } : {}),
    ...(request.search ? { search: request.search } : {}),
    ...genotypeOption(request.genotype, io.cwd),
    aux: request.aux,
    overrides: parseOverrides(request.set ?? []),
  };
  const source = { entry: checked.value.program.entry, scopes: checked.value.scopes };
  const built = buildNetwork(source, options);
  if (!built.value) return void report(built.diagnostics);
  const label = request.genotype && basename(request.genotype);
  return {
    source,
    model: built.value,
    ...(built.genotype && label ? { genotype: { json: built.genotype, label } } : {}),
  };
}

function genotypeOption(genotype: string | undefined, cwd: string): Partial<NetworkOptions> {
  if (!genotype) return {};
  if (!genotype.endsWith('.json')) return { genotype };
  const text = readUserFile(resolve(cwd, genotype), genotype);
  const parsed = genotypeFromJson(new SourceFile(genotype, text));
  if (!parsed.value) throw new UsageError(parsed.diagnostics.map((d) => d.message).join('; '));
  return { genotypeChoices: parsed.value };
}

function parseOverrides(items: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(-?\d+)$/.exec(item);
    if (!match) throw new UsageError(`--set takes NAME=INTEGER, found \`${item}\``);
    out.set(match[1]!, Number(match[2]));
  }
  return out;
}
