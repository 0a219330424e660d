import { backendNames, type BackendName } from '../index.js';
import { UsageError, type CliIo } from './io.js';

/** The backend a command runs on: `--backend`, else `DARTSC_BACKEND`, else wasm. */
export function backendFlag(flag: string | undefined, io: CliIo): BackendName {
  const backend = (flag ?? io.env?.DARTSC_BACKEND ?? 'wasm') as BackendName;
  if (!backendNames.includes(backend))
    throw new UsageError(`unknown backend \`${backend}\` (expected wasm, cpu or tensorflow)`);
  return backend;
}
