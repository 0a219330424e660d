import { resolve } from 'node:path';

import type { IrTable } from '../ir/graph.js';
import type { KnownLayout } from '../report/buildReport.js';
import { drawnCells } from '../report/drawnCell.js';
import type { ReportTable } from '../report/reportTable.js';
import { readRunFiles, type RunFiles } from '../report/runFiles.js';
import { writeReport, type ReportWritten } from '../report/writeReport.js';
import { RunDir } from '../runtime/runDir.js';
import { compile } from './compile.js';
import { requestNetwork, type GenotypeInput } from './network.js';

export type { ReportWritten } from '../report/writeReport.js';

export interface ReportOptions {
  /** Where a relative `dir` starts (default: the process's working directory). */
  readonly cwd?: string;
}

/**
 * Draws a run directory (of `dartsc run` or `dartsc train`, finished, interrupted or made by
 * an older dartsc) into its `report.html`, with its cells as `cell-<role>.svg` and `.dot`.
 * The spec the run started from (its copy in the directory) tells the layout of the cells
 * and the names of α's rows and columns; without it, the run's files do. A directory that is
 * not a run is a `RunDirError`.
 */
export async function report(dir: string, options: ReportOptions = {}): Promise<ReportWritten> {
  const path = resolve(options.cwd ?? process.cwd(), dir);
  RunDir.open(path); // A missing directory or config.json is a RunDirError, as for --resume.
  const files = readRunFiles(path);
  const written = await writeReport(path, files ? layoutFromSpec(files) : {});
  return written!;
}

/** The report's view of a supernet's α tables. */
export function reportTables(tables: readonly IrTable[]): ReportTable[] {
  // PC-DARTS' edge weights are in their op table's weights (`tableWeights`), not drawn apart.
  return tables
    .filter((t) => !t.edgesOf)
    .map((t) => ({
      role: t.name,
      cell: t.cell,
      inputs: t.inputs,
      keep: t.keep,
      nodeEdges: t.nodeEdges,
      columns: t.columns,
      excluded: t.excluded,
      parameterFree: t.parameterFree,
    }));
}

/**
 * The layout the run's spec gives: a search's α tables, or the cells of the trained network.
 * A spec that is gone or no longer compiles leaves the report to the run's own files.
 */
function layoutFromSpec(files: RunFiles): KnownLayout {
  if (!files.spec) return {};
  const program = compile(files.spec, { cwd: files.dir });
  if (!program.value) {
    const first = program.diagnostics.find((d) => d.severity === 'error');
    return {
      note: `The spec ${files.spec.path} no longer compiles (${first?.code ?? 'error'}: ${first?.message ?? ''}): the report is drawn from the run's files alone.`,
    };
  }
  if (files.kind === 'search') {
    const search = (files.config.search as { name?: string }).name;
    const built = requestNetwork(program.value, search ? { search } : {});
    if (!built.value) return {};
    return { tables: reportTables(built.value.graph.tables), space: built.value.graph.space };
  }
  const genotype: GenotypeInput | undefined =
    files.genotypeJson ??
    (typeof files.config.genotype === 'string' ? files.config.genotype : undefined);
  if (genotype === undefined) return {};
  try {
    const built = requestNetwork(program.value, { genotype });
    if (!built.value) return { note: `The genotype of this run is not in its spec any more.` };
    return { cells: drawnCells(built.value.model.cells), space: built.value.graph.space };
  } catch {
    // A genotype file named relative to where the run was started, and gone.
    return { note: `The genotype file ${String(files.config.genotype)} of this run is gone.` };
  }
}

/**
 * Rewrites a running job's report after an epoch. A drawing that fails costs the page, never
 * the run: it is a warning, and the next epoch tries again.
 */
export async function refreshReport(
  dir: string | undefined,
  layout: KnownLayout,
  warn: (message: string) => void,
): Promise<void> {
  if (dir === undefined) return;
  try {
    await writeReport(dir, layout);
  } catch (error) {
    warn(`warning: could not write ${dir}/report.html: ${(error as Error).message}`);
  }
}
