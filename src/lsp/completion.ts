import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';

import type { AstNode, ReferenceNode } from '../ast/nodes.js';
import { calleeParams, declarations, resolveReference, type ModuleScope } from '../check/scope.js';
import { intrinsics, isIntrinsic } from '../intrinsics/registry.js';
import { blockSettings, settingFunctions, type BlockKind } from '../intrinsics/settings.js';
import { scopeOf, type Analysis } from './analyse.js';
import { declHeader, paramList } from './declSummary.js';
import { pathAt } from './pathAt.js';
import {
  argumentsBefore,
  blockKeyword,
  calleeBefore,
  closingBrace,
  lineBefore,
  openBracket,
} from './textContext.js';

/**
 * Completions at `offset` of the document: setting names at the start of a line in a block;
 * inside a call, the names of its parameters (`stride: `) and the names in scope; elsewhere
 * the names in scope there (declarations, imports, ops, parameters, cell states, the words
 * of the enclosing setting), or a module's declarations after `module.`.
 */
export function completionsAt(analysis: Analysis, offset: number): CompletionItem[] {
  const text = analysis.entry.file.text;
  const before = lineBefore(text, offset);
  const brace = openBracket(text, offset, '{');
  const block = brace === undefined ? undefined : blockKeyword(text, brace);
  const paren = openBracket(text, offset, '(');
  if (block && brace !== undefined && paren === undefined && /^\s*[A-Za-z_]*$/.test(before))
    return settingItems(block as BlockKind, text, brace, offset);
  const scope = scopeOf(analysis, analysis.entry);
  const qualifier = /([A-Za-z_]\w*)\.[A-Za-z_]*$/.exec(before)?.[1];
  if (qualifier !== undefined) return memberItems(scope, qualifier);
  const ancestors = ancestorsAt(analysis, offset);
  const items = nameItems(analysis, scope, ancestors, offset);
  if (paren === undefined) return items;
  return [...argumentItems(analysis, scope, ancestors, paren, offset), ...items];
}

/** The nodes around the cursor, without the name being typed. */
function ancestorsAt(analysis: Analysis, offset: number): AstNode[] {
  const path = pathAt(analysis.entry.ast, offset);
  while (
    path.length > 1 &&
    (path[path.length - 1]!.kind === 'Name' || path[path.length - 1]!.kind === 'Reference')
  )
    path.pop();
  return path;
}

function reference(analysis: Analysis, parts: readonly string[], offset: number): ReferenceNode {
  const span = analysis.entry.file.span(offset, offset);
  return { kind: 'Reference', span, parts: parts.map((value) => ({ kind: 'Name', span, value })) };
}

function settingItems(
  block: BlockKind,
  text: string,
  brace: number,
  offset: number,
): CompletionItem[] {
  const body = text.slice(brace + 1, closingBrace(text, brace));
  const cursorLine = lineBefore(text, offset).trim();
  const given = new Set(
    [...body.matchAll(/^\s*([A-Za-z_]\w*)\b/gm)].map((m) => m[1]!).filter((k) => k !== cursorLine),
  );
  const items: CompletionItem[] = Object.entries(blockSettings[block])
    .filter(([key]) => !given.has(key))
    .map(([key, spec]) => ({
      label: key,
      kind: CompletionItemKind.Property,
      detail: spec.example,
      documentation: spec.doc,
      insertText: `${key} `,
    }));
  if (block === 'cell')
    items.push({ label: 'node', kind: CompletionItemKind.Keyword, detail: 'node n from s0, s1' });
  return items;
}

function memberItems(scope: ModuleScope, qualifier: string): CompletionItem[] {
  const module = scope.qualified.get(qualifier);
  if (!module) return [];
  return declarations(module).map((decl) => ({
    label: decl.name.value,
    kind: kindOf(decl.kind),
    detail: declHeader(decl, module.file),
  }));
}

/** Every name a reference at the cursor could resolve to. */
function nameItems(
  analysis: Analysis,
  scope: ModuleScope,
  ancestors: AstNode[],
  offset: number,
): CompletionItem[] {
  const probe = resolveReference(scope, reference(analysis, ['\u0000'], offset), ancestors);
  const names = probe.kind === 'unresolved' ? [...new Set(probe.candidates)] : [];
  return names.map((name) => {
    const symbol = scope.own.get(name) ?? scope.imported.get(name)?.[0];
    if (symbol)
      return {
        label: name,
        kind: kindOf(symbol.decl.kind),
        detail: declHeader(symbol.decl, symbol.module.file),
      };
    if (isIntrinsic(name))
      return {
        label: name,
        kind: CompletionItemKind.Function,
        detail: `${name}${paramList(intrinsics[name].params)}`,
        documentation: intrinsics[name].doc,
      };
    const fn = settingFunctions[name];
    if (fn)
      return { label: name, kind: CompletionItemKind.Function, detail: `${name}${paramList(fn)}` };
    return { label: name, kind: CompletionItemKind.Variable };
  });
}

/** The parameters of the call being written that are not given yet, as `name: `. */
function argumentItems(
  analysis: Analysis,
  scope: ModuleScope,
  ancestors: AstNode[],
  paren: number,
  offset: number,
): CompletionItem[] {
  const text = analysis.entry.file.text;
  const callee = calleeBefore(text, paren);
  const args = argumentsBefore(text, paren, offset);
  if (!callee || !/^\s*[A-Za-z_]*$/.test(args[args.length - 1]!)) return [];
  const resolved = resolveReference(scope, reference(analysis, callee, offset), ancestors);
  // In text that does not parse yet the enclosing setting may be unknown: its functions still are.
  const known = resolved.kind === 'unresolved' ? undefined : calleeParams(resolved);
  const params = known ?? (callee.length === 1 ? settingFunctions[callee[0]!] : undefined);
  // Positional arguments bind the first parameters; named ones bind themselves.
  const named = args.slice(0, -1).map((a) => /^\s*([A-Za-z_]\w*)\s*:/.exec(a)?.[1]);
  const positional = named.filter((n) => n === undefined).length;
  const given = new Set(named);
  return (params ?? [])
    .filter((p, i) => i >= positional && !given.has(p.name))
    .map((p, i) => ({
      label: `${p.name}:`,
      kind: CompletionItemKind.Field,
      detail: `parameter of ${callee.join('.')}${paramList([p])}`,
      insertText: `${p.name}: `,
      sortText: `0${String(i).padStart(3, '0')}`,
      ...(p.doc ? { documentation: p.doc } : {}),
    }));
}

function kindOf(kind: string): CompletionItemKind {
  switch (kind) {
    case 'Primitive':
      return CompletionItemKind.Function;
    case 'Cell':
      return CompletionItemKind.Class;
    case 'Space':
      return CompletionItemKind.Module;
    case 'Genotype':
      return CompletionItemKind.Struct;
    default:
      return CompletionItemKind.Constant;
  }
}
