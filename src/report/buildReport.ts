import { weightsOf, type DerivedCell } from '../ir/genotype.js';
import { methodSpecs } from '../intrinsics/methods.js';
import { readAlphas } from '../ir/alphasFile.js';
import { edgeNames } from '../ir/cellStates.js';
import { heatMap, lineChart, opColor } from './charts.js';
import { cellDot } from './cellDot.js';
import { alphaSpread, flatMessage } from './alphaSpread.js';
import { collapseMessage, measureCollapse } from './collapse.js';
import { cellText, drawnCell, type DrawnCell } from './drawnCell.js';
import { curveCharts } from './curveCharts.js';
import type { PageCell, ReportPage } from './reportPage.js';
import { cellShape, inferTable, tablesFromAlphas, type ReportTable } from './reportTable.js';
import { inlineSvg, renderSvg } from './renderSvg.js';
import type { RunFiles } from './runFiles.js';
import { runStatus, runSummary } from './runSummary.js';

/** What the caller knows better than the files: the spec's tables, or a trained network's cells. */
export interface KnownLayout {
  readonly tables?: readonly ReportTable[];
  readonly cells?: readonly DrawnCell[];
  readonly space?: string;
  /** Why the spec could not tell (it is gone, or no longer compiles). */
  readonly note?: string;
}

/** A drawn cell with its DOT source, for the `.dot` and `.svg` files beside the report. */
export interface CellFiles extends PageCell {
  readonly dot: string;
  readonly document: string;
}

/** The page of a run directory, and its cells as files. */
export async function buildReport(
  files: RunFiles,
  known: KnownLayout = {},
): Promise<{ page: ReportPage; cells: CellFiles[] }> {
  const notes = [...(known.note ? [known.note] : []), ...files.problems];
  const genotype = genotypeCells(files.genotypeJson);
  const lastAlphas = lastProbabilities(files);
  const tables = files.kind === 'search' ? tablesOf(files, known, genotype, lastAlphas, notes) : [];
  const colors = opColors(tables, genotype);
  const drawn =
    known.cells ??
    tables.flatMap((t) => (genotype[t.role] ? [drawnCell(genotype[t.role]!, cellShape(t))] : []));
  const cells = await Promise.all(drawn.map((c) => drawCell(c, colors)));
  const pairs = Object.fromEntries(Object.entries(genotype).map(([r, c]) => [r, c.pairs]));
  const warnings = measureCollapse(tables, pairs, lastAlphas)
    .filter((m) => m.over)
    .map(collapseMessage);
  const flat = files.kind === 'search' ? flatMessage(alphaSpread(lastAlphas)) : undefined;
  const page: ReportPage = {
    kind: files.kind,
    title: `${files.kind === 'search' ? 'dartsc run' : 'dartsc train'}: ${String(files.config.spec ?? files.dir)}${known.space ? ` · ${known.space}` : ''}`,
    status: runStatus(files),
    summary: runSummary(files, known.space),
    warnings,
    ...(flat ? { flat } : {}),
    notes,
    cells,
    ...(files.genotypeLiteral ? { genotypeLiteral: files.genotypeLiteral } : {}),
    alphas: tables.flatMap((t) => alphaCharts(t, files, genotype[t.role], lastAlphas, colors)),
    curves: curveCharts(files),
    config: JSON.stringify(files.config, null, 2),
    ...(files.spec ? { spec: files.spec } : {}),
  };
  return { page, cells };
}

async function drawCell(cell: DrawnCell, colors: ReadonlyMap<string, string>): Promise<CellFiles> {
  const dot = cellDot(cell, colors);
  const document = await renderSvg(dot);
  return {
    role: cell.role,
    ...(cell.cell ? { cell: cell.cell } : {}),
    svg: inlineSvg(document),
    text: cellText(cell),
    dot,
    document,
  };
}

/** The tables: from the caller (the spec), else named in alphas.json, else inferred. */
function tablesOf(
  files: RunFiles,
  known: KnownLayout,
  genotype: Readonly<Record<string, DerivedCell>>,
  probs: Readonly<Record<string, number[][]>>,
  notes: string[],
): readonly ReportTable[] {
  if (known.tables) return known.tables;
  const named = tablesFromAlphas(files.alphas);
  if (named) return named;
  const inferred = Object.entries(probs).flatMap(([role, rows]) => {
    const t = genotype[role] ? inferTable(role, rows, genotype[role]!.pairs) : undefined;
    return t ? [t] : [];
  });
  notes.push(
    'The spec of this run is not available and its alphas.json names no ops: the α columns are numbered, and the cells are drawn from the genotype with the layout its sizes fit.',
  );
  return inferred;
}

