import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import type { CheckContext, Visitor } from '../CheckContext.js';
import type { Module, ResolvedImport } from '../loadProgram.js';
import { resolveReference } from '../scope.js';

/**
 * Known names: every reference names something in scope (E0201, with did-you-mean), and an
 * unqualified name imported from two modules must be qualified (E0209).
 * See grammar/README.md#names.
 */
/** How an import names a module: `std.ops2d`, or the file path as written. */
function importName(ctx: CheckContext, target: Module | ResolvedImport): string {
  const imp = 'node' in target ? target : ctx.module.imports.find((i) => i.module === target);
  const fallback = 'file' in target ? target.file.name : '';
  return imp?.node.module?.map((n) => n.value).join('.') ?? imp?.node.file?.value ?? fallback;
}

export function KnownNamesRule(ctx: CheckContext): Visitor {
  return {
    Reference: (ref, ancestors) => {
      const result = resolveReference(ctx.scope, ref, ancestors);
      if (result.kind !== 'unresolved') return;
      const name = ref.parts.map((p) => p.value).join('.');
      if (result.ambiguous) {
        const modules = result.ambiguous.map((s) => importName(ctx, s.module));
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
            help: {
              suggestions: suggest(name, result.candidates),
              ...(result.setting
                ? {
                    hint: `\`${result.setting.key}\` takes ${result.setting.vocabulary.map((w) => `\`${w}\``).join(', ')}`,
                  }
                : {}),
            },
            notes: ctx.module.imports
              .filter((i) => !i.module)
              .map(
                (i) =>
                  `the import of \`${importName(ctx, i)}\` failed, and it may be what declares this name`,
              ),
          },
        ),
      );
    },
  };
}
