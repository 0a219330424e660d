import { diagnostic } from '../../diagnostics/Diagnostic.js';
import type { NameNode } from '../../ast/nodes.js';
import type { CheckContext, Visitor } from '../CheckContext.js';

/**
 * Unique names: a declaration name (E0202) and a parameter name within one declaration
 * (E0205) may appear only once, so every reference has exactly one meaning.
 * See grammar/README.md#names.
 */
export function UniqueNamesRule(ctx: CheckContext): Visitor {
  const reportDuplicates = (names: readonly NameNode[], code: 'E0202' | 'E0205') => {
    const first = new Map<string, NameNode>();
    for (const name of names) {
      const earlier = first.get(name.value);
      if (!earlier) {
        first.set(name.value, name);
        continue;
      }
      ctx.report(
        diagnostic(
          code,
          name.span,
          { name: name.value },
          {
            label: 'declared again here',
            labels: [{ span: earlier.span, message: 'first declared here' }],
          },
        ),
      );
    }
  };
  const params = (node: { params?: readonly { name: NameNode }[] }) =>
    reportDuplicates(
      (node.params ?? []).map((p) => p.name),
      'E0205',
    );
  return {
    Program: (program) =>
      reportDuplicates(
        program.items.flatMap((i) => (i.kind !== 'Import' && i.name ? [i.name] : [])),
        'E0202',
      ),
    Primitive: params,
    Cell: params,
    Space: params,
  };
}
