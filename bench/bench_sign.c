/*
 * bench_sign: named co-signatures accepted durably over HTTP (SPEC §8 asks
 * for at least 5,000 per second on 2 cores), and the baseline it is
 * measured against in the same run.  scripts/bench-run drives it:
 *
 *   bench_sign prepare DATA_DIR N OUT_FILE [PER_MEMO]
 *     On a data directory freshly made by `dissentd init` (dissentd not
 *     running), write directly into the instance's store: an eligible
 *     organisation; M = min(N, PER_MEMO) active eligible members of it
 *     (PER_MEMO: 1 to STORE_SIGNATURES_MAX, which is the default) with
 *     keys derived from fixed seeds and one session each; and ceil(N / M)
 *     memos in state "open" (version 1 encrypted under a random memo key),
 *     each with the M members (fewer on the last memo: as many as sign it)
 *     invited.  No channel key: signing does not use it, and it cannot
 *     exist without its log event.  Then write N valid
 *     POST /api/v1/memos/{id}/signatures requests to OUT_FILE (created
 *     0600), one per line:
 *       TOKEN <TAB> MEMO_ID <TAB> JSON-BODY
 *     memo by memo, each member signing each memo once, so that a memo
 *     fills up the way a popular one does.  bench/sign.lua sends every
 *     line once.
 *   bench_sign baseline DIR SECONDS
 *     For SECONDS, insert rows of the shape of memo_signatures (memo id,
 *     32-byte tag, version, 304-byte record; same keys and index) one per
 *     durable transaction (WAL, synchronous=FULL, as the store commits)
 *     into a new SQLite file in DIR, and print "inserts_per_second R rows
 *     N seconds T".
 *   bench_sign count DATA_DIR
 *     Print the number of named signatures stored on the instance's open
 *     memos (prepare makes at most STORE_MEMO_LIST_MAX memos, so that one
 *     list holds them all).
 *
 * The store's writes bypass the channel log on purpose: the members these
 * requests need would normally be created, enrolled and logged one by one
 * over HTTP, which takes far longer than the measurement.  The log itself
 * is left untouched, so dissentd's start-up check of it still passes; an
 * audit of this instance would of course find members without events.
 * Each member's account custody is a dummy (zero verifier and wrapped
 * seed): nobody logs in with a password here, the sessions are made
 * directly.  Never do either on a real instance.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "access.h"
#include "account.h"
#include "b64.h"
#include "directory.h"
#include "instance.h"
#include "keys.h"
#include "lifecycle.h"
#include "memo.h"
#include "store.h"

#define N_MAX 10000000UL
#define BENCH_ORG "bench-signers"
#define COMMIT_EVERY 1000
/*
 * Sessions outlive any run, but dissentd applies its own idle limit (30
 * minutes by default) and accepts a signature's time only within 600 s of
 * its clock: send the requests within 10 minutes of writing them.
 */
#define SESSION_TTL 86400

/* What prepare keeps of each member until the requests are written. */
struct signer {
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	char token[ACCOUNT_TOKEN_LEN + 1];
	struct keys_secret ks;
};

/* What prepare keeps of each memo. */
struct bmemo {
	char id[MEMO_ID_LEN + 1];
	uint8_t roster_pk[MEMO_ROSTER_PK_BYTES];
	uint8_t version_hash[MEMO_HASH_BYTES];
};

static void die(const char *) __attribute__((noreturn));

