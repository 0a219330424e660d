import { Random } from '../../src/util/random.js';

/**
 * Seeded mutations for the fuzz tests (docs/reliability.md): of spec text, the way a hurried
 * or hostile user writes it, and of file bytes, the way a disk, a kill or an editor damages
 * them. `DARTSC_FUZZ_SCALE` multiplies the case counts (`npm run fuzz` sets 20).
 */
export const fuzzScale = Number(process.env.DARTSC_FUZZ_SCALE ?? 1);

/** One to three byte-level damages of a file: flips, cuts, splices, zeros, NaN floats. */
export function damageBytes(bytes: Uint8Array, rng: Random): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const at = out.length ? rng.int(out.length) : 0;
    switch (rng.int(6)) {
      case 0: // flip a bit
        if (out.length) out[at] = out[at]! ^ (1 << rng.int(8));
        break;
      case 1: // cut it short
        out = out.slice(0, at);
        break;
      case 2: {
        // duplicate a run of bytes
        const end = Math.min(out.length, at + 1 + rng.int(64));
        out = Uint8Array.from([...out.slice(0, end), ...out.slice(at, end), ...out.slice(end)]);
        break;
      }
      case 3: // zero a run
        out.fill(0, at, at + 1 + rng.int(16));
        break;
      case 4: {
        // a NaN or infinite float32 at an aligned offset
        const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
        const off = at - (at % 4);
        if (off + 4 <= out.length) view.setFloat32(off, rng.int(2) ? NaN : Infinity, true);
        break;
      }
      default: // random bytes
        for (let i = at; i < Math.min(out.length, at + 1 + rng.int(8)); i++) out[i] = rng.int(256);
    }
  }
  return out;
}

export { Random };
