// What the memo screens check against the channel log before they trust
// the server (src/cli/cmd_log.c, cmd_log_check_keys(); cmd_memo.c), on
// the tab's log state of logsync.js (one verified tree head per tab,
// every later head a consistent extension of it, the server key pinned):
//
// - a member's public keys: the log entry the directory names must be
//   that member's member_enrolled or keys_rotated event at that epoch
//   carrying the hash of those keys (before anything is sealed to them);
// - the channel's public key: its channel_key_created event likewise;
// - receipts, with the pinned server key, tied to the heads seen;
// - access records: the event at the record's index carries the
//   commitment to the reader and nonce the record gives.
//
// A check that fails throws an IntegrityError whose message says what to
// do.
import * as api from './api.js';
import { decode } from './b64.js';
import { equal } from './bytes.js';
import * as event from './event.js';
import { instance } from './instance.js';
import * as logsync from './logsync.js';

// The tab's log state for this instance.
async function sync() {
  return logsync.forInstance(await instance());
}

// Run `fn`, turning the log modules' errors into IntegrityErrors.
async function checked(fn) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof api.ApiError) throw e;
    throw new api.IntegrityError(typeof e.code === 'string' ? e.code : 'bad_receipt', e.message);
  }
}

// Check that the log publishes the keys record `rec` ({epoch, sign_pk,
// box_pk, ring_pk, log_index} of GET /members/{id}/keys) of `memberId`.
// Returns {checked: true, index}; throws if it does not.
export function memberKeys(memberId, rec) {
  return checked(async () => {
    await (await sync()).checkKeys(memberId, memberId, rec);
    return { checked: true, index: rec.log_index };
  });
}

// The decoded event of entry `index`, proved in a verified head.
async function provedEvent(s, index) {
  const head = await s.headCovering(index);
  const [entry] = await s.entries(head, index, 1);
  await s.proveEntry(head, index, entry.leaf);
  return entry.event ?? null;
}

// Check that entry `logIndex` is the channel_key_created event of the
// channel public key `pk`.  Returns {checked: true, index}.
export function channelKey(pk, logIndex) {
  return checked(async () => {
    const ev = await provedEvent(await sync(), logIndex);
    if (!ev || ev.name !== 'channel_key_created' || !equal(ev.keysHash, event.channelKeyHash(pk))) {
      throw new api.IntegrityError('key_not_logged',
        `The channel key the server presents is not the one the log publishes (entry ${logIndex}); nothing was sealed to it. Tell your coordinators.`);
    }
    return { checked: true, index: logIndex };
  });
}

// Verify the receipt `r` of memo `memoId` for the event named `type`:
// {checked: true, index, head, event}, or {checked: false} when the
// server could give none yet (`r` null).
export function receipt(r, memoId, type) {
  if (r === null || r === undefined) return Promise.resolve({ checked: false });
  return checked(async () => {
    const v = await (await sync()).checkReceipt(r, { memoId, type });
    return { checked: true, index: v.index, head: v.head, event: v.event };
  });
}

const ACCESS_KIND = { key: 1, content: 2, signers: 3, replies: 4 };

// A checker of access records of memo `memoId` against one verified
// head: check(a) returns "verified", "withheld" (an auditor's view of a
// drafter's or signer's access: no member and no nonce, so only the
// event's memo and kind are checked), or "pending" when the head does
// not cover the record yet; throws if the log holds something else.
export async function accessChecker(memoId) {
  const s = await sync();
  const head = await checked(() => s.head());
  return (a) => checked(async () => {
    const grant = a.kind === 'grant';
    const kind = ACCESS_KIND[a.kind];
    const withheld = a.member === null && a.nonce === null;
    let nonce = null;
    try {
      if (!grant && kind === undefined) throw new RangeError('kind');
      if (!withheld && (typeof a.member !== 'string' || (a.member === 'channel' && !grant))) throw new RangeError('member');
      if (!Number.isSafeInteger(a.log_index) || a.log_index < 0) throw new RangeError('index');
      if (!withheld) nonce = decode(a.nonce, event.NONCE_BYTES);
    } catch {
      throw new api.IntegrityError('bad_answer', 'The server\'s access history is malformed. Reload and try again.');
    }
    if (BigInt(a.log_index) >= head.size) return 'pending';
    const [entry] = await s.entries(head, a.log_index, 1);
    await s.proveEntry(head, a.log_index, entry.leaf);
    const ev = entry.event;
    const okType = ev && (grant ? ev.name === 'grant_created' : ev.name === 'content_accessed' && ev.kind === kind);
    if (!okType || ev.memoId !== memoId || (!withheld && !equal(ev.commit, event.accessCommit(nonce, a.member)))) {
      throw new api.IntegrityError('access_not_logged',
        `The access at log entry ${a.log_index} is not what the log holds there. Do not trust this history; tell your auditor.`);
    }
    return withheld ? 'withheld' : 'verified';
  });
}
