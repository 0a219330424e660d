import type { ExpressionNode, GenotypeNode, SettingNode } from '../ast/nodes.js';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { blockSettings, describeBlock } from '../intrinsics/settings.js';
import type { SourceFile, Span } from '../source/SourceFile.js';
import { parse } from '../syntax/parse.js';
import { suggest } from '../util/suggest.js';
import type { CellChoice } from './cellParts.js';

type Read = { value?: Map<string, CellChoice>; diagnostics: Diagnostic[] };

/**
 * Reads a file holding one `genotype` literal, such as the `genotype.darts` a run writes, into
 * the choice per cell role. Its pairs name candidates without importing them, so it is read
 * from its syntax rather than evaluated; whether each op is a candidate of the cell is checked
 * when the cell is built, as for a genotype JSON file.
 */
export function genotypeFromLiteral(file: SourceFile): Read {
  const parsed = parse(file);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: [...parsed.diagnostics] };
  const decls = parsed.value.items.filter((i): i is GenotypeNode => i.kind === 'Genotype');
  if (decls.length !== 1) {
    const found = decls.length === 0 ? 'no genotype' : `${decls.length} genotypes`;
    const problem = `${file.name} declares ${found}, where one is expected`;
    const hint = 'give a file with one `genotype Name { normal [...] normal_concat [...] }`';
    return {
      diagnostics: [
        diagnostic('E0404', decls[1]?.span ?? file.span(0, 0), { problem }, { help: { hint } }),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const settings = knownSettings(decls[0]!, diagnostics);
  const out = new Map<string, CellChoice>();
  for (const role of ['normal', 'reduce']) {
    const pairs = settings.get(role);
    if (!pairs) continue;
    const choice = readChoice(role, pairs, settings.get(`${role}_concat`), diagnostics);
    if (choice) out.set(role, choice);
  }
  if (out.size === 0 && !hasErrors(diagnostics)) {
    const problem = `genotype \`${decls[0]!.name.value}\` has neither \`normal\` nor \`reduce\``;
    const hint = 'add `normal [(op, input), ...]`';
    diagnostics.push(diagnostic('E0404', decls[0]!.name.span, { problem }, { help: { hint } }));
  }
  return hasErrors(diagnostics) ? { diagnostics } : { value: out, diagnostics };
}

/** The settings of the declaration, as the checker would take them (E0206, E0207, E0216). */
function knownSettings(decl: GenotypeNode, diagnostics: Diagnostic[]): Map<string, SettingNode> {
  const allowed = Object.keys(blockSettings.genotype);
  const block = describeBlock('genotype', decl.name.value);
  const seen = new Map<string, SettingNode>();
  for (const item of decl.body.items) {
    if (item.kind === 'NodeDecl') {
      diagnostics.push(diagnostic('E0216', item.span, { block }));
      continue;
    }
    const key = item.key.value;
    const earlier = seen.get(key);
    if (!allowed.includes(key)) {
      const help = { suggestions: suggest(key, allowed), allowed };
      diagnostics.push(diagnostic('E0206', item.key.span, { key, block }, { help }));
    } else if (earlier) {
      const labels = [{ span: earlier.key.span, message: 'first given here' }];
      diagnostics.push(diagnostic('E0207', item.key.span, { key }, { labels }));
    } else seen.set(key, item);
  }
  return seen;
}

/** One role's pairs and concat, each a literal list; undefined after a diagnostic. */
function readChoice(
  role: string,
  pairs: SettingNode,
  concat: SettingNode | undefined,
  diagnostics: Diagnostic[],
): CellChoice | undefined {
  const fail = (span: Span, problem: string, hint: string) =>
    void diagnostics.push(diagnostic('E0404', span, { problem }, { help: { hint } }));
  const notPairs = `\`${role}\` must be a list of (op, input) pairs`;
  const example = 'write a pair such as `(sep_conv_3x3, 0)`';
  const items = listElements(pairs.value);
  if (!items) return fail(pairs.value.span, notPairs, example);
  const read: CellChoice['pairs'][number][] = [];
  for (const item of items) {
    const [op, input, extra] = item.kind === 'Tuple' ? item.elements : [];
    if (extra || op?.kind !== 'Reference' || input?.kind !== 'IntLiteral')
      return fail(item.span, notPairs, example);
    read.push({ op: op.parts[op.parts.length - 1]!.value, input: input.value, span: item.span });
  }
  if (!concat) return { pairs: read, span: pairs.value.span };
  const states = listElements(concat.value);
  const hint =
    'list the states the cell output concatenates: 0 and 1 are the cell inputs, 2 + m is node m';
  if (!states || states.some((s) => s.kind !== 'IntLiteral'))
    return fail(concat.value.span, `\`${role}_concat\` must be a list of state indices`, hint);
  if (states.length === 0) return fail(concat.value.span, `\`${role}_concat\` is empty`, hint);
  return {
    pairs: read,
    concat: states.map((s) => (s as { value: number }).value),
    span: pairs.value.span,
    concatSpan: concat.value.span,
  };
}

function listElements(node: ExpressionNode): readonly ExpressionNode[] | undefined {
  return node.kind === 'List' ? node.elements : undefined;
}
