import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { builtinDatasets, onehotLimits } from '../intrinsics/settings.js';
import { formatShape, type TensorShape } from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';
import { suggest } from '../util/suggest.js';
import type { DataSpec, TransformSpec } from './dataPipeline.js';

/**
 * Follows a data pipeline over what is known of its source: the columns each transform names
 * exist (E0223), a window fits in the rows (E0419), a reshape divides (E0420), a one-hot
 * column is categorical (E0421), each transform comes where it can work (E0422), and what
 * the samples become. `dartsc check` runs it on the vega tables (they ship with the package);
 * `dartsc run` again on every table once loaded, so both report the same problems.
 */

/** One column of a table as the checker knows it. */
export interface ColumnFacts {
  readonly name: string;
  /** Every value present is a number. */
  readonly numeric: boolean;
  /** The number of distinct values present. */
  readonly distinct: number;
  /** The distinct values in category order, when few enough to one-hot. */
  readonly values?: readonly (string | number)[];
}

/** A table as the checker knows it. */
export interface TableFacts {
  readonly columns: readonly ColumnFacts[];
  readonly rows: number;
}

/** What a pipeline starts from. */
export type SourceFacts =
  | {
      readonly kind: 'table';
      /** How messages name it: ``vega dataset `penguins` ``, `` `data/x.csv` ``. */
      readonly name: string;
      readonly label: string;
      /** Its columns, when known: vega tables when checked, every table once loaded. */
      readonly table?: TableFacts;
      /** Text columns are features (CSV: they fail to load as numbers) or skipped (vega). */
      readonly textFeatures: boolean;
    }
  | { readonly kind: 'samples'; readonly name: string; readonly shape?: TensorShape }
  | { readonly kind: 'synthetic' };

/** A problem of one stage (0: the source, i: the i-th transform), at an argument if any. */
interface PipelineProblem {
  readonly stage: number;
  readonly arg?: string;
  readonly at: (span: Span) => Diagnostic;
}

/** What a pipeline gives, as far as it is known. */
export interface PipelineFacts {
  readonly problems: readonly PipelineProblem[];
  readonly shape?: TensorShape;
  /** The number of classes: the distinct labels of a table. */
  readonly classes?: number;
}

/** Rows with named columns, or samples (`made` by the source or a transform). */
type State =
  | { readonly kind: 'table'; readonly columns?: readonly ColumnFacts[]; readonly rows?: number }
  | { readonly kind: 'samples'; readonly made: string; readonly shape?: TensorShape };

const q = (text: string | number) => `\`${text}\``;

/**
 * What is known of a data source before loading, or after with `table` (its columns and rows).
 * The vega loader's text columns are not features; the CSV loader's fail to load as numbers.
 */
export function sourceFacts(spec: DataSpec, table?: TableFacts): SourceFacts {
  const { kind, args } = spec;
  const label = String(args.label);
  const known = table ? { table } : {};
  switch (kind) {
    case 'synthetic':
      return { kind };
    case 'csv':
      return { kind: 'table', name: String(args.path), label, textFeatures: true, ...known };
    case 'vega':
      return {
        kind: 'table',
        name: `vega dataset ${q(String(args.name))}`,
        label,
        textFeatures: false,
        ...known,
      };
    case 'jsonl':
      return {
        kind: 'samples',
        name: kind,
        shape: { layout: 'Tokens', dims: [Number(args.length)] },
      };
    default: {
      const builtin = builtinDatasets[kind];
      const shape = builtin && { layout: builtin.layout, dims: builtin.dims };
      return { kind: 'samples', name: kind, ...(shape ? { shape } : {}) };
    }
  }
}

/** Checks a pipeline; problems come in stage order, and a misplaced stage ends the check. */
export function checkPipeline(
  source: SourceFacts,
  transforms: readonly TransformSpec[],
): PipelineFacts {
  const check = new PipelineCheck(source);
  let state = check.start(transforms.length);
  transforms.forEach((t, i) => {
    if (state) state = check.apply(state, t, i + 1);
  });
  const shape = state && check.samples(state).shape;
  const label = source.kind === 'table' ? check.column(source.label) : undefined;
  return {
    problems: check.problems,
    ...(shape ? { shape } : {}),
    ...(label ? { classes: label.distinct } : {}),
  };
}

