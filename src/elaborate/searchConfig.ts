import type { SearchNode, SettingNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import {
  defaultMethod,
  methodArgs,
  methodNames,
  methodSpecs,
  type MethodConfig,
  type MethodName,
} from '../intrinsics/methods.js';
import { searchDefaults } from '../intrinsics/settings.js';
import type { Span } from '../source/SourceFile.js';
import type { Evaluator } from './evaluate.js';
import type { Module } from '../check/loadProgram.js';
import { resolveData, type DataSpec, type ResolvedData } from './dataPipeline.js';
import { checkSettingRanges } from './settingRanges.js';
import type { Value } from './values.js';

/**
 * The settings of a `search` block, resolved and typed, with the defaults of the settings
 * schema (`intrinsics/settings.ts`). Plain data: what the runtime reads and a run directory's
 * `config.json` stores. Where each setting is written is kept apart, in `SettingSpans`.
 */
export interface SearchConfig {
  readonly name?: string;
  readonly data: DataSpec;
  /** Portion of the training data that trains the weights; the rest trains α. */
  readonly split: number;
  readonly epochs: number;
  readonly batch: number;
  readonly seed: number;
  readonly weights: {
    readonly lr: Schedule;
    readonly momentum: number;
    readonly decay: number;
    readonly clip: number;
  };
  readonly arch: {
    readonly lr: number;
    readonly betas: readonly [number, number];
    readonly eps: number;
    readonly decay: number;
  };
  readonly order: 'first' | 'second';
  readonly init: { readonly kind: 'normal'; readonly std: number } | { readonly kind: 'zeros' };
  /** The search method and its settings (`darts` unless the block says otherwise). */
  readonly method: MethodConfig;
  /** At most this many steps per epoch (`--steps`, for smoke tests; not a DARTS setting). */
  readonly maxSteps?: number;
}

/** The weight learning rate: cosine annealing from `max` to `min` over `epochs` (default: the search's), or constant. */
export type Schedule =
  | {
      readonly kind: 'cosine';
      readonly max: number;
      readonly min: number;
      readonly epochs?: number;
    }
  | { readonly kind: 'constant'; readonly value: number };

/** Where each setting of a search block is written (by key), for diagnostics at run time. */
type SettingSpans = Readonly<Record<string, Span>>;

/** A resolved search block. */
export interface ResolvedSearch {
  readonly config: SearchConfig;
  readonly spans: SettingSpans;
  /**
   * Where each stage of the `data` pipeline is written; absent when the setting had a problem
   * of its own, so that its pipeline is not checked further (no follow-on errors).
   */
  readonly dataSites?: ResolvedData['sites'];
}

type Plain = number | string | boolean;

/**
 * Resolves a search block: every setting evaluated, checked (E0312, E0320) and defaulted. Problems go
 * to the evaluator's sink; a setting with a problem takes its default.
 */
export function resolveSearch(ev: Evaluator, search: SearchNode, module: Module): ResolvedSearch {
  const settings = new Map(
    search.body.items
      .filter((i): i is SettingNode => i.kind === 'Setting')
      .map((s) => [s.key.value, s]),
  );
  const values = new Map<string, Value>();
  for (const [key, s] of settings) values.set(key, ev.evaluate(s.value, module, new Map()));
  const read = (key: string): Value | undefined => values.get(key);
  const at = (key: string) => settings.get(key)?.value.span ?? search.span;
  const count = (key: 'epochs' | 'batch' | 'seed', what: string, min: number) =>
    number(ev, read(key), at(key), what, searchDefaults[key], { integer: true, min });
  const order = read('order');
  for (const key of ['weights', 'arch', 'init', 'method']) checkSettingRanges(ev, read(key));
  const data = resolveData(ev, read('data'), at('data'));
  const config: SearchConfig = {
    ...(search.name ? { name: search.name.value } : {}),
    data: data.spec,
    split: split(ev, read('split'), at('split')),
    epochs: count('epochs', 'a positive number of epochs', 1),
    batch: count('batch', 'a positive batch size', 1),
    seed: count('seed', 'a seed', 0),
    weights: weightsOf(read('weights')),
    arch: archOf(read('arch')),
    order: order?.kind === 'word' && order.name === 'second' ? 'second' : searchDefaults.order,
    init: initOf(read('init')),
    method: methodOf(ev, read('method'), at('method')),
  };
  const spans = Object.fromEntries([...settings].map(([k, s]) => [k, s.value.span]));
  return { config, spans, ...(data.reported ? {} : { dataSites: data.sites }) };
}

/** A number setting; E0312 and the fallback when it is not one (or an integer below `min`). */
function number(
  ev: Evaluator,
  v: Value | undefined,
  span: Span,
  what: string,
  fallback: number,
  { integer = false, min = 0 } = {},
): number {
  if (!v) return fallback;
  if ((v.kind === 'int' || (!integer && v.kind === 'float')) && v.value >= min) return v.value;
  ev.mismatch(v, what, span);
  return fallback;
}

/** The weights' portion of the training data: strictly between 0 and 1. */
function split(ev: Evaluator, v: Value | undefined, span: Span): number {
  const value = number(ev, v, span, 'a portion between 0 and 1', searchDefaults.split);
  if (value <= 0 || value >= 1)
    ev.mismatch({ kind: 'float', value }, 'a portion strictly between 0 and 1', span);
  return value;
}

/** The plain arguments of a setting function, positional ones named after `params`. */
function args(v: Value & { kind: 'call' }, params: readonly string[]): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  v.args.positional.forEach((a, i) => {
    if (params[i] && 'value' in a && typeof a.value !== 'object') out[params[i]] = a.value;
  });
  for (const [k, a] of v.args.named)
    if ('value' in a && typeof a.value !== 'object') out[k] = a.value;
  return out;
}

