import { backendNames, type BackendName } from '../index.js';
import { UsageError, type CliIo } from './io.js';

/**
 * The backend a command asks for: `--backend`, else `DARTSC_BACKEND`, else undefined (the
 * API's default: wasm, or the backend a resumed run started on).
 */
export function backendFlag(flag: string | undefined, io: CliIo): BackendName | undefined {
  const backend = (flag ?? io.env?.DARTSC_BACKEND) as BackendName | undefined;
  if (backend === undefined) return undefined;
  if (!backendNames.includes(backend))
    throw new UsageError(`unknown backend \`${backend}\` (expected wasm, cpu or tensorflow)`);
  return backend;
}