class PipelineCheck {
  readonly problems: PipelineProblem[] = [];
  #stage = 0;

  constructor(readonly source: SourceFacts) {}

  start(transforms: number): State | undefined {
    const source = this.source;
    if (source.kind === 'synthetic') {
      if (transforms > 0)
        this.misplaced(
          1,
          'the transforms',
          "synthetic data is made in the space's input type, so there is nothing to transform",
          'remove the transforms',
        );
      return undefined;
    }
    if (source.kind === 'samples')
      return { kind: 'samples', made: source.name, shape: source.shape };
    if (!source.table) return { kind: 'table' };
    const columns = source.table.columns;
    if (!this.column(source.label)) this.unknown(source.label, columns, 'label');
    const features = columns.filter((c) => c.name !== source.label);
    return { kind: 'table', columns: features, rows: source.table.rows };
  }

  /** A column of the source table, by name. */
  column(name: string): ColumnFacts | undefined {
    const table = this.source.kind === 'table' ? this.source.table : undefined;
    return table?.columns.find((c) => c.name === name);
  }

  apply(state: State, t: TransformSpec, stage: number): State | undefined {
    this.#stage = stage;
    switch (t.kind) {
      case 'window':
        return this.window(state, t);
      case 'reshape':
        return this.reshape(state, t);
      default:
        return this.columns(state, t);
    }
  }

  /** The samples a state gives: a table's rows become `Vec[features]`. */
  samples(state: State): State & { kind: 'samples' } {
    if (state.kind === 'samples') return state;
    const n = this.features(state.columns);
    return {
      kind: 'samples',
      made: 'the table',
      ...(n !== undefined ? { shape: { layout: 'Vec', dims: [n] } } : {}),
    };
  }

  private features(columns: readonly ColumnFacts[] | undefined, without?: string) {
    const textFeatures = this.source.kind === 'table' && this.source.textFeatures;
    return columns?.filter((c) => c.name !== without && (textFeatures || c.numeric)).length;
  }

  private columns(
    state: State,
    t: TransformSpec & { columns?: readonly string[] },
  ): State | undefined {
    if (state.kind !== 'table') return this.notATable(state, t.kind);
    if (!state.columns) return state;
    const named = (t.columns ?? []).flatMap((name) => {
      const c = state.columns!.find((x) => x.name === name);
      if (!c) this.unknown(name, state.columns!, 'columns');
      return c ? [c] : [];
    });
    const has = (c: ColumnFacts) => named.includes(c);
    switch (t.kind) {
      case 'select':
        return { ...state, columns: [...new Set(named)] };
      case 'drop':
        return { ...state, columns: state.columns.filter((c) => !has(c)) };
      case 'onehot':
        return { ...state, columns: state.columns.flatMap((c) => (has(c) ? this.onehot(c) : [c])) };
      case 'index':
        return {
          ...state,
          columns: state.columns.map((c) => (has(c) ? { ...c, numeric: true } : c)),
        };
      default:
        for (const c of named.filter((c) => !c.numeric)) this.textColumn(c);
        return state;
    }
  }

  private onehot(c: ColumnFacts): ColumnFacts[] {
    const limit = c.numeric ? onehotLimits.numeric : onehotLimits.text;
    if (c.distinct > limit || !c.values) {
      const hint = c.numeric
        ? `a numeric column with this many values is a measurement: \`standardize("${c.name}")\` it instead, or \`index\` it`
        : `a text column with this many values names things rather than categories: \`drop\` it, or \`index\` it`;
      const kind = c.numeric ? 'numeric' : 'text';
      this.report(
        (span) =>
          diagnostic(
            'E0421',
            span,
            { column: c.name, kind, distinct: c.distinct, limit },
            { help: { hint } },
          ),
        'columns',
      );
      return [];
    }
    return c.values.map((v) => ({
      name: `${c.name}=${v}`,
      numeric: true,
      distinct: 2,
      values: [0, 1],
    }));
  }

  private textColumn(c: ColumnFacts): void {
    const found = `the text column ${q(c.name)}`;
    const hint = `\`index\` or \`onehot\` it first, or leave it out of \`standardize\``;
    this.report(
      (span) =>
        diagnostic('E0312', span, { expected: 'a numeric column', found }, { help: { hint } }),
      'columns',
    );
  }