/** An argument given positionally at `index` or by `name`. */
const argument = (v: Value & { kind: 'call' }, index: number, name: string) =>
  v.args.named.get(name) ?? v.args.positional[index];

function schedule(v: Value | undefined): Schedule | undefined {
  if (v?.kind === 'int' || v?.kind === 'float') return { kind: 'constant', value: v.value };
  if (v?.kind !== 'call') return undefined;
  if (v.name === 'constant') return { kind: 'constant', value: Number(args(v, ['value']).value) };
  const a = args(v, ['max', 'min', 'epochs']);
  const epochs = a.epochs !== undefined ? { epochs: Number(a.epochs) } : {};
  return { kind: 'cosine', max: Number(a.max), min: Number(a.min ?? 0), ...epochs };
}

function weightsOf(v: Value | undefined): SearchConfig['weights'] {
  const d = searchDefaults.weights;
  const w = v?.kind === 'call' ? args(v, ['lr', 'momentum', 'decay', 'clip']) : {};
  return {
    lr: (v?.kind === 'call' && schedule(argument(v, 0, 'lr'))) || d.lr,
    momentum: Number(w.momentum ?? d.momentum),
    decay: Number(w.decay ?? d.decay),
    clip: Number(w.clip ?? d.clip),
  };
}

function archOf(v: Value | undefined): SearchConfig['arch'] {
  const d = searchDefaults.arch;
  const a = v?.kind === 'call' ? args(v, ['lr', 'betas', 'eps', 'decay']) : {};
  const betas = v?.kind === 'call' ? argument(v, 1, 'betas') : undefined;
  const pair =
    betas?.kind === 'tuple' &&
    betas.items.length === 2 &&
    betas.items.every((b) => b.kind === 'float' || b.kind === 'int')
      ? (betas.items.map((b) => (b as { value: number }).value) as [number, number])
      : d.betas;
  return {
    lr: Number(a.lr ?? d.lr),
    betas: pair,
    eps: Number(a.eps ?? d.eps),
    decay: Number(a.decay ?? d.decay),
  };
}

/** `method gdas`, `method gdas(tau_max: 5)`: the method with every parameter (E0312 else). */
function methodOf(ev: Evaluator, v: Value | undefined, span: Span): MethodConfig {
  if (!v) return defaultMethod;
  const name = v.kind === 'word' || v.kind === 'call' ? v.name : '';
  if (!(methodNames as readonly string[]).includes(name)) {
    ev.mismatch(v, `a search method (${methodNames.join(', ')})`, span);
    return defaultMethod;
  }
  const method = name as MethodName;
  const given =
    v.kind === 'call'
      ? args(
          v,
          methodSpecs[method].params.map((p) => p.name),
        )
      : {};
  const plain = Object.fromEntries(
    Object.entries(given).filter((e): e is [string, number | string] => e[1] !== undefined),
  );
  const resolved = methodArgs(method, plain);
  const problem = methodProblem(method, resolved);
  if (!problem) return { name: method, args: resolved };
  const at = v.kind === 'call' ? (v.args.spans.get(problem.arg) ?? span) : span;
  const label = `\`${problem.arg}\` of \`${method}\``;
  const params = { name: label, range: problem.range, found: problem.found };
  ev.report(diagnostic('E0320', at, params, { help: { hint: problem.hint } }));
  return { name: method, args: methodArgs(method) };
}

/** A method setting that no range of its own can check: a word, or two that must agree. */
function methodProblem(method: MethodName, args: Record<string, number | string>) {
  if (method === 'darts_minus' && !['linear', 'cosine'].includes(String(args.decay)))
    return {
      arg: 'decay',
      range: '"linear" or "cosine"',
      found: JSON.stringify(args.decay),
      hint: 'β decays to 0 along a line or a half cosine: `decay: "cosine"`',
    };
  // Each out of its own range is E0320 already (checkSettingRanges).
  const [max, min] = [Number(args.tau_max), Number(args.tau_min)];
  if (method === 'gdas' && max > 0 && min > max)
    return {
      arg: 'tau_min',
      range: `at most \`tau_max\` (${args.tau_max})`,
      found: Number(args.tau_min),
      hint: 'the temperature falls from `tau_max` to `tau_min` over the search',
    };
  return undefined;
}

function initOf(v: Value | undefined): SearchConfig['init'] {
  if (v?.kind === 'word' && v.name === 'zeros') return { kind: 'zeros' };
  if (v?.kind === 'call' && v.name === 'normal')
    return { kind: 'normal', std: Number(args(v, ['std']).std ?? searchDefaults.init.std) };
  return searchDefaults.init;
}
