import { main } from './main.js';

// The only place that touches process globals: everything else gets them through CliIo.
const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined,
  interactive: Boolean(process.stderr.isTTY),
  env: process.env,
});
process.exitCode = code;
