import { cellParams, countParams, networkParams, type NetworkModel } from '../elaborate/model.js';
import { formatShape } from '../intrinsics/tensorType.js';
import { printIr } from '../ir/print.js';
import type { Program } from './compile.js';
import { requestNetwork, type NetworkRequest } from './network.js';
import type { Result } from './result.js';

/** What `inspect` tells about a network. */
export interface Inspection {
  /** Shapes, parameter counts and α tables (`dartsc inspect --json`). */
  readonly summary: NetworkSummary;
  /** The cell the auxiliary head follows, when the network has one. */
  readonly auxAfter?: number;
  /** The IR as text (`dartsc inspect --ir`). */
  readonly ir: string;
}

/** The machine-readable summary of a network: params exclude α and the auxiliary head. */
export type NetworkSummary = ReturnType<typeof summarise>;

/** Shapes, parameter counts and α tables of the network a request names. */
export function inspect(program: Program, request: NetworkRequest = {}): Result<Inspection> {
  const built = requestNetwork(program, request);
  if (!built.value) return built as Result<never>;
  const { model, graph } = built.value;
  return {
    value: {
      summary: summarise(model),
      ...(model.aux ? { auxAfter: model.aux.after } : {}),
      ir: printIr(graph),
    },
    diagnostics: built.diagnostics,
  };
}

function summarise(net: NetworkModel) {
  return {
    space: net.space,
    network: net.mode === 'search' ? 'supernet' : 'derived',
    args: net.args,
    input: formatShape(net.input),
    output: formatShape(net.output),
    params: networkParams(net),
    aux_params: net.aux ? countParams(net.aux.uses) : 0,
    alphas: net.tables.reduce((s, t) => s + t.rows * t.columns.length, 0),
    stems: net.stems.map((s) => ({
      name: s.name,
      input: formatShape(s.input),
      output: formatShape(s.output),
      params: countParams(s.uses),
    })),
    cells: net.cells.map((c) => ({
      index: c.index,
      cell: c.name,
      role: c.role,
      reducing: c.reducing,
      C: c.C,
      inputs: c.inputs.map((i) => formatShape(i.type)),
      output: formatShape(c.output),
      edges: c.nodes.reduce((s, n) => s + n.edges.length, 0),
      params: cellParams(c),
    })),
    head: { output: formatShape(net.output), params: countParams(net.head) },
    tables: net.tables.map((t) => ({
      role: t.role,
      cell: t.cell,
      rows: t.rows,
      columns: t.columns.map((c) => c.name),
    })),
  };
}
