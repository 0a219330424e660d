import { genotypeLiteral } from '../elaborate/genotypes.js';
import { alphasMismatch, readAlphas } from '../ir/alphasFile.js';
import { deriveGenotype, genotypeJson, type Genotype } from '../ir/genotype.js';
import type { IrTable } from '../ir/graph.js';
import type { Program } from './compile.js';
import { defaultMethod } from '../intrinsics/methods.js';
import { searchMethod } from '../runtime/methods/searchMethod.js';
import { requestNetwork } from './network.js';
import { checkInteger, OptionError, type Result } from './result.js';

export interface DeriveOptions {
  /** The search block whose supernet the α belong to (default: the first). */
  readonly search?: string;
  /** Edges each node keeps, instead of the cell's `keep`. */
  readonly keep?: number;
  /** Where the α come from, for the literal's comment (e.g. a file name). */
  readonly from?: string;
}

export interface Derived {
  readonly genotype: Genotype;
  /** The reference's JSON form (`normal`, `normal_concat`, ...). */
  readonly genotypeJson: Record<string, unknown>;
  /** The genotype as a `.darts` literal. */
  readonly literal: string;
}

/**
 * The genotype of saved α (a run's `alphas.json`, parsed: per table its `columns`, `rows` and
 * `alpha`, or in older files only the rows, `{ normal: [[...], ...] }`), so that the derivation
 * can be revisited without searching again. α of the wrong shape, named α whose columns or
 * rows differ from the spec's, or a `keep` above a node's edges, are an `OptionError`.
 */
export function derive(
  program: Program,
  alphas: unknown,
  options: DeriveOptions = {},
): Result<Derived> {
  checkInteger('--keep', options.keep, 1);
  const built = requestNetwork(program, options.search ? { search: options.search } : {});
  if (!built.value) return { diagnostics: built.diagnostics };
  const tables = built.value.graph.tables.map((t) => ({ ...t, keep: options.keep ?? t.keep }));
  const byTable = checkAlphas(alphas, options.from ?? 'the α', tables);
  for (const t of tables) {
    const edges = Math.min(...t.nodeEdges.map((n) => n.length));
    if (t.keep > edges)
      throw new OptionError(`--keep ${t.keep} is more than the ${edges} edges of a ${t.name} node`);
  }
  const block = options.search
    ? program.searches.find((s) => s.config.name === options.search)
    : program.searches[0];
  const method = searchMethod(block?.config.method ?? defaultMethod);
  const genotype = deriveGenotype(tables, byTable, method.probabilities);
  const from = options.from ? ` from ${options.from}` : '';
  return {
    value: {
      genotype,
      genotypeJson: genotypeJson(genotype),
      literal: genotypeLiteral(genotype, `Derived by dartsc derive${from}.`),
    },
    diagnostics: [],
  };
}

/**
 * α by table name, checked against the spec's tables: named α (`alphas.json` since it names
 * its columns and rows) must name the same candidates and edges, and hold no table the spec
 * lacks; older unnamed α only need the shapes. A renamed cell is not refused by itself.
 */
function checkAlphas(data: unknown, name: string, tables: readonly IrTable[]) {
  const read = readAlphas(data);
  if ('problem' in read) throw new OptionError(`${name}: ${read.problem}`);
  const other = (problem: string) =>
    new OptionError(`${name}: ${problem}: these α are from another spec (or the spec changed)`);
  const out: Record<string, readonly (readonly number[])[]> = {};
  for (const t of tables) {
    const saved = Object.hasOwn(read.tables, t.name) ? read.tables[t.name] : undefined;
    const mismatch = saved && alphasMismatch(saved, t);
    if (mismatch) throw other(mismatch);
    const rows = saved?.alpha;
    if (rows?.length !== t.rows || !rows.every((r) => r.length === t.columns.length))
      throw new OptionError(
        `${name}: \`${t.name}\` must be ${t.rows} rows of ${t.columns.length} numbers (the ${t.name} cell's α)`,
      );
    out[t.name] = rows;
  }
  const named = Object.values(read.tables).some((t) => t.columns ?? t.rows);
  const extra = Object.keys(read.tables).find((k) => !tables.some((t) => t.name === k));
  if (named && extra !== undefined)
    throw other(
      `the spec has no table \`${extra}\` (it has ${tables.map((t) => `\`${t.name}\``).join(', ')})`,
    );
  return out;
}
