import { formatShape } from '../intrinsics/tensorType.js';
import type { IrGraph, IrNode } from './graph.js';
import { graphParams, siteLabel } from './graph.js';

/**
 * A stable text dump of the IR: one line per node (`%id = op inputs {attrs} : type [params]
 * @site name`), tables first, totals last. Deterministic, so dumps serve as golden files.
 */
export function printIr(graph: IrGraph): string {
  const lines = [`${graph.kind} ${graph.space}`];
  for (const t of graph.tables) {
    const columns = t.columns.map((c, i) => (t.excluded[i] ? `${c}*` : c)).join(', ');
    lines.push(
      `table ${t.name} ${t.rows} x ${t.columns.length} [${columns}] keep ${t.keep} concat [${t.concat.join(', ')}]`,
    );
  }
  for (const node of graph.nodes) lines.push(printNode(node));
  lines.push(`output %${graph.output}`);
  if (graph.aux !== undefined) lines.push(`aux %${graph.aux}`);
  lines.push(
    `params ${graphParams(graph)}${graph.aux !== undefined ? ` aux ${graphParams(graph, false) - graphParams(graph)}` : ''}`,
  );
  return lines.join('\n') + '\n';
}

function printNode(node: IrNode): string {
  const inputs = node.inputs.map((i) => `%${i}`).join(', ');
  const type = formatShape(node.type);
  switch (node.op) {
    case 'input':
      return `%${node.id} = input : ${type}`;
    case 'mixed':
      return `%${node.id} = mixed ${node.table}[${node.row}] (${inputs}) : ${type}  ${siteLabel(node.site)}  ${node.name}`;
    default: {
      const attrs = Object.entries(node.attrs)
        .map(([k, v]) => `${k}: ${v === null ? (k === 'affine' ? String(node.affine) : '-') : v}`)
        .join(', ');
      const params = node.params ? ` [${node.params}]` : '';
      return `%${node.id} = ${node.op} (${inputs})${attrs ? ` {${attrs}}` : ''} : ${type}${params}  ${siteLabel(node.site)}  ${node.name}`;
    }
  }
}
