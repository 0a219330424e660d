import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import type { CheckContext, Visitor } from '../CheckContext.js';

/** The tensor types, with how many dimensions each takes (batch implicit). */
export const tensorTypes: Record<string, number> = { Vec: 1, Seq: 2, Img: 3, Logits: 1, Tokens: 1 };
/** The types a declaration parameter can have. */
export const paramTypes = ['int', 'float', 'bool', 'string'];

/**
 * Known types: tensor types are `Vec`, `Seq`, `Img`, `Logits` and `Tokens` (E0211), and
 * parameters are `int`, `float`, `bool` or `string` (E0212). See grammar/README.md#types.
 */
export function KnownTypesRule(ctx: CheckContext): Visitor {
  return {
    TensorType: (type) => {
      const name = type.name.value;
      if (Object.hasOwn(tensorTypes, name)) return;
      const available = Object.keys(tensorTypes);
      ctx.report(
        diagnostic(
          'E0211',
          type.name.span,
          { name },
          {
            help: { suggestions: suggest(name, available), available },
          },
        ),
      );
    },
    Param: (param) => {
      const name = param.type.value;
      if (paramTypes.includes(name)) return;
      ctx.report(
        diagnostic(
          'E0212',
          param.type.span,
          { name },
          {
            help: { suggestions: suggest(name, paramTypes), available: paramTypes },
          },
        ),
      );
    },
  };
}
