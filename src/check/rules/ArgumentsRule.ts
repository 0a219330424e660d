import type { CallNode } from '../../ast/nodes.js';
import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import type { CheckContext, Visitor } from '../CheckContext.js';
import { calleeParams, resolveReference } from '../scope.js';

/**
 * Arguments: a call passes positional arguments before named ones (E0219), names each
 * parameter at most once (E0218), uses only parameters the callee has (E0215), passes no
 * more than it takes (E0220) and every required one (E0221). See grammar/README.md#calls.
 */
export function ArgumentsRule(ctx: CheckContext): Visitor {
  return {
    Call: (call, ancestors) => {
      const resolution = resolveReference(ctx.scope, call.callee, [...ancestors, call]);
      if (resolution.kind === 'unresolved') return;
      const params = calleeParams(resolution);
      if (!params) return;
      checkCall(ctx, call, params);
    },
  };
}

function checkCall(
  ctx: CheckContext,
  call: CallNode,
  params: readonly { name: string; default?: unknown }[],
) {
  const callee = call.callee.parts.map((p) => p.value).join('.');
  const names = params.map((p) => p.name);
  const given = new Set<string>();
  let sawNamed = false;
  let positional = 0;
  let reported = false;
  for (const arg of call.args) {
    if (!arg.name) {
      if (sawNamed) {
        ctx.report(diagnostic('E0219', arg.span, {}));
        reported = true;
      } else if (positional === params.length) {
        reported = true;
        ctx.report(
          diagnostic('E0220', arg.span, { callee, max: params.length, found: call.args.length }),
        );
      } else given.add(names[positional]!);
      positional++;
      continue;
    }
    sawNamed = true;
    const name = arg.name.value;
    if (!names.includes(name)) {
      ctx.report(
        diagnostic(
          'E0215',
          arg.name.span,
          { name, callee },
          {
            help: { suggestions: suggest(name, names), params: names },
          },
        ),
      );
    } else if (given.has(name)) {
      ctx.report(diagnostic('E0218', arg.name.span, { name }));
    } else given.add(name);
  }
  const missing = params.find((p) => !('default' in p) && !given.has(p.name));
  // A misplaced or extra argument was probably meant for the missing one: say it once.
  if (missing && !reported) {
    ctx.report(
      diagnostic(
        'E0221',
        call.span,
        { callee, name: missing.name },
        {
          help: { example: `${callee}(..., ${missing.name}: ...)` },
        },
      ),
    );
  }
}
