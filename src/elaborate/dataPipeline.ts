import { diagnostic } from '../diagnostics/Diagnostic.js';
import {
  dataArgs,
  dataSources,
  dataTransforms,
  settingFunctions,
  type TransformKind,
} from '../intrinsics/settings.js';
import type { Span } from '../source/SourceFile.js';
import type { Evaluator } from './evaluate.js';
import { checkSettingRanges } from './settingRanges.js';
import type { CallValue, Value } from './values.js';

/**
 * The `data` setting read into plain data: a source and the transforms after it
 * (`vega(...) >> drop("date") >> window(7, by: "date")`). The values' kinds are checked here
 * (E0312, E0320) and a stage out of place is E0422; whether the columns exist and the sizes
 * fit is `checkPipeline`'s work, on what is known of the source.
 */

/** A dataset: the loader's name and its arguments, the schema's defaults filled in. */
export interface DataSpec {
  readonly kind: string;
  readonly args: Readonly<Record<string, number | string | boolean | null>>;
  /** The transforms after the source, in order (absent when there are none). */
  readonly transforms?: readonly TransformSpec[];
}

/** A transform with its arguments resolved: plain data, as a run's `config.json` stores it. */
export type TransformSpec =
  | { readonly kind: 'select' | 'drop' | 'onehot' | 'index'; readonly columns: readonly string[] }
  /** `columns` absent: every numeric column present at this point. */
  | { readonly kind: 'standardize'; readonly columns?: readonly string[] }
  | {
      readonly kind: 'window';
      readonly length: number;
      /** The column whose order the rows take (absent: the file's order). */
      readonly by?: string;
      readonly horizon: number;
    }
  | { readonly kind: 'reshape'; readonly length: number; readonly channels?: number };

/** Where a stage of the pipeline is written, and each of its arguments by parameter name. */
export interface StageSite {
  readonly span: Span;
  readonly args: ReadonlyMap<string, Span>;
}

/** A resolved `data` setting with the place of each stage (0 is the source). */
export interface ResolvedData {
  readonly spec: DataSpec;
  readonly sites: readonly StageSite[];
  /** The setting had a problem of its own (reported): its pipeline is not checked further. */
  readonly reported: boolean;
}

/** Where a problem of stage `stage` (at its argument `arg`, if any) is written, if known. */
export function stageSpan(
  sites: readonly StageSite[] | undefined,
  problem: { readonly stage: number; readonly arg?: string },
): Span | undefined {
  const site = sites?.[problem.stage];
  return (problem.arg !== undefined ? site?.args.get(problem.arg) : undefined) ?? site?.span;
}

type Plain = number | string | boolean;

const synthetic: DataSpec = { kind: 'synthetic', args: dataArgs('synthetic', {}) };

/**
 * Reads the value of a `data` setting. A problem is reported and the stage skipped; a value
 * that is no data source at all gives the default (synthetic data) after E0312.
 */
export function resolveData(ev: Evaluator, value: Value | undefined, span: Span): ResolvedData {
  const { value: resolved, problems } = ev.quietly(() => readStages(ev, value, span));
  problems.forEach(ev.report);
  return { ...resolved, reported: problems.length > 0 };
}

function readStages(
  ev: Evaluator,
  value: Value | undefined,
  span: Span,
): Omit<ResolvedData, 'reported'> {
  const stages = value?.kind === 'pipeline' ? value.stages : value?.kind === 'call' ? [value] : [];
  if (stages.length === 0) {
    if (value) ev.mismatch(value, 'a data source', span, 'write a data source, e.g. `mnist()`');
    return { spec: synthetic, sites: [] };
  }
  for (const stage of stages) checkSettingRanges(ev, stage);
  const [source, ...rest] = stages as [CallValue, ...CallValue[]];
  if (!dataSources.includes(source.name)) {
    const hint = 'start with a source such as `vega(...)` or `csv(...)`';
    misplaced(ev, source, 'a data pipeline starts with a data source', hint);
    return { spec: synthetic, sites: [] };
  }
  const transforms: TransformSpec[] = [];
  const sites: StageSite[] = [site(source)];
  for (const stage of rest) {
    if (!isTransform(stage.name)) {
      const hint = 'keep one source, at the start of the pipeline';
      misplaced(ev, stage, `\`${stage.name}\` is a data source, not a transform`, hint);
      continue;
    }
    const t = transform(ev, stage.name, stage);
    if (!t) continue;
    transforms.push(t);
    sites.push(site(stage));
  }
  const args = dataArgs(source.name, plainArgs(source));
  return { spec: { kind: source.name, args, ...(transforms.length ? { transforms } : {}) }, sites };
}

