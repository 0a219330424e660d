import { backendNames, engineNames, type BackendName, type EngineName } from '../index.js';
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

/** `--engine` (or `DARTSC_ENGINE`) and `--device`, checked; `--nproc` is an integer flag. */
export function engineFlags(
  values: { readonly engine?: string; readonly device?: string },
  io: CliIo,
): { engine?: EngineName; device?: 'cpu' | 'cuda' } {
  const engine = (values.engine ?? io.env?.DARTSC_ENGINE) as EngineName | undefined;
  if (engine !== undefined && !engineNames.includes(engine))
    throw new UsageError(`unknown engine \`${engine}\` (expected tfjs or pytorch)`);
  const device = values.device;
  if (device !== undefined && device !== 'cpu' && device !== 'cuda')
    throw new UsageError(`unknown device \`${device}\` (expected cpu or cuda)`);
  return { ...(engine ? { engine } : {}), ...(device ? { device } : {}) };
}
