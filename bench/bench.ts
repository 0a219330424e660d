import { runBench } from './run.js';

// `npm run bench`: builds, then `node dist/bench/bench.js [--json] [--rounds N] ...`.
process.exitCode = await runBench(process.argv.slice(2), (line) => console.log(line));
