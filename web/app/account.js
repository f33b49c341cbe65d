// Enrollment, login and logout: the client side of docs/API.md
// "Enrollment" and "Authentication", with the cryptography of keys.js and
// custody.js.  Nothing secret leaves the browser but the authentication
// keys and the wrapped seeds.
import * as api from './api.js';
import { decode, encode } from './b64.js';
import { equal, wipe } from './bytes.js';
import * as custody from './custody.js';
import { derive, newSeed, popMake, wipeKeys } from './keys.js';
import * as session from './session.js';
import sodium from './sodium.js';

export const PASSWORD_MIN_CHARS = 10;

// The refusal, if any, of a new password: a sentence saying what to do.
export function newPasswordProblem(pw, again) {
  if ([...pw].length < PASSWORD_MIN_CHARS) return `Use at least ${PASSWORD_MIN_CHARS} characters.`;
  if (new TextEncoder().encode(pw).length > custody.PASSWORD_MAX) return 'Use at most 1024 bytes.';
  if (pw !== again) return 'The two passwords differ. Type the same password twice.';
  return null;
}

// The pending member an enrollment code belongs to.
export async function lookup(code) {
  const r = await api.post('/enroll/lookup', { code });
  return r.member;
}

// Whether the member object's published keys are `pub`.
function keysMatch(member, pub) {
  const k = member?.keys;
  if (!k) return false;
  try {
    return (
      equal(decode(k.sign_pk, 32), pub.signPk) &&
      equal(decode(k.box_pk, 32), pub.boxPk) &&
      equal(decode(k.ring_pk, 32), pub.ringPk)
    );
  } catch {
    return false;
  }
}

// Enroll the pending `member` with `code` and the new `password`: make the
// keys at epoch 1, the custody under the password and a recovery code.
// Returns {member, recoveryCode}; the code is to be shown once.
export async function enroll(code, member, password, kdfMin) {
  const seed = newSeed();
  const ks = derive(seed);
  const cost = custody.kdfCostFor(kdfMin);
  const salt = sodium.randombytes_buf(custody.SALT_BYTES);
  const pk = custody.passwordKeys(password, salt, cost.opslimit, cost.memlimit);
  const rec = custody.recoveryNew();
  const rk = custody.recoveryKeys(rec.raw);
  try {
    const pop = popMake(ks, member.id, 1);
    const body = {
      code,
      keys: { sign_pk: encode(ks.pub.signPk), box_pk: encode(ks.pub.boxPk), ring_pk: encode(ks.pub.ringPk) },
      pop: { sig: encode(pop.sig), ring_proof: encode(pop.ringProof) },
      custody: {
        salt: encode(salt),
        opslimit: cost.opslimit,
        memlimit: cost.memlimit,
        auth_key: encode(pk.authKey),
        wrapped_seed: encode(custody.wrapSeed(seed, pk.wrapKey, member.id, 'password')),
      },
      recovery: {
        auth_key: encode(rk.authKey),
        wrapped_seed: encode(custody.wrapSeed(seed, rk.wrapKey, member.id, 'recovery')),
      },
    };
    const r = await api.post('/enroll', body);
    if (!keysMatch(r.member, ks.pub)) {
      throw new api.ApiError(0, 'key_mismatch', 'The server published keys for you that are not the ones just made. Do not use this server; tell your administrator.', null);
    }
    return { member: r.member, recoveryCode: rec.code };
  } finally {
    wipe(seed);
    wipeKeys(ks);
    wipe(pk.master);
    wipe(pk.authKey);
    wipe(pk.wrapKey);
    wipe(rec.raw);
    wipe(rk.authKey);
    wipe(rk.wrapKey);
  }
}

// The password keys {authKey, wrapKey} of `handle`, with the cost the
// server gives for it (which must be within bounds).
export async function passwordKeysFor(handle, password, kdfMin) {
  const p = await api.post('/auth/params', { handle });
  const salt = decode(p.salt, custody.SALT_BYTES);
  if (!custody.kdfCostValid(p.opslimit, p.memlimit, kdfMin?.opslimit, kdfMin?.memlimit)) {
    throw new api.ApiError(0, 'bad_response', 'The server asked for a key derivation cost outside the allowed bounds.', null);
  }
  const k = custody.passwordKeys(password, salt, p.opslimit, p.memlimit);
  wipe(k.master);
  return { authKey: k.authKey, wrapKey: k.wrapKey };
}

// Log in as `handle` with the password keys `keys` (and the TOTP `code`,
// if given); unwrap the seed, check the keys it gives against those the
// server publishes, and begin the session.  Throws an ApiError (code
// "totp_required" when a code is needed).
export async function login(handle, keys, code) {
  const body = { handle, auth_key: encode(keys.authKey) };
  if (code) body.totp = code;
  const r = await api.post('/auth/login', body);
  setSessionMark();
  let seed;
  try {
    seed = custody.unwrapSeed(decode(r.wrapped_seed, custody.WRAPPED_BYTES), keys.wrapKey, r.member.id, 'password');
  } catch {
    await logout();
    throw new api.ApiError(0, 'bad_response', 'Your keys could not be unlocked with this password. Try again, or use your recovery code.', null);
  }
  const ks = derive(seed);
  if (!keysMatch(r.member, ks.pub)) {
    wipe(seed);
    wipeKeys(ks);
    await logout();
    throw new api.ApiError(0, 'key_mismatch', 'The server publishes keys for you that are not yours. Do not use this server; tell your administrator.', null);
  }
  session.begin(r.member, seed, ks, r.expires_at);
  return r.member;
}

// A mark that this browser may hold a session cookie, which the page
// cannot read (HttpOnly): not a secret, only a hint to end the session
// after a reload.
const MARK = 'dissent.session';

// Whether a session cookie may exist from an earlier page.
export function sessionMayExist() {
  try {
    return localStorage.getItem(MARK) !== null;
  } catch {
    return true;
  }
}

// Forget the mark of sessionMayExist().
export function forgetSessionMark() {
  try {
    localStorage.removeItem(MARK);
  } catch {
    // Storage off: sessionMayExist() then always probes.
  }
}

function setSessionMark() {
  try {
    localStorage.setItem(MARK, '1');
  } catch {
    // Storage off: see forgetSessionMark().
  }
}

// End the session on the server (if any) and forget the keys.
export async function logout() {
  session.end();
  forgetSessionMark();
  try {
    await api.post('/auth/logout');
  } catch (e) {
    // Already ended: nothing more to do.
    if (!(e instanceof api.ApiError) || e.status !== 401) throw e;
  }
}
