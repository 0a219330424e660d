import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { check } from '../../check/check.js';
import { buildNetwork } from '../../elaborate/networks.js';
import { hasErrors } from '../../diagnostics/Diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/render.js';
import { deriveGenotype, genotypeJson } from '../../ir/genotype.js';
import { lower } from '../../ir/lower.js';
import { genotypeLiteral } from '../../runtime/runDir.js';
import { nodeHost } from '../../api/host.js';
import { readUserFile, UsageError, type CliIo } from '../io.js';

export const deriveUsage = `usage: dartsc derive SPEC --alphas FILE [--keep K] [--search NAME] [--json]

Derives the genotype from saved α (a run's alphas.json), so that the derivation can be
revisited without searching again: --keep K keeps K edges per node instead of the cell's.`;

/** `dartsc derive SPEC --alphas FILE` */
export function deriveCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      alphas: { type: 'string' },
      keep: { type: 'string' },
      search: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1 || !values.alphas)
    throw new UsageError('derive needs a SPEC and --alphas FILE');
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1))
    throw new UsageError('--keep takes a positive integer');
  const specPath = resolve(io.cwd, positionals[0]!);
  const checked = check(specPath, readUserFile(specPath, positionals[0]!), nodeHost(io.cwd));
  if (hasErrors(checked.diagnostics)) {
    io.stderr(formatDiagnostics(checked.diagnostics, { format: 'pretty', color: io.color }));
    return 1;
  }
  const built = buildNetwork(
    { entry: checked.value.program.entry, scopes: checked.value.scopes },
    values.search ? { search: values.search } : {},
  );
  if (!built.value) {
    io.stderr(formatDiagnostics(built.diagnostics, { format: 'pretty', color: io.color }));
    return 1;
  }
  const tables = lower(built.value).tables.map((t) => ({ ...t, keep: keep ?? t.keep }));
  const alphas = parseAlphas(
    readUserFile(resolve(io.cwd, values.alphas), values.alphas),
    values.alphas,
    tables,
  );
  for (const t of tables) {
    const edges = Math.min(...t.nodeEdges.map((n) => n.length));
    if (t.keep > edges)
      throw new UsageError(`--keep ${t.keep} is more than the ${edges} edges of a ${t.name} node`);
  }
  const genotype = deriveGenotype(tables, alphas);
  const literal = genotypeLiteral(genotype, `Derived by dartsc derive from ${values.alphas}.`);
  io.stdout(values.json ? JSON.stringify(genotypeJson(genotype), null, 2) + '\n' : literal);
  return 0;
}

/** α by table name, checked against the tables' shapes. */
function parseAlphas(
  text: string,
  name: string,
  tables: readonly { name: string; rows: number; columns: readonly string[] }[],
) {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not JSON (${(error as Error).message})`);
  }
  const out: Record<string, number[][]> = {};
  for (const t of tables) {
    const rows = (data as Record<string, unknown>)[t.name];
    const ok =
      Array.isArray(rows) &&
      rows.length === t.rows &&
      rows.every(
        (r) =>
          Array.isArray(r) &&
          r.length === t.columns.length &&
          r.every((v) => typeof v === 'number' && Number.isFinite(v)),
      );
    if (!ok)
      throw new UsageError(
        `${name}: \`${t.name}\` must be ${t.rows} rows of ${t.columns.length} numbers (the ${t.name} cell's α)`,
      );
    out[t.name] = rows as number[][];
  }
  return out;
}
