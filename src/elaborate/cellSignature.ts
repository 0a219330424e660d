import { printType } from '../ast/print.js';
import type { CellNode, TensorTypeNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import { formatShape, sameShape, type TensorShape } from '../intrinsics/tensorType.js';
import { concreteType, matchType } from './applyOp.js';
import type { Evaluator } from './evaluate.js';
import type { Module } from '../check/loadProgram.js';
import type { Env, Value } from './values.js';

/**
 * A cell's declared signature against what the cell receives (before any preprocessing) and
 * what its wiring produces. Input types are matched first, binding dimension variables such
 * as `h` and `w`; the output type is then evaluated with them. A cell without a signature
 * passes both checks.
 */
export class CellSignature {
  readonly #bound: Map<string, Value>;

  constructor(
    readonly evaluator: Evaluator,
    readonly decl: CellNode,
    readonly module: Module,
    env: Env,
  ) {
    this.#bound = new Map(env);
  }

  /** Matches the inputs; reports E0306 and returns false on a mismatch. */
  inputs(types: readonly TensorShape[]): boolean {
    const input = this.decl.signature?.input;
    if (!input) return true;
    const patterns: TensorTypeNode[] =
      input.kind === 'TupleType' ? input.elements.map((e) => e.type) : [input];
    for (const [i, pattern] of patterns.entries()) {
      const actual = types[i];
      if (!actual || matchType(this.evaluator, pattern, actual, this.#bound, this.module)) continue;
      this.evaluator.report(
        diagnostic('E0306', pattern.span, {
          name: this.decl.name.value,
          declared: printType(pattern),
          found: formatShape(actual),
        }),
      );
      return false;
    }
    return true;
  }

  /** Compares the output; reports E0305 and returns false on a mismatch. */
  output(type: TensorShape): boolean {
    const output = this.decl.signature?.output;
    if (output?.kind !== 'TensorType') return true;
    const declared = concreteType(this.evaluator, output, this.#bound, this.module);
    if (!declared || sameShape(declared, type)) return true;
    this.evaluator.report(
      diagnostic('E0305', output.span, {
        name: this.decl.name.value,
        declared: formatShape(declared),
        found: formatShape(type),
      }),
    );
    return false;
  }
}
