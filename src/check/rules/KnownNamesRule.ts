import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import type { CheckContext, Visitor } from '../CheckContext.js';
import { resolveReference } from '../scope.js';

/**
 * Known names: every reference names something in scope (E0201, with did-you-mean), and an
 * unqualified name imported from two modules must be qualified (E0209).
 * See grammar/README.md#names.
 */
export function KnownNamesRule(ctx: CheckContext): Visitor {
  return {
    Reference: (ref, ancestors) => {
      const result = resolveReference(ctx.scope, ref, ancestors);
      if (result.kind !== 'unresolved') return;
      const name = ref.parts.map((p) => p.value).join('.');
      if (result.ambiguous) {
        const modules = result.ambiguous.map((s) => s.module.file.name);
        const qualifier = ctx.module.imports.find((i) => i.module === result.ambiguous![0]!.module);
        ctx.report(
          diagnostic(
            'E0209',
            ref.span,
            { name, modules },
            {
              help: { qualified: `${qualifier?.qualifier ?? 'module'}.${name}` },
            },
          ),
        );
        return;
      }
      const parent = ancestors[ancestors.length - 1];
      const what =
        parent?.kind === 'Call' && parent.callee === ref ? 'function or primitive' : 'name';
      ctx.report(
        diagnostic(
          'E0201',
          ref.span,
          { name, what },
          {
            label: 'not found in this scope',
            help: { suggestions: suggest(name, result.candidates) },
          },
        ),
      );
    },
  };
}
