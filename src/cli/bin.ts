import { Interrupted } from './interrupt.js';
import { onClosedPipe } from './io.js';
import { main } from './main.js';

// The only place that touches process globals: everything else gets them through CliIo.
// A closed stdout or stderr (`| head -1`) ends the process quietly, with exit 141.
onClosedPipe(process.stdout, (code) => process.exit(code));
onClosedPipe(process.stderr, (code) => process.exit(code));
// The first Ctrl-C (or SIGTERM) asks a long job to stop after its step (its checkpoints stay
// whole); a second one ends the process at once.
const interrupt = new AbortController();
for (const name of ['SIGINT', 'SIGTERM'] as const)
  process.on(name, () => {
    if (!interrupt.signal.aborted) return interrupt.abort(new Interrupted(name));
    process.exit(new Interrupted(name).exitCode);
  });
const code = await main(process.argv.slice(2), {
  signal: interrupt.signal,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined,
  interactive: Boolean(process.stderr.isTTY),
  env: process.env,
  platform: process.platform,
  streams: { input: process.stdin, output: process.stdout },
});
process.exitCode = code;
