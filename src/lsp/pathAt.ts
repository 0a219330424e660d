import type { AstNode } from '../ast/nodes.js';
import { children } from '../ast/visit.js';

/**
 * The nodes that contain `offset`, outermost first: the root, then at each level the first
 * child whose span holds it (a cursor just after a name still counts as on it).
 */
export function pathAt(root: AstNode, offset: number): AstNode[] {
  const path: AstNode[] = [];
  let node: AstNode | undefined = root;
  while (node) {
    path.push(node);
    node = children(node).find((c) => c.span.start <= offset && offset <= c.span.end);
  }
  return path;
}