const isTransform = (name: string): name is TransformKind =>
  (dataTransforms as readonly string[]).includes(name);

function misplaced(ev: Evaluator, stage: CallValue, why: string, hint: string): void {
  ev.report(
    diagnostic('E0422', stage.span, { what: `\`${stage.name}\``, why }, { help: { hint } }),
  );
}

function site(stage: CallValue): StageSite {
  const order = (settingFunctions[stage.name] ?? []).map((p) => p.name);
  const args = new Map<string, Span>();
  for (const [key, at] of stage.args.spans)
    args.set(typeof key === 'number' ? (order[key] ?? String(key)) : key, at);
  return { span: stage.span, args };
}

/** An argument by name, given positionally or named. */
function arg(stage: CallValue, name: string): { value: Value; span: Span } | undefined {
  const index = (settingFunctions[stage.name] ?? []).findIndex((p) => p.name === name);
  const value = stage.args.named.get(name) ?? stage.args.positional[index];
  const span = stage.args.spans.get(name) ?? stage.args.spans.get(index) ?? stage.span;
  return value && { value, span };
}

/** The plain (number, string, bool) arguments of a source, positional ones by parameter. */
function plainArgs(stage: CallValue): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const p of settingFunctions[stage.name] ?? []) {
    const v = arg(stage, p.name)?.value;
    if (v && 'value' in v && typeof v.value !== 'object') out[p.name] = v.value;
  }
  return out;
}

/** A transform's spec, or undefined after reporting an argument of the wrong kind. */
function transform(
  ev: Evaluator,
  kind: TransformKind,
  stage: CallValue,
): TransformSpec | undefined {
  let wrong = false;
  // An integer argument, or the schema's default (null when the parameter has none).
  const int = (name: string): number | undefined => {
    const a = arg(stage, name);
    if (a?.value.kind === 'int') return a.value.value;
    if (a) {
      ev.mismatch(a.value, 'an integer', a.span);
      wrong = true;
    }
    const d = dataArgs(kind, {})[name];
    return typeof d === 'number' ? d : undefined;
  };
  switch (kind) {
    case 'window': {
      const by = arg(stage, 'by');
      const column = by && columnNames(ev, by.value, by.span, false);
      const [length, horizon] = [int('length') ?? 1, int('horizon') ?? 0];
      if (wrong || (by && !column)) return undefined;
      return { kind, length, horizon, ...(column ? { by: column[0]! } : {}) };
    }
    case 'reshape': {
      const [length, channels] = [int('length') ?? 1, int('channels')];
      if (wrong) return undefined;
      return { kind, length, ...(channels !== undefined ? { channels } : {}) };
    }
    default: {
      const given = arg(stage, 'columns');
      if (!given) return kind === 'standardize' ? { kind } : undefined;
      const columns = columnNames(ev, given.value, given.span, true);
      return columns && { kind, columns };
    }
  }
}

/** A column name, or a list of them where `list` allows; E0312 for anything else. */
function columnNames(ev: Evaluator, v: Value, span: Span, list: boolean): string[] | undefined {
  if (v.kind === 'string') return [v.value];
  if (list && v.kind === 'list' && v.items.every((i) => i.kind === 'string'))
    return v.items.map((i) => (i as { value: string }).value);
  const expected = list ? 'a column name or a list of column names' : 'a column name';
  ev.mismatch(v, expected, span, list ? 'write `"name"` or `["a", "b"]`' : 'write `"name"`');
  return undefined;
}
