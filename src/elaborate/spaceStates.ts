import type { ExpressionNode, SettingNode, SpaceNode } from '../ast/nodes.js';
import { spaceStems } from '../ast/spaceStems.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import type { TensorShape } from '../intrinsics/tensorType.js';
import type { Module } from '../check/loadProgram.js';
import type { Evaluator } from './evaluate.js';
import type { StateRef } from './model.js';
import type { Value } from './values.js';

/** A state of a network that a part can read, with its type. */
export interface SpaceState {
  readonly from: StateRef;
  readonly type: TensorShape;
}

/** What a part may read at its place in the network. */
export interface Readable {
  /** `input` and the stems computed so far, by name. */
  readonly named: ReadonlyMap<string, SpaceState>;
  /** The outputs of the cells so far (read by index, negative from the end). */
  readonly cells: readonly SpaceState[];
}

/**
 * The states a part's `from` clause names (`stem1 ... from stem0`, `cells ... from stem0,
 * stem1`, `aux ... from 2 * layers / 3`), or undefined with E0423 for one it cannot read.
 * Without a clause, `fallback`.
 */
export function readStates(
  ctx: { evaluator: Evaluator; module: Module; env: Map<string, Value>; space: SpaceNode },
  setting: SettingNode | undefined,
  readable: Readable,
  fallback: readonly SpaceState[],
): SpaceState[] | undefined {
  if (!setting?.from) return [...fallback];
  const out: SpaceState[] = [];
  for (const e of setting.from) {
    const state = readState(ctx, setting.key.value, e, readable);
    if (!state) return undefined;
    out.push(state);
  }
  return out;
}

function readState(
  ctx: Parameters<typeof readStates>[0],
  part: string,
  e: ExpressionNode,
  readable: Readable,
): SpaceState | undefined {
  const refuse = (state: string, why: string) => {
    const names = [...readable.named.keys()].map((n) => `\`${n}\``);
    const n = readable.cells.length;
    const cells = n === 0 ? [] : [n === 1 ? 'cell 0' : `cells 0 to ${n - 1} (by index)`];
    const states = [...names, ...cells].join(', ');
    ctx.evaluator.report(
      diagnostic('E0423', e.span, { part: describePart(part), state, why }, { help: { states } }),
    );
    return undefined;
  };
  if (e.kind === 'Reference' && e.parts.length === 1) {
    const name = e.parts[0]!.value;
    const state = readable.named.get(name);
    if (state) return state;
    const stem = name === 'input' || spaceStems(ctx.space).some((s) => s.key.value === name);
    if (stem && readable.named.size === 0) return refuse(`\`${name}\``, 'it reads a cell');
    if (stem) return refuse(`\`${name}\``, 'that stem is not computed before it');
    return refuse(`\`${name}\``, 'the space has no such state');
  }
  const v = ctx.evaluator.evaluate(e, ctx.module, ctx.env);
  if (v.kind === 'error') return undefined;
  if (v.kind !== 'int') return refuse('this', 'a state is a stem, `input`, or the index of a cell');
  const n = readable.cells.length;
  const index = v.value < 0 ? n + v.value : v.value;
  const state = readable.cells[index];
  if (state) return state;
  return refuse(`cell ${v.value}`, n === 0 ? 'the cells come after it' : `there are ${n} cells`);
}

/** How a message names a part of a space by its key. */
export function describePart(key: string): string {
  if (key === 'cells') return 'the first cell';
  if (key === 'aux') return 'the auxiliary head';
  if (key === 'head') return 'the head';
  return `stem \`${key}\``;
}
