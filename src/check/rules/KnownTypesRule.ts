import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import { typeArity } from '../../intrinsics/tensorType.js';
import type { CheckContext, Visitor } from '../CheckContext.js';

/** The types a declaration parameter can have. */
const paramTypes = ['int', 'float', 'bool', 'string'];

/**
 * Known types: tensor types are `Vec`, `Seq`, `Img`, `Logits` and `Tokens` (E0211) with
 * their number of dimensions (E0301), and parameters are `int`, `float`, `bool` or `string`
 * (E0212). See grammar/README.md#types.
 */
export function KnownTypesRule(ctx: CheckContext): Visitor {
  return {
    TensorType: (type) => {
      const name = type.name.value;
      const arity = typeArity[name];
      if (arity !== undefined && arity !== type.dims.length) {
        const example = `${name}[${['H', 'W', 'C'].slice(3 - arity).join(', ')}]`;
        ctx.report(
          diagnostic(
            'E0301',
            type.span,
            { type: name, expected: arity, found: type.dims.length },
            {
              help: {
                example: name === 'Seq' ? 'Seq[L, C]' : arity === 1 ? `${name}[C]` : example,
              },
            },
          ),
        );
      }
      if (arity !== undefined) return;
      const available = Object.keys(typeArity);
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
