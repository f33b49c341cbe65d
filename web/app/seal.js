// Sealed boxes (libsodium crypto_box_seal): epk || crypto_box(msg, nonce =
// BLAKE2b-24(epk || pk), pk, esk) for a fresh ephemeral key pair.
import { concat } from './bytes.js';
import { boxPkValid } from './keys.js';
import sodium from './sodium.js';

export const SEAL_OVERHEAD = 48;

// Seal `msg` to the X25519 public key `pk`, which must pass the public key
// check.  `ephemeralSeed` makes the ephemeral key pair reproducible, for
// the known-answer vectors only; without it the pair is fresh.
export function sealTo(msg, pk, ephemeralSeed) {
  if (!boxPkValid(pk)) throw new RangeError('the recipient key is not a usable X25519 key');
  if (ephemeralSeed === undefined) return sodium.crypto_box_seal(msg, pk);
  const e = sodium.crypto_box_seed_keypair(ephemeralSeed);
  const nonce = sodium.crypto_generichash(24, concat(e.publicKey, pk), null);
  const out = concat(e.publicKey, sodium.crypto_box_easy(msg, nonce, pk, e.privateKey));
  e.privateKey.fill(0);
  return out;
}

// Open a sealed box with the key pair (`pk`, `sk`); throws if it does not
// open.
export function openSealed(sealed, pk, sk) {
  if (!(sealed instanceof Uint8Array) || sealed.length < SEAL_OVERHEAD) throw new RangeError('sealed box too short');
  try {
    return sodium.crypto_box_seal_open(sealed, pk, sk);
  } catch {
    throw new RangeError('the sealed box does not open');
  }
}
