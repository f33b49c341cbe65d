// Loads the known-answer vectors shared with the C library
// (tests/vectors/*.json, written by tests/vectors/gen_vectors*.c).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'vectors');

export function vectors(name) {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
}

export { fromHex as hex, toHex } from '../app/bytes.js';
