import { onClosedPipe } from './io.js';
import { main } from './main.js';

// The only place that touches process globals: everything else gets them through CliIo.
// The first Ctrl-C asks a long job to stop after its step (its checkpoints stay whole); a
// second one ends the process at once.
// A closed stdout or stderr (`| head -1`) ends the process quietly, with exit 141.
onClosedPipe(process.stdout, (code) => process.exit(code));
onClosedPipe(process.stderr, (code) => process.exit(code));
const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});
const code = await main(process.argv.slice(2), {
  signal: interrupt.signal,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined,
  interactive: Boolean(process.stderr.isTTY),
  env: process.env,
});
process.exitCode = code;