static void
die(const char *what)
{

	fprintf(stderr, "bench_sign: %s\n", what);
	exit(1);
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{

	fprintf(stderr, "usage: bench_sign prepare DATA_DIR N OUT_FILE "
			"[PER_MEMO]\n"
			"       bench_sign baseline DIR SECONDS\n"
			"       bench_sign count DATA_DIR\n");
	exit(2);
}

/* The fixed seed of signer ${i}, so that runs are comparable. */
static void
signer_seed(uint8_t seed[KEYS_SEED_BYTES], uint64_t i)
{
	static const char ctx[] = "dissent/bench-sign/seed";
	crypto_generichash_state st;
	uint8_t le[8];
	size_t k;

	for (k = 0; k < 8; k++)
		le[k] = (uint8_t)(i >> (8 * k));
	if (crypto_generichash_init(&st, NULL, 0, KEYS_SEED_BYTES) != 0 ||
	    crypto_generichash_update(
		&st, (const uint8_t *)ctx, sizeof(ctx) - 1) != 0 ||
	    crypto_generichash_update(&st, le, sizeof(le)) != 0 ||
	    crypto_generichash_final(&st, seed, KEYS_SEED_BYTES) != 0)
		die("seed");
}

/*
 * Insert member ${handle} of the bench organisation, activate it with the
 * keys of ${ks} and a dummy custody, and if ${token} is not NULL open a
 * session for it, storing the token in ${token}.  Inside a transaction.
 */
static void
add_member(struct store *s, const char *handle, int eligible,
    const struct keys_secret *ks, char id[DIRECTORY_MEMBER_ID_LEN + 1],
    char *token, int64_t now)
{
	struct account_policy p;
	struct store_custody c;
	struct store_session sess;
	struct store_member m;
	uint8_t hash[ACCOUNT_HASH_BYTES];

	memset(&m, 0, sizeof(m));
	directory_member_id_new(m.id);
	(void)snprintf(m.handle, sizeof(m.handle), "%s", handle);
	(void)snprintf(
	    m.display_name, sizeof(m.display_name), "Bench %s", handle);
	memcpy(m.org_id, BENCH_ORG, sizeof(BENCH_ORG));
	m.roles = ROLE_MEMBER;
	m.eligible = eligible;
	m.status = STORE_MEMBER_PENDING;
	m.created_at = now;
	if (store_member_insert(s, &m) != STORE_OK)
		die("member insert");
	/* Dummy custody: the bench never logs in with a password. */
	memset(&c, 0, sizeof(c));
	randombytes_buf(c.kdf.salt, sizeof(c.kdf.salt));
	c.kdf.opslimit = CUSTODY_OPSLIMIT_MIN;
	c.kdf.memlimit = CUSTODY_MEMLIMIT_MIN;
	if (store_member_activate(s, m.id, &ks->pub, &c, now) != STORE_OK)
		die("member activate");
	memcpy(id, m.id, sizeof(m.id));
	if (token == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.session_ttl = SESSION_TTL;
	p.session_idle_ttl = SESSION_TTL;
	account_token_new(token, hash);
	if (account_session_new(&sess, &p, m.id, hash, now) != 0 ||
	    store_session_put(s, &sess) != STORE_OK)
		die("session");
}

/* Create memo ${bm} in state open, drafted by ${drafter}. */
static void
add_memo(struct store *s, struct bmemo *bm, const char *drafter, int64_t now)
{
	static const uint8_t zero[MEMO_HASH_BYTES];
	uint8_t key[MEMO_KEY_BYTES], roster_sk[MEMO_ROSTER_SK_BYTES];
	struct store_memo_version v;
	struct memo_content c;
	struct store_memo m;
	uint8_t *content, *box;
	size_t len, boxlen;
	char title[64];

	memset(&c, 0, sizeof(c));
	memset(&m, 0, sizeof(m));
	memo_id_new(bm->id);
	(void)snprintf(title, sizeof(title), "Bench memo %s", bm->id);
	c.title = title;
	c.body = "A memo that the benchmark's members all sign.";
	memcpy(c.topic, "policy", sizeof("policy"));
	memcpy(c.marking, "UNCLASSIFIED", sizeof("UNCLASSIFIED"));
	memo_roster_keypair(bm->roster_pk, roster_sk);
	if (memo_content_encode(&c, &content, &len) != 0 ||
	    memo_version_hash(bm->version_hash, bm->id, 1, zero, bm->roster_pk,
		content, len) != 0)
		die("memo content");
	randombytes_buf(key, sizeof(key));
	if (memo_content_seal(&box, &boxlen, content, len, bm->id, 1, key) != 0)
		die("memo seal");

	memcpy(m.id, bm->id, sizeof(m.id));
	m.state = MEMO_STATE_OPEN;
	memcpy(m.topic, c.topic, sizeof(c.topic));
	memcpy(m.marking, c.marking, sizeof(c.marking));
	memcpy(m.org_id, BENCH_ORG, sizeof(BENCH_ORG));
	memcpy(m.eligible_orgs[0], BENCH_ORG, sizeof(BENCH_ORG));
	m.neligible_orgs = 1;
	memcpy(m.roster_pk, bm->roster_pk, sizeof(m.roster_pk));
	m.version = 1;
	memcpy(m.version_hash, bm->version_hash, sizeof(m.version_hash));
	m.created_at = now;
	m.authors = 1;
	memset(&v, 0, sizeof(v));
	v.version = 1;
	memcpy(v.hash, bm->version_hash, sizeof(v.hash));
	memcpy(v.author, drafter, sizeof(v.author));
	v.created_at = now;
	v.box = box;
	v.boxlen = boxlen;
	if (store_memo_insert(s, &m, &v, drafter) != STORE_OK)
		die("memo insert");
	free(content);
	free(box);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(roster_sk, sizeof(roster_sk));
}

/* Write the request of signer ${sg} on memo ${bm} to ${f}. */
static void
write_request(FILE *f, const struct signer *sg, const struct bmemo *bm)
{
	uint8_t record[MEMO_RECORD_SEALED_BYTES];
	char hash[B64_ENCODED_LEN(MEMO_HASH_BYTES)];
	char sig[B64_ENCODED_LEN(KEYS_SIG_BYTES)];
	char rec[B64_ENCODED_LEN(MEMO_RECORD_SEALED_BYTES)];
	struct memo_signature s;

	memset(&s, 0, sizeof(s));
	memcpy(s.memo_id, bm->id, sizeof(s.memo_id));
	s.version = 1;
	memcpy(s.version_hash, bm->version_hash, sizeof(s.version_hash));
	memcpy(s.signer_id, sg->id, sizeof(sg->id));
	s.key_epoch = 1;
	/* The signer's clock: dissentd accepts 600 s either way. */
	s.time = (uint64_t)time(NULL);
	if (memo_signature_sign(&s, &sg->ks) != 0 ||
	    memo_record_seal(record, &s, bm->roster_pk) != 0)
		die("signature");
	if (b64_encode(hash, sizeof(hash), s.version_hash, MEMO_HASH_BYTES) !=
		0 ||
	    b64_encode(sig, sizeof(sig), s.sig, KEYS_SIG_BYTES) != 0 ||
	    b64_encode(rec, sizeof(rec), record, sizeof(record)) != 0)
		die("b64");
	if (fprintf(f,
		"%s\t%s\t{\"version\":1,\"version_hash\":\"%s\",\"time\":"
		"%" PRIu64 ",\"sig\":\"%s\",\"record\":\"%s\"}\n",
		sg->token, bm->id, hash, s.time, sig, rec) < 0)
		die("write");
}

static int
cmd_prepare(
    const char *dir, const char *nstr, const char *out, const char *perstr)
{
	uint8_t seed[KEYS_SEED_BYTES];
	char err[256], handle[DIRECTORY_HANDLE_MAX + 1];
	char drafter[DIRECTORY_MEMBER_ID_LEN + 1];
	struct keys_secret dks;
	struct instance *inst;
	struct signer *sg;
	struct bmemo *bm;
	struct store_org org;
	struct store *s;
	unsigned long n, per = STORE_SIGNATURES_MAX, nsigners, nmemos, i, j;
	unsigned long done, ninvite;
	int64_t now = (int64_t)time(NULL);
	double t0;
	char *end;
	FILE *f;
	int fd;

	n = strtoul(nstr, &end, 10);
	if (*end != '\0' || n < 1 || n > N_MAX)
		die("N must be 1 to 10^7");
	if (perstr != NULL && ((per = strtoul(perstr, &end, 10)) < 1 ||
				  per > STORE_SIGNATURES_MAX || *end != '\0'))
		die("PER_MEMO must be 1 to 20000");
	nsigners = n < per ? n : per;
	nmemos = (n + nsigners - 1) / nsigners;
	if (nmemos > STORE_MEMO_LIST_MAX)
		die("too many memos: raise PER_MEMO or lower N");
	if ((sg = calloc(nsigners, sizeof(*sg))) == NULL ||
	    (bm = calloc(nmemos, sizeof(*bm))) == NULL)
		die("out of memory");
	if (instance_open(&inst, dir, now, err, sizeof(err)) != 0)
		die(err);
	s = inst->store;
	if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL)
		die("cannot create the output file (it must not exist)");
	t0 = mono();

	/* The organisation, the drafter and the signers. */
	memset(&org, 0, sizeof(org));
	memcpy(org.id, BENCH_ORG, sizeof(BENCH_ORG));
	memcpy(org.name, "Bench signers", sizeof("Bench signers"));
	org.created_at = now;
	if (store_begin(s) != 0 || store_org_insert(s, &org) != STORE_OK)
		die("organisation (is the data directory fresh?)");
	signer_seed(seed, UINT64_MAX);
	if (keys_derive(&dks, seed) != 0)
		die("keys");
	add_member(s, "bench-drafter", 0, &dks, drafter, NULL, now);
	keys_wipe(&dks);
	for (i = 0; i < nsigners; i++) {
		signer_seed(seed, i);
		if (keys_derive(&sg[i].ks, seed) != 0)
			die("keys");
		(void)snprintf(handle, sizeof(handle), "bench-%06lu", i);
		add_member(s, handle, 1, &sg[i].ks, sg[i].id, sg[i].token, now);
		if ((i + 1) % COMMIT_EVERY == 0 &&
		    (store_commit(s) != 0 || store_begin(s) != 0))
			die("commit");
	}

	fprintf(stderr, "bench_sign: %lu members stored in %.1f s\n",
	    nsigners + 1, mono() - t0);
	t0 = mono();

	/* The memos, each with every signer that signs it invited. */
	for (j = 0; j < nmemos; j++) {
		add_memo(s, &bm[j], drafter, now);
		ninvite =
		    n - j * nsigners < nsigners ? n - j * nsigners : nsigners;
		for (i = 0; i < ninvite; i++) {
			if (store_memo_relate(s, bm[j].id, sg[i].id,
				ACCESS_REL_INVITEE, drafter, now) != STORE_OK)
				die("invite");
			if ((i + 1) % (10 * COMMIT_EVERY) == 0 &&
			    (store_commit(s) != 0 || store_begin(s) != 0))
				die("commit");
		}
	}
	if (store_commit(s) != 0)
		die("commit");
	fprintf(stderr,
	    "bench_sign: %lu memos with up to %lu invitees stored in %.1f s\n",
	    nmemos, nsigners, mono() - t0);

	/* The requests, memo by memo. */
	t0 = mono();
	for (j = 0, done = 0; j < nmemos && done < n; j++)
		for (i = 0; i < nsigners && done < n; i++, done++)
			write_request(f, &sg[i], &bm[j]);
	if (fclose(f) != 0)
		die("write");
	fprintf(stderr, "bench_sign: %lu requests written in %.1f s\n", n,
	    mono() - t0);

	for (i = 0; i < nsigners; i++) {
		keys_wipe(&sg[i].ks);
		sodium_memzero(sg[i].token, sizeof(sg[i].token));
	}
	sodium_memzero(seed, sizeof(seed));
	free(sg);
	free(bm);
	instance_free(inst);
	return (0);
}

static int
cmd_baseline(const char *dir, const char *secstr)
{
	uint8_t tag[MEMO_HASH_BYTES], record[MEMO_RECORD_SEALED_BYTES];
	char path[1100], p[1200], id[MEMO_ID_LEN + 1];
	sqlite3_stmt *st;
	sqlite3 *db;
	uint64_t rows = 0;
	double secs, t0, t;
	char *end;

	secs = strtod(secstr, &end);
	if (*end != '\0' || !(secs > 0 && secs <= 3600))
		die("SECONDS must be more than 0 and at most 3600");
	(void)snprintf(
	    path, sizeof(path), "%s/bench_sign_baseline.%d.db", dir, getpid());
	memo_id_new(id);
	randombytes_buf(tag, sizeof(tag));
	randombytes_buf(record, sizeof(record));
	/* The table and pragmas of memo_signatures in store_sqlite.c. */
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; "
		"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
		"CREATE TABLE memo_signatures (memo_id TEXT NOT NULL, "
		"tag BLOB NOT NULL CHECK (length(tag) = 32), "
		"version INTEGER NOT NULL CHECK (version BETWEEN 1 AND "
		"4294967295), "
		"record BLOB NOT NULL CHECK (length(record) = 304), "
		"PRIMARY KEY (memo_id, tag)) STRICT, WITHOUT ROWID; "
		"CREATE INDEX memo_signatures_version ON "
		"memo_signatures(memo_id, version, tag)",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
		"INSERT INTO memo_signatures (memo_id, tag, version, record) "
		"VALUES (?1, ?2, 1, ?3)",
		-1, &st, NULL) != SQLITE_OK)
		die("baseline database");
	t0 = mono();
	do {
		/* A new tag per row: the first 8 bytes count. */
		memcpy(tag, &rows, sizeof(rows));
		record[rows % sizeof(record)] ^= 1;
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
			SQLITE_OK ||
		    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) !=
			SQLITE_OK ||
		    sqlite3_bind_blob(st, 2, tag, sizeof(tag), SQLITE_STATIC) !=
			SQLITE_OK ||
		    sqlite3_bind_blob(st, 3, record, sizeof(record),
			SQLITE_STATIC) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_DONE ||
		    sqlite3_reset(st) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			die("baseline insert");
		rows++;
	} while ((t = mono() - t0) < secs);
	(void)sqlite3_finalize(st);
	(void)sqlite3_close(db);
	(void)unlink(path);
	(void)snprintf(p, sizeof(p), "%s-wal", path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", path);
	(void)unlink(p);
	printf("inserts_per_second %.0f rows %" PRIu64 " seconds %.3f\n",
	    (double)rows / t, rows, t);
	return (0);
}

