import { createHash, randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for each other on a printed slip (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A random code of `length` characters from the unambiguous alphabet. */
export function randomCode(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Open links: short enough to type from a board (8 characters ≈ 40 bits). */
export const LINK_CODE_LENGTH = 8;
/** Single-use codes: long enough that guessing one is hopeless (12 characters ≈ 60 bits). */
export const ACCESS_CODE_LENGTH = 12;

/** How a single-use code is stored: only its hash, so a database copy reveals no usable code. */
export function hashCode(normalised: string): string {
  return createHash('sha256').update(normalised).digest('hex');
}

/** A code as printed: groups of four for reading aloud and typing (dashes are ignored on entry). */
export function printable(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}
