import type { DeclarationNode } from '../ast/nodes.js';
import type { ParamSpec } from '../intrinsics/registry.js';
import type { SourceFile } from '../source/SourceFile.js';

/**
 * A declaration's header as written, on one line: `primitive sep_conv_3x3(C: int, stride: int
 * = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C]`, without its body.
 */
export function declHeader(decl: DeclarationNode, file: SourceFile): string {
  const start = decl.name?.span.start ?? decl.span.start;
  const keywordStart = file.text.lastIndexOf(keyword(decl), start);
  const from = keywordStart >= decl.span.start ? keywordStart : start;
  const text = file.text.slice(from, headerEnd(decl));
  return text
    .replace(/\s*=\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function keyword(decl: DeclarationNode): string {
  return decl.kind === 'Let' ? 'let' : decl.kind.toLowerCase();
}

/** Where the header ends: before the body, or (a cell alias, a short let) the end. */
function headerEnd(decl: DeclarationNode): number {
  switch (decl.kind) {
    case 'Primitive':
      return decl.body.span.start;
    case 'Cell':
      return decl.body.kind === 'Block' ? decl.body.span.start : decl.span.end;
    case 'Let':
      return decl.value.span.end - decl.value.span.start > 200
        ? decl.value.span.start
        : decl.span.end;
    default:
      return decl.body.span.start;
  }
}

/** The `//` comment lines right above a declaration (and its annotations), joined. */
export function leadingComment(decl: DeclarationNode, file: SourceFile): string {
  const { line } = file.getLocation(decl.span.start);
  const lines: string[] = [];
  for (let l = line - 1; l >= 1; l--) {
    const text = file.lineText(l).trim();
    if (!text.startsWith('//')) break;
    lines.unshift(text.replace(/^\/\/\s?/, ''));
  }
  return lines.join(' ').trim();
}

/** A callable's parameters as `(C: int, stride: int = 1)`. */
export function paramList(params: readonly ParamSpec[]): string {
  return `(${params.map(paramText).join(', ')})`;
}

function paramText(p: ParamSpec): string {
  if (!('default' in p)) return `${p.name}: ${p.kind}`;
  if (p.default === null) return `${p.name}?: ${p.kind}`;
  return `${p.name}: ${p.kind} = ${typeof p.default === 'string' ? `"${p.default}"` : p.default}`;
}
