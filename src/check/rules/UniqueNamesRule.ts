import { diagnostic } from '../../diagnostics/Diagnostic.js';
import type { ImportNode, NameNode } from '../../ast/nodes.js';
import type { Span } from '../../source/SourceFile.js';
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
    Program: (program) => {
      reportDuplicates(
        program.items.flatMap((i) => (i.kind !== 'Import' && i.name ? [i.name] : [])),
        'E0202',
      );
      reportQualifierClashes(
        ctx,
        program.items.filter((i): i is ImportNode => i.kind === 'Import'),
      );
    },
    Primitive: params,
    Cell: params,
    Space: params,
  };
}

// Two imports of different modules under one qualifier: the second would silently hide
// the first (`ops.none` would mean another module's `none`).
function reportQualifierClashes(ctx: CheckContext, imports: readonly ImportNode[]): void {
  const first = new Map<string, { target: string; span: Span }>();
  for (const imp of imports) {
    const path = imp.module?.map((n) => n.value) ?? [];
    const target = imp.file ? `file:${imp.file.value}` : path.join('.');
    const fileName = imp.file?.value
      .split('/')
      .pop()
      ?.replace(/\.[^.]*$/, '');
    const qualifier = imp.alias?.value ?? (imp.file ? fileName : path[path.length - 1]);
    if (!qualifier) continue;
    const span = imp.alias?.span ?? imp.span;
    const earlier = first.get(qualifier);
    if (!earlier) {
      first.set(qualifier, { target, span });
      continue;
    }
    if (earlier.target === target) continue;
    ctx.report(
      diagnostic(
        'E0202',
        span,
        { name: qualifier },
        {
          label: 'a second import named this',
          labels: [{ span: earlier.span, message: 'first imported under this name' }],
        },
      ),
    );
  }
}
