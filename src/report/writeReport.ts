import { join } from 'node:path';

import { writeFileDurable } from '../util/durableFile.js';
import { buildReport, type KnownLayout } from './buildReport.js';
import { reportHtml } from './reportHtml.js';
import { readRunFiles } from './runFiles.js';

/** What `writeReport` wrote, and the collapse warnings it found. */
export interface ReportWritten {
  /** The page: `report.html` in the run directory. */
  readonly path: string;
  /** `cell-<role>.svg` and `.dot` files. */
  readonly files: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Draws a run directory into its `report.html`, with each derived cell also as
 * `cell-<role>.dot` and `.svg`; undefined when the directory is not a run (no config.json).
 * Each file is replaced whole (written aside, then renamed), so a reader never sees half.
 */
export async function writeReport(
  dir: string,
  known: KnownLayout = {},
): Promise<ReportWritten | undefined> {
  const files = readRunFiles(dir);
  if (!files) return undefined;
  const { page, cells } = await buildReport(files, known);
  const written: string[] = [];
  for (const cell of cells)
    for (const [ext, text] of [
      ['dot', cell.dot],
      ['svg', cell.document],
    ] as const) {
      const file = join(dir, `cell-${safeName(cell.role)}.${ext}`);
      writeFileDurable(file, text);
      written.push(file);
    }
  const path = join(dir, 'report.html');
  writeFileDurable(path, reportHtml(page));
  return { path, files: written, warnings: [...page.warnings, ...(page.flat ? [page.flat] : [])] };
}

/** A role as a file name part (roles are identifiers; anything else is replaced). */
const safeName = (role: string) => role.replace(/[^\w-]/g, '_');