  private window(state: State, t: TransformSpec & { kind: 'window' }): State | undefined {
    if (state.kind !== 'table') return this.notATable(state, 'window');
    if (t.by && state.columns && !state.columns.some((c) => c.name === t.by))
      this.unknown(t.by, state.columns, 'by');
    const needed = t.length + t.horizon;
    const table = this.source.kind === 'table' ? this.source.name : 'the data';
    if (state.rows !== undefined && needed > state.rows) {
      const rows = state.rows;
      this.report((span) => diagnostic('E0419', span, { needed, table, rows }), 'length');
    }
    const n = this.features(state.columns, t.by);
    const shape: TensorShape | undefined =
      n === undefined ? undefined : { layout: 'Seq', dims: [t.length, n] };
    return { kind: 'samples', made: '`window`', ...(shape ? { shape } : {}) };
  }

  private reshape(state: State, t: TransformSpec & { kind: 'reshape' }): State | undefined {
    const { shape } = this.samples(state);
    if (!shape) return { kind: 'samples', made: '`reshape`' };
    if (shape.layout !== 'Vec') {
      const why = `it turns \`Vec\` samples into sequences, and these are ${q(formatShape(shape))}`;
      return this.misplaced(
        this.#stage,
        '`reshape`',
        why,
        "remove it, or declare the space's input as these samples are",
      );
    }
    const n = shape.dims[0]!;
    const channels = t.channels ?? n / t.length;
    if (t.length * channels !== n || !Number.isInteger(channels)) {
      const into =
        t.channels === undefined ? `${t.length} steps` : q(`Seq[${t.length}, ${t.channels}]`);
      const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
      const call = (d: number) =>
        t.channels === undefined ? `reshape(${d})` : `reshape(${d}, ${n / d})`;
      const some = divisors.slice(0, 8).map((d) => q(call(d)));
      const rule =
        t.channels === undefined ? `the steps must divide ${n}` : `steps × channels must be ${n}`;
      const hint = `${rule}: ${some.join(', ')}${divisors.length > 8 ? ', ...' : ''}`;
      this.report(
        (span) => diagnostic('E0420', span, { features: n, shape: into }, { help: { hint } }),
        t.channels === undefined ? 'length' : undefined,
      );
      return { kind: 'samples', made: '`reshape`' };
    }
    return {
      kind: 'samples',
      made: '`reshape`',
      shape: { layout: 'Seq', dims: [t.length, channels] },
    };
  }

  private notATable(state: State & { kind: 'samples' }, what: string): undefined {
    const made = state.made;
    const why =
      this.source.kind === 'samples' && made === this.source.name
        ? `\`${made}\` gives samples, not a table with named columns`
        : `the rows are already samples, made by ${made}`;
    const hint =
      this.source.kind === 'samples'
        ? 'column transforms and `window` work on the tables of `csv` and `vega`'
        : `move it before ${made}`;
    return this.misplaced(this.#stage, `\`${what}\``, why, hint);
  }

  private misplaced(stage: number, what: string, why: string, hint: string): undefined {
    this.problems.push({
      stage,
      at: (span) => diagnostic('E0422', span, { what, why }, { help: { hint } }),
    });
    return undefined;
  }

  /** E0223 for a column that is not (or no longer) there, with a did-you-mean. */
  private unknown(name: string, present: readonly ColumnFacts[], arg: string): void {
    const table = this.source.kind === 'table' ? this.source.name : 'the data';
    const columns = present.map((c) => c.name);
    const suggestions = suggest(name, columns);
    const label = this.source.kind === 'table' && name === this.source.label && arg !== 'label';
    const notes = label
      ? [`${q(name)} is the label column; transforms change only the features`]
      : this.column(name)
        ? [`an earlier \`select\`, \`drop\` or \`onehot\` removed ${q(name)}`]
        : [];
    const stage = arg === 'label' ? 0 : this.#stage;
    this.problems.push({
      stage,
      arg,
      at: (span) =>
        diagnostic(
          'E0223',
          span,
          { column: name, table },
          { help: { suggestions, columns }, notes },
        ),
    });
  }

  private report(at: (span: Span) => Diagnostic, arg?: string): void {
    this.problems.push({ stage: this.#stage, ...(arg ? { arg } : {}), at });
  }
}
