import { outputName } from '../ir/cellStates.js';
import type { DrawnCell } from './drawnCell.js';

/** Colours of the three kinds of state, after the reference DARTS drawing (visualize.py). */
const fill = { input: '#c1e1c1', node: '#add8e6', output: '#eee8aa' } as const;

/**
 * A derived cell as a Graphviz digraph, laid out left to right like the reference's drawing:
 * the inputs, the nodes, the output joined from the concatenated states, and one edge per
 * kept (op, input) pair labelled with its op. `colors` gives an op's edge colour (the same
 * colour as in the α charts). Every name is quoted and escaped: op names are the user's.
 */
export function cellDot(cell: DrawnCell, colors: ReadonlyMap<string, string> = new Map()): string {
  const lines = [
    `digraph ${quote(cell.role)} {`,
    // Graphviz prefixes the SVG's element ids with this one: two cells inline in one page
    // would otherwise share `node1`, `edge1`, ...
    `  id=${quote(`cell_${cell.role}`)};`,
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=14, bgcolor="transparent", nodesep=0.3, ranksep=0.6];`,
    `  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=14, height=0.4, penwidth=1.5];`,
    `  edge [fontname="Helvetica", fontsize=12, penwidth=1.5, arrowsize=0.7];`,
    ...cell.inputs.map((s) => `  ${quote(s)} [fillcolor="${fill.input}"];`),
    ...cell.nodes.map((n) => `  ${quote(n.name)} [fillcolor="${fill.node}"];`),
    `  ${quote(outputName)} [fillcolor="${fill.output}"];`,
  ];
  for (const node of cell.nodes)
    for (const { op, from } of node.edges) {
      const color = colors.get(op) ?? '#555555';
      lines.push(
        `  ${quote(from)} -> ${quote(node.name)} [label=${quote(op)}, color=${quote(color)}, fontcolor=${quote(color)}];`,
      );
    }
  for (const state of cell.output)
    lines.push(`  ${quote(state)} -> ${quote(outputName)} [color="#999999", style=dashed];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** A DOT double-quoted string: only `"` and `\` are special inside one; newlines are cut. */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
}
