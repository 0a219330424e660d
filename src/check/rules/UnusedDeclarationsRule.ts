import type { DeclarationNode } from '../../ast/nodes.js';
import { diagnostic } from '../../diagnostics/Diagnostic.js';
import type { CheckContext, Visitor } from '../CheckContext.js';
import { resolveReference } from '../scope.js';

/**
 * Unused declarations: in the file being checked, when it describes a network (it has a
 * `space` or a `search`), a primitive, cell or `let` that nothing uses is reported (W0203):
 * it is checked by nobody, and usually a candidate someone forgot to list. Library files,
 * which only declare, are not warned about. See grammar/README.md#names.
 */
export function UnusedDeclarationsRule(ctx: CheckContext): Visitor {
  const used = new Set<DeclarationNode>();
  return {
    Reference: (ref, ancestors) => {
      const r = resolveReference(ctx.scope, ref, ancestors);
      if (r.kind === 'decl' && r.symbol.module === ctx.module) used.add(r.symbol.decl);
    },
    leave: () => {
      if (!ctx.isEntry || ctx.errorCount() > 0) return;
      const items = ctx.module.ast.items;
      if (!items.some((i) => i.kind === 'Space' || i.kind === 'Search')) return;
      for (const item of items) {
        if (
          (item.kind === 'Primitive' || item.kind === 'Cell' || item.kind === 'Let') &&
          !used.has(item)
        ) {
          ctx.report(
            diagnostic('W0203', item.name.span, {
              kind: item.kind === 'Let' ? '`let`' : item.kind.toLowerCase(),
              name: item.name.value,
            }),
          );
        }
      }
    },
  };
}
