import { partialChannels } from '../intrinsics/methods.js';
import { buildNetwork, type NetworkOptions } from '../elaborate/buildNetwork.js';
import type { NetworkModel } from '../elaborate/model.js';
import type { IrGraph } from '../ir/graph.js';
import { lower } from '../ir/lower.js';
import type { Program } from './compile.js';
import { resolveGenotype, type GenotypeInput } from './genotypeInput.js';
import { checkRequestNames } from './requestNames.js';
import type { Result } from './result.js';

export type { GenotypeInput } from './genotypeInput.js';

/** Which network of a program: a search supernet, or with `genotype` a derived network. */
export interface NetworkRequest {
  /** A space by name (default: the space of the search block). */
  readonly space?: string;
  /** A search block by name (default: the first). */
  readonly search?: string;
  readonly genotype?: GenotypeInput;
  /** Derived networks: include the space's auxiliary head. */
  readonly auxiliary?: boolean;
  /** Space parameters to override, e.g. `{ C: 36, layers: 20 }`. */
  readonly overrides?: Readonly<Record<string, number>>;
}

/** A network, elaborated and lowered. */
export interface BuiltNetwork {
  readonly model: NetworkModel;
  readonly graph: IrGraph;
  /** A derived network's genotype as JSON, and how the request named it. */
  readonly genotype?: { readonly json: Record<string, unknown>; readonly label: string };
}

const built = new WeakMap<Program, Map<string, Result<BuiltNetwork>>>();

/**
 * The network a request names, elaborated at most once per program and request: a search
 * block's supernet is the one `compile` already elaborated.
 */
export function requestNetwork(
  program: Program,
  request: NetworkRequest = {},
): Result<BuiltNetwork> {
  checkRequestNames(program, request);
  const cache = built.get(program) ?? new Map<string, Result<BuiltNetwork>>();
  built.set(program, cache);
  const key = JSON.stringify([
    request.space,
    request.search,
    request.genotype,
    request.genotype !== undefined && request.auxiliary === true,
    Object.entries(request.overrides ?? {}).sort(),
  ]);
  const known = cache.get(key);
  if (known) return known;
  const result = elaborated(program, request) ?? build(program, request);
  cache.set(key, result);
  return result;
}

/** The supernet of a search block, from `compile`, when that is what the request names. */
function elaborated(program: Program, request: NetworkRequest): Result<BuiltNetwork> | undefined {
  const plain =
    request.space === undefined &&
    request.genotype === undefined &&
    Object.keys(request.overrides ?? {}).length === 0;
  const block =
    request.search === undefined
      ? program.searches[0]
      : program.searches.find((s) => s.config.name === request.search);
  if (!plain || !block) return undefined;
  return { value: { model: block.network, graph: lower(block.network) }, diagnostics: [] };
}

function build(program: Program, request: NetworkRequest): Result<BuiltNetwork> {
  const genotype = resolveGenotype(program, request.genotype);
  if ('diagnostics' in genotype) return genotype;
  const options: NetworkOptions = {
    ...(request.space !== undefined ? { space: request.space } : {}),
    ...(request.search !== undefined ? { search: request.search } : {}),
    ...genotype.options,
    ...partialOf(program, request),
    aux: request.auxiliary ?? false,
    overrides: new Map(Object.entries(request.overrides ?? {})),
  };
  const result = buildNetwork({ entry: program.entry, scopes: program.scopes }, options);
  if (!result.value) return { diagnostics: result.diagnostics };
  const json = result.genotype;
  return {
    value: {
      model: result.value,
      graph: lower(result.value),
      ...(json && genotype.label ? { genotype: { json, label: genotype.label } } : {}),
    },
    diagnostics: result.diagnostics,
  };
}

/** A supernet of a PC-DARTS search block (its own space) keeps the block's partial channels. */
function partialOf(program: Program, request: NetworkRequest): { partial?: number } {
  if (request.space !== undefined || request.genotype !== undefined) return {};
  const block =
    request.search === undefined
      ? program.searches[0]
      : program.searches.find((s) => s.config.name === request.search);
  const partial = partialChannels(block?.config.method);
  return partial ? { partial } : {};
}
