import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import type { CheckContext, Visitor } from '../CheckContext.js';

/** The annotations a primitive can carry, with what each declares. */
const annotations: Record<string, string> = {
  excluded_from_genotype: 'never chosen when deriving a genotype (the `none` op)',
  bn_after_in_search: 'followed by a non-affine batch norm in the search supernet (DARTS pools)',
};

/**
 * Annotations: only the declared ones exist (E0213), take no arguments (E0220), and apply
 * to primitives only (E0217). Behaviour keyed on op names is exactly what the reference code got wrong; these
 * make it declared. See grammar/README.md#annotations.
 */
export function AnnotationsRule(ctx: CheckContext): Visitor {
  return {
    Annotation: (annotation, ancestors) => {
      const name = annotation.name.value;
      const available = Object.keys(annotations);
      if (!Object.hasOwn(annotations, name)) {
        ctx.report(
          diagnostic(
            'E0213',
            annotation.span,
            { name },
            {
              help: { suggestions: suggest(name, available), available },
            },
          ),
        );
        return;
      }
      // No annotation takes arguments; ignoring them would hide a misunderstanding.
      const args = annotation.args ?? [];
      if (args.length > 0)
        ctx.report(
          diagnostic('E0220', args[0]!.span, { callee: `@${name}`, max: 0, found: args.length }),
        );
      const target = ancestors[ancestors.length - 1];
      if (target && target.kind !== 'Primitive') {
        ctx.report(
          diagnostic(
            'E0217',
            annotation.span,
            { name, target: `a \`${target.kind.toLowerCase()}\` declaration` },
            {
              help: { allowed: '`primitive` declarations' },
            },
          ),
        );
      }
    },
  };
}
