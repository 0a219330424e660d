import { writeFileSync } from 'node:fs';

import { cstTypings, grammarEbnf, railroadDiagrams } from './grammarArtifacts.js';

/** Writes grammar/darts.ebnf, grammar/cst.d.ts and grammar/diagrams.html. */
const root = new URL('../../grammar/', import.meta.url);
writeFileSync(new URL('darts.ebnf', root), grammarEbnf());
writeFileSync(new URL('cst.d.ts', root), cstTypings());
writeFileSync(new URL('diagrams.html', root), railroadDiagrams());
process.stdout.write('wrote grammar/darts.ebnf, grammar/cst.d.ts, grammar/diagrams.html\n');
