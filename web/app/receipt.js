// Receipts (docs/API.md, "Receipt object"), verified offline as
// src/cli/memowire.c's memowire_receipt_verify() does: the signed tree
// head with the pinned server key (never the receipt's own copy), the
// inclusion proof of the event at its index in that head, the strict
// decoding of the event, and that it is a memo event of the memo the
// receipt names.  A refusal throws a ReceiptError whose message says why.
import * as b64 from './b64.js';
import { equal } from './bytes.js';
import * as event from './event.js';
import * as treehead from './treehead.js';

export class ReceiptError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ReceiptError';
  }
}

const MEMO_ID = /^d_[0-9a-f]{24}$/;

// The longest base64url text of an event (4096 bytes).
const EVENT_B64_MAX = Math.ceil((event.MAX_BYTES * 4) / 3);

function refuse(why) {
  throw new ReceiptError(why);
}

// Verify the Receipt object `r` (parsed JSON) with the pinned server key
// `serverPk` (32 bytes, from GET /api/v1/instance).  `expect` may give
// {instanceId, memoId, type}: the head's instance (a head without one is
// taken to be of that instance, the signature then decides), the memo and
// the event type (a code or a name) it must be about.  Returns {memoId,
// index (BigInt), head, event}; throws a ReceiptError.
export function verify(r, serverPk, expect = {}) {
  if (!r || typeof r !== 'object' || Array.isArray(r)) refuse('the receipt is not a JSON object');
  if (typeof r.memo !== 'string' || !MEMO_ID.test(r.memo)) refuse('the receipt names no valid memo');
  if (!Number.isSafeInteger(r.index) || r.index < 0) refuse('the receipt has no log index');
  let head;
  try {
    const h = r.head && typeof r.head === 'object' && !Array.isArray(r.head) && r.head.instance_id === undefined && expect.instanceId
      ? { ...r.head, instance_id: expect.instanceId }
      : r.head;
    head = treehead.fromJson(h);
  } catch {
    refuse("the receipt's tree head is malformed (it needs instance_id, size, timestamp, root and signature)");
  }
  let proof;
  try {
    proof = treehead.proofFromJson(r.proof);
  } catch {
    refuse("the receipt's inclusion proof is malformed");
  }
  let leaf;
  try {
    if (typeof r.event !== 'string' || r.event.length > EVENT_B64_MAX) throw new RangeError('event');
    leaf = b64.decode(r.event);
    if (leaf.length > event.MAX_BYTES) throw new RangeError('event');
  } catch {
    refuse("the receipt's event is malformed");
  }
  if (r.server_sign_pk !== undefined) {
    let pk = null;
    try {
      pk = b64.decode(r.server_sign_pk, treehead.PK_BYTES);
    } catch {
      // Refused below, as another key.
    }
    if (!pk || !equal(pk, serverPk)) {
      refuse('the receipt was issued under another server key than the trusted one (wrong key)');
    }
  }
  if (!treehead.verify(head, serverPk)) {
    refuse("the receipt's tree head signature does not verify with the trusted server key (bad signature)");
  }
  if (!treehead.checkInclusion(head, leaf, r.index, proof)) {
    refuse("the receipt's event is not at its index in the signed tree (the inclusion proof fails)");
  }
  let ev;
  try {
    ev = event.decode(leaf);
  } catch {
    refuse("the receipt's event is not a well-formed event");
  }
  if (!event.isMemoEvent(ev) || !ev.memoId) refuse("the receipt's event is not a memo event");
  if (ev.memoId !== r.memo) refuse("the receipt's event is about another memo than the one it names");
  if (expect.instanceId !== undefined && head.instanceId !== expect.instanceId) {
    refuse(`the receipt's tree head is of instance ${head.instanceId}, not of this server`);
  }
  if (expect.memoId !== undefined && r.memo !== expect.memoId) {
    refuse(`the receipt is about memo ${r.memo}, not ${expect.memoId}`);
  }
  if (expect.type !== undefined && ev.type !== expect.type && ev.name !== expect.type) {
    refuse(`the receipt records ${ev.name}, not ${expect.type}`);
  }
  return { memoId: r.memo, index: BigInt(r.index), head, event: ev };
}
