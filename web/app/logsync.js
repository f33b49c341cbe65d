// The browser's hold on the server's channel log (docs/CLI.md, "The
// channel log", done as the CLI does it): every tree head is verified with
// the server key pinned for this tab and checked against the last head
// verified in this tab (the same root at the same size, a consistency
// proof when it grew, never an earlier time with a larger size), log
// entries and their inclusion proofs are checked against a verified head,
// member keys against the log entry that published them (key
// transparency), and receipts against the pinned key and the heads seen.
//
// The state is kept in this module's memory only (no storage): it lasts
// as long as the tab, like the session's keys.  The page itself comes
// from the server, so this guards a session against a log that changes
// under it, not against a server that serves a different page; the CLI's
// records and `dissent audit` keep the longer memory.
import * as api from './api.js';
import * as b64 from './b64.js';
import { equal } from './bytes.js';
import * as event from './event.js';
import * as receipt from './receipt.js';
import * as treehead from './treehead.js';

export class LogError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'LogError';
    this.code = code;
  }
}

const MEMBER_ID = /^m_[0-9a-f]{24}$/;
const ENTRIES_MAX = 1000;
const WAIT_MS = 2000;
const WAIT_STEP_MS = 200;

// instance id -> {serverPk, last: {head, seenAt} | null}, for this tab.
const servers = new Map();

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

function badAnswer(what) {
  return new LogError('bad_answer', `The server sent a malformed answer to ${what}. Reload the page and try again; if it persists, report this to your auditors.`);
}

