import { findSetting } from '../ast/findSetting.js';
import type * as A from '../ast/nodes.js';
import type { GenotypeNode } from '../ast/nodes.js';
import { printProgram } from '../ast/print.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { SourceFile } from '../source/SourceFile.js';
import type { CellChoice } from './cellParts.js';
import type { Evaluator } from './evaluate.js';
import type { Value } from './values.js';

/*
 * Genotypes as the elaborator reads them: a `genotype` literal of a spec, or the JSON a run
 * wrote (or the CANDLE library's four-element array), both into the choice per cell role.
 */

/** Genotype choices as JSON: `{ normal: [[op, input], ...], normal_concat: [...], ... }`. */
export function choicesJson(choices: ReadonlyMap<string, CellChoice>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [role, choice] of choices) {
    out[role] = choice.pairs.map((p) => [p.op, p.input]);
    if (choice.concat) out[`${role}_concat`] = [...choice.concat];
  }
  return out;
}

/**
 * Reads a genotype saved as JSON: `{ "normal": [["sep_conv_3x3", 0], ...], "normal_concat":
 * [2, 3, 4, 5], "reduce": [...], "reduce_concat": [...] }`, or the four-element array form
 * `[normal, normal_concat, reduce, reduce_concat]` that the CANDLE library stores.
 */
export function genotypeFromJson(file: SourceFile): {
  value?: Map<string, CellChoice>;
  diagnostics: Diagnostic[];
} {
  const whole = file.span(0, file.text.length);
  const fail = (problem: string) => ({
    diagnostics: [
      diagnostic(
        'E0404',
        whole,
        { problem },
        {
          help: {
            hint: 'write `{ "normal": [["sep_conv_3x3", 0], ...], "normal_concat": [2, 3, 4, 5], "reduce": [...], "reduce_concat": [...] }`',
          },
        },
      ),
    ],
  });
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (error) {
    return fail(`${file.name} is not JSON (${(error as Error).message})`);
  }
  if (Array.isArray(data) && data.length === 4) {
    data = { normal: data[0], normal_concat: data[1], reduce: data[2], reduce_concat: data[3] };
  }
  if (typeof data !== 'object' || data === null)
    return fail(`${file.name} holds no genotype object`);
  const record = data as Record<string, unknown>;
  const out = new Map<string, CellChoice>();
  for (const role of ['normal', 'reduce']) {
    const pairs = record[role];
    if (pairs === undefined) continue;
    const ok =
      Array.isArray(pairs) &&
      pairs.every(
        (p) =>
          Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && Number.isInteger(p[1]),
      );
    if (!ok) return fail(`\`${role}\` in ${file.name} must be a list of [op, input] pairs`);
    const concat = record[`${role}_concat`];
    if (
      concat !== undefined &&
      !(Array.isArray(concat) && concat.every((c) => Number.isInteger(c)))
    ) {
      return fail(`\`${role}_concat\` in ${file.name} must be a list of state indices`);
    }
    out.set(role, {
      pairs: (pairs as [string, number][]).map(([op, input]) => ({ op, input, span: whole })),
      ...(concat ? { concat: concat as number[] } : {}),
      span: whole,
    });
  }
  if (out.size === 0) return fail(`${file.name} has neither \`normal\` nor \`reduce\``);
  return { value: out, diagnostics: [] };
}