/** `{ normal: [[op, i], ...], normal_concat: [...] }` into cells; malformed roles are left out. */
function genotypeCells(json: Record<string, unknown> | undefined): Record<string, DerivedCell> {
  const out: Record<string, DerivedCell> = {};
  for (const [role, pairs] of Object.entries(json ?? {})) {
    if (role.endsWith('_concat') || !Array.isArray(pairs)) continue;
    const ok = pairs.every(
      (p) => Array.isArray(p) && typeof p[0] === 'string' && Number.isInteger(p[1]),
    );
    const concat = json?.[`${role}_concat`];
    if (ok && Array.isArray(concat) && concat.every(Number.isInteger))
      out[role] = { pairs: pairs as [string, number][], concat: concat as number[] };
  }
  return out;
}

/**
 * The method's weights per table after the last epoch (softmax(α) unless the method says
 * otherwise): its metrics line, else alphas.json's raw rows.
 */
function lastProbabilities(files: RunFiles): Record<string, number[][]> {
  const last = files.epochs.at(-1)?.alphas;
  if (last) return last;
  const read = readAlphas(files.alphas);
  if (!('tables' in read)) return {};
  const weights = weightsOf[weightKind(files)];
  return Object.fromEntries(
    Object.entries(read.tables).map(([role, t]) => [role, t.alpha.map(weights)]),
  );
}

/** The kind of weights of the run's search method (`search.method` of config.json). */
function weightKind(files: RunFiles): 'softmax' | 'sigmoid' {
  const search = files.config.search as { method?: { name?: string } } | undefined;
  const name = search?.method?.name;
  return name && Object.hasOwn(methodSpecs, name)
    ? methodSpecs[name as keyof typeof methodSpecs].weights
    : 'softmax';
}

/** One colour per op name, in order of first appearance, shared by the cells and the charts. */
function opColors(
  tables: readonly ReportTable[],
  genotype: Readonly<Record<string, DerivedCell>>,
): Map<string, string> {
  const colors = new Map<string, string>();
  const names = [
    ...tables.flatMap((t) => t.columns),
    ...Object.values(genotype).flatMap((c) => c.pairs.map(([op]) => op)),
  ];
  for (const name of names) if (!colors.has(name)) colors.set(name, opColor(colors.size));
  return colors;
}

/** The heat map of the latest softmax(α), the kept edges outlined, and each op's mean over epochs. */
function alphaCharts(
  table: ReportTable,
  files: RunFiles,
  cell: DerivedCell | undefined,
  probs: Readonly<Record<string, number[][]>>,
  colors: ReadonlyMap<string, string>,
): ReportPage['alphas'] {
  const values = probs[table.role];
  if (!values?.length) return [];
  const rows = edgeNames(table);
  const marked = (cell?.pairs ?? []).flatMap(([op, from], i) => {
    const node = Math.floor(i / table.keep);
    const before = table.nodeEdges.slice(0, node).reduce((s, e) => s + e.length, 0);
    const row = before + (table.nodeEdges[node]?.indexOf(from) ?? -1);
    const col = table.columns.indexOf(op);
    return row >= before && col >= 0 ? [[row, col] as const] : [];
  });
  const epochs = files.epochs.filter((e) => e.alphas?.[table.role]?.length === values.length);
  const series = table.columns.map((name, c) => ({
    name,
    color: colors.get(name) ?? opColor(c),
    points: epochs.map(
      (e) => [e.epoch + 1, mean(e.alphas![table.role]!.map((r) => r[c] ?? NaN))] as const,
    ),
  }));
  const last = epochs.at(-1)?.epoch;
  const heat = heatMap({
    title: `${table.role} cell: ${label(files)} per edge${last !== undefined ? ` after epoch ${last + 1}` : ''}`,
    rows: rows.length === values.length ? rows : values.map((_, i) => `edge ${i + 1}`),
    columns: table.columns,
    values,
    marked,
  });
  const curves =
    epochs.length > 0
      ? lineChart({
          title: `${table.role} cell: mean weight of each op over epochs`,
          xLabel: 'epoch',
          yLabel: `mean ${label(files)}`,
          series,
          integerX: true,
        })
      : undefined;
  return [{ role: table.role, heatMap: heat, ...(curves ? { curves } : {}) }];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** How the report names the weights it draws: `softmax(α)`, or `σ(α)` for FairDARTS. */
const label = (files: RunFiles) => (weightKind(files) === 'sigmoid' ? 'σ(α)' : 'softmax(α)');
