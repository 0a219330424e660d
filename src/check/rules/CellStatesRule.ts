import type { NameNode } from '../../ast/nodes.js';
import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import type { CheckContext, Visitor } from '../CheckContext.js';
import { cellInputs } from '../scope.js';

/**
 * Cell states: inputs and nodes of a cell have distinct names (E0214), and a `node` reads
 * only states declared before it (E0201), which keeps every cell a DAG.
 * See grammar/README.md#cells.
 */
export function CellStatesRule(ctx: CheckContext): Visitor {
  return {
    Cell: (cell) => {
      if (cell.body.kind !== 'Block') return;
      const inputs = cellInputs(cell);
      const labels =
        cell.signature?.input.kind === 'TupleType'
          ? cell.signature.input.elements.flatMap((e) => (e.label ? [e.label] : []))
          : [];
      const defined = new Map<string, NameNode | undefined>(inputs.map((n) => [n, undefined]));
      for (const label of labels) defined.set(label.value, label);
      const seenLabels = new Map<string, NameNode>();
      for (const label of labels) {
        const earlier = seenLabels.get(label.value);
        if (earlier) duplicate(ctx, label, earlier);
        seenLabels.set(label.value, label);
      }
      const nodes = cell.body.items.filter((i) => i.kind === 'NodeDecl');
      for (const item of nodes) {
        for (const input of item.inputs) {
          if (defined.has(input.value)) continue;
          const later = nodes.find((n) => n.name.value === input.value);
          ctx.report(
            diagnostic(
              'E0201',
              input.span,
              { name: input.value, what: 'state' },
              {
                label: later ? 'declared below this node' : 'not an input or node of this cell',
                labels: later ? [{ span: later.name.span, message: 'declared here' }] : [],
                help: {
                  suggestions: later ? [] : suggest(input.value, defined.keys()),
                  hint: 'a node reads the cell inputs and the nodes declared above it, which keeps the cell acyclic',
                },
              },
            ),
          );
        }
        if (defined.has(item.name.value)) {
          const earlier = defined.get(item.name.value);
          if (earlier) duplicate(ctx, item.name, earlier);
          else ctx.report(diagnostic('E0214', item.name.span, { name: item.name.value }));
        } else defined.set(item.name.value, item.name);
      }
    },
  };
}

function duplicate(ctx: CheckContext, name: NameNode, earlier: NameNode) {
  ctx.report(
    diagnostic(
      'E0214',
      name.span,
      { name: name.value },
      {
        labels: [{ span: earlier.span, message: 'first defined here' }],
      },
    ),
  );
}
