import type { SearchNode, SettingNode } from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { Span } from '../source/SourceFile.js';
import { Evaluator } from './evaluate.js';
import type { NetworkSource } from './networks.js';
import type { Value } from './values.js';

/**
 * The settings of a `search` block, resolved and typed, with the reference's defaults
 * (quark0/darts cnn/train_search.py; darts-semantics §6). One source for the runtime, the
 * resolved configuration a run writes, and docs/search.md.
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
  /** At most this many steps per epoch (`--steps`, for smoke tests; not a DARTS setting). */
  readonly maxSteps?: number;
  /** Where settings were written, for diagnostics at run time (e.g. the wasm memory check). */
  readonly spans: Readonly<Record<string, Span>>;
}

/** A dataset: the loader's name and its arguments. */
export interface DataSpec {
  readonly kind: string;
  readonly args: Readonly<Record<string, number | string | boolean>>;
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

/** The reference defaults. */
export const searchDefaults = {
  split: 0.5,
  epochs: 50,
  batch: 64,
  seed: 2,
  weights: {
    lr: { kind: 'cosine', max: 0.025, min: 0.001 } as Schedule,
    momentum: 0.9,
    decay: 3e-4,
    clip: 5,
  },
  arch: { lr: 3e-4, betas: [0.5, 0.999] as const, eps: 1e-8, decay: 1e-3 },
  order: 'first' as const,
  init: { kind: 'normal' as const, std: 1e-3 },
};

/** Resolves a search block (the first, or the one named) of the entry file. */
export function resolveSearch(
  source: NetworkSource,
  name?: string,
): { value?: SearchConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const ev = new Evaluator(source.scopes, (d) => diagnostics.push(d), source.entry.file);
  const searches = source.entry.ast.items.filter((i): i is SearchNode => i.kind === 'Search');
  const search = name === undefined ? searches[0] : searches.find((s) => s.name?.value === name);
  if (!search) {
    const where = source.entry.file.span(0, 0);
    diagnostics.push(
      diagnostic(
        'E0201',
        where,
        { name: name ?? 'search', what: 'search block' },
        {
          help: {
            suggestions: searches.flatMap((s) => (s.name ? [s.name.value] : [])),
            hint: 'add a `search { ... }` block to the file',
          },
        },
      ),
    );
    return { diagnostics };
  }
  const settings = new Map(
    search.body.items
      .filter((i): i is SettingNode => i.kind === 'Setting')
      .map((s) => [s.key.value, s]),
  );
  const value = (key: string): Value | undefined => {
    const s = settings.get(key);
    return s && ev.evaluate(s.value, source.entry, new Map());
  };
  const span = (key: string) => settings.get(key)?.value.span ?? search.span;
  const num = (
    v: Value | undefined,
    what: string,
    key: string,
    fallback: number,
    integer = false,
    min = 0,
  ): number => {
    if (!v) return fallback;
    if ((v.kind === 'int' || (!integer && v.kind === 'float')) && v.value >= min) return v.value;
    ev.mismatch(v, what, span(key));
    return fallback;
  };
  const schedule = (v: Value | undefined): Schedule | undefined => {
    if (v?.kind === 'int' || v?.kind === 'float') return { kind: 'constant', value: v.value };
    if (v?.kind !== 'call') return undefined;
    const a = args(v, ['max', 'min', 'epochs']);
    if (v.name === 'constant') return { kind: 'constant', value: Number(args(v, ['value']).value) };
    const epochs = a.epochs !== undefined ? { epochs: Number(a.epochs) } : {};
    return { kind: 'cosine', max: Number(a.max), min: Number(a.min ?? 0), ...epochs };
  };
  const args = (v: Value & { kind: 'call' }, params: readonly string[]) => {
    const out: Record<string, number | string | boolean> = {};
    v.args.positional.forEach((a, i) => {
      if (params[i] && 'value' in a && typeof a.value !== 'object') out[params[i]] = a.value;
    });
    for (const [k, a] of v.args.named)
      if ('value' in a && typeof a.value !== 'object') out[k] = a.value;
    return out;
  };
  const data = value('data');
  const weights = value('weights');
  const arch = value('arch');
  const order = value('order');
  const init = value('init');
  const wArgs = weights?.kind === 'call' ? weights.args : undefined;
  const lrValue = wArgs && (wArgs.named.get('lr') ?? wArgs.positional[0]);
  const lr: Schedule = schedule(lrValue) ?? searchDefaults.weights.lr;
  const w = weights?.kind === 'call' ? args(weights, ['lr', 'momentum', 'decay', 'clip']) : {};
  const a = arch?.kind === 'call' ? args(arch, ['lr', 'betas', 'eps', 'decay']) : {};
  const betasValue =
    arch?.kind === 'call' ? (arch.args.named.get('betas') ?? arch.args.positional[1]) : undefined;
  const betas =
    betasValue?.kind === 'tuple' &&
    betasValue.items.length === 2 &&
    betasValue.items.every((b) => b.kind === 'float' || b.kind === 'int')
      ? ([
          (betasValue.items[0] as { value: number }).value,
          (betasValue.items[1] as { value: number }).value,
        ] as const)
      : searchDefaults.arch.betas;
  const config: SearchConfig = {
    ...(search.name ? { name: search.name.value } : {}),
    data:
      data?.kind === 'call'
        ? { kind: data.name, args: args(data, []) }
        : { kind: 'synthetic', args: {} },
    split: num(value('split'), 'a portion between 0 and 1', 'split', searchDefaults.split),
    epochs: num(
      value('epochs'),
      'a positive number of epochs',
      'epochs',
      searchDefaults.epochs,
      true,
      1,
    ),
    batch: num(value('batch'), 'a positive batch size', 'batch', searchDefaults.batch, true, 1),
    seed: num(value('seed'), 'a seed', 'seed', searchDefaults.seed, true),
    weights: {
      lr,
      momentum: Number(w.momentum ?? searchDefaults.weights.momentum),
      decay: Number(w.decay ?? searchDefaults.weights.decay),
      clip: Number(w.clip ?? searchDefaults.weights.clip),
    },
    arch: {
      lr: Number(a.lr ?? searchDefaults.arch.lr),
      betas,
      eps: Number(a.eps ?? searchDefaults.arch.eps),
      decay: Number(a.decay ?? searchDefaults.arch.decay),
    },
    order: order?.kind === 'word' && order.name === 'second' ? 'second' : 'first',
    init:
      init?.kind === 'word' && init.name === 'zeros'
        ? { kind: 'zeros' }
        : init?.kind === 'call' && init.name === 'normal'
          ? { kind: 'normal', std: Number(args(init, ['std']).std ?? searchDefaults.init.std) }
          : searchDefaults.init,
    spans: Object.fromEntries([...settings].map(([k, s]) => [k, s.value.span])),
  };
  if (config.split <= 0 || config.split >= 1)
    ev.mismatch(
      { kind: 'float', value: config.split },
      'a portion strictly between 0 and 1',
      span('split'),
    );
  return diagnostics.length ? { diagnostics } : { value: config, diagnostics };
}
