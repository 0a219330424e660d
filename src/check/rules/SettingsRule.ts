import type { BlockNode, DeclarationNode, SettingNode } from '../../ast/nodes.js';
import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import type { CheckContext, Visitor } from '../CheckContext.js';
import { blockKindOf } from '../scope.js';
import { blockSettings, describeBlock } from '../../intrinsics/settings.js';

/**
 * Settings: a block holds only the settings of its kind (E0206), each at most once (E0207),
 * with every required one present (E0208); `node` declarations belong in cells (E0216).
 * See grammar/README.md#blocks.
 */
export function SettingsRule(ctx: CheckContext): Visitor {
  const checkBlock = (decl: DeclarationNode, body: BlockNode) => {
    const kind = blockKindOf(decl)!;
    const name = 'name' in decl && decl.name ? decl.name.value : undefined;
    const block = describeBlock(kind, name);
    const specs = blockSettings[kind];
    const seen = new Map<string, SettingNode>();
    for (const item of body.items) {
      if (item.kind === 'NodeDecl') {
        if (kind !== 'cell') ctx.report(diagnostic('E0216', item.span, { block }));
        continue;
      }
      const key = item.key.value;
      if (!Object.hasOwn(specs, key)) {
        const allowed = Object.keys(specs);
        ctx.report(
          diagnostic(
            'E0206',
            item.key.span,
            { key, block },
            {
              help: { suggestions: suggest(key, allowed), allowed },
            },
          ),
        );
        continue;
      }
      const earlier = seen.get(key);
      if (earlier) {
        ctx.report(
          diagnostic(
            'E0207',
            item.key.span,
            { key },
            {
              labels: [{ span: earlier.key.span, message: 'first given here' }],
            },
          ),
        );
      } else seen.set(key, item);
    }
    const hasNodes = body.items.some((i) => i.kind === 'NodeDecl');
    for (const [key, spec] of Object.entries(specs)) {
      if (!spec.required || seen.has(key)) continue;
      ctx.report(
        diagnostic(
          'E0208',
          decl.span.file.span(body.span.start, body.span.start + 1),
          { key, block },
          {
            help: { example: spec.example },
            label: `this block needs \`${key}\``,
          },
        ),
      );
    }
    if (kind === 'cell' && !hasNodes && !seen.has('nodes')) {
      ctx.report(
        diagnostic(
          'E0208',
          decl.span.file.span(body.span.start, body.span.start + 1),
          { key: 'nodes', block },
          {
            help: { example: blockSettings.cell.nodes!.example },
            label: 'this cell declares no nodes',
          },
        ),
      );
    }
  };
  return {
    Cell: (cell) => {
      if (cell.body.kind === 'Block') checkBlock(cell, cell.body);
    },
    Space: (space) => checkBlock(space, space.body),
    Search: (search) => checkBlock(search, search.body),
    Genotype: (genotype) => checkBlock(genotype, genotype.body),
  };
}
