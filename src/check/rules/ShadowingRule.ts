import type { NameNode } from '../../ast/nodes.js';
import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { isIntrinsic } from '../../intrinsics/registry.js';
import type { CheckContext, Visitor } from '../CheckContext.js';

/**
 * Shadowing: a declaration that hides an intrinsic op or an imported declaration, and a
 * parameter that hides a declaration, are warned about (W0202). Hiding is allowed, since a
 * local name wins, but an accidental `primitive relu` changes every cell that uses `relu`.
 * See grammar/README.md#names.
 */
export function ShadowingRule(ctx: CheckContext): Visitor {
  const hidden = (name: string): string | undefined => {
    const imported = ctx.scope.imported.get(name)?.[0];
    if (imported) {
      const imp = ctx.module.imports.find((i) => i.module === imported.module);
      const from = imp?.node.module?.map((n) => n.value).join('.') ?? imp?.node.file?.value;
      return `the declaration imported from \`${from}\``;
    }
    return isIntrinsic(name) ? `the intrinsic op \`${name}\`` : undefined;
  };
  const warn = (name: NameNode, shadowed: string | undefined) => {
    if (shadowed) ctx.report(diagnostic('W0202', name.span, { name: name.value, shadowed }));
  };
  const params = (node: { params?: readonly { name: NameNode }[] }) => {
    for (const p of node.params ?? []) {
      const own = ctx.scope.own.has(p.name.value)
        ? `the declaration \`${p.name.value}\` of this file`
        : undefined;
      warn(p.name, own ?? hidden(p.name.value));
    }
  };
  return {
    Program: (program) => {
      for (const item of program.items) {
        if (item.kind !== 'Import' && item.name) warn(item.name, hidden(item.name.value));
      }
    },
    Primitive: params,
    Cell: params,
    Space: params,
  };
}
