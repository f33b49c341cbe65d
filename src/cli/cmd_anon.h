#ifndef CMD_ANON_H_
#define CMD_ANON_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit.h"
#include "cli.h"
#include "directory.h"
#include "event.h"
#include "keys.h"
#include "memo.h"
#include "memowire.h"
#include "ring.h"

/*
 * Anonymous co-signatures on the client (docs/CLI.md, "Anonymous
 * signatures"): `dissent memo ring`, `memo sign --anonymous`, `memo unsign
 * --anonymous` and `memo verify`.
 *
 * A memo's ring snapshot (GET /memos/{id}/ring) is the set of members
 * eligible to sign it at a pinned log tree size T.  Before the client
 * signs over it, or counts signatures made over it, it replays the first T
 * log entries through the audit's directory timeline (audit.h) and
 * requires the snapshot to be exactly the members then active, eligible
 * and of one of the memo's organisations, each with the keys the log
 * published for its key epoch.  Signatures are LSAG ring signatures
 * (ring.h) posted without the session; the signer keeps what it needs to
 * re-sign after an edit (over the same ring) or to withdraw in
 * HOME/anonymous/ID.json.
 *
 * The pure parts (parsing and checking snapshots, choosing rings, the
 * saved file, checking a list of anonymous signatures) are exported for
 * the tests; they do not talk to the network.
 */

/* The directory in the state directory that holds the saved signatures. */
#define CMD_ANON_DIR "anonymous"

/*
 * Largest ring the client signs over or reads: its signature must fit in
 * one base64url JSON string (MEMOWIRE_B64_MAX bytes).
 */
#define CMD_ANON_RING_MAX (MEMOWIRE_B64_MAX / RING_SCALAR_BYTES - 2)

/* Largest eligible set read (ring_choose_subset() draws from it). */
#define CMD_ANON_ELIGIBLE_MAX AUDIT_MEMBERS_MAX

/* Room for a message about a failed check, with its NUL. */
#define CMD_ANON_ERR_MAX 256

/* One member of a ring snapshot. */
struct cmd_anon_member {
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	uint32_t epoch;
	struct keys_public pub;
	/* What the log published for this member at this epoch, if seen. */
	int logged;
	uint8_t logged_hash[EVENT_KEYS_HASH_BYTES];
};

/* A memo's ring snapshot: cmd_anon_snapshot_parse(). */
struct cmd_anon_snapshot {
	uint64_t tree_size; /* T: the directory after the first T entries */
	size_t max;         /* the configured largest ring */
	size_t min_warn;    /* warn below an anonymity set this size */
	size_t n;
	struct cmd_anon_member *members; /* sorted by ring public key */
	uint8_t (*ring)[RING_PK_BYTES];  /* their ring keys, in that order */
	const struct cmd_anon_member **by_id; /* sorted by member id */
};

/* What HOME/anonymous/ID.json keeps of one's anonymous signature. */
struct cmd_anon_saved {
	char memo[MEMO_ID_LEN + 1];
	uint32_t version;
	uint8_t version_hash[MEMO_HASH_BYTES];
	uint64_t tree_size;
	size_t n;
	uint8_t (*ring)[RING_PK_BYTES]; /* sorted by bytes */
	uint8_t *sig;
	size_t siglen; /* RING_SIG_BYTES(n) */
};

/* One verified anonymous signature of a memo. */
struct cmd_anon_sig {
	uint32_t version;
	uint8_t version_hash[MEMO_HASH_BYTES];
	uint8_t tag[RING_TAG_BYTES];
	uint8_t *sig;
	size_t siglen;
	int current; /* on the memo's current version */
};

/* A memo's anonymous signatures: cmd_anon_sigs_check(). */
struct cmd_anon_sigs {
	struct cmd_anon_sig *v; /* in the order of their tags */
	size_t n;
	size_t current;
	size_t stale;
	/* Stale ones whose version hash no list of versions confirmed. */
	size_t stale_unconfirmed;
};

/**
 * cmd_anon_sign(c, id, yes):
 * `dissent memo sign ID --anonymous [--yes]`: sign the current version of
 * memo ${id} anonymously (ask first unless ${yes}).  Return the exit code.
 */
int cmd_anon_sign(struct cli *c, const char *id, int yes);

/**
 * cmd_anon_unsign(c, id):
 * `dissent memo unsign ID --anonymous`: withdraw the anonymous signature
 * saved for memo ${id}.  Return the exit code.
 */
int cmd_anon_unsign(struct cli *c, const char *id);

/**
 * cmd_anon_ring(c, argc, argv):
 * `dissent memo ring ID`: show the memo's ring snapshot after checking it
 * against the log.  Return the exit code.
 */
int cmd_anon_ring(struct cli *c, int argc, char **argv);

/**
 * cmd_anon_verify(c, argc, argv):
 * `dissent memo verify ID`: re-verify the memo's ring snapshot, anonymous
 * signatures, the named records the caller may see, the counts and, after
 * submission, the package hash against the receipt.  Return the exit code
 * (CLI_EXIT_INTEGRITY if anything fails to verify).
 */
int cmd_anon_verify(struct cli *c, int argc, char **argv);

/**
 * cmd_anon_list(c, id, out):
 * GET every page of the anonymous signatures of memo ${id} into a new
 * ${out}, {"tree_size", "signatures"} (in the server's order, by tag).
 * Return CLI_PROCEED or an exit code.
 */
int cmd_anon_list(struct cli *c, const char *id, json_t **out)
    __attribute__((warn_unused_result));