function when(seconds) {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

// A non-negative safe integer from JSON, as a BigInt; throws a TypeError.
function jsonIndex(v) {
  if (!Number.isSafeInteger(v) || v < 0) throw new TypeError('not an index');
  return BigInt(v);
}

export class LogSync {
  // `instance` is GET /api/v1/instance's answer; `get(path)` calls the API
  // (api.get by default; tests give their own).
  constructor(instance, get = api.get) {
    if (!instance || !treehead.instanceIdValid(instance.instance_id)) throw badAnswer('the instance request');
    let pk;
    try {
      pk = b64.decode(instance.server_sign_pk, treehead.PK_BYTES);
    } catch {
      throw badAnswer('the instance request');
    }
    const known = servers.get(instance.instance_id);
    if (known && !equal(known.serverPk, pk)) {
      throw new LogError(
        'server_key_changed',
        'The server now presents another signing key than it did earlier in this tab. Do not use it: close the tab and report this to your auditors.',
      );
    }
    if (!known) servers.set(instance.instance_id, { serverPk: pk, last: null });
    this.instanceId = instance.instance_id;
    this.serverPk = pk;
    this.get = get;
  }

  get state() {
    return servers.get(this.instanceId);
  }

  // The last head verified in this tab: {head, seenAt} (seenAt in Unix
  // seconds of this machine's clock), or null.
  last() {
    return this.state.last;
  }

  // Check that the verified head `next` extends the verified head `old`,
  // fetching a consistency proof when the log grew from a non-empty tree;
  // throws a LogError ("log_inconsistent") otherwise.
  async checkExtends(old, next, oldSeenAt) {
    let proof = [];
    if (old.instanceId === next.instanceId && next.size > old.size && old.size > 0n) {
      const r = await this.get(`/log/consistency?first=${old.size}&second=${next.size}`);
      try {
        if (jsonIndex(r.first) !== old.size || jsonIndex(r.second) !== next.size) throw new TypeError('sizes');
        proof = treehead.proofFromJson(r.proof);
      } catch {
        throw badAnswer('a consistency proof request');
      }
    }
    if (!treehead.checkConsistency(old, next, proof)) {
      const seen = oldSeenAt ? ` seen on ${when(oldSeenAt)}` : '';
      throw new LogError(
        'log_inconsistent',
        `The server's log is inconsistent with the tree head${seen} (size ${old.size}; the server now signs size ${next.size}): ` +
          'it may have been rolled back or forked. Do not trust what this server shows, and report this to your auditors.',
      );
    }
  }

  // The latest signed tree head, verified with the pinned key and for
  // this instance, and checked against the last head seen in this tab,
  // which it then replaces; throws a LogError.
  async head() {
    const body = await this.get('/log/head');
    let h;
    try {
      h = treehead.fromJson(body);
    } catch {
      throw badAnswer('the tree head request');
    }
    if (!treehead.verify(h, this.serverPk)) {
      throw new LogError('bad_tree_head', `The server's signed tree head (size ${h.size}) does not verify with its key. Do not trust this server, and report this to your auditors.`);
    }
    if (h.instanceId !== this.instanceId) {
      throw new LogError('bad_tree_head', `The server's tree head is for instance ${h.instanceId}, but the server is instance ${this.instanceId}. Report this to your auditors.`);
    }
    const st = this.state;
    if (st.last) await this.checkExtends(st.last.head, h, st.last.seenAt);
    if (!st.last || st.last.head.size !== h.size) st.last = { head: h, seenAt: Math.floor(Date.now() / 1000) };
    return h;
  }

  // A verified head whose tree holds entry `index`, waiting up to 2 s for
  // the server to sign one (a head lags an append by the server's signing
  // interval); throws a LogError ("not_logged") if none comes.
  async headCovering(index) {
    const i = BigInt(index);
    let h = await this.head();
    for (let waited = 0; h.size <= i && waited < WAIT_MS; waited += WAIT_STEP_MS) {
      await sleep(WAIT_STEP_MS);
      h = await this.head();
    }
    if (h.size <= i) {
      throw new LogError('not_logged', `Log entry ${i} is beyond every tree head the server signs. Report this to your auditors.`);
    }
    return h;
  }

  // The entries [start, start + count) of the verified head `head`, each
  // {index (BigInt), leaf, event} with the event strictly decoded, or
  // {index, leaf, error} if it does not decode.  The server must return
  // exactly those entries, in order.
  async entries(head, start, count) {
    const s = BigInt(start);
    const n = BigInt(count);
    if (n < 1n || n > BigInt(ENTRIES_MAX) || s + n > head.size) throw new RangeError('entries beyond the tree head');
    const body = await this.get(`/log/entries?start=${s}&count=${n}`);
    if (!body || !Array.isArray(body.entries)) throw badAnswer('the log entries request');
    if (BigInt(body.entries.length) !== n) {
      throw new LogError(
        'log_inconsistent',
        `The server returned ${body.entries.length} of the entries ${s} to ${s + n - 1n} of its signed tree head (size ${head.size}). Report this to your auditors.`,
      );
    }
    return body.entries.map((e, k) => {
      let index;
      let leaf;
      try {
        index = jsonIndex(e.index);
        if (typeof e.event !== 'string') throw new TypeError('event');
        leaf = b64.decode(e.event);
        if (leaf.length > event.MAX_BYTES) throw new RangeError('event too long');
      } catch {
        throw badAnswer('the log entries request');
      }
      if (index !== s + BigInt(k)) throw badAnswer('the log entries request');
      try {
        return { index, leaf, event: event.decode(leaf) };
      } catch (err) {
        return { index, leaf, error: err.message };
      }
    });
  }

  // Fetch the inclusion proof of entry `index` in the verified head
  // `head` and check it for the leaf input `leaf`; throws a LogError
  // ("not_in_log") if it fails.  Returns the proof.
  async proveEntry(head, index, leaf) {
    const i = BigInt(index);
    const r = await this.get(`/log/inclusion?index=${i}&size=${head.size}`);
    let proof;
    try {
      if (jsonIndex(r.index) !== i || jsonIndex(r.size) !== head.size) throw new TypeError('sizes');
      proof = treehead.proofFromJson(r.proof);
    } catch {
      throw badAnswer('an inclusion proof request');
    }
    if (!treehead.checkInclusion(head, leaf, i, proof)) {
      throw new LogError('not_in_log', `Log entry ${i} is not in the signed tree of size ${head.size} (its inclusion proof fails). Report this to your auditors.`);
    }
    return proof;
  }

  // Check that the log publishes the keys record `rec` ({"epoch",
  // "sign_pk", "box_pk", "ring_pk", "log_index"} of GET
  // /members/{id}/keys) of member `memberId` (`who` names the member in
  // messages), as the CLI's key transparency does.  Returns the public
  // keys {signPk, boxPk, ringPk} and the epoch; throws a LogError
  // ("key_not_logged") if the log does not publish exactly these keys.
  async checkKeys(who, memberId, rec) {
    let pub;
    let epoch;
    let index;
    try {
      if (!MEMBER_ID.test(memberId)) throw new TypeError('member id');
      epoch = rec.epoch;
      if (!Number.isInteger(epoch) || epoch < 1 || epoch > 0xffffffff) throw new TypeError('epoch');
      pub = { signPk: b64.decode(rec.sign_pk, 32), boxPk: b64.decode(rec.box_pk, 32), ringPk: b64.decode(rec.ring_pk, 32) };
      index = jsonIndex(rec.log_index);
    } catch {
      throw badAnswer('the keys request');
    }
    const notLogged = (why) =>
      new LogError('key_not_logged', `The server presented keys for ${who} that the log does not contain (log entry ${index} ${why}). Do not use them, and report this to your auditors.`);
    let head;
    try {
      head = await this.headCovering(index);
    } catch (e) {
      if (e instanceof LogError && e.code === 'not_logged') throw notLogged('is beyond every tree head the server signs');
      throw e;
    }
    const [entry] = await this.entries(head, index, 1);
    try {
      await this.proveEntry(head, index, entry.leaf);
    } catch (e) {
      if (e instanceof LogError && e.code === 'not_in_log') throw notLogged('is not in the signed tree head');
      throw e;
    }
    const ev = entry.event;
    if (!ev) throw notLogged('is not a well-formed event');
    if ((ev.name !== 'member_enrolled' && ev.name !== 'keys_rotated') || ev.memberId !== memberId || ev.epoch !== epoch) {
      throw notLogged('publishes no keys of this member at this epoch');
    }
    if (!equal(ev.keysHash, event.keysHash(pub))) throw notLogged('publishes other keys at this epoch');
    return { pub, epoch };
  }

  // Verify the Receipt object `r` with the pinned key for this instance
  // (receipt.verify(), with `expect` {memoId, type}), then tie its head to
  // the heads seen in this tab: the latest head must extend it.  Returns
  // receipt.verify()'s summary; throws a ReceiptError or a LogError.
  async checkReceipt(r, expect = {}) {
    const v = receipt.verify(r, this.serverPk, { ...expect, instanceId: this.instanceId });
    const latest = await this.head();
    if (v.head.size > latest.size) {
      throw new LogError('log_inconsistent', `The receipt's tree head (size ${v.head.size}) is larger than the server's latest (size ${latest.size}): the log may have been rolled back. Report this to your auditors.`);
    }
    await this.checkExtends(v.head, latest);
    return v;
  }
}

// The LogSync of the instance `instance` (GET /api/v1/instance's answer)
// for this tab.
export function forInstance(instance, get = api.get) {
  return new LogSync(instance, get);
}

// Forget every head and key pinned in this tab (for tests).
export function forgetAll() {
  servers.clear();
}
