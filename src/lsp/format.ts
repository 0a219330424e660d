import { format } from '../format/format.js';
import { InternalError } from '../util/invariant.js';

/**
 * The canonical text of a document as `dartsc fmt` lays it out (comments kept), or undefined
 * when it is not formatted: it has syntax errors, or the formatter refuses it (it would have
 * moved a comment or changed the tree; `dartsc fmt` reports that as an internal error).
 */
export function formatText(text: string, name: string): string | undefined {
  try {
    return format({ text, path: name }).value;
  } catch (error) {
    if (error instanceof InternalError) return undefined;
    throw error;
  }
}