/**
 * cmd_anon_snapshot_parse(s, answer, err, errcap):
 * Read ${answer}, the answer of GET /memos/{id}/ring ({"tree_size", "max",
 * "min_warn", "members": [{"member", "epoch", "sign_pk", "box_pk",
 * "ring_pk"}]}), into ${s}: a tree size of at least 1, a maximum from
 * RING_MIN to RING_N_LIMIT, at most CMD_ANON_ELIGIBLE_MAX members with
 * valid ids, epochs from 1 and keys of the right lengths, sorted strictly
 * by ring public key, no member twice.  Return 0, or -1 with the reason in
 * ${err} (${s} then empty).  Free ${s} with cmd_anon_snapshot_free().
 */
int cmd_anon_snapshot_parse(struct cmd_anon_snapshot *s, const json_t *answer,
    char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * cmd_anon_snapshot_free(s):
 * Free what ${s} holds and empty it.  An empty ${s} is fine.
 */
void cmd_anon_snapshot_free(struct cmd_anon_snapshot *s);

/**
 * cmd_anon_snapshot_note(s, ev):
 * Note the log event ${ev} while replaying the first ${s}->tree_size
 * entries: a member_enrolled or keys_rotated event of a snapshot member
 * at the epoch the snapshot gives it records the keys hash it publishes.
 */
void cmd_anon_snapshot_note(
    struct cmd_anon_snapshot *s, const struct event *ev);

/**
 * cmd_anon_snapshot_check(s, a, orgs, err, errcap):
 * Check the snapshot ${s}, whose log events were noted, against ${a}, the
 * audit timeline of exactly its first ${s}->tree_size entries, for a memo
 * whose eligible organisations are the JSON array of strings ${orgs}:
 * every member must then be active, eligible, of one of ${orgs} and at the
 * snapshot's key epoch, with the keys the log published for that epoch;
 * and no other member may be all of that.  Return 0, or -1 with the reason
 * in ${err}.
 */
int cmd_anon_snapshot_check(const struct cmd_anon_snapshot *s,
    const struct audit *a, const json_t *orgs, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * cmd_anon_snapshot_find(s, ring_pk, i):
 * Store in ${i} the index of the member of ${s} with the ring public key
 * ${ring_pk}.  Return 0, or -1 if there is none.
 */
int cmd_anon_snapshot_find(const struct cmd_anon_snapshot *s,
    const uint8_t ring_pk[RING_PK_BYTES], size_t *i)
    __attribute__((warn_unused_result));

/**
 * cmd_anon_choose(s, signer, ring, n, pos):
 * Choose the ring for the member at index ${signer} of ${s}: the whole
 * snapshot if it has at most ${s}->max members, else ring_choose_subset()
 * of ${s}->max.  Store a new array of its ${n} keys (sorted by bytes; free
 * it) in ${ring} and the signer's place in it in ${pos}.  Return 0, or -1
 * if the snapshot has fewer than RING_MIN members, ${signer} is out of
 * range or memory runs out.
 */
int cmd_anon_choose(const struct cmd_anon_snapshot *s, size_t signer,
    uint8_t (**ring)[RING_PK_BYTES], size_t *n, size_t *pos)
    __attribute__((warn_unused_result));

/**
 * cmd_anon_saved_json(sv):
 * Return ${sv} as the JSON object of HOME/anonymous/ID.json: {"memo",
 * "version", "version_hash", "tree_size", "ring": [...], "signature"},
 * binary values in base64url; or NULL if out of memory.
 */
json_t *cmd_anon_saved_json(const struct cmd_anon_saved *sv);

/**
 * cmd_anon_saved_parse(sv, obj):
 * Read ${obj}, as cmd_anon_saved_json() writes it, into ${sv}: a memo id,
 * a version from 1, a version hash, a tree size from 1, a ring of
 * RING_MIN to CMD_ANON_RING_MAX keys sorted strictly by bytes and a
 * signature of the form ring_sig_parse() accepts for that many keys.
 * Return 0, or -1 (${sv} then empty).  Free ${sv} with
 * cmd_anon_saved_free().
 */
int cmd_anon_saved_parse(struct cmd_anon_saved *sv, const json_t *obj)
    __attribute__((warn_unused_result));

/**
 * cmd_anon_saved_free(sv):
 * Free what ${sv} holds and empty it.  An empty ${sv} is fine.
 */
void cmd_anon_saved_free(struct cmd_anon_saved *sv);

/**
 * cmd_anon_sigs_check(out, s, memo_id, version, version_hash, versions,
 *     answer, err, errcap):
 * Check ${answer}, the answer of GET /memos/{memo_id}/anonymous-signatures
 * ({"tree_size", "signatures": [{"version", "version_hash", "ring",
 * "signature", "tag"}]}), against the checked snapshot ${s} of memo
 * ${memo_id}, whose current version is ${version} with ${version_hash}:
 * the tree size is the snapshot's; every ring is sorted strictly and
 * drawn from the snapshot; every signature parses for its ring, carries
 * its "tag", and verifies for the memo, the binding of its version hash
 * and the snapshot's tree size; tags increase strictly (so no member
 * signed twice); no version is beyond the current one, the current one
 * has ${version_hash}, and an earlier one, if ${versions} (GET
 * /memos/{id}/versions) is not NULL, the hash that list gives it.  Fill
 * ${out} (free it with cmd_anon_sigs_free()).  Return 0, or -1 with the
 * reason in ${err} (${out} then empty).
 */
int cmd_anon_sigs_check(struct cmd_anon_sigs *out,
    const struct cmd_anon_snapshot *s, const char *memo_id, uint32_t version,
    const uint8_t version_hash[MEMO_HASH_BYTES], const json_t *versions,
    const json_t *answer, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * cmd_anon_sigs_free(sigs):
 * Free what ${sigs} holds and empty it.  An empty ${sigs} is fine.
 */
void cmd_anon_sigs_free(struct cmd_anon_sigs *sigs);

#endif /* !CMD_ANON_H_ */