/** Reads a genotype literal into the choice per cell role (`normal`, `reduce`). */
export function genotypeChoice(
  evaluator: Evaluator,
  value: Value & { kind: 'decl' },
): Map<string, CellChoice> | undefined {
  const decl = value.symbol.decl as GenotypeNode;
  const module = value.symbol.module;
  const out = new Map<string, CellChoice>();
  for (const role of ['normal', 'reduce']) {
    const pairsSetting = findSetting(decl.body, role);
    if (!pairsSetting) continue;
    const list = evaluator.evaluate(pairsSetting.value, module, new Map());
    const spans =
      pairsSetting.value.kind === 'List' ? pairsSetting.value.elements.map((e) => e.span) : [];
    if (list.kind !== 'list')
      return void evaluator.mismatch(list, 'a list of (op, input) pairs', pairsSetting.value.span);
    const pairs: CellChoice['pairs'][number][] = [];
    for (const [i, item] of list.items.entries()) {
      const span = spans[i] ?? pairsSetting.value.span;
      const [op, input] = item.kind === 'tuple' ? item.items : [];
      if (
        item.kind !== 'tuple' ||
        item.items.length !== 2 ||
        op?.kind !== 'op' ||
        op.op.kind === 'compose' ||
        input?.kind !== 'int'
      ) {
        return void evaluator.mismatch(
          item,
          'an (op, input) pair such as `(sep_conv_3x3, 0)`',
          span,
        );
      }
      pairs.push({
        op: op.op.kind === 'primitive' ? op.op.symbol.decl.name.value : op.op.name,
        input: input.value,
        span,
      });
    }
    const concatSetting = findSetting(decl.body, `${role}_concat`);
    let concat: number[] | undefined;
    if (concatSetting) {
      const c = evaluator.evaluate(concatSetting.value, module, new Map());
      if (c.kind !== 'list' || c.items.some((x) => x.kind !== 'int'))
        return void evaluator.mismatch(c, 'a list of state indices', concatSetting.value.span);
      concat = c.items.map((x) => (x as { value: number }).value);
      if (!concatIndices(evaluator, concat, concatSetting, role)) return undefined;
    }
    const concatSpan = concatSetting ? { concatSpan: concatSetting.value.span } : {};
    out.set(role, {
      pairs,
      ...(concat ? { concat } : {}),
      span: pairsSetting.value.span,
      ...concatSpan,
    });
  }
  return out;
}

/**
 * A genotype literal's concat, before it meets a cell: not empty, no negative state (E0404).
 * Whether each state exists depends on the cell, and is checked when the cell is built.
 */
function concatIndices(
  evaluator: Evaluator,
  concat: readonly number[],
  setting: A.SettingNode,
  role: string,
): boolean {
  const elements = setting.value.kind === 'List' ? setting.value.elements : [];
  const negative = concat.findIndex((s) => s < 0);
  if (concat.length > 0 && negative < 0) return true;
  const problem =
    negative < 0
      ? `\`${role}_concat\` is empty`
      : `\`${role}_concat\` names state ${concat[negative]}, which does not exist`;
  const hint =
    'list the states the cell output concatenates: 0 and 1 are the cell inputs, 2 + m is node m';
  const span = elements[negative]?.span ?? setting.value.span;
  evaluator.report(diagnostic('E0404', span, { problem }, { help: { hint } }));
  return false;
}

/** A derived genotype's cells by role: (op, input state) pairs and the concatenated states. */
type GenotypeCells = Readonly<
  Record<
    string,
    { readonly pairs: readonly (readonly [string, number])[]; readonly concat: readonly number[] }
  >
>;

/**
 * A genotype as a `.darts` literal, to paste into a spec: a `genotype` declaration built as
 * an AST and printed by the language's printer, under a comment.
 */
export function genotypeLiteral(
  genotype: GenotypeCells,
  comment: string,
  name = 'Searched',
): string {
  const span = new SourceFile('<genotype>', '').span(0, 0);
  const id = (value: string): A.NameNode => ({ kind: 'Name', span, value });
  const int = (value: number): A.IntLiteralNode => ({ kind: 'IntLiteral', span, value });
  const list = (key: string, elements: A.ExpressionNode[]): A.SettingNode => ({
    kind: 'Setting',
    span,
    key: id(key),
    value: { kind: 'List', span, elements },
  });
  const items = Object.entries(genotype).flatMap(([role, cell]) => [
    list(
      role,
      cell.pairs.map(([op, input]) => ({
        kind: 'Tuple',
        span,
        elements: [{ kind: 'Reference', span, parts: [id(op)] }, int(input)],
      })),
    ),
    list(`${role}_concat`, cell.concat.map(int)),
  ]);
  const body: A.BlockNode = { kind: 'Block', span, items };
  const decl: GenotypeNode = { kind: 'Genotype', span, annotations: [], name: id(name), body };
  return `// ${comment}\n` + printProgram({ kind: 'Program', span, items: [decl] });
}
