// The signed-in member, kept in this tab's memory only: the seed and the
// keys derived from it never reach storage, so a reload (or another tab)
// must log in again to unlock them.
import { wipe } from './bytes.js';
import { wipeKeys } from './keys.js';

let current = null;

// Start a session for `member` with its `seed` and derived `keys`.
export function begin(member, seed, keys, expiresAt) {
  end();
  current = { member, seed, keys, expiresAt };
}

// The session, or null.
export function get() {
  return current;
}

// Forget the session and wipe its secrets.
export function end() {
  if (current) {
    wipe(current.seed);
    wipeKeys(current.keys);
  }
  current = null;
}
