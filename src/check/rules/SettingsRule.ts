import type { BlockNode, DeclarationNode, SettingNode } from '../../ast/nodes.js';
import { diagnostic } from '../../diagnostics/Diagnostic.js';
import { suggest } from '../../util/suggest.js';
import { isStemKey } from '../../ast/spaceStems.js';
import type { CheckContext, Visitor } from '../CheckContext.js';
import { blockKindOf } from '../scope.js';
import { blockSettings, describeBlock, type BlockKind } from '../../intrinsics/settings.js';

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
    const seen = knownSettings(ctx, kind, body, block);
    const start = decl.span.file.span(body.span.start, body.span.start + 1);
    for (const [key, spec] of Object.entries(blockSettings[kind])) {
      if (!spec.required || seen.has(key)) continue;
      const help = { example: spec.example };
      ctx.report(
        diagnostic('E0208', start, { key, block }, { help, label: `this block needs \`${key}\`` }),
      );
    }
    const hasNodes = body.items.some((i) => i.kind === 'NodeDecl');
    if (kind === 'cell' && !hasNodes && !seen.has('nodes')) {
      const help = { example: blockSettings.cell.nodes!.example };
      const label = 'this cell declares no nodes';
      ctx.report(diagnostic('E0208', start, { key: 'nodes', block }, { help, label }));
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

/**
 * The settings of a block that its kind knows, each reported unless known (E0206) and given
 * once (E0207); `node` declarations outside cells are E0216.
 */
function knownSettings(
  ctx: CheckContext,
  kind: BlockKind,
  body: BlockNode,
  block: string,
): Map<string, SettingNode> {
  const specs = blockSettings[kind];
  const seen = new Map<string, SettingNode>();
  for (const item of body.items) {
    if (item.kind === 'NodeDecl') {
      if (kind !== 'cell') ctx.report(diagnostic('E0216', item.span, { block }));
      continue;
    }
    const key = item.key.value;
    const earlier = seen.get(key);
    if (item.from && kind !== 'space') {
      const span = item.span.file.span(item.from[0]!.span.start, item.span.end);
      ctx.report(diagnostic('E0224', span, { block }));
    }
    if (!Object.hasOwn(specs, key) && !(kind === 'space' && isStemKey(key))) {
      const allowed = Object.keys(specs);
      const help = { suggestions: suggest(key, allowed), allowed };
      ctx.report(diagnostic('E0206', item.key.span, { key, block }, { help }));
    } else if (earlier) {
      const labels = [{ span: earlier.key.span, message: 'first given here' }];
      ctx.report(diagnostic('E0207', item.key.span, { key }, { labels }));
    } else seen.set(key, item);
  }
  return seen;
}
