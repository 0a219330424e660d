import { keywordTokens } from '../syntax/tokens.js';

/** The language's keywords (`cell`, `node`, `if`, ...), which no name may be. */
export const keywordNames: readonly string[] = keywordTokens.map((t) =>
  (t.PATTERN as RegExp).source.replace(/\\b$/, ''),
);
