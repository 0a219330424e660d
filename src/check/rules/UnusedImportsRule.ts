import { diagnostic } from '../../diagnostics/Diagnostic.js';
import type { CheckContext, Visitor } from '../CheckContext.js';

/**
 * Unused imports: an import none of whose declarations is used is reported (W0201), since
 * it only slows checking and may hide a name clash. Not reported in a module with errors:
 * an unresolved name may well be meant for that import. See grammar/README.md#imports.
 */
export function UnusedImportsRule(ctx: CheckContext): Visitor {
  return {
    leave: () => {
      if (ctx.errorCount() > 0) return;
      for (const imp of ctx.module.imports) {
        if (!imp.module || ctx.scope.used.has(imp.module)) continue;
        const module = imp.node.module?.map((n) => n.value).join('.') ?? imp.node.file!.value;
        ctx.report(diagnostic('W0201', imp.node.span, { module }));
      }
    },
  };
}