static int
cmd_count(const char *dir)
{
	static const int open_state[] = {MEMO_STATE_OPEN};
	struct store_memo *ms;
	struct store *s;
	char url[1200];
	uint64_t total = 0;
	uint32_t c;
	size_t n, i;

	(void)snprintf(url, sizeof(url), "sqlite:%s/%s", dir, INSTANCE_DB_FILE);
	if (store_open(&s, url, (int64_t)time(NULL)) != 0 ||
	    store_memo_list_states(s, open_state, 1, &ms, &n) != STORE_OK)
		die("cannot read the store");
	for (i = 0; i < n; i++) {
		if (store_signature_count(s, ms[i].id, 0, &c) != STORE_OK)
			die("count");
		total += c;
	}
	printf("%" PRIu64 "\n", total);
	free(ms);
	store_free(s);
	return (0);
}

int
main(int argc, char *argv[])
{

	if (sodium_init() < 0)
		die("sodium_init");
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "prepare") == 0)
		return (cmd_prepare(
		    argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL));
	if (argc == 4 && strcmp(argv[1], "baseline") == 0)
		return (cmd_baseline(argv[2], argv[3]));
	if (argc == 3 && strcmp(argv[1], "count") == 0)
		return (cmd_count(argv[2]));
	usage();
}
