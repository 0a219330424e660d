import { Random } from '../../src/util/random.js';

/**
 * Seeded mutations for the fuzz tests (docs/reliability.md): of spec text, the way a hurried
 * or hostile user writes it, and of file bytes, the way a disk, a kill or an editor damages
 * them. `DARTSC_FUZZ_SCALE` multiplies the case counts (`npm run fuzz` sets 20).
 */
export const fuzzScale = Number(process.env.DARTSC_FUZZ_SCALE ?? 1);

const hostileNumbers = [
  '0',
  '-1',
  '-0',
  '1e8',
  '1e9',
  '1e308',
  '1e999',
  '9007199254740993',
  '0.5',
  '-2.5',
  '1e-30',
  '4294967296',
  '2147483648',
  '00',
  '1.',
  '.5',
  '0x10',
];
const words = [
  'stack',
  'nodes',
  'keep',
  'ops',
  'cell',
  'space',
  'search',
  'primitive',
  'genotype',
  'if',
  'then',
  'else',
  'import',
  'reducing',
  'none',
  'skip_connect',
  'sep_conv_3x3',
  'C',
  'h',
  'w',
  'int',
  'float',
  'Img',
  'Seq',
  'Vec',
  'Logits',
  '>>',
  '+',
  '*',
  '/',
  '-',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '=',
  '"',
  '//',
  '@',
  '$',
  'λ',
  '\u0000',
  '\t',
  '\n',
];

const tokenRe = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:e[-+]?\d+)?|"[^"\n]*"|>>|\/\/|\S/g;

/** The token spans of a text (a rough lexer: enough to cut and splice). */
function tokens(text: string): [number, number][] {
  return [...text.matchAll(tokenRe)].map((m) => [m.index, m.index + m[0].length]);
}

const pick = <T>(rng: Random, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

/** Deeply nested or very long constructs that once overflowed the stack or hung. */
function hostileConstruct(rng: Random): string {
  const n = 50 + rng.int(3000);
  switch (rng.int(6)) {
    case 0:
      return '('.repeat(n) + '1' + ')'.repeat(n);
    case 1:
      return '['.repeat(n) + ']'.repeat(n);
    case 2:
      return '-'.repeat(n) + '1';
    case 3:
      return Array.from({ length: n }, (_, i) => String(i)).join(' + ');
    case 4:
      return Array.from({ length: n }, () => 'relu').join(' >> ');
    default:
      return 'if true then '.repeat(Math.min(n, 1500)) + '1' + ' else 0'.repeat(Math.min(n, 1500));
  }
}

/** One to three mutations of a spec's text. */
export function mutateSpec(text: string, rng: Random): string {
  let out = text;
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const spans = tokens(out);
    if (!spans.length) return out + pick(rng, words);
    const [a, b] = pick(rng, spans);
    switch (rng.int(8)) {
      case 0: // delete a token
        out = out.slice(0, a) + out.slice(b);
        break;
      case 1: // duplicate one
        out = out.slice(0, b) + ' ' + out.slice(a, b) + out.slice(b);
        break;
      case 2: // a hostile number in place of a number, or anywhere
        out = out.slice(0, a) + pick(rng, hostileNumbers) + out.slice(b);
        break;
      case 3: // another word or symbol
        out = out.slice(0, a) + pick(rng, words) + out.slice(b);
        break;
      case 4: // a deep or long construct in place of a token
        out = out.slice(0, a) + hostileConstruct(rng) + out.slice(b);
        break;
      case 5: {
        // swap two lines
        const lines = out.split('\n');
        const i = rng.int(lines.length);
        const j = rng.int(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        out = lines.join('\n');
        break;
      }
      case 6: // cut it short
        out = out.slice(0, a);
        break;
      default: {
        // a token of the spec copied elsewhere
        const [c, d] = pick(rng, spans);
        out = out.slice(0, a) + out.slice(c, d) + ' ' + out.slice(a);
      }
    }
  }
  return out;
}

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
